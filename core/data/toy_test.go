package data_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/data"
)

func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// generators lists the toy sets with a fixed size, noise and class count.
var generators = []struct {
	name    string
	classes int
	gen     func(n int, noise float64, r *rand.Rand) *data.Points
}{
	{"XOR", 2, data.XOR},
	{"Circles", 2, data.Circles},
	{"Spirals", 2, data.Spirals},
	{"Blobs3", 3, func(n int, noise float64, r *rand.Rand) *data.Points { return data.Blobs(n, 3, noise, r) }},
}

func TestToySeeds(t *testing.T) {
	for _, g := range generators {
		t.Run(g.name, func(t *testing.T) {
			a, b, c := g.gen(200, 0.1, rng(1)), g.gen(200, 0.1, rng(1)), g.gen(200, 0.1, rng(2))
			if len(a.X) != 400 || len(a.Label) != 200 || a.Len() != 200 || a.Classes != g.classes {
				t.Fatalf("got %d coordinates, %d labels, %d classes; want 400, 200, %d", len(a.X), len(a.Label), a.Classes, g.classes)
			}
			if !slices.Equal(a.X, b.X) || !slices.Equal(a.Label, b.Label) {
				t.Error("same seed gave different points")
			}
			if slices.Equal(a.X, c.X) {
				t.Error("different seeds gave the same points")
			}
			for i, l := range a.Label {
				if l < 0 || l >= a.Classes {
					t.Fatalf("point %d has label %d, want 0..%d", i, l, a.Classes-1)
				}
			}
		})
	}
}

func TestToyRanges(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     *data.Points
		limit float64 // every |coordinate| ≤ limit
	}{
		{"XOR", data.XOR(1000, 0.5, rng(3)), 1},
		{"Circles", data.Circles(1000, 0.5, rng(3)), 1},
		{"Spirals", data.Spirals(1000, 0.5, rng(3)), 1 + 0.5/5},
		{"Blobs", data.Blobs(1000, 4, 0.1, rng(3)), 0.5 + 6*0.1},
	} {
		for i, v := range tc.p.X {
			if math.Abs(float64(v)) > tc.limit || math.IsNaN(float64(v)) {
				t.Errorf("%s: coordinate %d = %v, want within ±%v", tc.name, i, v, tc.limit)
				break
			}
		}
	}
}

func counts(p *data.Points) []int {
	c := make([]int, p.Classes)
	for _, l := range p.Label {
		c[l]++
	}
	return c
}

func TestToyBalance(t *testing.T) {
	for _, tc := range []struct {
		name   string
		p      *data.Points
		lo, hi int // each class count within [lo, hi]
	}{
		{"XOR", data.XOR(1000, 0, rng(4)), 450, 550},
		{"XOR noisy", data.XOR(1000, 0.3, rng(4)), 420, 580},
		{"Circles", data.Circles(1000, 0, rng(4)), 500, 500},
		{"Circles odd", data.Circles(7, 0, rng(4)), 3, 4},
		{"Spirals", data.Spirals(1000, 0.5, rng(4)), 500, 500},
		{"Blobs", data.Blobs(1000, 4, 0.1, rng(4)), 250, 250},
		{"Blobs uneven", data.Blobs(10, 3, 0.1, rng(4)), 3, 4},
	} {
		for k, c := range counts(tc.p) {
			if c < tc.lo || c > tc.hi {
				t.Errorf("%s: class %d has %d points, want %d..%d (counts %v)", tc.name, k, c, tc.lo, tc.hi, counts(tc.p))
			}
		}
	}
}

func TestXORSignRule(t *testing.T) {
	p := data.XOR(1000, 0, rng(5))
	for i, l := range p.Label {
		x, y := p.X[2*i], p.X[2*i+1]
		if math.Abs(float64(x)) < 0.06 || math.Abs(float64(y)) < 0.06 {
			t.Errorf("point %d = (%v, %v) lies within 0.06 of an axis", i, x, y)
		}
		if want := x*y > 0; (l == 1) != want {
			t.Errorf("point %d = (%v, %v) has label %d, want 1 iff x·y > 0", i, x, y, l)
		}
	}
	// With noise, some labels near the axes flip, but most still follow the rule.
	q := data.XOR(1000, 0.3, rng(5))
	flipped := 0
	for i, l := range q.Label {
		if (l == 1) != (q.X[2*i]*q.X[2*i+1] > 0) {
			flipped++
		}
	}
	if flipped == 0 || flipped > 300 {
		t.Errorf("noise 0.3 flipped %d of 1000 XOR labels, want some but not most", flipped)
	}
}

func TestCirclesRadii(t *testing.T) {
	p := data.Circles(1000, 0, rng(6))
	for i, l := range p.Label {
		r := math.Hypot(float64(p.X[2*i]), float64(p.X[2*i+1]))
		if inner := r <= 0.5; (l == 1) != inner || (!inner && r < 0.7-1e-6) {
			t.Errorf("point %d at radius %v has label %d, want 1 in the disc r ≤ 0.5, 0 in the ring 0.7 ≤ r ≤ 1", i, r, l)
		}
	}
}

func TestSpiralsInterleave(t *testing.T) {
	// Without noise the class-0 spiral is the class-1 spiral turned by π:
	// point i of one is minus point i of the other.
	p := data.Spirals(200, 0, rng(7))
	for i := range 100 {
		if p.Label[i] != 1 || p.Label[100+i] != 0 {
			t.Fatalf("labels %d, %d at %d and %d, want 1 then 0", p.Label[i], p.Label[100+i], i, 100+i)
		}
		for c := range 2 {
			a, b := p.X[2*i+c], p.X[2*(100+i)+c]
			if math.Abs(float64(a+b)) > 1e-6 {
				t.Errorf("point %d coordinate %d: %v vs %v, want opposite", i, c, a, b)
			}
		}
	}
}

func TestSplit(t *testing.T) {
	// Tag each point by its index so the split can be traced back.
	const n = 101
	p := &data.Points{Classes: 2}
	for i := range n {
		p.X = append(p.X, float32(i), float32(-i))
		p.Label = append(p.Label, i%2)
	}
	for _, tc := range []struct {
		frac          float64
		nTrain, nTest int
	}{
		{0.2, 81, 20},
		{0, 101, 0},
		{1, 0, 101},
		{0.5, 50, 51},
	} {
		train, test := p.Split(tc.frac, rng(8))
		if train.Len() != tc.nTrain || test.Len() != tc.nTest || train.Classes != 2 || test.Classes != 2 {
			t.Errorf("Split(%v) sizes %d+%d, want %d+%d", tc.frac, train.Len(), test.Len(), tc.nTrain, tc.nTest)
			continue
		}
		seen := make([]int, n)
		for _, q := range []*data.Points{train, test} {
			for j, l := range q.Label {
				i := int(q.X[2*j])
				if q.X[2*j+1] != float32(-i) || l != i%2 {
					t.Errorf("Split(%v) scrambled point %d", tc.frac, i)
				}
				seen[i]++
			}
		}
		for i, c := range seen {
			if c != 1 {
				t.Errorf("Split(%v): point %d appears %d times, want once", tc.frac, i, c)
			}
		}
	}
	a, _ := p.Split(0.2, rng(9))
	b, _ := p.Split(0.2, rng(9))
	if !slices.Equal(a.X, b.X) {
		t.Error("Split with the same seed differs")
	}
}

func TestFestival(t *testing.T) {
	x, y := data.FestivalInputs(), data.FestivalWeather()
	if len(x) != 8 || len(y) != 8 {
		t.Fatalf("got %d rows and %d outputs, want 8", len(x), len(y))
	}
	seen := map[[3]float32]bool{}
	for r, row := range x {
		want := [3]float32{float32(r >> 2 & 1), float32(r >> 1 & 1), float32(r & 1)}
		if row != want {
			t.Errorf("row %d = %v, want %v", r, row, want)
		}
		seen[row] = true
		if y[r] != row[0] {
			t.Errorf("row %d: Y = %v, want x1 = %v", r, y[r], row[0])
		}
	}
	if len(seen) != 8 {
		t.Errorf("only %d distinct rows", len(seen))
	}
}

func TestToyPanics(t *testing.T) {
	p := data.XOR(10, 0, rng(1))
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"split fraction", func() { p.Split(1.5, rng(1)) }, "data: Split fraction 1.5 outside [0,1]"},
		{"split NaN", func() { p.Split(math.NaN(), rng(1)) }, "data: Split fraction NaN outside [0,1]"},
		{"no classes", func() { data.Blobs(10, 0, 0.1, rng(1)) }, "data: Blobs needs at least one class, got 0"},
		{"negative n", func() { data.Spirals(-1, 0, rng(1)) }, "data: negative point count -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); msg != tc.want {
					t.Errorf("panic %q, want %q", msg, tc.want)
				}
			}()
			tc.f()
		})
	}
}
