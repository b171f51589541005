package tensor

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Mul sets dst = A·B. dst must be a.Rows×b.Cols and must not alias a or b.
func Mul(dst, a, b *Mat) {
	checkGemm("Mul", dst, a.Rows, a.Cols, b.Rows, b.Cols, a.Rows, b.Cols)
	gemm(false, false, dst, a, b, false)
}

// MulAdd sets dst = dst + A·B.
func MulAdd(dst, a, b *Mat) {
	checkGemm("MulAdd", dst, a.Rows, a.Cols, b.Rows, b.Cols, a.Rows, b.Cols)
	gemm(false, false, dst, a, b, true)
}

// MulTA sets dst = Aᵀ·B. dst must be a.Cols×b.Cols.
func MulTA(dst, a, b *Mat) {
	checkGemm("MulTA", dst, a.Cols, a.Rows, b.Rows, b.Cols, a.Cols, b.Cols)
	gemm(true, false, dst, a, b, false)
}

// MulTAAdd sets dst = dst + Aᵀ·B: the weight gradient accumulated over batches.
func MulTAAdd(dst, a, b *Mat) {
	checkGemm("MulTAAdd", dst, a.Cols, a.Rows, b.Rows, b.Cols, a.Cols, b.Cols)
	gemm(true, false, dst, a, b, true)
}

// MulTB sets dst = A·Bᵀ. dst must be a.Rows×b.Rows.
func MulTB(dst, a, b *Mat) {
	checkGemm("MulTB", dst, a.Rows, a.Cols, b.Cols, b.Rows, a.Rows, b.Rows)
	gemm(false, true, dst, a, b, false)
}

// checkGemm panics unless op(A) is m×k, op(B) is k×n and dst is m×n.
func checkGemm(op string, dst *Mat, am, ak, bk, bn, m, n int) {
	if ak != bk || dst.Rows != m || dst.Cols != n || am != m {
		panic(fmt.Sprintf("tensor: %s: shapes do not fit: (%d×%d)·(%d×%d) into %d×%d", op, am, ak, bk, bn, dst.Rows, dst.Cols))
	}
}

// gemm dispatches to the native product (gemmHost: blas32, or the SIMD
// kernels of gemm_amd64.go) or the hand kernels, as useBLAS says for this platform.
func gemm(ta, tb bool, dst, a, b *Mat, acc bool) {
	if useBLAS {
		gemmHost(ta, tb, dst, a, b, acc)
	} else {
		gemmKernel(ta, tb, dst, a, b, acc)
	}
}

func gemmKernel(ta, tb bool, dst, a, b *Mat, acc bool) {
	switch {
	case !ta && !tb:
		kernelNN(dst.Rows, dst.Cols, a.Cols, a.Data, b.Data, dst.Data, acc)
	case ta && !tb:
		kernelTA(dst.Rows, dst.Cols, a.Rows, a.Data, b.Data, dst.Data, acc)
	case !ta && tb:
		kernelTB(dst.Rows, dst.Cols, a.Cols, a.Data, b.Data, dst.Data, acc)
	default:
		panic("tensor: Aᵀ·Bᵀ is not needed by any model")
	}
}

func gemmBLAS(ta, tb bool, dst, a, b *Mat, acc bool) {
	if dst.Len() == 0 {
		return
	}
	if a.Len() == 0 || b.Len() == 0 { // blas rejects zero strides; the product is empty
		if !acc {
			dst.Zero()
		}
		return
	}
	tA, tB := blas.NoTrans, blas.NoTrans
	if ta {
		tA = blas.Trans
	}
	if tb {
		tB = blas.Trans
	}
	beta := float32(0)
	if acc {
		beta = 1
	}
	blas32.Gemm(tA, tB, 1, general(a), general(b), beta, general(dst))
}

func general(m *Mat) blas32.General {
	return blas32.General{Rows: m.Rows, Cols: m.Cols, Stride: max(m.Cols, 1), Data: m.Data}
}
