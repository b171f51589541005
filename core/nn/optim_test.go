package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/tensor"
)

// The optimisers are checked on one scalar θ = 1 fed the gradients
// 0.5, −1, 2, against steps worked by hand from each method's definition.
// A gradient check cannot catch a wrong update rule: ConvNetJS's Adam
// multiplied by its bias corrections for years and still trained.
var handGradients = []float32{0.5, -1, 2}

func runScalar(o Optimizer) []float64 {
	p := &Param{Name: "θ.W", Value: tensor.FromSlice(1, 1, []float32{1}), Grad: tensor.New(1, 1)}
	var out []float64
	for _, g := range handGradients {
		p.Grad.Data[0] = g
		o.Step([]*Param{p})
		if p.Grad.Data[0] != 0 {
			panic("optimiser left a gradient behind")
		}
		out = append(out, float64(p.Value.Data[0]))
	}
	return out
}

func TestOptimizersByHand(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Optimizer
		want []float64
	}{
		// θ ← θ − 0.1g: 1 − 0.05 = 0.95; 0.95 + 0.1 = 1.05; 1.05 − 0.2 = 0.85.
		{"sgd", &SGD{LR: 0.1}, []float64{0.95, 1.05, 0.85}},
		// v = 0.5, −0.55, 1.505; θ = 1 − 0.05 = 0.95; 0.95 + 0.055 = 1.005; 1.005 − 0.1505 = 0.8545.
		{"momentum", &Momentum{LR: 0.1, Mu: 0.9}, []float64{0.95, 1.005, 0.8545}},
		// t=1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25 → θ = 1 − 0.1·0.5/0.5 = 0.9.
		// t=2: m = −0.055, v = 0.00124975, m̂ = −0.289474, v̂ = 0.625188 → θ = 0.936610.
		// t=3: m = 0.1505, v = 0.0052485, m̂ = 0.555351, v̂ = 1.751251 → θ = 0.894645.
		{"adam", NewAdam(0.1), []float64{0.9, 0.9366104, 0.8946448}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runScalar(tc.opt)
			for i := range got {
				if math.Abs(got[i]-tc.want[i]) > 1e-6 {
					t.Fatalf("after step %d θ = %.7f, want %.7f (all: %v)", i+1, got[i], tc.want[i], got)
				}
			}
		})
	}
}

func TestWeightPenalty(t *testing.T) {
	w := &Param{Name: "l.W", Value: tensor.FromSlice(1, 3, []float32{2, -1, 0}), Grad: tensor.New(1, 3)}
	b := &Param{Name: "l.b", Value: tensor.FromSlice(1, 1, []float32{5}), Grad: tensor.New(1, 1)}
	AddWeightPenalty([]*Param{w, b}, 0.1, 0.5)
	// ∂/∂w (0.1|w| + 0.25w²) = 0.1·sign(w) + 0.5w
	want := []float32{0.1 + 1, -0.1 - 0.5, 0}
	for i, g := range w.Grad.Data {
		if math.Abs(float64(g-want[i])) > 1e-7 {
			t.Fatalf("W grad = %v, want %v", w.Grad.Data, want)
		}
	}
	if b.Grad.Data[0] != 0 {
		t.Fatalf("bias was penalised: %v", b.Grad.Data[0])
	}
}

// TestAdamUpdateMatchesScalar: Adam's update as built (four lanes at once
// under WebAssembly SIMD) gives bit for bit the scalar loop's weights and
// moments, tail included.
func TestAdamUpdateMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n = 1027
	fill := func() []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	w, g, m, v := fill(), fill(), fill(), fill()
	for i := range v {
		v[i] *= v[i] // a second moment is never negative
	}
	// Some moments and gradients about adamFloor, below it, subnormal,
	// zero and NaN, so that both stop the moments alike.
	for i, x := range []float32{adamFloor, -adamFloor, 1.5 * adamFloor, adamFloor / 3, 1e-38, 1e-44, 0, float32(math.NaN())} {
		m[3*i], v[3*i+1], g[3*i+2] = x, max(x, -x), x
		m[900+i], v[900+i], g[900+i] = x, max(x, -x), 0
	}
	w2, m2, v2 := slices.Clone(w), slices.Clone(m), slices.Clone(v)
	adamUpdate(w, g, m, v, 0.9, 0.999, 0.19, 0.002, 1e-3, 1e-8)
	adamScalar(w2, g, m2, v2, 0.9, 0.999, 0.19, 0.002, 1e-3, 1e-8)
	same := func(a, b float32) bool { return a == b || a != a && b != b } // NaN is NaN
	for i := range w {
		if !same(w[i], w2[i]) || !same(m[i], m2[i]) || !same(v[i], v2[i]) {
			t.Fatalf("at %d: w %g m %g v %g, the scalar loop %g %g %g", i, w[i], m[i], v[i], w2[i], m2[i], v2[i])
		}
	}
}

// TestAdamMomentsStop: a weight whose gradient falls to 0 sees its
// moments shrink to exactly 0 without ever holding a subnormal float
// (which x86 and WebAssembly compute about a hundred times slower), and a
// NaN gradient still reaches the weight, where training sees it.
func TestAdamMomentsStop(t *testing.T) {
	const n = 9 // two passes of four lanes and a tail
	p := &Param{Name: "l.W", Value: tensor.New(1, n), Grad: tensor.New(1, n)}
	o := NewAdam(1e-3)
	for i := range n {
		p.Grad.Data[i] = float32(i+1) * 1e-3
	}
	o.Step([]*Param{p})
	for step := 2; ; step++ {
		o.Step([]*Param{p}) // a gradient of 0
		done := true
		for i := range n {
			m, v := o.m[0].Data[i], o.v[0].Data[i]
			// Below the floor and not 0, as every subnormal float is.
			if m != 0 && math.Abs(float64(m)) < adamFloor || v != 0 && v < adamFloor {
				t.Fatalf("step %d, weight %d: m %g, v %g: below the floor %g, not 0", step, i, m, v, float32(adamFloor))
			}
			done = done && m == 0 && v == 0
		}
		if done {
			break
		}
		if step > 100_000 {
			t.Fatalf("the moments did not reach 0 in %d steps: m %v, v %v", step, o.m[0].Data, o.v[0].Data)
		}
	}
	if !p.Value.AllFinite() {
		t.Fatalf("weights %v", p.Value.Data)
	}
	p.Grad.Data[n-1] = float32(math.NaN())
	o.Step([]*Param{p})
	if w := p.Value.Data[n-1]; w == w {
		t.Fatalf("a NaN gradient left the weight at %g", w)
	}
}

// BenchmarkAdam times Adam's update of the 784-400-20 VAE's 627,000
// weights, the optimiser's share of a training step.
func BenchmarkAdam(b *testing.B) {
	const n = 627_000
	w, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range g {
		g[i] = float32(i%7) - 3
	}
	for b.Loop() {
		adamUpdate(w, g, m, v, 0.9, 0.999, 0.19, 0.002, 1e-3, 1e-8)
	}
}
