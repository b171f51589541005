//go:build wasm

package tensor

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

// useBLAS is false under WebAssembly: gonum's assembly kernels are amd64
// only, and its generic Go fallback runs at a third of the hand kernels'
// speed in V8 (bench: BenchmarkGemm/*). It turns true while a platform
// kernel is installed (SetGEMM): gemm then takes its BLAS path, and
// blas32's Sgemm is that kernel.
var useBLAS = false

// A GEMM computes C = op(A)·op(B), or C += op(A)·op(B) when acc, on dense
// row-major matrices: op(A) is m×k (A is k×m when ta), op(B) is k×n (B is
// n×k when tb), C is m×n, and m, n, k ≥ 1. It reports false when it leaves
// the product to the Go kernels.
type GEMM func(ta, tb bool, m, n, k int, a, b, c []float32, acc bool) bool

// The installed platform kernel, if any.
var platform struct {
	name string
	gemm GEMM
}

// SetGEMM runs the products on g, a kernel outside Go (the browser's
// relaxed SIMD, which Go's compiler cannot emit), named name in reports.
// A nil g restores the Go kernels. Not safe to call while products run.
func SetGEMM(name string, g GEMM) {
	if g == nil {
		platform.name, platform.gemm = "", nil
		blas32.Use(gonum.Implementation{})
		useBLAS = false
		return
	}
	platform.name, platform.gemm = name, g
	blas32.Use(platformBLAS{})
	useBLAS = true
}

// Kernel names the kernel the products run on: the one SetGEMM installed,
// or "go-simd".
func Kernel() string {
	if platform.gemm != nil {
		return platform.name
	}
	return "go-simd"
}

// platformBLAS is gonum's implementation with Sgemm handed to the platform
// kernel, and to the Go kernels where it declines.
type platformBLAS struct{ gonum.Implementation }

func (platformBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := tA != blas.NoTrans, tB != blas.NoTrans
	ar, ac := m, k
	if ta {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb {
		br, bc = n, k
	}
	dense := lda == ac && ldb == bc && ldc == n && len(a) == ar*ac && len(b) == br*bc && len(c) == m*n
	if alpha != 1 || (beta != 0 && beta != 1) || !dense || (ta && tb) || m == 0 || n == 0 || k == 0 {
		gonum.Implementation{}.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if platform.gemm(ta, tb, m, n, k, a, b, c, beta == 1) {
		return
	}
	gemmKernel(ta, tb, &Mat{Rows: m, Cols: n, Data: c}, &Mat{Rows: ar, Cols: ac, Data: a}, &Mat{Rows: br, Cols: bc, Data: b}, beta == 1)
}
