package data_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"latentplay/core/data"
)

// counting returns n images of 3x3 whose pixel j of image i is 10*i + j
// (not in [0,1], but easy to read), labelled i mod 10.
func counting(n int) *data.Set {
	s := &data.Set{N: n, Rows: 3, Cols: 3, Pixels: make([]float32, n*9), Labels: make([]uint8, n)}
	for i := range n {
		for j := range 9 {
			s.Pixels[i*9+j] = float32(10*i + j)
		}
		s.Labels[i] = uint8(i % 10)
	}
	return s
}

func TestImageAndSubset(t *testing.T) {
	s := counting(4)
	img := s.Image(2)
	if want := []float32{20, 21, 22, 23, 24, 25, 26, 27, 28}; !slices.Equal(img, want) {
		t.Errorf("Image(2) = %v, want %v", img, want)
	}
	if cap(img) != 9 {
		t.Errorf("cap(Image(2)) = %d, want 9 so appends cannot clobber image 3", cap(img))
	}

	sub := s.Subset([]int{3, 1, 3})
	if sub.N != 3 || sub.Rows != 3 || sub.Cols != 3 || !slices.Equal(sub.Labels, []uint8{3, 1, 3}) {
		t.Fatalf("Subset = N %d %dx%d labels %v", sub.N, sub.Rows, sub.Cols, sub.Labels)
	}
	if !slices.Equal(sub.Image(1), s.Image(1)) || !slices.Equal(sub.Image(2), s.Image(3)) {
		t.Errorf("Subset images do not match the originals")
	}
	sub.Pixels[0] = -1
	if s.Pixels[27] == -1 {
		t.Error("Subset shares pixels with the original, want a copy")
	}
}

func TestBatch(t *testing.T) {
	s := counting(5)
	idx := []int{4, 0}
	dst := make([]float32, len(idx)*s.Dim())
	labels := make([]uint8, len(idx))
	s.Batch(idx, dst, labels)
	if !slices.Equal(dst[:9], s.Image(4)) || !slices.Equal(dst[9:], s.Image(0)) || !slices.Equal(labels, []uint8{4, 0}) {
		t.Errorf("Batch = %v %v", dst, labels)
	}
	s.Batch([]int{1, 2}, dst, nil) // labels not wanted
	if dst[0] != 10 || dst[9] != 20 {
		t.Errorf("Batch without labels = %v", dst)
	}
	if allocs := testing.AllocsPerRun(100, func() { s.Batch(idx, dst, labels) }); allocs != 0 {
		t.Errorf("Batch allocates %v times per call, want 0", allocs)
	}
}

func TestSetPanics(t *testing.T) {
	s := counting(2)
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"short dst", func() { s.Batch([]int{0, 1}, make([]float32, 9), nil) }, "data: Batch: dst has 9 floats, want 18"},
		{"short labels", func() { s.Batch([]int{0, 1}, make([]float32, 18), make([]uint8, 1)) }, "data: Batch: labels has 1 entries, want 2"},
		{"index out of range", func() { s.Image(2) }, "data: image index 2 out of range [0,2)"},
		{"negative index", func() { s.Batch([]int{-1}, make([]float32, 9), nil) }, "data: image index -1 out of range"},
		{"shift dst", func() { s.Shift(make([]float32, 4), 0, 1, 1) }, "data: Shift: dst has 4 floats, want 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, tc.want) {
					t.Errorf("panic %q, want one starting %q", msg, tc.want)
				}
			}()
			tc.f()
		})
	}
}

func TestShift(t *testing.T) {
	// Image 0 of counting is
	//	0 1 2
	//	3 4 5
	//	6 7 8
	s := counting(1)
	for _, tc := range []struct {
		dx, dy int
		want   []float32
	}{
		{0, 0, []float32{0, 1, 2, 3, 4, 5, 6, 7, 8}},
		{1, 0, []float32{0, 0, 1, 0, 3, 4, 0, 6, 7}},
		{-1, 0, []float32{1, 2, 0, 4, 5, 0, 7, 8, 0}},
		{0, 1, []float32{0, 0, 0, 0, 1, 2, 3, 4, 5}},
		{0, -2, []float32{6, 7, 8, 0, 0, 0, 0, 0, 0}},
		{1, 1, []float32{0, 0, 0, 0, 0, 1, 0, 3, 4}},
		{-1, -1, []float32{4, 5, 0, 7, 8, 0, 0, 0, 0}},
		{3, 0, make([]float32, 9)},
		{0, -5, make([]float32, 9)},
	} {
		dst := slices.Repeat([]float32{-1}, 9) // stale values must be overwritten
		s.Shift(dst, 0, tc.dx, tc.dy)
		if !slices.Equal(dst, tc.want) {
			t.Errorf("Shift(%d, %d) = %v, want %v", tc.dx, tc.dy, dst, tc.want)
		}
	}
}

func TestPermutation(t *testing.T) {
	a := data.Permutation(100, rand.New(rand.NewPCG(1, 2)))
	b := data.Permutation(100, rand.New(rand.NewPCG(1, 2)))
	c := data.Permutation(100, rand.New(rand.NewPCG(3, 4)))
	if !slices.Equal(a, b) {
		t.Error("same seed gave different permutations")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same permutation")
	}
	sorted := slices.Sorted(slices.Values(a))
	for i, v := range sorted {
		if v != i {
			t.Fatalf("Permutation(100) is not a permutation of 0..99: %v", a)
		}
	}
	if len(data.Permutation(0, rand.New(rand.NewPCG(1, 2)))) != 0 {
		t.Error("Permutation(0) is not empty")
	}
}

func TestMean(t *testing.T) {
	s := &data.Set{N: 2, Rows: 1, Cols: 3, Pixels: []float32{0, 1, 0.5, 1, 0, 0.5}}
	got := s.Mean()
	for j, want := range []float32{0.5, 0.5, 0.5} {
		if got[j] != want {
			t.Fatalf("Mean = %v, want all 0.5", got)
		}
	}
}

// First, Pick and Head give the images and labels they name; Pick refuses
// an index outside the set.
func TestFirstPickHead(t *testing.T) {
	s := counting(12)
	x, ls := s.First(3)
	if x.Rows != 3 || x.Cols != 9 || x.Data[2*9+4] != 24 || !slices.Equal(ls, []uint8{0, 1, 2}) {
		t.Fatalf("First(3): %d×%d, image 2 pixel 4 = %v, labels %v", x.Rows, x.Cols, x.Data[2*9+4], ls)
	}
	if x, _ := s.First(100); x.Rows != 12 {
		t.Fatalf("First(100) of 12 gave %d", x.Rows)
	}
	x, ls, err := s.Pick([]int{11, 0})
	if err != nil || x.Data[0] != 110 || x.Data[9] != 0 || !slices.Equal(ls, []uint8{1, 0}) {
		t.Fatalf("Pick(11, 0): %v, %v, %v", x.Data[:10], ls, err)
	}
	for _, bad := range [][]int{{12}, {-1}} {
		if _, _, err := s.Pick(bad); err == nil {
			t.Errorf("Pick(%v) of 12 images: no error", bad)
		}
	}
	h := s.Head(5)
	if h.N != 5 || len(h.Pixels) != 45 || len(h.Labels) != 5 || &h.Pixels[0] != &s.Pixels[0] {
		t.Fatalf("Head(5): %d images, %d pixels, sharing %v", h.N, len(h.Pixels), &h.Pixels[0] == &s.Pixels[0])
	}
	if s.Head(50).N != 12 {
		t.Error("Head past the end")
	}
}

// Probes take each class in turn, the earliest image of it not yet taken,
// and stop at what the set has.
func TestProbes(t *testing.T) {
	s := counting(25) // labels 0..9, 0..9, 0..4
	_, ls := s.Probes(13)
	if want := []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2}; !slices.Equal(ls, want) {
		t.Fatalf("labels %v, want %v", ls, want)
	}
	x, _ := s.Probes(13)
	if x.Data[10*9] != 100 { // the second 0 is image 10
		t.Fatalf("probe 10 starts %v, want image 10", x.Data[10*9])
	}
	if x, _ := s.Probes(40); x.Rows != 25 {
		t.Fatalf("40 probes of 25 images gave %d", x.Rows)
	}
}

// A set holding bytes gives what the same set holding byte/255 as floats
// gives, in every way of reading it.
func TestByteSetReadsAsFloats(t *testing.T) {
	const n, side = 7, 5
	b := &data.Set{N: n, Rows: side, Cols: side, Bytes: make([]uint8, n*side*side), Labels: make([]uint8, n)}
	f := &data.Set{N: n, Rows: side, Cols: side, Pixels: make([]float32, n*side*side), Labels: b.Labels}
	for i := range b.Bytes {
		b.Bytes[i] = uint8(i * 37 % 256)
		f.Pixels[i] = float32(b.Bytes[i]) / 255
	}
	for i := range b.Labels {
		b.Labels[i] = uint8(i % 10)
	}
	for i := range n {
		if !slices.Equal(b.Image(i), f.Image(i)) {
			t.Fatalf("image %d: %v, want %v", i, b.Image(i), f.Image(i))
		}
	}
	seen := 0
	b.EachImage(func(i int, img []float32) {
		if i != seen || !slices.Equal(img, f.Image(i)) {
			t.Fatalf("EachImage's image %d (the %dth call): %v, want %v", i, seen, img, f.Image(i))
		}
		seen++
	})
	if seen != n {
		t.Fatalf("EachImage visited %d images of %d", seen, n)
	}
	idx := []int{6, 0, 3}
	bx, fx := make([]float32, len(idx)*side*side), make([]float32, len(idx)*side*side)
	b.Batch(idx, bx, nil)
	f.Batch(idx, fx, nil)
	if !slices.Equal(bx, fx) {
		t.Fatal("Batch differs")
	}
	for _, d := range [][2]int{{0, 0}, {2, -1}, {-3, 2}, {6, 0}} {
		bs, fs := make([]float32, side*side), make([]float32, side*side)
		b.Shift(bs, 4, d[0], d[1])
		f.Shift(fs, 4, d[0], d[1])
		if !slices.Equal(bs, fs) {
			t.Fatalf("Shift by %v: %v, want %v", d, bs, fs)
		}
	}
	if !slices.Equal(b.Mean(), f.Mean()) {
		t.Fatal("Mean differs")
	}
	if h := b.Head(3); h.N != 3 || len(h.Bytes) != 3*side*side || h.Pixels != nil || &h.Bytes[0] != &b.Bytes[0] {
		t.Fatalf("Head(3) of a byte set: %d images, %d bytes, %d floats", h.N, len(h.Bytes), len(h.Pixels))
	}
	if sub := b.Subset(idx); !slices.Equal(sub.Pixels, fx) {
		t.Fatal("Subset differs")
	}
}
