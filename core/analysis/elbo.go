package analysis

import (
	"math"

	"latentplay/core/models"
	"latentplay/core/tensor"
)

// KLPerDim is the KL divergence of each latent dimension's posterior from
// the prior, averaged over the rows of mu and sigma (N×K each):
//
//	KLⱼ = (1/N) Σᵢ ½(μᵢⱼ² + σᵢⱼ² − 1 − log σᵢⱼ²),
//
// the terms KL(N(μ, diag σ²) ‖ N(0, I)) sums to, one dimension at a time
// (the prior factorises, and so does a diagonal posterior).
func KLPerDim(mu, sigma *tensor.Mat) []float64 {
	k := mu.Cols
	out := make([]float64, k)
	for i, m := range mu.Data {
		s2 := float64(sigma.Data[i]) * float64(sigma.Data[i])
		out[i%k] += 0.5 * (float64(m)*float64(m) + s2 - 1 - math.Log(s2)) / float64(mu.Rows)
	}
	return out
}

// ELBOFigures are where a VAE sits on the trade-off its β sets between
// rebuilding digits and keeping q(z|x) near the prior, in nats a digit.
type ELBOFigures struct {
	// Recon is −E_q[log p(x|z)] and KL is KL(q(z|x) ‖ N(0, I)), the two
	// terms of the negative ELBO, with one z a digit.
	Recon, KL float64
	// PerDim is the KL of each latent dimension (KLPerDim): together
	// they make KL.
	PerDim []float64
}

// ELBOOf measures v on the rows of x, z drawn from models.SampleRNG(seed).
func ELBOOf(v *models.VAE, x *tensor.Mat, seed uint64) ELBOFigures {
	l := v.Loss(x, nil, models.SampleRNG(seed))
	mu, sigma := v.Encode(x, nil)
	return ELBOFigures{Recon: l.Recon, KL: l.KL, PerDim: KLPerDim(mu, sigma)}
}

// Active is how many latent dimensions carry more than threshold nats: a
// dimension below it has the prior for its posterior, whatever the digit,
// so it tells the decoder nothing (posterior collapse, when it is all of
// them).
func (f ELBOFigures) Active(threshold float64) int {
	n := 0
	for _, kl := range f.PerDim {
		if kl > threshold {
			n++
		}
	}
	return n
}
