package analysis

import (
	"cmp"
	"fmt"
	"slices"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

// NeighbourK is how many neighbours vote in the latent maps' class
// accuracy (the figure `latentplay eval` prints as knn5_code_accuracy).
const NeighbourK = 5

// NeighbourAccuracy asks how much codes say about their class: each row
// of codes is given the class most of its k nearest other rows have
// (Euclidean distance, the row itself left out), and the answer is the
// fraction given their own label. Codes that cluster by class score near
// 1; codes that ignore the class score near chance, one over the number
// of classes.
//
// Ties are broken the same way every time: among rows equally far, the
// earlier row is nearer; among classes with as many votes, the one with
// the nearest voter wins.
func NeighbourAccuracy(codes *tensor.Mat, labels []uint8, k int) (float64, error) {
	n := codes.Rows
	if len(labels) != n {
		return 0, fmt.Errorf("analysis: %d codes and %d labels", n, len(labels))
	}
	if k < 1 || k >= n {
		return 0, fmt.Errorf("analysis: %d neighbours among %d codes", k, n)
	}
	d := codes.Cols
	// Sweep along the first coordinate: sorted by it, a row's neighbours
	// are found by walking outwards until the gap in that coordinate alone
	// is farther than the k-th nearest found so far.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	first := func(i int) float64 { return float64(codes.Data[i*d]) }
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(first(a), first(b)) })
	dist := func(a, b int) float64 {
		var s float64
		ra, rb := codes.Row(a), codes.Row(b)
		for j := range ra {
			t := float64(ra[j]) - float64(rb[j])
			s += t * t
		}
		return s
	}
	type near struct {
		d float64
		i int
	}
	closer := func(a, b near) bool { return a.d < b.d || a.d == b.d && a.i < b.i }
	best := make([]near, 0, k)
	// offer keeps best as the k nearest seen, nearest first.
	offer := func(c near) {
		if len(best) == k {
			if !closer(c, best[k-1]) {
				return
			}
			best = best[:k-1]
		}
		at := len(best)
		for at > 0 && closer(c, best[at-1]) {
			at--
		}
		best = slices.Insert(best, at, c)
	}
	var votes [256]int
	right := 0
	for pos, i := range order {
		best = best[:0]
		x := first(i)
		for lo, hi := pos-1, pos+1; lo >= 0 || hi < n; {
			// Walk to whichever side is nearer in the first coordinate.
			var j int
			if hi >= n || lo >= 0 && x-first(order[lo]) <= first(order[hi])-x {
				j, lo = order[lo], lo-1
			} else {
				j, hi = order[hi], hi+1
			}
			gap := first(j) - x
			if len(best) == k && gap*gap > best[k-1].d {
				break // every row left is at least this far in one coordinate
			}
			offer(near{dist(i, j), j})
		}
		for _, b := range best {
			votes[labels[b.i]]++
		}
		top, class := 0, -1
		for _, b := range best { // nearest first: the nearest voter wins a tie
			if v := votes[labels[b.i]]; v > top {
				top, class = v, int(labels[b.i])
			}
		}
		for _, b := range best {
			votes[labels[b.i]] = 0
		}
		if class == int(labels[i]) {
			right++
		}
	}
	return float64(right) / float64(n), nil
}

// CodeNeighbourAccuracy encodes the first n digits of set with m (their
// μ; a conditional model is told their labels, as it is in training) and
// measures NeighbourAccuracy of the codes with k neighbours.
func CodeNeighbourAccuracy(m models.Generative, set *data.Set, n, k int) (float64, error) {
	if n < 2 || n > set.N {
		return 0, fmt.Errorf("analysis: %d digits of a set of %d", n, set.N)
	}
	if !models.Encodes(m) {
		return 0, &models.NoEncoderError{Kind: m.Kind()}
	}
	x, ls := set.First(n)
	var given []uint8
	if models.Conditions(m) > 0 {
		given = ls
	}
	mu := tensor.New(n, m.Latent())
	for lo := 0; lo < n; lo += evalChunk {
		hi := min(lo+evalChunk, n)
		c, _ := m.Codes(tensor.FromSlice(hi-lo, x.Cols, x.Data[lo*x.Cols:hi*x.Cols]), sub(given, lo, hi))
		copy(mu.Data[lo*mu.Cols:], c.Data)
	}
	return NeighbourAccuracy(mu, ls, k)
}

// sub is ls[lo:hi], or nil for no labels.
func sub(ls []uint8, lo, hi int) []uint8 {
	if ls == nil {
		return nil
	}
	return ls[lo:hi]
}
