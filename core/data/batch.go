package data

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
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
		s.CopyImage(dst[k*d:(k+1)*d], i)
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
	s.checkIndex(i)
	clear(dst)
	// Destination columns c0..c1-1 take source columns c0-dx..c1-1-dx.
	c0, c1 := max(0, dx), min(s.Cols, s.Cols+dx)
	if c0 >= c1 {
		return
	}
	for r := max(0, dy); r < min(s.Rows, s.Rows+dy); r++ {
		out := dst[r*s.Cols+c0 : r*s.Cols+c1]
		in := i*s.Dim() + (r-dy)*s.Cols + c0 - dx // the source row's first pixel taken
		if s.Bytes != nil {
			scaleBytes(out, s.Bytes[in:in+len(out)])
		} else {
			copy(out, s.Pixels[in:in+len(out)])
		}
	}
}

// First returns the first n images of s (all of them, if s has fewer) as
// the rows of a new matrix, with their labels: the fixed test batch the
// labs and live figures measure on.
func (s *Set) First(n int) (*tensor.Mat, []uint8) {
	n = max(0, min(n, s.N))
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	x, ls, _ := s.Pick(idx)
	return x, ls
}

// Pick returns the images at idx as the rows of a new matrix, with their
// labels; an index outside the set is an error.
func (s *Set) Pick(idx []int) (*tensor.Mat, []uint8, error) {
	for _, i := range idx {
		if i < 0 || i >= s.N {
			return nil, nil, fmt.Errorf("data: image %d of a set of %d", i, s.N)
		}
	}
	x := tensor.New(len(idx), s.Dim())
	ls := make([]uint8, len(idx))
	s.Batch(idx, x.Data, ls)
	return x, ls, nil
}

// Head is the first n images of s (all, if s has fewer), sharing s's
// values.
func (s *Set) Head(n int) *Set {
	n = max(0, min(n, s.N))
	h := &Set{N: n, Rows: s.Rows, Cols: s.Cols, Labels: s.Labels[:n]}
	if s.Bytes != nil {
		h.Bytes = s.Bytes[:n*s.Dim()]
	} else {
		h.Pixels = s.Pixels[:n*s.Dim()]
	}
	return h
}

// Probes are the first n images of s taken a class at a time in turn
// (the first 0, the first 1, …, the second 0, …): a fixed set that shows
// every digit, to watch a model learn.
func (s *Set) Probes(n int) (*tensor.Mat, []uint8) {
	var idx []int
	next := make([]int, Classes) // where each class's next image may be
	for exhausted := 0; len(idx) < n && exhausted < Classes; {
		exhausted = 0
		for c := 0; c < Classes && len(idx) < n; c++ {
			i := next[c]
			for i < s.N && int(s.Labels[i]) != c {
				i++
			}
			next[c] = i + 1
			if i >= s.N {
				exhausted++
				continue
			}
			idx = append(idx, i)
		}
	}
	x, ls, _ := s.Pick(idx)
	return x, ls
}
