package tensor

import (
	"math/rand/v2"
	"testing"
)

// The benchmark shape is a VAE's first layer on a batch: (128×784)·(784×400).
const benchM, benchK, benchN = 128, 784, 400

func BenchmarkGemm(b *testing.B) {
	for _, form := range []struct {
		name   string
		ta, tb bool
	}{{"NN", false, false}, {"TA", true, false}, {"TB", false, true}} {
		for _, path := range []struct {
			name string
			run  func(ta, tb bool, dst, a, b *Mat, acc bool)
		}{{"kernel", gemmKernel}, {"blas32", gemmBLAS}} {
			b.Run(form.name+"/"+path.name, func(b *testing.B) {
				benchGemm(b, form.ta, form.tb, path.run)
			})
		}
	}
}

// benchGemm times C = op(A)·op(B) on dense random matrices (no zero
// skipping helps here) and reports GFLOPS, counting 2mnk flops.
func benchGemm(b *testing.B, ta, tb bool, run func(ta, tb bool, dst, a, b *Mat, acc bool)) {
	rng := rand.New(rand.NewPCG(1, 1))
	m, k, n := benchM, benchK, benchN
	a := randMat(rng, m, k, 0)
	if ta {
		a = randMat(rng, k, m, 0)
	}
	bm := randMat(rng, k, n, 0)
	if tb {
		bm = randMat(rng, n, k, 0)
	}
	c := New(m, n)
	b.ResetTimer()
	for b.Loop() {
		run(ta, tb, c, a, bm, false)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}
