package pca

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"latentplay/core/data"
)

// PCA is the top-K principal subspace of a set of images.
type PCA struct {
	Mean       []float64
	Components *mat.Dense // D×K, orthonormal columns: the principal directions
	Variances  []float64  // all D variances, largest first
}

// Fit finds the top-k principal components of set with gonum's stat.PC
// (an SVD of the centred data).
func Fit(set *data.Set, k int) (*PCA, error) {
	d := set.Dim()
	if k < 1 || k > d {
		return nil, fmt.Errorf("pca: %d components of %d-pixel images", k, d)
	}
	x := mat.NewDense(set.N, d, nil)
	set.EachImage(func(i int, img []float32) {
		row := x.RawRowView(i)
		for j, v := range img {
			row[j] = float64(v)
		}
	})
	var pc stat.PC
	if ok := pc.PrincipalComponents(x, nil); !ok {
		return nil, fmt.Errorf("pca: PCA's SVD did not converge")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	p := &PCA{Mean: make([]float64, d), Variances: pc.VarsTo(nil)}
	p.Components = mat.DenseCopyOf(vecs.Slice(0, d, 0, k))
	set.EachImage(func(_ int, img []float32) {
		for j, v := range img {
			p.Mean[j] += float64(v)
		}
	})
	for j := range p.Mean {
		p.Mean[j] /= float64(set.N)
	}
	return p, nil
}

// MSE is the mean squared error per pixel of reconstructing set from its
// projection onto the principal subspace: x̂ = m + W·Wᵀ(x − m).
func (p *PCA) MSE(set *data.Set) float64 {
	d, k := p.Components.Dims()
	c := make([]float64, d)
	code := make([]float64, k)
	var sum float64
	set.EachImage(func(_ int, img []float32) {
		for j := range c {
			c[j] = float64(img[j]) - p.Mean[j]
		}
		for q := range k {
			var s float64
			for j := range d {
				s += p.Components.At(j, q) * c[j]
			}
			code[q] = s
		}
		for j := range d {
			var r float64
			for q := range k {
				r += p.Components.At(j, q) * code[q]
			}
			e := c[j] - r
			sum += e * e
		}
	})
	return sum / float64(set.N*d)
}

// PrincipalAngles returns the principal angles, in degrees and ascending,
// between the column spaces of a and b (both D×K): the arc-cosines of the
// singular values of Qaᵀ·Qb, where Qa and Qb are orthonormal bases from QR
// (Björck & Golub 1973). 0° everywhere means the same subspace.
func PrincipalAngles(a, b mat.Matrix) ([]float64, error) {
	qa, err := orthonormalBasis(a)
	if err != nil {
		return nil, err
	}
	qb, err := orthonormalBasis(b)
	if err != nil {
		return nil, err
	}
	var m mat.Dense
	m.Mul(qa.T(), qb)
	var svd mat.SVD
	if !svd.Factorize(&m, mat.SVDNone) {
		return nil, fmt.Errorf("pca: SVD for principal angles did not converge")
	}
	s := svd.Values(nil) // descending, so the angles come out ascending
	angles := make([]float64, len(s))
	for i, v := range s {
		angles[i] = math.Acos(math.Min(1, v)) * 180 / math.Pi
	}
	return angles, nil
}

func orthonormalBasis(a mat.Matrix) (*mat.Dense, error) {
	r, c := a.Dims()
	if r < c {
		return nil, fmt.Errorf("pca: a %d×%d matrix has no %d-dimensional column space", r, c, c)
	}
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	return mat.DenseCopyOf(q.Slice(0, r, 0, c)), nil
}
