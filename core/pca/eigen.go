package pca

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/data"
)

// FitCovariance finds the same top-k principal components as Fit, from
// the eigenvectors of the D×D covariance matrix rather than an SVD of the
// N×D data: for N well above D (thousands of 784-pixel digits) it is the
// cheaper route, and the one quick enough for the browser.
func FitCovariance(set *data.Set, k int) (*PCA, error) {
	d := set.Dim()
	if k < 1 || k > d || set.N < 2 {
		return nil, fmt.Errorf("pca: %d components of %d %d-pixel images", k, set.N, d)
	}
	p := &PCA{Mean: make([]float64, d)}
	set.EachImage(func(_ int, img []float32) {
		for j, v := range img {
			p.Mean[j] += float64(v) / float64(set.N)
		}
	})
	x := mat.NewDense(set.N, d, nil)
	set.EachImage(func(i int, img []float32) {
		row := x.RawRowView(i)
		for j, v := range img {
			row[j] = float64(v) - p.Mean[j]
		}
	})
	// C = XᵀX / (N − 1), the sample covariance stat.PC's variances use.
	var cov mat.SymDense
	cov.SymOuterK(1/float64(set.N-1), x.T())
	var eig mat.EigenSym
	if !eig.Factorize(&cov, true) {
		return nil, fmt.Errorf("pca: the covariance's eigendecomposition did not converge")
	}
	vals := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	p.Variances = make([]float64, d)
	p.Components = mat.NewDense(d, k, nil)
	for q := range d {
		p.Variances[q] = vals[d-1-q]
		if q < k {
			for j := range d {
				p.Components.Set(j, q, vecs.At(j, d-1-q))
			}
		}
	}
	return p, nil
}
