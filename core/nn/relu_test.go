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
