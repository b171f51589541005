package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func randMat(rng *rand.Rand, r, c int, sparsity float64) *Mat {
	m := New(r, c)
	for i := range m.Data {
		if rng.Float64() >= sparsity {
			m.Data[i] = float32(rng.NormFloat64())
		}
	}
	return m
}

// naive computes op(A)·op(B) in float64, the slow and obvious way.
func naive(ta, tb bool, a, b *Mat) []float64 {
	at := func(i, p int) float64 {
		if ta {
			return float64(a.At(p, i))
		}
		return float64(a.At(i, p))
	}
	bt := func(p, j int) float64 {
		if tb {
			return float64(b.At(j, p))
		}
		return float64(b.At(p, j))
	}
	m, k := a.Rows, a.Cols
	if ta {
		m, k = k, m
	}
	n := b.Cols
	if tb {
		n = b.Rows
	}
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += at(i, p) * bt(p, j)
			}
			out[i*n+j] = s
		}
	}
	return out
}

func TestGemmKernelsAgainstBLAS(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	shapes := [][3]int{{1, 1, 1}, {2, 3, 4}, {3, 5, 7}, {7, 1, 9}, {1, 9, 1}, {16, 16, 16}, {5, 0, 3}, {0, 4, 3}, {33, 17, 65}, {64, 10, 100}, {1, 301, 37}, {3, 301, 37}}
	for _, s := range shapes {
		m, k, n := s[0], s[1], s[2]
		for _, sparsity := range []float64{0, 0.8} {
			for _, form := range []struct {
				name   string
				ta, tb bool
			}{{"A·B", false, false}, {"Aᵀ·B", true, false}, {"A·Bᵀ", false, true}} {
				t.Run(fmt.Sprintf("%s/%dx%dx%d/sparse%.1f", form.name, m, k, n, sparsity), func(t *testing.T) {
					a := randMat(rng, m, k, sparsity)
					if form.ta {
						a = randMat(rng, k, m, sparsity)
					}
					b := randMat(rng, k, n, 0)
					if form.tb {
						b = randMat(rng, n, k, 0)
					}
					want := naive(form.ta, form.tb, a, b)
					for _, acc := range []bool{false, true} {
						init := randMat(rng, m, n, 0)
						kern, oracle := init.Clone(), init.Clone()
						gemmKernel(form.ta, form.tb, kern, a, b, acc)
						gemmBLAS(form.ta, form.tb, oracle, a, b, acc)
						for i := range want {
							w := want[i]
							if acc {
								w += float64(init.Data[i])
							}
							tol := 1e-4 * (1 + math.Abs(w)) * math.Sqrt(float64(k)+1)
							if d := math.Abs(float64(kern.Data[i]) - w); d > tol {
								t.Fatalf("acc=%v: kernel[%d] = %g, want %g", acc, i, kern.Data[i], w)
							}
							if d := math.Abs(float64(kern.Data[i] - oracle.Data[i])); d > tol {
								t.Fatalf("acc=%v: kernel[%d] = %g, blas32 %g", acc, i, kern.Data[i], oracle.Data[i])
							}
						}
					}
				})
			}
		}
	}
}

func TestMulShapesPanic(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Mul of mismatched shapes did not panic")
		}
	}()
	Mul(New(2, 2), New(2, 3), New(2, 2))
}

func TestPublicProducts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := randMat(rng, 4, 5, 0), randMat(rng, 5, 6, 0)
	c := New(4, 6)
	Mul(c, a, b)
	want := naive(false, false, a, b)
	for i, w := range want {
		if math.Abs(float64(c.Data[i])-w) > 1e-4 {
			t.Fatalf("Mul[%d] = %g, want %g", i, c.Data[i], w)
		}
	}
	ct := New(5, 6)
	b2 := randMat(rng, 4, 6, 0)
	MulTA(ct, a, b2)
	want = naive(true, false, a, b2)
	for i, w := range want {
		if math.Abs(float64(ct.Data[i])-w) > 1e-4 {
			t.Fatalf("MulTA[%d] = %g, want %g", i, ct.Data[i], w)
		}
	}
	b3 := randMat(rng, 7, 5, 0)
	c3 := New(4, 7)
	MulTB(c3, a, b3)
	want = naive(false, true, a, b3)
	for i, w := range want {
		if math.Abs(float64(c3.Data[i])-w) > 1e-4 {
			t.Fatalf("MulTB[%d] = %g, want %g", i, c3.Data[i], w)
		}
	}
}
