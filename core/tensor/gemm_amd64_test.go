//go:build amd64 && goexperiment.simd

package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"simd/archsimd"
	"testing"
)

// kernelsHere are the SIMD kernels this CPU can run.
func kernelsHere() []*simdKernel {
	var ks []*simdKernel
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		ks = append(ks, kernelAVX2)
	}
	if archsimd.X86.AVX512() && archsimd.X86.FMA() {
		ks = append(ks, kernelAVX512)
	}
	return ks
}

var gemmForms = []struct {
	name   string
	ta, tb bool
}{{"A·B", false, false}, {"Aᵀ·B", true, false}, {"A·Bᵀ", false, true}}

// operands returns random A and B for op(A) m×k and op(B) k×n.
func operands(rng *rand.Rand, ta, tb bool, m, k, n int) (a, b *Mat) {
	if ta {
		a = randMat(rng, k, m, 0)
	} else {
		a = randMat(rng, m, k, 0)
	}
	if tb {
		b = randMat(rng, n, k, 0)
	} else {
		b = randMat(rng, k, n, 0)
	}
	return a, b
}

// magnitude returns Σ_p |op(A)[i][p]·op(B)[p][j]| for every (i, j): the
// scale of float32 rounding in the sum.
func magnitude(ta, tb bool, a, b *Mat) []float64 {
	abs := func(m *Mat) *Mat {
		out := m.Clone()
		for i, v := range out.Data {
			out.Data[i] = float32(math.Abs(float64(v)))
		}
		return out
	}
	return naive(ta, tb, abs(a), abs(b))
}

// checkProduct holds got (+)= op(A)·op(B) against the float64 product
// and gonum's: recursive float32 summation of k terms errs by at most
// about k·2⁻²⁴·Σ|terms| (Higham, Accuracy and Stability, §3.1).
func checkProduct(t *testing.T, ta, tb bool, a, b, init *Mat, acc bool, got *Mat) {
	t.Helper()
	k := a.Cols
	if ta {
		k = a.Rows
	}
	want, mag := naive(ta, tb, a, b), magnitude(ta, tb, a, b)
	oracle := init.Clone()
	gemmBLAS(ta, tb, oracle, a, b, acc)
	for i := range want {
		w, scale := want[i], mag[i]
		if acc {
			w += float64(init.Data[i])
			scale += math.Abs(float64(init.Data[i]))
		}
		tol := float64(k+2) * 0x1p-23 * scale
		if d := math.Abs(float64(got.Data[i]) - w); d > tol {
			t.Fatalf("C[%d] = %g, want %g (±%g)", i, got.Data[i], w, tol)
		}
		if d := math.Abs(float64(got.Data[i] - oracle.Data[i])); d > 2*tol {
			t.Fatalf("C[%d] = %g, blas32 %g (±%g)", i, got.Data[i], oracle.Data[i], 2*tol)
		}
	}
}

func TestGemmSIMDAgainstBLAS(t *testing.T) {
	ks := kernelsHere()
	if len(ks) == 0 {
		t.Skip("this CPU has neither AVX2 with FMA nor AVX-512")
	}
	var shapes [][3]int // m, k, n
	dims := []int{1, 3, 17, 129}
	for _, m := range dims {
		for _, k := range dims {
			for _, n := range dims {
				shapes = append(shapes, [3]int{m, k, n})
			}
		}
	}
	// k beyond one block (kcMax), odd sizes on every side, a single row
	// over a long k, and the VAE's first layer.
	shapes = append(shapes, [3]int{2, 513, 33}, [3]int{33, 300, 47}, [3]int{1, 785, 401}, [3]int{5, 0, 7}, [3]int{128, 784, 400})
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kern := range ks {
		for _, s := range shapes {
			m, k, n := s[0], s[1], s[2]
			for _, form := range gemmForms {
				t.Run(fmt.Sprintf("%s/%s/%dx%dx%d", kern.name, form.name, m, k, n), func(t *testing.T) {
					a, b := operands(rng, form.ta, form.tb, m, k, n)
					for _, acc := range []bool{false, true} {
						init := randMat(rng, m, n, 0)
						got := init.Clone()
						gemmSIMD(kern, form.ta, form.tb, got, a, b, acc)
						checkProduct(t, form.ta, form.tb, a, b, init, acc, got)
					}
				})
			}
		}
	}
}

// TestGemmSIMDSplitMatchesOneCore holds the product split between workers
// to the product computed by one, bit for bit: each worker computes whole
// tiles with the same blocks of k, so the sums run in the same order.
func TestGemmSIMDSplitMatchesOneCore(t *testing.T) {
	ks := kernelsHere()
	if len(ks) == 0 {
		t.Skip("this CPU has neither AVX2 with FMA nor AVX-512")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for _, kern := range ks {
		for _, form := range gemmForms {
			for _, s := range [][3]int{{128, 784, 400}, {400, 128, 20}, {130, 300, 33}} {
				m, k, n := s[0], s[1], s[2]
				a, b := operands(rng, form.ta, form.tb, m, k, n)
				split, one := New(m, n), New(m, n)
				gemmSIMD(kern, form.ta, form.tb, split, a, b, false)
				p := product{kern: kern, m: m, n: n, k: k, a: a.Data, b: b.Data, c: one.Data, ars: k, acs: 1, brs: n, bcs: 1}
				if form.ta {
					p.ars, p.acs = 1, m
				}
				if form.tb {
					p.brs, p.bcs = 1, k
				}
				p.block(0, m, 0, n)
				for i := range one.Data {
					if split.Data[i] != one.Data[i] {
						t.Fatalf("%s %s %v: C[%d] = %g split, %g on one core", kern.name, form.name, s, i, split.Data[i], one.Data[i])
					}
				}
			}
		}
	}
}

// TestGemmUsesSIMD checks that the public products take the SIMD path
// wherever the CPU allows it.
func TestGemmUsesSIMD(t *testing.T) {
	switch {
	case archsimd.X86.AVX512() && archsimd.X86.FMA():
		if hostKernel != kernelAVX512 {
			t.Fatalf("host kernel %v on an AVX-512 CPU", hostKernel)
		}
	case archsimd.X86.AVX2() && archsimd.X86.FMA():
		if hostKernel != kernelAVX2 {
			t.Fatalf("host kernel %v on an AVX2 CPU", hostKernel)
		}
	default:
		if hostKernel != nil {
			t.Fatalf("host kernel %s on a CPU without AVX2", hostKernel.name)
		}
	}
}

// TestGemmSIMDKernelsAgree holds the AVX2 and AVX-512 kernels to the same
// bits: both sum each entry of C over the same blocks of k in the same
// order with one fused multiply-add a step, so a model trains to the same
// weights on either kind of CPU.
func TestGemmSIMDKernelsAgree(t *testing.T) {
	if len(kernelsHere()) < 2 {
		t.Skip("this CPU runs only one of the kernels")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, form := range gemmForms {
		for _, s := range [][3]int{{128, 784, 400}, {17, 129, 3}, {130, 300, 47}} {
			m, k, n := s[0], s[1], s[2]
			a, b := operands(rng, form.ta, form.tb, m, k, n)
			init := randMat(rng, m, n, 0)
			wide, narrow := init.Clone(), init.Clone()
			gemmSIMD(kernelAVX512, form.ta, form.tb, wide, a, b, true)
			gemmSIMD(kernelAVX2, form.ta, form.tb, narrow, a, b, true)
			for i := range wide.Data {
				if wide.Data[i] != narrow.Data[i] {
					t.Fatalf("%s %v: C[%d] = %g with AVX-512, %g with AVX2", form.name, s, i, wide.Data[i], narrow.Data[i])
				}
			}
		}
	}
}
