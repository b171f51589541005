//go:build amd64 && goexperiment.simd

package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLanes8AgainstScalar holds the eight-lane loss, sigmoid and ReLU to
// the scalar loops on a length that leaves a tail, with logits and targets
// over the whole range a decoder produces.
func TestLanes8AgainstScalar(t *testing.T) {
	if !hasAVX2 {
		t.Skip("this CPU has no AVX2: the scalar loops run")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 8*97 + 5
	z, target := make([]float32, n), make([]float32, n)
	for i := range z {
		z[i] = float32(rng.NormFloat64() * 10)
		if rng.Float64() < 0.5 {
			target[i] = rng.Float32()
		}
	}
	z[0], z[1], z[2] = 0, 120, -120
	grad, gradScalar := make([]float32, n), make([]float32, n)
	loss, lossScalar := bceRows(z, target, grad, 0.5), bceScalar(z, target, gradScalar, 0.5)
	if math.Abs(loss-lossScalar) > 1e-5*lossScalar {
		t.Fatalf("loss %g on eight lanes, %g scalar", loss, lossScalar)
	}
	for i := range grad {
		if d := math.Abs(float64(grad[i] - gradScalar[i])); d > 1e-7 {
			t.Fatalf("gradient[%d] (z = %g) %g on eight lanes, %g scalar", i, z[i], grad[i], gradScalar[i])
		}
	}
	sig, sigScalar := make([]float32, n), make([]float32, n)
	Sigmoids(sig, z)
	sigmoids(sigScalar, z)
	for i := range sig {
		if ulps(sig[i], sigScalar[i]) > 2 && math.Abs(float64(sig[i]-sigScalar[i])) > 1e-37 {
			t.Fatalf("σ(%g) = %g on eight lanes, %g scalar", z[i], sig[i], sigScalar[i])
		}
	}
	nan := float32(math.NaN())
	x := append([]float32{nan, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1))}, z...)
	relu, reluWant := make([]float32, len(x)), make([]float32, len(x))
	relus(relu, x)
	reluScalar(reluWant, x)
	for i := range relu {
		if math.Float32bits(relu[i]) != math.Float32bits(reluWant[i]) {
			t.Fatalf("ReLU(%g) = %g on eight lanes, %g scalar", x[i], relu[i], reluWant[i])
		}
	}
	if l := bceRows([]float32{nan, 0, 0, 0, 0, 0, 0, 0}, make([]float32, 8), grad[:8], 1); !math.IsNaN(l) || !math.IsNaN(float64(grad[0])) {
		t.Fatalf("a NaN logit gave loss %g and gradient %g, want NaN", l, grad[0])
	}
}
