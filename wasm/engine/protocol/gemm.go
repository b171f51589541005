package protocol

// GEMM runs one matrix product C = A·B on the engine, for benchmarks and
// the browser suite: A (M×K, a share Zeros of its entries zero) and B
// (K×N) are random from Seed, and the product runs on the engine's
// kernel (relaxed SIMD where the browser has it) or, with Go, on the Go
// kernels. With Repeat, the reply's ComputeMS times the product alone.
var GEMM = NewOp[GEMMArgs, GEMMResult]("gemm")

// GEMMArgs are a product's shape and operands.
type GEMMArgs struct {
	M     int     `json:"m"`
	K     int     `json:"k"`
	N     int     `json:"n"`
	Zeros float64 `json:"zeros,omitempty"`
	Seed  uint64  `json:"seed"`
	Go    bool    `json:"go,omitempty"` // on the Go kernels even where a faster one is installed
}

// GEMMResult is the product and the kernel that computed it: "relaxed-simd"
// (wasm/relaxed), "go-simd" (core/tensor's kernels under wasm) or
// "native" (gonum, off the browser).
type GEMMResult struct {
	Kernel string `json:"kernel"`
	C      Batch  `json:"c"`
}
