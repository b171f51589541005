package models

import "latentplay/core/tensor"

// Generative is a model with a code: an autoencoder (plain or linear), a
// VAE or a GAN (plain or conditional). labels are one class per row for a
// conditional model and nil for the others. A GAN has no encoder: its
// Codes panics with a NoEncoderError (see Encodes).
type Generative interface {
	Model
	// Latent is the code's width K.
	Latent() int
	// Codes returns each row's code: a VAE's posterior mean μ and standard
	// deviation σ; an autoencoder's code as μ, with σ = 0 (new B×K
	// matrices).
	Codes(x *tensor.Mat, labels []uint8) (mu, sigma *tensor.Mat)
	// Generate decodes each row of z to an image (a new B×Inputs matrix).
	Generate(z *tensor.Mat, labels []uint8) *tensor.Mat
}

var (
	_ Generative = (*Autoencoder)(nil)
	_ Generative = (*VAE)(nil)
	_ Generative = (*GAN)(nil)
)

// Codes is the autoencoder's code, with σ = 0.
func (a *Autoencoder) Codes(x *tensor.Mat, _ []uint8) (mu, sigma *tensor.Mat) {
	mu = a.Encode(x)
	return mu, tensor.New(mu.Rows, mu.Cols)
}

// Generate decodes codes.
func (a *Autoencoder) Generate(z *tensor.Mat, _ []uint8) *tensor.Mat { return a.Decode(z) }

// Codes is the posterior's μ and σ.
func (v *VAE) Codes(x *tensor.Mat, labels []uint8) (mu, sigma *tensor.Mat) {
	return v.Encode(x, labels)
}

// Generate decodes z to pixel probabilities.
func (v *VAE) Generate(z *tensor.Mat, labels []uint8) *tensor.Mat { return v.Decode(z, labels) }

// Conditions is how many classes a conditional model is told (its labels
// run 0..Conditions−1), and 0 for a model that takes no label.
func Conditions(m Model) int {
	switch m := m.(type) {
	case *VAE:
		return m.Cfg.Classes
	case *GAN:
		return m.Cfg.Classes
	}
	return 0
}

// Reconstructions rebuilds each row of x through its code (μ), and for a
// VAE also samples times through z = μ + σ⊙ε with ε from SampleRNG(seed):
// mean is N×Inputs, sampled samples·N×Inputs (block s holds every row's
// s-th sample; empty for an autoencoder). A GAN has none: it panics with
// a NoEncoderError.
func Reconstructions(m Generative, x *tensor.Mat, labels []uint8, samples int, seed uint64) (mean, sampled *tensor.Mat) {
	if !Encodes(m) {
		panic(&NoEncoderError{Kind: m.Kind()})
	}
	v, ok := m.(*VAE)
	if !ok || samples == 0 {
		mu, _ := m.Codes(x, labels)
		return m.Generate(mu, labels), tensor.New(0, x.Cols)
	}
	all := v.Rebuilds(x, labels, samples, SampleRNG(seed))
	n := x.Rows * x.Cols
	return tensor.FromSlice(x.Rows, x.Cols, all.Data[:n:n]), tensor.FromSlice(samples*x.Rows, x.Cols, all.Data[n:])
}

// BoxGrid is n×n points evenly spaced over the box lo..hi, rows from the
// top (large z₂), as LatentGrid lays them.
func BoxGrid(n int, lo, hi [2]float32) *tensor.Mat {
	g := tensor.New(n*n, 2)
	for i := range n {
		y := hi[1] - (hi[1]-lo[1])*(float32(i)+0.5)/float32(n)
		for j := range n {
			g.Set(i*n+j, 0, lo[0]+(hi[0]-lo[0])*(float32(j)+0.5)/float32(n))
			g.Set(i*n+j, 1, y)
		}
	}
	return g
}
