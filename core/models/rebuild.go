package models

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// SampleRNG is the random source a seed names for the stochastic rebuilds:
// the same seed gives the same z wherever the rebuild runs.
func SampleRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// Rebuilds encodes each row of x once and decodes μ and samples draws
// z = μ + σ⊙ε, ε from rng, as one batch: the rows' rebuilds through μ,
// then samples blocks of rebuilds through sampled z (a new
// (1+samples)·N×Inputs matrix).
func (v *VAE) Rebuilds(x *tensor.Mat, labels []uint8, samples int, rng *rand.Rand) *tensor.Mat {
	mu, sigma := v.Encode(x, labels)
	n, k := mu.Rows, mu.Cols
	z := tensor.New((1+samples)*n, k)
	copy(z.Data, mu.Data)
	for s := 1; s <= samples; s++ {
		block := z.Data[s*n*k : (s+1)*n*k]
		for i := range block {
			block[i] = mu.Data[i] + sigma.Data[i]*float32(rng.NormFloat64())
		}
	}
	var zl []uint8
	for range 1 + samples {
		zl = append(zl, labels...)
	}
	return v.Decode(z, zl)
}

// Rebuilt is what the playground's models make of one drawing.
type Rebuilt struct {
	// Class is the classifier's reading (−1 without a classifier), Probs
	// its ten class probabilities.
	Class int
	Probs []float32
	// Images are the generative models' rebuilds in order: one for an
	// autoencoder or a conditional VAE, 1 + samples for a VAE (through μ,
	// then through sampled z).
	Images []*tensor.Mat
}

// Rebuild shows one drawing x (784 pixels) to several models in turn, as
// the playground does: a classifier reads it; an autoencoder rebuilds it;
// a VAE rebuilds it through μ and then samples times through z ~ q(z|x),
// drawn from SampleRNG(seed) afresh for each VAE; a conditional VAE
// rebuilds it through μ, told the class the classifier before it reads.
func Rebuild(ms []Model, x []float32, samples int, seed uint64) (Rebuilt, error) {
	out := Rebuilt{Class: -1}
	if samples < 0 || samples > 64 {
		return out, fmt.Errorf("models: %d stochastic samples, want 0..64", samples)
	}
	if !Finite(x) {
		return out, errors.New("models: the drawing holds NaN or infinite values")
	}
	img := tensor.FromSlice(1, len(x), x)
	for _, m := range ms {
		if m.Inputs() != len(x) {
			return out, fmt.Errorf("models: a %s model takes %d pixels, the drawing has %d", m.Kind(), m.Inputs(), len(x))
		}
		switch m := m.(type) {
		case *Classifier:
			out.Probs = m.Probabilities(img).Clone().Data
			out.Class = Argmax(out.Probs)
		case *Autoencoder:
			out.Images = append(out.Images, m.Reconstruct(img))
		case *VAE:
			if m.Cfg.Classes == 0 {
				out.Images = append(out.Images, m.Rebuilds(img, nil, samples, SampleRNG(seed)))
				continue
			}
			if out.Class < 0 || out.Class >= m.Cfg.Classes {
				return out, fmt.Errorf("models: a conditional VAE needs a label: put a classifier of its %d classes before it", m.Cfg.Classes)
			}
			out.Images = append(out.Images, m.Rebuilds(img, []uint8{uint8(out.Class)}, 0, nil))
		default:
			return out, &KindError{Got: m.Kind(), Want: []string{"mlp", "ae", "linear-ae", "vae", "cvae"}}
		}
	}
	return out, nil
}

// Finite reports whether every value is a number of sensible size (no
// NaN, no infinity, none beyond ±1e6): what a model may be shown.
func Finite(xs []float32) bool {
	for _, v := range xs {
		if !(v >= -1e6 && v <= 1e6) {
			return false
		}
	}
	return true
}

// Argmax is the class a classifier's probabilities pick.
func Argmax(xs []float32) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}
