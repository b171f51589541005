package models

import (
	"fmt"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// ReconLoss is, for one image x, the reconstruction loss of an
// unconditional VAE's decoder at each row of z,
//
//	L(z) = −log p(x|z) = Σⱼ BCE(xⱼ, σ(decoder(z)ⱼ)),
//
// with its gradient ∂L/∂z by the decoder's backward pass: the objective
// whose expectation over z ~ q(z|x) the reparameterisation trick
// differentiates (see core/estimator). The backward pass leaves the
// decoder's weight gradients as it found them, zero.
func (v *VAE) ReconLoss(x []float32) func(z *tensor.Mat) (loss []float32, grad *tensor.Mat) {
	if v.Conditional() || len(x) != v.Cfg.Inputs {
		panic(fmt.Sprintf("models: ReconLoss of a %d-pixel image by a %s of %d inputs", len(x), v.Kind(), v.Cfg.Inputs))
	}
	want := tensor.FromSlice(1, len(x), x)
	return func(z *tensor.Mat) ([]float32, *tensor.Mat) {
		s := z.Rows
		target := tensor.New(s, len(x))
		for i := range s {
			copy(target.Row(i), x)
		}
		logits := v.decode(z, nil)
		loss := make([]float32, s)
		for i := range s {
			loss[i] = float32(nn.BCEWithLogits.Eval(tensor.FromSlice(1, len(x), logits.Row(i)), want, nil))
		}
		// The batch's loss is the rows' mean, so each row's gradient
		// comes scaled by 1/s.
		dlogits := tensor.New(s, len(x))
		nn.BCEWithLogits.Eval(logits, target, dlogits)
		grad := v.Dec.Backward(dlogits).Clone()
		grad.Scale(float32(s))
		nn.ZeroGrads(v.Dec.Params())
		return loss, grad
	}
}
