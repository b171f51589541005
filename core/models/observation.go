package models

import (
	"fmt"
	"math"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// A VAE's observation model p(x|z), the likelihood its reconstruction
// term is the negative log of.
const (
	// ObsBernoulli treats each pixel intensity as the probability of a
	// coin: −log p(x|z) is the binary cross-entropy of x against
	// σ(logits), summed over the pixels. Files written before the setting
	// existed say nothing and mean this.
	ObsBernoulli = "bernoulli"
	// ObsGaussian is the lecture's p(x|z) = N(x; G(z), η·I) (slide 24):
	//
	//	−log p(x|z) = |x − G(z)|²/(2η) + (D/2)·log(2πη),
	//
	// with G(z) = σ(logits). G is the sigmoid of the decoder's read-out
	// rather than the read-out itself so that the mean stays a pixel
	// intensity in [0, 1], as the data are: the decoder, its start from
	// the mean image (StartFromMean), Decode and every picture drawn from
	// it are then the Bernoulli model's, and only the likelihood differs.
	// With the raw read-out a rebuild could leave [0, 1] and would be
	// shown clipped.
	ObsGaussian = "gaussian"
)

// EtaMin and EtaMax bound the Gaussian model's variance η. At 10⁻³ the
// likelihood's spread (√η ≈ 0.03) is already near the 1/255 steps of the
// pixels; at 10 a pixel wrong by the whole range costs 0.05 nats, and the
// KL term wins outright.
const (
	EtaMin = 1e-3
	EtaMax = 10.0
)

// Gaussian reports whether the configuration's observation model is the
// Gaussian one.
func (c VAEConfig) Gaussian() bool { return c.Obs == ObsGaussian }

// validateObs reports an observation model no VAE should be built with.
func (c VAEConfig) validateObs(kind string) error {
	switch c.Obs {
	case "", ObsBernoulli:
		if c.Eta != 0 {
			return &ConfigError{Kind: kind, Reason: fmt.Sprintf("η = %g with the Bernoulli observation model, which has no variance (η belongs to the Gaussian one)", c.Eta)}
		}
	case ObsGaussian:
		if !(c.Eta >= EtaMin && c.Eta <= EtaMax) {
			return &ConfigError{Kind: kind, Reason: fmt.Sprintf("η = %g, want %g..%g: the variance of p(x|z) = N(x; G(z), η·I) for pixels in [0, 1]", c.Eta, EtaMin, EtaMax)}
		}
	default:
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("observation model %q, want %q or %q", c.Obs, ObsBernoulli, ObsGaussian)}
	}
	return nil
}

// ObsName describes a configuration's observation model for a person.
func (c VAEConfig) ObsName() string {
	if c.Gaussian() {
		return fmt.Sprintf("Gaussian, η = %g", c.Eta)
	}
	return "Bernoulli"
}

// reconLoss is −log p(x|z) under v's observation model, summed over the
// pixels and averaged over the rows, for the decoder's logits; with grad
// non-nil it also writes ∂/∂logits of that mean.
func (v *VAE) reconLoss(logits, x, grad *tensor.Mat) float64 {
	if !v.Cfg.Gaussian() {
		return nn.BCEWithLogits.Eval(logits, x, grad)
	}
	return gaussianNLL(logits, x, grad, v.Cfg.Eta)
}

// gaussianNLL is the mean over rows of |x − σ(logits)|²/(2η) +
// (D/2)·log(2πη); its gradient by the logits is (σ − x)·σ(1 − σ)/η over
// the rows' count.
func gaussianNLL(logits, x, grad *tensor.Mat, eta float64) float64 {
	if !tensor.SameShape(logits, x) || grad != nil && !tensor.SameShape(logits, grad) {
		panic(fmt.Sprintf("models: Gaussian likelihood of %v against %v (gradient %v)", logits, x, grad))
	}
	rows := float64(x.Rows)
	var sq float64
	for i, l := range logits.Data {
		m := 1 / (1 + math.Exp(-float64(l)))
		d := m - float64(x.Data[i])
		sq += d * d
		if grad != nil {
			grad.Data[i] = float32(d * m * (1 - m) / (eta * rows))
		}
	}
	return sq/(2*eta)/rows + 0.5*float64(x.Cols)*math.Log(2*math.Pi*eta)
}
