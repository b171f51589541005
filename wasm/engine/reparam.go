package engine

import (
	"errors"
	"fmt"
	"math"

	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

// reparam answers OpReparam: two Monte Carlo estimates of the gradient
// of E_{z~N(μ,σ²)}[L(z)] with respect to μ, from the same draws.
//
// With z = μ + σ·ε the expectation is over ε, which does not depend on μ,
// so the gradient moves inside: ∂E[L]/∂μ = E[∂L/∂z], one decoder backward
// pass a draw (the pathwise estimate). Without the trick z is sampled
// from a distribution that depends on μ, no gradient passes the sampling,
// and the only estimate is the score function's:
// ∂E[L]/∂μ = E[L(z)·∂log q(z)/∂μ] = E[L(z)·(z − μ)/σ²].
// Both are unbiased; the point is how much each draw scatters.
func (e *Engine) reparam(req protocol.Request) ([]float32, map[string]float64, error) {
	v, err := e.vae(req.Slot)
	if err != nil {
		return nil, nil, err
	}
	if v.Conditional() {
		return nil, nil, errors.New("a conditional VAE needs a label; use an unconditional one")
	}
	s := req.Samples
	if s < 2 || s > 5000 || len(req.Index) != 1 {
		return nil, nil, fmt.Errorf("%d draws and %d digits, want 2..5000 and 1", s, len(req.Index))
	}
	testSet, err := e.test()
	if err != nil {
		return nil, nil, err
	}
	if i := req.Index[0]; i < 0 || i >= testSet.N {
		return nil, nil, fmt.Errorf("test digit %d of %d", i, testSet.N)
	}
	x, _ := pixels(testSet, req.Index)
	mu, sigma := v.Encode(x, nil)
	k := v.Cfg.Latent

	r := models.SampleRNG(req.Seed)
	eps, z := tensor.New(s, k), tensor.New(s, k)
	for i := range eps.Data {
		eps.Data[i] = float32(r.NormFloat64())
		z.Data[i] = mu.Data[i%k] + sigma.Data[i%k]*eps.Data[i]
	}
	losses, path := reconGradient(v, x, z)

	score := make([]float32, s*k)
	var loss float64
	for i, l := range losses {
		loss += float64(l) / float64(s)
		for j := range k {
			// (z − μ)/σ² = ε/σ
			score[i*k+j] = l * eps.Data[i*k+j] / sigma.Data[j]
		}
	}
	out := append(append([]float32(nil), mu.Data...), sigma.Data...)
	out = append(append(append(append(out, eps.Data...), losses...), path...), score...)
	figs := map[string]float64{
		"path_std": meanStd(path, k), "score_std": meanStd(score, k),
		"latent": float64(k), "loss": loss,
	}
	return out, figs, nil
}

// reconGradient is, for each row of z, the reconstruction loss
// L(z) = −log p(x|z) and its gradient ∂L/∂z through the decoder.
func reconGradient(v *models.VAE, x, z *tensor.Mat) (losses, grad []float32) {
	s := z.Rows
	target := tensor.New(s, x.Cols)
	for i := range s {
		copy(target.Row(i), x.Data)
	}
	logits := v.Dec.Forward(z)
	dlogits := tensor.New(s, x.Cols)
	nn.BCEWithLogits.Eval(logits, target, dlogits)
	losses = make([]float32, s)
	for i := range s {
		row := tensor.FromSlice(1, x.Cols, logits.Row(i))
		losses[i] = float32(nn.BCEWithLogits.Eval(row, tensor.FromSlice(1, x.Cols, x.Data), nil))
	}
	// The batch loss is the rows' mean, so each row's gradient came scaled
	// by 1/s.
	dz := v.Dec.Backward(dlogits)
	grad = make([]float32, len(dz.Data))
	for i, g := range dz.Data {
		grad[i] = g * float32(s)
	}
	// The backward pass also filled the decoder's weight gradients, which
	// nothing here wants: leave them as a fresh model has them.
	for _, p := range v.Dec.Params() {
		p.Grad.Zero()
	}
	return losses, grad
}

// meanStd is the standard deviation of each of the k columns of xs (rows
// of k), averaged over the columns.
func meanStd(xs []float32, k int) float64 {
	n := len(xs) / k
	var total float64
	for j := range k {
		var mean, sq float64
		for i := range n {
			mean += float64(xs[i*k+j]) / float64(n)
		}
		for i := range n {
			d := float64(xs[i*k+j]) - mean
			sq += d * d
		}
		total += math.Sqrt(sq/float64(n-1)) / float64(k)
	}
	return total
}
