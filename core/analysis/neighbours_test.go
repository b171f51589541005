package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

// clusters are perClass 2-D codes of each of ten classes, each class in a
// tight blob of its own far from the others, and their labels.
func clusters(perClass int, seed uint64) (*tensor.Mat, []uint8) {
	rng := rand.New(rand.NewPCG(seed, 1))
	n := data.Classes * perClass
	codes, labels := tensor.New(n, 2), make([]uint8, n)
	for i := range n {
		c := i % data.Classes
		a := 2 * math.Pi * float64(c) / data.Classes
		codes.Set(i, 0, float32(10*math.Cos(a)+0.3*rng.NormFloat64()))
		codes.Set(i, 1, float32(10*math.Sin(a)+0.3*rng.NormFloat64()))
		labels[i] = uint8(c)
	}
	return codes, labels
}

// Codes that cluster by class are all given their own class.
func TestNeighbourAccuracyClusters(t *testing.T) {
	codes, labels := clusters(40, 1)
	acc, err := NeighbourAccuracy(codes, labels, NeighbourK)
	if err != nil {
		t.Fatal(err)
	}
	if acc != 1 {
		t.Fatalf("accuracy %v on separated clusters, want 1", acc)
	}
}

// Shuffled labels say nothing the codes know: the accuracy falls to
// chance, one in ten.
func TestNeighbourAccuracyShuffledIsChance(t *testing.T) {
	codes, labels := clusters(300, 2)
	rng := rand.New(rand.NewPCG(3, 3))
	rng.Shuffle(len(labels), func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	acc, err := NeighbourAccuracy(codes, labels, NeighbourK)
	if err != nil {
		t.Fatal(err)
	}
	// 3,000 codes: chance's standard error is about 0.006.
	if math.Abs(acc-0.1) > 0.03 {
		t.Fatalf("accuracy %v with shuffled labels, want about 0.1", acc)
	}
}

// bruteNeighbours is NeighbourAccuracy without the sweep: every pair
// measured, with the same tie-breaking.
func bruteNeighbours(codes *tensor.Mat, labels []uint8, k int) float64 {
	n := codes.Rows
	right := 0
	for i := range n {
		type near struct {
			d float64
			j int
		}
		var all []near
		for j := range n {
			if j == i {
				continue
			}
			var s float64
			for c := range codes.Cols {
				t := float64(codes.At(i, c)) - float64(codes.At(j, c))
				s += t * t
			}
			all = append(all, near{s, j})
		}
		slices.SortFunc(all, func(a, b near) int {
			if a.d != b.d {
				if a.d < b.d {
					return -1
				}
				return 1
			}
			return a.j - b.j
		})
		votes := map[uint8]int{}
		for _, b := range all[:k] {
			votes[labels[b.j]]++
		}
		top, class := 0, -1
		for _, b := range all[:k] {
			if v := votes[labels[b.j]]; v > top {
				top, class = v, int(labels[b.j])
			}
		}
		if class == int(labels[i]) {
			right++
		}
	}
	return float64(right) / float64(n)
}

// The sweep finds exactly the neighbours every pair would: on noisy
// overlapping classes, in 2 and in 5 dimensions, with codes on a coarse
// grid so that distances tie, and for several k.
func TestNeighbourAccuracyMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, dim := range []int{2, 5} {
		for _, k := range []int{1, 4, 5, 9} {
			n := 300
			codes, labels := tensor.New(n, dim), make([]uint8, n)
			for i := range n {
				labels[i] = uint8(rng.IntN(data.Classes))
				for c := range dim {
					v := float64(labels[i]%3) + 1.5*rng.NormFloat64()
					codes.Set(i, c, float32(math.Round(4*v)/4))
				}
			}
			got, err := NeighbourAccuracy(codes, labels, k)
			if err != nil {
				t.Fatal(err)
			}
			if want := bruteNeighbours(codes, labels, k); got != want {
				t.Errorf("%d-D, k = %d: %v, every pair gives %v", dim, k, got, want)
			}
		}
	}
}

func TestNeighbourAccuracyRefuses(t *testing.T) {
	codes, labels := clusters(1, 1)
	for _, c := range []struct {
		labels []uint8
		k      int
	}{{labels[:5], 3}, {labels, 0}, {labels, 10}} {
		if _, err := NeighbourAccuracy(codes, c.labels, c.k); err == nil {
			t.Errorf("%d labels, k = %d: no error", len(c.labels), c.k)
		}
	}
}

// The codes come from the model a chunk at a time, a conditional model
// told each digit's label: the same codes as one batch of all of them.
func TestCodeNeighbourAccuracyEncodesInChunks(t *testing.T) {
	s := set(evalChunk + 61)
	for _, classes := range []int{0, 3} {
		v, err := models.NewVAE(models.VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2, Classes: classes}, rand.New(rand.NewPCG(6, 6)))
		if err != nil {
			t.Fatal(err)
		}
		n := s.N - 20
		got, err := CodeNeighbourAccuracy(v, s, n, NeighbourK)
		if err != nil {
			t.Fatal(err)
		}
		x, ls := s.First(n)
		var given []uint8
		if classes > 0 {
			given = ls
		}
		mu, _ := v.Codes(x, given)
		want, _ := NeighbourAccuracy(mu, ls, NeighbourK)
		if got != want {
			t.Errorf("%d classes: %v, one batch gives %v", classes, got, want)
		}
	}
	if _, err := CodeNeighbourAccuracy(nil, s, s.N+1, NeighbourK); err == nil {
		t.Error("more digits than the set holds gave no error")
	}
}
