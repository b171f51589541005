//go:build !(amd64 && goexperiment.simd)

package tensor

// gemmHost is the native product: gonum's blas32 (gemm_amd64.go replaces
// it on amd64 built with GOEXPERIMENT=simd). Under WebAssembly useBLAS is
// false and it is never called.
func gemmHost(ta, tb bool, dst, a, b *Mat, acc bool) { gemmBLAS(ta, tb, dst, a, b, acc) }
