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

// Rebuild shows one drawing x (784 pixels) to several models in turn, as
// the playground does, and returns their answers end to end: a
// classifier's ten class probabilities; an autoencoder's rebuild; a VAE's
// rebuild through μ and then samples rebuilds through z ~ q(z|x), drawn
// from SampleRNG(seed) afresh for each VAE; a conditional VAE's rebuild
// through μ, told the class the classifier before it reads.
func Rebuild(ms []Model, x []float32, samples int, seed uint64) ([]float32, error) {
	if samples < 0 || samples > 64 {
		return nil, fmt.Errorf("models: %d stochastic samples, want 0..64", samples)
	}
	for _, v := range x {
		if !(v >= -1e6 && v <= 1e6) {
			return nil, errors.New("models: the drawing holds NaN or infinite values")
		}
	}
	var out []float32
	img := tensor.FromSlice(1, len(x), x)
	label := -1
	for _, m := range ms {
		if m.Inputs() != len(x) {
			return nil, fmt.Errorf("models: a %s model takes %d pixels, the drawing has %d", m.Kind(), m.Inputs(), len(x))
		}
		switch m := m.(type) {
		case *Classifier:
			probs := m.Probabilities(img).Data
			out = append(out, probs...)
			label = Argmax(probs)
		case *Autoencoder:
			out = append(out, m.Reconstruct(img).Data...)
		case *VAE:
			if m.Cfg.Classes == 0 {
				out = append(out, m.Rebuilds(img, nil, samples, SampleRNG(seed)).Data...)
				continue
			}
			if label < 0 || label >= m.Cfg.Classes {
				return nil, fmt.Errorf("models: a conditional VAE needs a label: put a classifier of its %d classes before it", m.Cfg.Classes)
			}
			out = append(out, m.Rebuilds(img, []uint8{uint8(label)}, 0, nil).Data...)
		default:
			return nil, &KindError{Got: m.Kind(), Want: []string{"mlp", "ae", "linear-ae", "vae", "cvae"}}
		}
	}
	return out, nil
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
