// Package tensor holds the float32 matrices every latentplay model is made of,
// and the three matrix products a dense network needs:
//
//	Mul:    C = A·B    forward pass        (batch×in)·(in×out)  -> (batch×out)
//	MulTA:  C = Aᵀ·B   weight gradient     (batch×in)ᵀ·(batch×out) -> (in×out)
//	MulTB:  C = A·Bᵀ   input gradient      (batch×out)·(in×out)ᵀ -> (batch×in)
//
// Natively on amd64 built with GOEXPERIMENT=simd (as the Makefile builds),
// the products run on register-tiled AVX-512 or AVX2 kernels written with
// simd/archsimd (gemm_amd64.go), split between the cores; elsewhere, or on a
// CPU without AVX2 and FMA, they go through gonum's blas32, whose amd64
// assembly and goroutine blocking beat anything written in plain Go, and
// which stays the kernels' oracle in the tests. Under WebAssembly that
// assembly does not exist and blas32 falls back to generic loops (~1 GFLOPS in
// V8), so the wasm build uses the hand-unrolled kernels in kernels.go instead
// (~3–4 GFLOPS). Both paths are compiled on every platform and the tests hold
// the hand kernels against blas32, which stays the oracle.
package tensor
