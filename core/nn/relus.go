//go:build !(amd64 && goexperiment.simd)

package nn

// relus is ReLU over a slice: reluScalar (lanes_amd64.go has the AVX2 form).
func relus(dst, src []float32) { reluScalar(dst, src) }
