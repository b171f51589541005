// Package frechet measures how far apart two sets of feature vectors lie
// as the Fréchet distance between Gaussians fitted to them, the measure
// behind FID (Heusel et al. 2017). It lives apart from analysis so that
// the browser's engine, which never computes it, does not carry gonum's
// linear algebra.
package frechet

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/tensor"
)

// Gaussian is a mean and a covariance fitted to a set of vectors.
type Gaussian struct {
	Mean []float64
	Cov  *mat.SymDense
}

// Fit returns the mean and the covariance (with 1/(n−1)) of the rows of
// x, in float64.
func Fit(x *tensor.Mat) (Gaussian, error) {
	n, d := x.Rows, x.Cols
	if n < 2 || d < 1 {
		return Gaussian{}, fmt.Errorf("frechet: %d vectors of %d values, want at least 2 of 1", n, d)
	}
	mean := make([]float64, d)
	for i := range n {
		for j, v := range x.Row(i) {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	centred := mat.NewDense(n, d, nil)
	for i := range n {
		for j, v := range x.Row(i) {
			centred.Set(i, j, float64(v)-mean[j])
		}
	}
	cov := mat.NewSymDense(d, nil)
	cov.SymOuterK(1/float64(n-1), centred.T())
	return Gaussian{Mean: mean, Cov: cov}, nil
}

// Distance is the squared Fréchet (2-Wasserstein) distance between the
// Gaussians a and b,
//
//	d² = ‖μa − μb‖² + Tr(Σa + Σb − 2(Σa^½ Σb Σa^½)^½),
//
// the figure FID reports. (Σa^½ Σb Σa^½)^½ has the trace of (ΣaΣb)^½ and
// is symmetric, so both roots come from symmetric eigendecompositions;
// eigenvalues that rounding leaves slightly negative count as 0.
func Distance(a, b Gaussian) (float64, error) {
	d := len(a.Mean)
	if len(b.Mean) != d || a.Cov.SymmetricDim() != d || b.Cov.SymmetricDim() != d {
		return 0, fmt.Errorf("frechet: Gaussians of %d and %d dimensions", d, len(b.Mean))
	}
	var d2 float64
	for j := range d {
		diff := a.Mean[j] - b.Mean[j]
		d2 += diff * diff
	}
	rootA, err := sqrtm(a.Cov)
	if err != nil {
		return 0, err
	}
	var m mat.Dense
	m.Mul(rootA, b.Cov)
	m.Mul(&m, rootA)
	sym := mat.NewSymDense(d, nil)
	for i := range d {
		for j := i; j < d; j++ {
			sym.SetSym(i, j, 0.5*(m.At(i, j)+m.At(j, i)))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(sym, false) {
		return 0, fmt.Errorf("frechet: the eigendecomposition did not converge")
	}
	var trRoot float64
	for _, l := range eig.Values(nil) {
		trRoot += math.Sqrt(max(l, 0))
	}
	return d2 + mat.Trace(a.Cov) + mat.Trace(b.Cov) - 2*trRoot, nil
}

// sqrtm is the symmetric square root V·diag(√λ)·Vᵀ of a positive
// semi-definite s.
func sqrtm(s *mat.SymDense) (*mat.Dense, error) {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		return nil, fmt.Errorf("frechet: the eigendecomposition did not converge")
	}
	vals := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	n := len(vals)
	scaled := mat.DenseCopyOf(&v)
	for j, l := range vals {
		r := math.Sqrt(max(l, 0))
		for i := range n {
			scaled.Set(i, j, scaled.At(i, j)*r)
		}
	}
	var root mat.Dense
	root.Mul(scaled, v.T())
	return &root, nil
}

// Between fits a Gaussian to each set of rows and returns their squared
// Fréchet distance.
func Between(x, y *tensor.Mat) (float64, error) {
	a, err := Fit(x)
	if err != nil {
		return 0, err
	}
	b, err := Fit(y)
	if err != nil {
		return 0, err
	}
	return Distance(a, b)
}
