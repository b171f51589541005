package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestReLUSlicesMatchScalar: ReLU's forward and backward passes over
// slices, as built (several lanes at once where SIMD is built in), give
// the scalar loops' values bit for bit, the activation's D included: a
// NaN, −0 and infinities in x, a NaN and infinities in dy, and a tail.
func TestReLUSlicesMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	x := []float32{nan, float32(math.Copysign(0, -1)), inf, -inf, 0}
	dy := []float32{1, 2, nan, inf, -inf}
	for len(x) < 1027 {
		x = append(x, float32(rng.NormFloat64()))
		dy = append(dy, float32(rng.NormFloat64()))
	}
	same := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b }
	y, want := make([]float32, len(x)), make([]float32, len(x))
	relus(y, x)
	reluScalar(want, x)
	for i := range y {
		if !same(y[i], want[i]) || !same(y[i], ReLU.F(x[i])) {
			t.Fatalf("ReLU(%g) = %g, the scalar loop %g", x[i], y[i], want[i])
		}
	}
	dx := make([]float32, len(x))
	reluGrads(dx, dy, x)
	reluGradScalar(want, dy, x)
	for i := range dx {
		if !same(dx[i], want[i]) || !same(dx[i], dy[i]*ReLU.D(x[i], y[i])) {
			t.Fatalf("at x = %g, dy = %g: dx = %g, the scalar loop %g", x[i], dy[i], dx[i], want[i])
		}
	}
}

// TestLossAndSigmoidMatchScalar: the loss on logits and the sigmoid as
// built (eight lanes at once under AVX2, four under WebAssembly SIMD)
// give the scalar loops' values: the loss's gradient and value to float32
// rounding, σ within 2 ulps, on a length that leaves a tail, over the
// whole range a decoder produces; a NaN logit gives a NaN loss and
// gradient.
func TestLossAndSigmoidMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 16*61 + 5
	z, target := make([]float32, n), make([]float32, n)
	for i := range z {
		z[i] = float32(rng.NormFloat64() * 10)
		if rng.Float64() < 0.5 {
			target[i] = rng.Float32()
		}
	}
	z[0], z[1], z[2] = 0, 120, -120
	grad, want := make([]float32, n), make([]float32, n)
	loss, lossScalar := bceRows(z, target, grad, 0.5), bceScalar(z, target, want, 0.5)
	if math.Abs(loss-lossScalar) > 1e-5*lossScalar {
		t.Fatalf("loss %g, the scalar loop %g", loss, lossScalar)
	}
	for i := range grad {
		if d := math.Abs(float64(grad[i] - want[i])); d > 1e-7 {
			t.Fatalf("gradient[%d] (z = %g) %g, the scalar loop %g", i, z[i], grad[i], want[i])
		}
	}
	if l := bceRows(z, target, nil, 0.5); math.Abs(l-lossScalar) > 1e-5*lossScalar {
		t.Fatalf("the loss alone %g, the scalar loop %g", l, lossScalar)
	}
	sig, sigWant := make([]float32, n), make([]float32, n)
	Sigmoids(sig, z)
	sigmoids(sigWant, z)
	for i := range sig {
		if ulps(sig[i], sigWant[i]) > 2 && math.Abs(float64(sig[i]-sigWant[i])) > 1e-37 {
			t.Fatalf("σ(%g) = %g, the scalar loop %g", z[i], sig[i], sigWant[i])
		}
	}
	z[20] = float32(math.NaN())
	if l := bceRows(z, target, grad, 1); !math.IsNaN(l) || !math.IsNaN(float64(grad[20])) {
		t.Fatalf("a NaN logit gave loss %g and gradient %g, want NaN", l, grad[20])
	}
}
