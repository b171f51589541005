package pca

import (
	"fmt"

	"latentplay/core/tensor"
)

// A Coder rebuilds images through a code of Latent numbers: an
// autoencoder (models.Autoencoder is one).
type Coder interface {
	Latent() int
	Reconstruct(x *tensor.Mat) *tensor.Mat
}

// Comparison holds coders against PCA keeping as many components as each
// has latents.
type Comparison struct {
	Latents []int // each coder's K
	// Coder and PCA are the mean squared errors per pixel on the test
	// images, one per coder.
	Coder, PCA []float64
	// CoderRebuilt and PCARebuilt are the image shown, rebuilt by each
	// coder and by PCA with as many components (one row per coder).
	CoderRebuilt, PCARebuilt *tensor.Mat
}

// MSE is the mean squared difference of two equally long stacks of
// values, (1/n) Σᵢ (gotᵢ − wantᵢ)².
func MSE(got, want []float32) float64 {
	if len(got) != len(want) || len(got) == 0 {
		panic(fmt.Sprintf("pca: MSE of %d values against %d", len(got), len(want)))
	}
	var s float64
	for i, v := range got {
		d := float64(v) - float64(want[i])
		s += d * d
	}
	return s / float64(len(got))
}

// Rebuild is each row of x rebuilt from its first k principal components
// (Reconstruct, row by row; a new matrix).
func (p *PCA) Rebuild(x *tensor.Mat, k int) *tensor.Mat {
	out := tensor.New(x.Rows, x.Cols)
	for i := range x.Rows {
		p.Reconstruct(x.Row(i), k, out.Row(i))
	}
	return out
}

// Compare scores each coder, and PCA with as many components, on the test
// images x by the mean squared error per pixel,
//
//	MSE = (1/(N·D)) Σᵢ ‖x̂ᵢ − xᵢ‖²,
//
// and rebuilds the image show with both at each K. PCA's is the least
// error any linear code of K numbers can reach on data like the set p was
// fit on, which is what a nonlinear code has to beat.
func (p *PCA) Compare(coders []Coder, x *tensor.Mat, show []float32) (Comparison, error) {
	d, kmax := p.Components.Dims()
	if x.Cols != d || len(show) != d {
		return Comparison{}, fmt.Errorf("pca: images of %d and %d pixels, the fit's of %d", x.Cols, len(show), d)
	}
	one := tensor.FromSlice(1, d, show)
	c := Comparison{
		Latents: make([]int, len(coders)), Coder: make([]float64, len(coders)), PCA: make([]float64, len(coders)),
		CoderRebuilt: tensor.New(len(coders), d), PCARebuilt: tensor.New(len(coders), d),
	}
	for i, a := range coders {
		k := a.Latent()
		if k < 1 || k > kmax {
			return Comparison{}, fmt.Errorf("pca: a code of %d numbers against %d components", k, kmax)
		}
		c.Latents[i] = k
		c.Coder[i] = MSE(a.Reconstruct(x).Data, x.Data)
		c.PCA[i] = MSE(p.Rebuild(x, k).Data, x.Data)
		copy(c.CoderRebuilt.Row(i), a.Reconstruct(one).Data)
		p.Reconstruct(show, k, c.PCARebuilt.Row(i))
	}
	return c, nil
}
