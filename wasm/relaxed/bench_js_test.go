//go:build js && wasm

package relaxed

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"latentplay/core/tensor"
)

// The benchmark shape is core/tensor's: a VAE's first layer on a batch,
// (128×784)·(784×400).
const benchM, benchK, benchN = 128, 784, 400

// BenchmarkGemm times core/tensor's products on the module (relaxed) and
// on the Go kernels (go), in the same run, reporting GFLOPS (2mnk flops).
func BenchmarkGemm(b *testing.B) {
	kr := load(b)
	defer tensor.SetGEMM("", nil)
	for _, form := range []struct {
		name   string
		ta, tb bool
		m      int
	}{{"NN", false, false, benchM}, {"TA", true, false, benchM}, {"TB", false, true, benchM}, {"Row", false, false, 1}} {
		for _, zeros := range []float64{0, 0.8} {
			for _, path := range []struct {
				name string
				gemm tensor.GEMM
			}{{"relaxed", kr.GEMM}, {"go", nil}} {
				b.Run(fmt.Sprintf("%s/zeros=%.0f%%/%s", form.name, 100*zeros, path.name), func(b *testing.B) {
					tensor.SetGEMM(path.name, path.gemm)
					benchGemm(b, form.ta, form.tb, form.m, zeros)
				})
			}
		}
	}
}

func benchGemm(b *testing.B, ta, tb bool, m int, zeros float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	k, n := benchK, benchN
	a := tensor.FromSlice(m, k, randSlice(rng, m*k, zeros))
	if ta {
		a = tensor.FromSlice(k, m, randSlice(rng, m*k, zeros))
	}
	bm := tensor.FromSlice(k, n, randSlice(rng, k*n, 0))
	if tb {
		bm = tensor.FromSlice(n, k, randSlice(rng, k*n, 0))
	}
	c := tensor.New(m, n)
	mul := tensor.Mul
	switch {
	case ta:
		mul = tensor.MulTA
	case tb:
		mul = tensor.MulTB
	}
	for b.Loop() {
		mul(c, a, bm)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}
