package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAddScaledAndScale: the element-wise updates as built (four lanes at
// once under WebAssembly SIMD) give the plain loop's values bit for bit,
// tail included.
func TestAddScaledAndScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 1027
	x, y := randMat(rng, 1, n, 0).Data, randMat(rng, 1, n, 0).Data
	want := make([]float32, n)
	for i := range want {
		want[i] = (x[i] + 0.3*y[i]) * -1.7
	}
	AddScaled(x, y, 0.3)
	Scale(x, -1.7)
	for i := range x {
		if x[i] != want[i] {
			t.Fatalf("at %d: %g, want %g", i, x[i], want[i])
		}
	}
}

// BenchmarkAxpy times AddScaled and Scale over the gradient of the
// 784-400-20 VAE (627,000 values), the passes a data-parallel step makes
// to average its workers' gradients.
func BenchmarkAxpy(b *testing.B) {
	const n = 627_000
	c, x := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	b.Run("AddScaled", func(b *testing.B) {
		b.SetBytes(3 * 4 * n) // two reads and a write a value
		for b.Loop() {
			AddScaled(c, x, 0.5)
		}
	})
	b.Run("Scale", func(b *testing.B) {
		b.SetBytes(2 * 4 * n)
		for b.Loop() {
			Scale(c, 0.5)
		}
	})
}

// TestBiasAddAndSum: a dense layer's bias add (AddRowVector) and bias
// gradient (SumRowsInto) as built give the plain loops' values bit for
// bit, on rows whose width leaves a tail.
func TestBiasAddAndSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	const rows, cols = 5, 403
	m, v := randMat(rng, rows, cols, 0), randMat(rng, 1, cols, 0).Data
	want := make([]float32, rows*cols)
	sum, wantSum := randMat(rng, 1, cols, 0).Data, make([]float32, cols)
	copy(wantSum, sum)
	for i := range rows {
		for j := range cols {
			want[i*cols+j] = m.Data[i*cols+j] + v[j]
		}
	}
	m.AddRowVector(v)
	for i := range rows {
		for j := range cols {
			wantSum[j] += want[i*cols+j]
		}
	}
	m.SumRowsInto(sum)
	for i := range want {
		if m.Data[i] != want[i] {
			t.Fatalf("bias add at %d: %g, want %g", i, m.Data[i], want[i])
		}
	}
	for j := range sum {
		if sum[j] != wantSum[j] {
			t.Fatalf("column sum %d: %g, want %g", j, sum[j], wantSum[j])
		}
	}
}

// TestAllFinite: Mat.AllFinite's loop as built (four lanes at once under
// WebAssembly SIMD) finds a NaN, +Inf or −Inf wherever it stands, in
// slices whose lengths leave every tail, and takes the largest, the
// smallest and negative zero for the finite values they are.
func TestAllFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	bad := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	finite := []float32{math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, float32(math.Copysign(0, -1))}
	for _, n := range []int{0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 1027} {
		xs := make([]float32, n)
		for i := range xs {
			xs[i] = finite[rng.IntN(len(finite))] * rng.Float32()
		}
		copy(xs, finite)
		if !allFinite(xs) {
			t.Fatalf("%d finite values read as not all finite: %v", n, xs)
		}
		for i := range xs {
			for _, v := range bad {
				was := xs[i]
				xs[i] = v
				if allFinite(xs) {
					t.Fatalf("%g at %d of %d read as finite", v, i, n)
				}
				xs[i] = was
			}
		}
	}
}

// BenchmarkAllFinite times Mat.AllFinite's loop over the 784-400-20
// VAE's 627,000 parameters, as training checks them after each step.
func BenchmarkAllFinite(b *testing.B) {
	xs := make([]float32, 627_000)
	for i := range xs {
		xs[i] = float32(i%7) - 3
	}
	b.SetBytes(4 * int64(len(xs)))
	for b.Loop() {
		if !allFinite(xs) {
			b.Fatal("finite values read as not all finite")
		}
	}
}
