package pca

import "fmt"

// Reconstruct writes into out the image x rebuilt from its first k
// principal components, x̂ = m + W_k·W_kᵀ(x − m): the best a linear code
// of k numbers can do, in squared error, for data like the fitted set.
func (p *PCA) Reconstruct(x []float32, k int, out []float32) {
	d, kmax := p.Components.Dims()
	if k < 1 || k > kmax || len(x) != d || len(out) != d {
		panic(fmt.Sprintf("pca: Reconstruct from %d of %d components, %d pixels into %d, want %d", k, kmax, len(x), len(out), d))
	}
	code := make([]float64, k)
	for q := range k {
		var s float64
		for j := range d {
			s += p.Components.At(j, q) * (float64(x[j]) - p.Mean[j])
		}
		code[q] = s
	}
	for j := range d {
		r := p.Mean[j]
		for q := range k {
			r += p.Components.At(j, q) * code[q]
		}
		out[j] = float32(r)
	}
}
