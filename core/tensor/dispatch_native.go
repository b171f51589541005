//go:build !wasm

package tensor

// useBLAS is true natively: the products go to gemmHost, gonum's blas32
// (SIMD assembly and all cores, 3–5× the hand kernels: BenchmarkGemm/*) or,
// on amd64 with GOEXPERIMENT=simd, the AVX kernels of gemm_amd64.go.
const useBLAS = true
