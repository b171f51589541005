package data

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Points is a labelled 2-D point set: point i is (X[2i], X[2i+1]) with class
// Label[i] in 0..Classes-1.
type Points struct {
	X       []float32
	Label   []int
	Classes int
}

// Len is the number of points.
func (p *Points) Len() int { return len(p.Label) }

func (p *Points) add(x, y float64, label int) {
	p.X = append(p.X, float32(x), float32(y))
	p.Label = append(p.Label, label)
}

func newPoints(n, classes int) *Points {
	if n < 0 {
		panic(fmt.Sprintf("data: negative point count %d", n))
	}
	return &Points{X: make([]float32, 0, 2*n), Label: make([]int, 0, n), Classes: classes}
}

// uniform draws from [lo, hi).
func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// The toy sets follow TensorFlow Playground's generators (dataset.ts),
// scaled from its ±5 plane down to ±1. As there, noise is the slider's
// fraction, sensible from 0 to 0.5; for XOR and Circles it perturbs the point
// only when deciding its label (so noise shows up as mislabelled points near
// the boundary), for Spirals it jitters the points themselves.

// XOR scatters n points over the four quadrants of [-1,1]², kept 0.06 off the
// axes, and labels them 1 where x and y share a sign (x·y ≥ 0), else 0: the
// classic problem that no single line separates. The label is taken at the
// point moved by up to ±noise in each coordinate.
func XOR(n int, noise float64, rng *rand.Rand) *Points {
	const pad = 0.06 // the Playground's 0.3 margin on its ±5 scale
	p := newPoints(n, 2)
	offAxis := func() float64 {
		v := uniform(rng, pad, 1)
		if rng.IntN(2) == 0 {
			return -v
		}
		return v
	}
	for range n {
		x, y := offAxis(), offAxis()
		nx, ny := noise*uniform(rng, -1, 1), noise*uniform(rng, -1, 1)
		label := 0
		if (x+nx)*(y+ny) >= 0 {
			label = 1
		}
		p.add(x, y, label)
	}
	return p
}

// Circles puts n/2 points in the disc of radius 0.5 (class 1) and the rest in
// the ring 0.7 ≤ r ≤ 1 (class 0), inner points first. A point's class is
// whether it lies within 0.5 of the centre after a move of up to ±noise in each
// coordinate, so with noise 0 the classes are exactly the disc and the ring.
func Circles(n int, noise float64, rng *rand.Rand) *Points {
	p := newPoints(n, 2)
	gen := func(count int, rMin, rMax float64) {
		for range count {
			r := uniform(rng, rMin, rMax)
			angle := uniform(rng, 0, 2*math.Pi)
			x, y := r*math.Sin(angle), r*math.Cos(angle)
			nx, ny := noise*uniform(rng, -1, 1), noise*uniform(rng, -1, 1)
			label := 0
			if math.Hypot(x+nx, y+ny) < 0.5 {
				label = 1
			}
			p.add(x, y, label)
		}
	}
	gen(n/2, 0, 0.5)
	gen(n-n/2, 0.7, 1)
	return p
}

// Spirals draws two interleaved spirals, each winding 1.75 turns out to
// radius 1: class 1 (n/2 points) and, rotated by half a turn, class 0 (the
// rest), in that order. Each coordinate is jittered by up to ±noise/5, which
// is the Playground's ±noise on its radius-5 spirals.
func Spirals(n int, noise float64, rng *rand.Rand) *Points {
	p := newPoints(n, 2)
	gen := func(count int, deltaT float64, label int) {
		for i := range count {
			frac := float64(i) / float64(count)
			r := frac
			t := 1.75*frac*2*math.Pi + deltaT
			x := r*math.Sin(t) + uniform(rng, -1, 1)*noise/5
			y := r*math.Cos(t) + uniform(rng, -1, 1)*noise/5
			p.add(x, y, label)
		}
	}
	gen(n/2, 0, 1)
	gen(n-n/2, math.Pi, 0)
	return p
}

// Blobs draws n points from classes round Gaussian blobs of standard deviation
// noise, centred evenly on the circle of radius 0.5 (class k at angle
// 2πk/classes). Point i belongs to class i mod classes, so the classes are
// balanced and interleaved.
func Blobs(n, classes int, noise float64, rng *rand.Rand) *Points {
	if classes < 1 {
		panic(fmt.Sprintf("data: Blobs needs at least one class, got %d", classes))
	}
	const radius = 0.5
	p := newPoints(n, classes)
	for i := range n {
		k := i % classes
		angle := 2 * math.Pi * float64(k) / float64(classes)
		x := radius*math.Cos(angle) + noise*rng.NormFloat64()
		y := radius*math.Sin(angle) + noise*rng.NormFloat64()
		p.add(x, y, k)
	}
	return p
}

// Split shuffles the points and holds out round(testFrac·n) of them as a test
// set, so that a model is judged on points it never trained on.
func (p *Points) Split(testFrac float64, rng *rand.Rand) (train, test *Points) {
	if !(testFrac >= 0 && testFrac <= 1) {
		panic(fmt.Sprintf("data: Split fraction %v outside [0,1]", testFrac))
	}
	perm := rng.Perm(p.Len())
	nTest := int(math.Round(testFrac * float64(p.Len())))
	return p.subset(perm[nTest:]), p.subset(perm[:nTest])
}

func (p *Points) subset(idx []int) *Points {
	q := newPoints(len(idx), p.Classes)
	for _, i := range idx {
		q.X = append(q.X, p.X[2*i], p.X[2*i+1])
		q.Label = append(q.Label, p.Label[i])
	}
	return q
}

// Festival is the first example: go to a festival? The inputs are
// x1 = good weather, x2 = a friend comes, x3 = near public transport.

// FestivalInputs returns the 8 rows of the truth table in binary order
// (row r has x1 = r>>2&1, x2 = r>>1&1, x3 = r&1) as float32 triples.
func FestivalInputs() [][3]float32 {
	rows := make([][3]float32, 8)
	for r := range rows {
		rows[r] = [3]float32{float32(r >> 2 & 1), float32(r >> 1 & 1), float32(r & 1)}
	}
	return rows
}

// FestivalWeather is the decision Y = x1 (go iff the weather is good) over
// FestivalInputs: a single neuron with a large weight on x1 learns it.
func FestivalWeather() []float32 {
	rows := FestivalInputs()
	y := make([]float32, len(rows))
	for r, x := range rows {
		y[r] = x[0]
	}
	return y
}
