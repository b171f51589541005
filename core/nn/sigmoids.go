//go:build !(wasm && goexperiment.simd && go1.27)

package nn

// Sigmoids sets dst[i] = σ(src[i]) for every i (see sigmoids).
func Sigmoids(dst, src []float32) { sigmoids(dst, src) }
