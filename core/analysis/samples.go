package analysis

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// Sampler is a generative model with a prior to draw from: a VAE or a GAN,
// plain or conditional.
type Sampler interface {
	models.Model
	Sample(n int, labels []uint8, temperature float32, rng *rand.Rand) *tensor.Mat
}

// Samples draws n images from m's prior, z ~ N(0, I) from rng, in chunks
// of 500. A conditional model is asked for its classes evenly, in turn
// (0, 1, …, C−1, 0, …); asked holds those labels (nil otherwise).
func Samples(m Sampler, n int, rng *rand.Rand) (x *tensor.Mat, asked []uint8) {
	classes := models.Conditions(m)
	if classes > 0 {
		asked = make([]uint8, n)
		for i := range asked {
			asked[i] = uint8(i % classes)
		}
	}
	x = tensor.New(n, m.Inputs())
	for lo := 0; lo < n; lo += evalChunk {
		hi := min(lo+evalChunk, n)
		var ls []uint8
		if asked != nil {
			ls = asked[lo:hi]
		}
		s := m.Sample(hi-lo, ls, 1, rng)
		copy(x.Data[lo*x.Cols:hi*x.Cols], s.Data)
	}
	return x, asked
}

// SampleFigures are what a classifier reads in a generative model's
// samples: how sure it is (a blurred or broken digit leaves it unsure),
// how evenly the samples cover the classes, and, for a conditional
// model, how often it reads the class the model was asked for.
type SampleFigures struct {
	// Confidence is the mean over the samples of the largest class
	// probability.
	Confidence float64
	// Shares are the fractions of the samples the classifier reads as
	// each class; MinShare is the smallest, 1/C when coverage is even and
	// near 0 when the model has dropped a class (mode collapse).
	Shares   []float64
	MinShare float64
	// LabelAccuracy is the fraction read as the asked-for class (0 when
	// no labels were asked for).
	LabelAccuracy float64
}

// ReadSamples runs the classifier c over the images x (asked, if not
// nil, the class each was drawn as) and returns what it reads there.
func ReadSamples(c *models.Classifier, x *tensor.Mat, asked []uint8) (SampleFigures, error) {
	if x.Rows == 0 || x.Cols != c.Cfg.Inputs {
		return SampleFigures{}, fmt.Errorf("analysis: %d samples of %d pixels for a classifier of %d inputs", x.Rows, x.Cols, c.Cfg.Inputs)
	}
	if asked != nil && len(asked) != x.Rows {
		return SampleFigures{}, fmt.Errorf("analysis: %d labels for %d samples", len(asked), x.Rows)
	}
	f := SampleFigures{Shares: make([]float64, c.Cfg.Classes)}
	var right int
	for lo := 0; lo < x.Rows; lo += evalChunk {
		hi := min(lo+evalChunk, x.Rows)
		p := c.Probabilities(tensor.FromSlice(hi-lo, x.Cols, x.Data[lo*x.Cols:hi*x.Cols]))
		for i := range p.Rows {
			k := p.ArgmaxRow(i)
			f.Confidence += float64(p.At(i, k))
			f.Shares[k]++
			if asked != nil && int(asked[lo+i]) == k {
				right++
			}
		}
	}
	n := float64(x.Rows)
	f.Confidence /= n
	f.MinShare = 1
	for k := range f.Shares {
		f.Shares[k] /= n
		f.MinShare = min(f.MinShare, f.Shares[k])
	}
	if asked != nil {
		f.LabelAccuracy = float64(right) / n
	}
	return f, nil
}

// LastHidden returns the activations of c's last hidden layer (after its
// activation, dropout off) for each row of x: the features the Fréchet
// distance compares (a new x.Rows×width matrix).
func LastHidden(c *models.Classifier, x *tensor.Mat) (*tensor.Mat, error) {
	last := -1
	for i, l := range c.Net.Layers {
		if _, ok := l.(*nn.Act); ok {
			last = i
		}
	}
	if last < 0 {
		return nil, fmt.Errorf("analysis: the classifier has no hidden layer")
	}
	c.Net.SetTraining(false)
	var out *tensor.Mat
	for lo := 0; lo < x.Rows; lo += evalChunk {
		hi := min(lo+evalChunk, x.Rows)
		h := tensor.FromSlice(hi-lo, x.Cols, x.Data[lo*x.Cols:hi*x.Cols])
		for _, l := range c.Net.Layers[:last+1] {
			h = l.Forward(h)
		}
		if out == nil {
			out = tensor.New(x.Rows, h.Cols)
		}
		copy(out.Data[lo*h.Cols:hi*h.Cols], h.Data)
	}
	return out, nil
}
