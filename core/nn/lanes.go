//go:build !(wasm && goexperiment.simd && go1.27) && !(amd64 && goexperiment.simd)

package nn

// The element-wise loops' entry points for every build but WebAssembly
// with SIMD (lanes_simd.go), where they run four lanes at once.

// Sigmoids sets dst[i] = σ(src[i]) for every i (see sigmoids).
func Sigmoids(dst, src []float32) { sigmoids(dst, src) }

// adamUpdate is adamScalar.
func adamUpdate(w, g, m, v []float32, b1, b2, c1, c2, lr, eps float32) {
	adamScalar(w, g, m, v, b1, b2, c1, c2, lr, eps)
}

// bceRows is bceScalar.
func bceRows(z, t, grad []float32, scale float32) float64 { return bceScalar(z, t, grad, scale) }
