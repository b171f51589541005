//go:build !wasm

package tensor

// useBLAS is true natively: gonum's blas32 uses SIMD assembly and all cores
// and outruns the hand kernels by 3–5× (bench: BenchmarkGemm/*).
const useBLAS = true
