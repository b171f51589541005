package models

import (
	"fmt"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// InvertLoss is the loss Invert lowers for each row of x: the mean
// squared difference per pixel between G(z) and x, both in [0, 1].
func (g *GAN) InvertLoss(z, x *tensor.Mat, labels []uint8) []float64 {
	img := g.Generate(z, labels)
	out := make([]float64, x.Rows)
	for i := range x.Rows {
		var s float64
		for j, v := range img.Row(i) {
			d := float64(v - x.Row(i)[j])
			s += d * d
		}
		out[i] = s / float64(x.Cols)
	}
	return out
}

// invertGradient returns ∂L_i/∂z_i for every row (a new B×K matrix), L_i
// the InvertLoss of row i: (G(z) − x)/D·2 through the map to [0, 1] (×½)
// and back through the generator. The generator's own gradients are left
// alone.
func (g *GAN) invertGradient(z, x *tensor.Mat, labels []uint8) *tensor.Mat {
	y := g.generate(z, labels) // tanh pixels; the layers keep this pass
	dy := tensor.New(y.Rows, y.Cols)
	for i, v := range y.Data {
		dy.Data[i] = (0.5*(v+1) - x.Data[i]) / float32(x.Cols)
	}
	dz := g.Gen.BackwardInput(dy)
	if dz.Cols == g.Cfg.Latent {
		return dz
	}
	out := tensor.New(z.Rows, g.Cfg.Latent)
	for i := range z.Rows {
		copy(out.Row(i), dz.Row(i)[:g.Cfg.Latent])
	}
	return out
}

// Invert is what a GAN has instead of an encoder: a search, for each row
// of x (pixels in [0, 1]), for the z whose image G(z) is nearest it. It
// starts from z = 0, the prior's mean, and takes steps of Adam at lr on
// InvertLoss. It returns the z found and G(z). A forward pass of an
// encoder gives a VAE's code; here every image costs steps passes through
// G and back, and finds only an image G can draw.
func (g *GAN) Invert(x *tensor.Mat, labels []uint8, steps int, lr float32) (z, img *tensor.Mat) {
	if x.Cols != g.Cfg.Inputs {
		panic(fmt.Sprintf("models: Invert: images of %d pixels, the model takes %d", x.Cols, g.Cfg.Inputs))
	}
	z = tensor.New(x.Rows, g.Cfg.Latent)
	p := &nn.Param{Name: "z", Value: z, Grad: tensor.New(x.Rows, g.Cfg.Latent)}
	opt := nn.NewAdam(lr)
	for range steps {
		copy(p.Grad.Data, g.invertGradient(z, x, labels).Data)
		opt.Step([]*nn.Param{p})
	}
	return z, g.Generate(z, labels)
}
