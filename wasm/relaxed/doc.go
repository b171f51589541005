// Package relaxed runs the engine's matrix products on relaxed SIMD's
// fused multiply-add (f32x4.relaxed_madd), which Go's compiler cannot
// emit: module.go writes a small WebAssembly module of GEMM kernels with
// the assembler in asm.go; go generate (gen/, which make site runs) keeps
// its bytes in gemm.wasm, which the package embeds and a test holds equal
// to Module(); and, in the browser, Load instantiates it on the Go
// instance's own memory so that core/tensor can hand it its slices
// (tensor.SetGEMM). Where the engine lacks relaxed SIMD the Go kernels
// stay.
//
// testrunner/ runs the package's wasm tests, and everything else's, under
// Node with relaxed SIMD on and the memory shared (make test-wasm).
package relaxed

//go:generate go run ./gen -o gemm.wasm
