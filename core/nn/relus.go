//go:build !(amd64 && goexperiment.simd) && !(wasm && goexperiment.simd && go1.27)

package nn

// relus is ReLU over a slice: reluScalar (lanes_amd64.go has the AVX2
// form, lanes_simd.go WebAssembly's).
func relus(dst, src []float32) { reluScalar(dst, src) }

// reluGrads is ReLU's backward pass over a slice: reluGradScalar.
func reluGrads(dx, dy, x []float32) { reluGradScalar(dx, dy, x) }
