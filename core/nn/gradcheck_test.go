package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/nn/gradcheck"
	"latentplay/core/tensor"
)

const (
	fdStep = 1e-2 // float32 forward passes: a larger step keeps rounding below truncation error
	fdTol  = 2e-3
)

func randMat(rng *rand.Rand, r, c int, scale float64) *tensor.Mat {
	m := tensor.New(r, c)
	for i := range m.Data {
		m.Data[i] = float32(rng.NormFloat64() * scale)
	}
	return m
}

// checkLayer gradient-checks a layer on L = Σ R ⊙ layer(x) for a fixed
// random R, with respect to its parameters and to its input x. before runs
// ahead of every forward pass (to reseed a stochastic layer).
func checkLayer(t *testing.T, l Layer, x *tensor.Mat, rng *rand.Rand, before func()) {
	t.Helper()
	if before == nil {
		before = func() {}
	}
	before()
	y := l.Forward(x)
	r := randMat(rng, y.Rows, y.Cols, 1)
	input := &Param{Name: "x", Value: x, Grad: tensor.New(x.Rows, x.Cols)}
	loss := func() float64 {
		before()
		y := l.Forward(x)
		var s float64
		for i, v := range y.Data {
			s += float64(v) * float64(r.Data[i])
		}
		return s
	}
	grads := func() {
		ZeroGrads(l.Params())
		before()
		l.Forward(x)
		dx := l.Backward(r.Clone())
		input.Grad.CopyFrom(dx)
	}
	ps := append(l.Params(), input)
	if worst, name, i := gradcheck.Check(checked(ps), loss, grads, fdStep); worst > fdTol {
		t.Errorf("gradient of %s[%d] off by %.3g (relative)", name, i, worst)
	}
}

func TestDenseGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	d := NewDense("d", 5, 4, Xavier, rng)
	randomise(d.B.Value, rng)
	checkLayer(t, d, randMat(rng, 3, 5, 1), rng, nil)
}

func TestLinearGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 7))
	l := NewLinear("l", 4, 3, Xavier, rng)
	if len(l.Params()) != 1 {
		t.Fatalf("a linear layer has %d params, want W alone", len(l.Params()))
	}
	checkLayer(t, l, randMat(rng, 2, 4, 1), rng, nil)
}

func TestActivationGradients(t *testing.T) {
	for _, a := range append(Activations, LeakyReLU(0.2)) {
		t.Run(a.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(2, 2))
			x := randMat(rng, 4, 6, 1)
			// Keep inputs away from kinks (0 for step, ReLU) where f′ jumps.
			for i, v := range x.Data {
				if v > -0.1 && v < 0.1 {
					x.Data[i] = 0.5
				}
			}
			checkLayer(t, NewAct(a), x, rng, nil)
		})
	}
}

func TestMaxoutGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	m := NewMaxout("m", 4, 3, 3, Xavier, rng)
	checkLayer(t, m, randMat(rng, 5, 4, 1), rng, nil)
}

func TestDropoutGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	d := NewDropout(0.3, nil)
	d.SetTraining(true)
	reseed := func() { d.rng = rand.New(rand.NewPCG(9, 9)) } // same mask every pass
	checkLayer(t, d, randMat(rng, 4, 5, 1), rng, reseed)
}

func TestNetworkGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := NewMLP("mlp", []int{4, 6, 5, 3}, Tanh, rng)
	n.Layers = append(n.Layers, NewMaxout("mo", 3, 2, 2, Xavier, rng))
	checkLayer(t, n, randMat(rng, 3, 4, 1), rng, nil)
}

// TestBackwardParamsMatchesBackward: skipping the first layer's ∂L/∂x
// leaves every parameter's gradient as it was.
func TestBackwardParamsMatchesBackward(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	net := NewMLP("n", []int{6, 5, 4, 3}, Tanh, rng)
	x, dy := tensor.New(7, 6), tensor.New(7, 3)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	for i := range dy.Data {
		dy.Data[i] = float32(rng.NormFloat64())
	}
	grads := func(backward func()) [][]float32 {
		ZeroGrads(net.Params())
		net.Forward(x)
		backward()
		var g [][]float32
		for _, p := range net.Params() {
			g = append(g, slices.Clone(p.Grad.Data))
		}
		return g
	}
	full := grads(func() { net.Backward(dy) })
	params := grads(func() { net.BackwardParams(dy) })
	for i := range full {
		if !slices.Equal(full[i], params[i]) {
			t.Fatalf("parameter %s: gradients differ", net.Params()[i].Name)
		}
	}
}

func TestLossGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	for _, l := range Losses {
		t.Run(l.Name, func(t *testing.T) {
			pred := randMat(rng, 4, 5, 2)
			target := tensor.New(4, 5)
			for i := range target.Data {
				target.Data[i] = rng.Float32() // BCE takes intensities in [0,1]
			}
			if l.Name == SoftmaxCrossEntropy.Name {
				target.Zero()
				for i := 0; i < target.Rows; i++ {
					target.Set(i, rng.IntN(5), 1)
				}
			}
			p := &Param{Name: "pred", Value: pred, Grad: tensor.New(4, 5)}
			loss := func() float64 { return l.Eval(pred, target, nil) }
			grads := func() { l.Eval(pred, target, p.Grad) }
			if worst, _, i := gradcheck.Check(checked([]*Param{p}), loss, grads, fdStep); worst > fdTol {
				t.Errorf("gradient[%d] off by %.3g", i, worst)
			}
		})
	}
}

func TestBCEWithLogitsStableAtExtremes(t *testing.T) {
	pred := tensor.FromSlice(1, 4, []float32{-1000, 1000, -1000, 1000})
	target := tensor.FromSlice(1, 4, []float32{0, 1, 1, 0})
	grad := tensor.New(1, 4)
	got := BCEWithLogits.Eval(pred, target, grad)
	// Right answers cost nothing; each confident wrong one costs |z| = 1000 nats.
	if got != 2000 {
		t.Fatalf("loss = %v, want 2000", got)
	}
	want := []float32{0, 0, -1, 1}
	for i, g := range grad.Data {
		if g != want[i] {
			t.Fatalf("grad = %v, want %v", grad.Data, want)
		}
	}
}

// TestBCEWithLogitsAgainstFloat64 holds the float32 kernels to the loss
// and gradient computed in float64 with the math package.
func TestBCEWithLogitsAgainstFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const rows, cols = 64, 784
	pred, target, grad := tensor.New(rows, cols), tensor.New(rows, cols), tensor.New(rows, cols)
	for i := range pred.Data {
		pred.Data[i] = float32(rng.NormFloat64() * 8)
		if rng.Float64() < 0.3 {
			target.Data[i] = rng.Float32()
		}
	}
	got := BCEWithLogits.Eval(pred, target, grad)
	var want float64
	for i, z32 := range pred.Data {
		z, y := float64(z32), float64(target.Data[i])
		want += math.Max(z, 0) - z*y + math.Log1p(math.Exp(-math.Abs(z)))
		sigma := 1 / (1 + math.Exp(-z))
		g := (sigma - y) / rows
		// σ − t cancels: hold the error to float32 rounding of its terms.
		if d := math.Abs(float64(grad.Data[i]) - g); d > 3e-7*(sigma+y)/rows {
			t.Fatalf("grad[%d] = %g, want %g", i, grad.Data[i], g)
		}
	}
	want /= rows
	if math.Abs(got-want) > 1e-7*want {
		t.Fatalf("loss = %.9g, want %.9g", got, want)
	}
}

func TestSoftmaxCrossEntropyOfUniformLogits(t *testing.T) {
	pred := tensor.New(2, 10) // all logits equal: p = 1/10 for every class
	target := tensor.New(2, 10)
	target.Set(0, 3, 1)
	target.Set(1, 7, 1)
	if got, want := SoftmaxCrossEntropy.Eval(pred, target, nil), 2.302585; got < want-1e-5 || got > want+1e-5 {
		t.Fatalf("loss = %v, want ln 10 = %v", got, want)
	}
}

func randomise(m *tensor.Mat, rng *rand.Rand) {
	for i := range m.Data {
		m.Data[i] = float32(rng.NormFloat64())
	}
}

// checked views parameters the way gradcheck sees them.
func checked(ps []*Param) []gradcheck.Param {
	out := make([]gradcheck.Param, len(ps))
	for i, p := range ps {
		out[i] = gradcheck.Param{Name: p.Name, Value: p.Value.Data, Grad: p.Grad.Data}
	}
	return out
}
