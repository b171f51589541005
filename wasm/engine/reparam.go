package engine

import (
	"errors"
	"fmt"

	"latentplay/core/estimator"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// reparam estimates the gradient of E_{z~N(μ,σ²)}[L(z)] in μ from the same
// draws with the reparameterisation trick and without it
// (estimator.Gradients, on the decoder's reconstruction loss).
func (e *Engine) reparam(q protocol.ReparamArgs) (protocol.ReparamEstimates, error) {
	v, err := e.vae(q.Slot)
	if err != nil {
		return protocol.ReparamEstimates{}, err
	}
	if v.Conditional() {
		return protocol.ReparamEstimates{}, errors.New("a conditional VAE needs a label; use an unconditional one")
	}
	if q.Draws < 2 || q.Draws > 5000 {
		return protocol.ReparamEstimates{}, fmt.Errorf("%d draws, want 2..5000", q.Draws)
	}
	test, err := e.test()
	if err != nil {
		return protocol.ReparamEstimates{}, err
	}
	x, _, err := test.Pick([]int{q.Digit})
	if err != nil {
		return protocol.ReparamEstimates{}, err
	}
	mu, sigma := v.Encode(x, nil)
	est := estimator.Gradients(mu.Data, sigma.Data, q.Draws, models.SampleRNG(q.Seed), v.ReconLoss(x.Data))
	path, score := estimator.SpreadOf(est.Pathwise), estimator.SpreadOf(est.Score)
	return protocol.ReparamEstimates{
		Mu: mu.Data, Sigma: sigma.Data, Eps: protocol.BatchOf(est.Eps), Loss: est.Loss,
		Pathwise: protocol.BatchOf(est.Pathwise), Score: protocol.BatchOf(est.Score),
		PathMean: path.Mean, PathStd: path.Std, ScoreMean: score.Mean, ScoreStd: score.Std,
		MeanPathStd: path.MeanStd(), MeanScoreStd: score.MeanStd(), MeanLoss: est.MeanLoss(),
	}, nil
}
