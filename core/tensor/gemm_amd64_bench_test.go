//go:build amd64 && goexperiment.simd

package tensor

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// BenchmarkGemmSIMD times every native form on the VAE's first-layer shape
// (benchM×benchK)·(benchK×benchN), and a batch of one, with each kernel
// this CPU runs beside gonum's blas32 in the same run: "host" is the path
// Mul and its kin take (gemmHost), "-1core" a kernel held to one core.
func BenchmarkGemmSIMD(b *testing.B) {
	type path struct {
		name  string
		run   func(ta, tb bool, dst, a, b *Mat, acc bool)
		procs int // GOMAXPROCS while it runs; 0 leaves it
	}
	paths := []path{{"host", gemmHost, 0}, {"blas32", gemmBLAS, 0}}
	for _, kern := range kernelsHere() {
		run := func(ta, tb bool, dst, a, b *Mat, acc bool) { gemmSIMD(kern, ta, tb, dst, a, b, acc) }
		paths = append(paths, path{kern.name, run, 0}, path{kern.name + "-1core", run, 1})
	}
	for _, form := range []struct {
		name   string
		m      int
		ta, tb bool
		acc    bool
	}{
		{"NN", benchM, false, false, false},
		{"NNAdd", benchM, false, false, true},
		{"TA", benchM, true, false, false},
		{"TAAdd", benchM, true, false, true},
		{"TB", benchM, false, true, false},
		{"Row", 1, false, false, false},
		{"RowTB", 1, false, true, false},
	} {
		for _, path := range paths {
			b.Run(form.name+"/"+path.name, func(b *testing.B) {
				if path.procs > 0 {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(path.procs))
				}
				benchForm(b, form.m, form.ta, form.tb, form.acc, path.run)
			})
		}
	}
}

// benchForm times C (+)= op(A)·op(B) with op(A) m×benchK and op(B)
// benchK×benchN, as benchGemm does, reporting GFLOPS (2mnk flops).
func benchForm(b *testing.B, m int, ta, tb, acc bool, run func(ta, tb bool, dst, a, b *Mat, acc bool)) {
	rng := rand.New(rand.NewPCG(1, 1))
	k, n := benchK, benchN
	a, bm := operands(rng, ta, tb, m, k, n)
	if acc { // C grows with every call: keep it small so it stays finite
		Scale(a.Data, 1e-3)
	}
	c := New(m, n)
	for b.Loop() {
		run(ta, tb, c, a, bm, acc)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}
