package linearae

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/models"
	"latentplay/core/pca"
	"latentplay/core/tensor"
)

// Columns is a linear autoencoder's decoder U (D×K) as K rows of D
// values: column k of U, the image code unit k adds to x̂ (for a digit,
// a 28×28 image of signed weights).
func Columns(a *models.Autoencoder) (*tensor.Mat, error) {
	if !a.Cfg.Linear {
		return nil, fmt.Errorf("linearae: a %s has no matrix U", a.Kind())
	}
	return a.Decoder().Transpose(), nil
}

// Components is PCA's first k principal directions as k rows of D values.
func Components(p *pca.PCA, k int) (*tensor.Mat, error) {
	d, kmax := p.Components.Dims()
	if k < 1 || k > kmax {
		return nil, fmt.Errorf("linearae: %d components of a fit with %d", k, kmax)
	}
	out := tensor.New(k, d)
	for q := range k {
		row := out.Row(q)
		for j := range d {
			row[j] = float32(p.Components.At(j, q))
		}
	}
	return out, nil
}

// SubspaceAngles are the principal angles in degrees, ascending, between
// the subspace U's columns span and PCA's first K components, K being the
// autoencoder's code width: all near 0 when it has learnt PCA's subspace,
// whatever mix of the components its columns are.
func SubspaceAngles(a *models.Autoencoder, p *pca.PCA) ([]float64, error) {
	u, err := Columns(a)
	if err != nil {
		return nil, err
	}
	k := u.Rows
	d, kmax := p.Components.Dims()
	if u.Cols != d || k > kmax {
		return nil, fmt.Errorf("linearae: U of %d×%d against %d components of %d values", u.Cols, k, kmax, d)
	}
	um := mat.NewDense(d, k, nil)
	for q := range k {
		for j, v := range u.Row(q) {
			um.Set(j, q, float64(v))
		}
	}
	return pca.PrincipalAngles(um, p.Components.Slice(0, d, 0, k))
}

// Rebuilds are one image rebuilt three ways and each one's error.
type Rebuilds struct {
	// Images are the image rebuilt by the linear autoencoder, by PCA from
	// as many components as its code has, and by the deep autoencoder, a
	// row each.
	Images *tensor.Mat
	// MSE is each rebuild's mean squared error per pixel against the
	// image, in the same order.
	MSE [3]float64
}

// RebuildThree rebuilds x (one image of D values) by the linear
// autoencoder, by PCA keeping as many components as the linear one's code
// has, and by the deep autoencoder.
func RebuildThree(linear, deep *models.Autoencoder, p *pca.PCA, x []float32) (Rebuilds, error) {
	d, kmax := p.Components.Dims()
	k := linear.Latent()
	switch {
	case !linear.Cfg.Linear || deep.Cfg.Linear:
		return Rebuilds{}, fmt.Errorf("linearae: want a linear and a deep autoencoder, not a %s and a %s", linear.Kind(), deep.Kind())
	case len(x) != d || linear.Inputs() != d || deep.Inputs() != d:
		return Rebuilds{}, fmt.Errorf("linearae: an image of %d values, models of %d and %d, PCA of %d", len(x), linear.Inputs(), deep.Inputs(), d)
	case k > kmax:
		return Rebuilds{}, fmt.Errorf("linearae: a code of %d numbers against %d components", k, kmax)
	}
	one := tensor.FromSlice(1, d, x)
	r := Rebuilds{Images: tensor.New(3, d)}
	copy(r.Images.Row(0), linear.Reconstruct(one).Data)
	p.Reconstruct(x, k, r.Images.Row(1))
	copy(r.Images.Row(2), deep.Reconstruct(one).Data)
	for i := range 3 {
		r.MSE[i] = pca.MSE(r.Images.Row(i), x)
	}
	return r, nil
}
