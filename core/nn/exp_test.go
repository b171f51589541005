package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps is how many float32 steps lie between a and b.
func ulps(a, b float32) int64 {
	d := int64(math.Float32bits(a)) - int64(math.Float32bits(b))
	if d < 0 {
		d = -d
	}
	return d
}

func TestExp32AgainstMath(t *testing.T) {
	check := func(x float32) {
		t.Helper()
		want := float32(math.Exp(float64(x)))
		got := Exp32(x)
		if want == 0 || math.IsInf(float64(want), 0) {
			if got != want {
				t.Fatalf("Exp32(%g) = %g, want %g", x, got, want)
			}
			return
		}
		if u := ulps(got, want); u > 2 {
			t.Fatalf("Exp32(%g) = %g, want %g (%d ulp apart)", x, got, want, u)
		}
	}
	for _, x := range []float32{0, 1, -1, 0.5, -0.5, 88.7, 88.72, 88.73, -87.3, -88, -100, -103.9, -104, 1e-8, -1e-8, 20, -20} {
		check(x)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 1_000_000 {
		check(float32(rng.Float64()*200 - 105))
	}
	if !math.IsNaN(float64(Exp32(float32(math.NaN())))) {
		t.Fatal("Exp32(NaN) is not NaN")
	}
	if Exp32(float32(math.Inf(1))) != float32(math.Inf(1)) || Exp32(float32(math.Inf(-1))) != 0 {
		t.Fatal("Exp32(±Inf) wrong")
	}
}

func BenchmarkExp(b *testing.B) {
	x := make([]float32, 784)
	for i := range x {
		x[i] = float32(i%40) - 20
	}
	b.Run("Exp32", func(b *testing.B) {
		var s float32
		for b.Loop() {
			for _, v := range x {
				s += Exp32(v)
			}
		}
		_ = s
	})
	b.Run("math.Exp", func(b *testing.B) {
		var s float32
		for b.Loop() {
			for _, v := range x {
				s += float32(math.Exp(float64(v)))
			}
		}
		_ = s
	})
}

func TestSigmoidsAgainstScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	src := make([]float32, 100_000)
	for i := range src {
		src[i] = float32(rng.NormFloat64() * 30)
	}
	src[0], src[1], src[2], src[3] = 0, 200, -200, float32(math.NaN())
	dst := make([]float32, len(src))
	Sigmoids(dst, src)
	for i, x := range src {
		want := float32(1 / (1 + math.Exp(-float64(x))))
		if x != x {
			if dst[i] == dst[i] {
				t.Fatalf("σ(NaN) = %g", dst[i])
			}
			continue
		}
		if d := math.Abs(float64(dst[i] - want)); d > 1e-37 && ulps(dst[i], want) > 3 {
			t.Fatalf("Sigmoids at %g = %g, want %g", x, dst[i], want)
		}
	}
}

func BenchmarkSigmoids(b *testing.B) {
	x := make([]float32, 784)
	d := make([]float32, 784)
	for i := range x {
		x[i] = float32(i%40) - 20
	}
	b.Run("Sigmoids", func(b *testing.B) {
		for b.Loop() {
			Sigmoids(d, x)
		}
	})
	b.Run("Sigmoid.F", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				d[i] = Sigmoid.F(v)
			}
		}
	})
}

func TestLog1p32AgainstMath(t *testing.T) {
	check := func(u float32) {
		t.Helper()
		want := float32(math.Log1p(float64(u)))
		got := Log1p32(u)
		if ulps(got, want) > 2 && math.Abs(float64(got-want)) > 1e-9 {
			t.Fatalf("Log1p32(%g) = %g, want %g (%d ulp apart)", u, got, want, ulps(got, want))
		}
	}
	for _, u := range []float32{0, 1e-30, 1e-10, 1e-7, 0.1, 0.41421356, 0.4142136, 0.5, 0.99, 1, 2, 100} {
		check(u)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for range 1_000_000 {
		check(rng.Float32())
		check(float32(math.Exp(-rng.Float64() * 80)))
	}
}
