package data

import (
	"fmt"
	"math/rand/v2"
)

// Permutation returns a permutation of 0..n-1 from the seeded generator:
// one epoch's visiting order.
func Permutation(n int, rng *rand.Rand) []int {
	return rng.Perm(n)
}

// Batch copies the images idx into dst (len(idx)*Dim) and their labels into
// labels (len(idx)). Both are preallocated by the caller so that the training
// loop does not allocate; labels may be nil when they are not wanted (as for
// an autoencoder).
func (s *Set) Batch(idx []int, dst []float32, labels []uint8) {
	d := s.Dim()
	if len(dst) != len(idx)*d {
		panic(fmt.Sprintf("data: Batch: dst has %d floats, want %d (%d images of %d)", len(dst), len(idx)*d, len(idx), d))
	}
	if labels != nil && len(labels) != len(idx) {
		panic(fmt.Sprintf("data: Batch: labels has %d entries, want %d", len(labels), len(idx)))
	}
	for k, i := range idx {
		copy(dst[k*d:(k+1)*d], s.Image(i))
		if labels != nil {
			labels[k] = s.Labels[i]
		}
	}
}

// Shift writes image i moved by dx pixels right and dy pixels down into dst
// (len Dim), filling the uncovered border with 0 (background). Small shifts
// are a cheap augmentation: a digit moved by a pixel or two is still itself.
func (s *Set) Shift(dst []float32, i, dx, dy int) {
	if len(dst) != s.Dim() {
		panic(fmt.Sprintf("data: Shift: dst has %d floats, want %d", len(dst), s.Dim()))
	}
	src := s.Image(i)
	clear(dst)
	// Destination columns c0..c1-1 take source columns c0-dx..c1-1-dx.
	c0, c1 := max(0, dx), min(s.Cols, s.Cols+dx)
	if c0 >= c1 {
		return
	}
	for r := max(0, dy); r < min(s.Rows, s.Rows+dy); r++ {
		out := dst[r*s.Cols : (r+1)*s.Cols]
		in := src[(r-dy)*s.Cols : (r-dy+1)*s.Cols]
		copy(out[c0:c1], in[c0-dx:c1-dx])
	}
}
