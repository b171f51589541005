package main

import (
	"slices"
	"testing"
)

// The side-by-side page's batches are the engine's: whole batches of the
// first peerDigits digits, every epoch a permutation of them, and epochs
// in different orders.
func TestPeerBatches(t *testing.T) {
	order, err := peerBatches()
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != peerSteps {
		t.Fatalf("%d batches, want %d", len(order), peerSteps)
	}
	perEpoch := peerDigits / peerBatch
	var epochs [][]int
	for e := 0; e+perEpoch <= len(order); e += perEpoch {
		var seen []int
		for _, b := range order[e : e+perEpoch] {
			if len(b) != peerBatch {
				t.Fatalf("a batch of %d, want %d", len(b), peerBatch)
			}
			seen = append(seen, b...)
		}
		epochs = append(epochs, slices.Clone(seen))
		slices.Sort(seen)
		for i, d := range seen {
			if d != i {
				t.Fatalf("epoch %d does not take each of the first %d digits once (sorted, index %d is %d)", len(epochs), peerDigits, i, d)
			}
		}
	}
	if len(epochs) < 2 || slices.Equal(epochs[0], epochs[1]) {
		t.Error("the epochs are not shuffled apart")
	}
}
