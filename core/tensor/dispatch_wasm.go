//go:build wasm

package tensor

// useBLAS is false under WebAssembly: gonum's assembly kernels are amd64
// only, and its generic Go fallback runs at a third of the hand kernels'
// speed in V8 (bench: BenchmarkGemm/*).
const useBLAS = false
