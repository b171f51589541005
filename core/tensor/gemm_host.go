//go:build !(amd64 && goexperiment.simd)

package tensor

// gemmHost is the platform's product: gonum's blas32 natively
// (gemm_amd64.go replaces it on amd64 built with GOEXPERIMENT=simd); under
// WebAssembly, blas32 is the relaxed-SIMD kernel SetGEMM installed, and
// without one useBLAS is false and this is never called.
func gemmHost(ta, tb bool, dst, a, b *Mat, acc bool) { gemmBLAS(ta, tb, dst, a, b, acc) }
