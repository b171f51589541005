package tensor

import (
	"fmt"
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

// BenchmarkGemmSparse times the kernels' C = A·B with a share of A's
// entries zero (MNIST pixels are ~80% zero, ReLU outputs ~50%), reporting
// the dense-equivalent GFLOPS: the gain over the 0% line is what skipping
// zeros buys.
func BenchmarkGemmSparse(b *testing.B) {
	for _, zeros := range []float64{0, 0.5, 0.8} {
		b.Run(fmt.Sprintf("zeros=%.0f%%", 100*zeros), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			a := randMat(rng, benchM, benchK, zeros)
			bm := randMat(rng, benchK, benchN, 0)
			c := New(benchM, benchN)
			for b.Loop() {
				gemmKernel(false, false, c, a, bm, false)
			}
			b.ReportMetric(2*float64(benchM*benchN*benchK)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}
