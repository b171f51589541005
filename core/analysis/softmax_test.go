package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/tensor"
)

// blobs is n points of d features in three Gaussian clusters, the class
// being the cluster, with every feature shifted by offset and stretched by
// stretch.
func blobs(n, d int, seed uint64, offset, stretch float32) (*tensor.Mat, []uint8) {
	rng := rand.New(rand.NewPCG(seed, 9))
	centres := [][]float32{make([]float32, d), make([]float32, d), make([]float32, d)}
	centres[1][0], centres[2][1] = 3, 3
	x, y := tensor.New(n, d), make([]uint8, n)
	for i := range n {
		c := i % 3
		y[i] = uint8(c)
		for j := range d {
			x.Data[i*d+j] = offset + stretch*(centres[c][j]+0.5*float32(rng.NormFloat64()))
		}
	}
	return x, y
}

// On well separated clusters the probe learns the classes, descent lowers
// its objective, and its probabilities are distributions.
func TestSoftmaxLearnsSeparableClasses(t *testing.T) {
	x, y := blobs(150, 4, 1, 0, 1)
	tx, ty := blobs(300, 4, 2, 0, 1)
	s := SoftmaxSettings{Steps: 300, LR: 0.5, Decay: 1e-3}
	few, err := FitSoftmax(x, y, 3, SoftmaxSettings{Steps: 3, LR: s.LR, Decay: s.Decay})
	if err != nil {
		t.Fatal(err)
	}
	m, err := FitSoftmax(x, y, 3, s)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := few.Loss(x, y, s.Decay), m.Loss(x, y, s.Decay); !(b < a/2) {
		t.Errorf("objective %.4f after 3 steps, %.4f after 300", a, b)
	}
	if acc := m.Accuracy(tx, ty); acc < 0.97 {
		t.Errorf("held-out accuracy %.3f on separable clusters", acc)
	}
	for i, p := range m.Probabilities(tx) {
		var sum float64
		for _, v := range p {
			if v < 0 || v > 1 {
				t.Fatalf("row %d: probabilities %v", i, p)
			}
			sum += v
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("row %d: probabilities sum to %v", i, sum)
		}
	}
}

// The gradient FitSoftmax descends is the objective's: one step from
// W = 0 along it lowers the objective by about lr·‖∇J‖², which a step
// along a wrong gradient would not.
func TestSoftmaxStepFollowsTheGradient(t *testing.T) {
	x, y := blobs(60, 3, 3, 0, 1)
	const lr, decay = 1e-3, 0.1
	m0, _ := FitSoftmax(x, y, 3, SoftmaxSettings{Steps: 0, LR: lr, Decay: decay})
	m1, _ := FitSoftmax(x, y, 3, SoftmaxSettings{Steps: 1, LR: lr, Decay: decay})
	// The step taken is −lr·∇J; so ‖∇J‖² = ‖Δ‖²/lr².
	var g2 float64
	for k := range m1.W {
		g2 += math.Pow(m1.W[k]-m0.W[k], 2) / (lr * lr)
	}
	for c := range m1.B {
		g2 += math.Pow(m1.B[c]-m0.B[c], 2) / (lr * lr)
	}
	drop := m0.Loss(x, y, decay) - m1.Loss(x, y, decay)
	if g2 == 0 || math.Abs(drop-lr*g2) > 0.01*lr*g2 {
		t.Errorf("the objective fell %.6g; a gradient step of %g should lower it by %.6g", drop, lr, lr*g2)
	}
}

// Standardising makes the probe blind to each feature's units: shifted
// and stretched features give the same predictions, and a constant
// feature gives no NaN.
func TestSoftmaxIgnoresUnits(t *testing.T) {
	x, y := blobs(90, 3, 4, 0, 1)
	tx, ty := blobs(90, 3, 5, 0, 1)
	bx, _ := blobs(90, 3, 4, 50, 1000)
	btx, _ := blobs(90, 3, 5, 50, 1000)
	a, _ := FitSoftmax(x, y, 3, ProbeSettings)
	b, _ := FitSoftmax(bx, y, 3, ProbeSettings)
	pa, pb := a.Probabilities(tx), b.Probabilities(btx)
	for i := range pa {
		for c := range pa[i] {
			if math.Abs(pa[i][c]-pb[i][c]) > 1e-3 {
				t.Fatalf("row %d: %v in the first units, %v in the second", i, pa[i], pb[i])
			}
		}
	}
	if a.Accuracy(tx, ty) != b.Accuracy(btx, ty) {
		t.Error("the accuracies differ with the units")
	}
	flat := tensor.New(9, 2) // every feature constant
	m, err := FitSoftmax(flat, []uint8{0, 1, 2, 0, 1, 2, 0, 1, 2}, 3, ProbeSettings)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Probabilities(flat) {
		for _, v := range p {
			if math.IsNaN(v) {
				t.Fatal("constant features gave NaN")
			}
		}
	}
}

// Weight decay shrinks the weights.
func TestSoftmaxDecayShrinks(t *testing.T) {
	x, y := blobs(90, 3, 6, 0, 1)
	norm := func(decay float64) float64 {
		m, _ := FitSoftmax(x, y, 3, SoftmaxSettings{Steps: 200, LR: 0.5, Decay: decay})
		var s float64
		for _, w := range m.W {
			s += w * w
		}
		return s
	}
	if a, b := norm(0), norm(0.1); !(b < a/2) {
		t.Errorf("‖W‖² %.3f without decay, %.3f with", a, b)
	}
}

func TestSoftmaxRefuses(t *testing.T) {
	x, y := blobs(9, 2, 7, 0, 1)
	for _, c := range []struct {
		x       *tensor.Mat
		y       []uint8
		classes int
	}{{x, y[:5], 3}, {x, y, 1}, {x, y, 2}, {tensor.New(0, 2), nil, 3}} {
		if _, err := FitSoftmax(c.x, c.y, c.classes, ProbeSettings); err == nil {
			t.Errorf("%d rows, %d labels, %d classes: no error", c.x.Rows, len(c.y), c.classes)
		}
	}
}
