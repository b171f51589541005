package train

import (
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// Settings are the knobs of a training run.
type Settings struct {
	Epochs    int     `json:"epochs"`
	Batch     int     `json:"batch"`
	LR        float64 `json:"lr"`
	Optimizer string  `json:"optimizer"` // "sgd", "momentum" or "adam"
	// FinalLR, if set, decays the learning rate exponentially from LR at
	// the first step to FinalLR at the last.
	FinalLR float64 `json:"final_lr,omitempty"`
	// Shift augments each training image by a random move of up to Shift
	// pixels in x and y: a cheap way to teach translation invariance.
	Shift int    `json:"shift,omitempty"`
	Seed  uint64 `json:"seed"`
	// Beta weighs a VAE's KL term (1 gives the ELBO); WarmupEpochs raises
	// it linearly from 0 over that many epochs (KL warm-up, Bowman et al.
	// 2016; Sønderby et al. 2016), so the decoder learns to use z before
	// the prior pulls every code to the origin.
	Beta         float64 `json:"beta,omitempty"`
	WarmupEpochs float64 `json:"warmup_epochs,omitempty"`
}

// Validate reports settings no run can use, in words a person can act on.
func (s Settings) Validate() error {
	if !(s.LR > 0 && s.LR <= 10) {
		return fmt.Errorf("train: learning rate %g, want a number in (0, 10]", s.LR)
	}
	if s.FinalLR < 0 || s.FinalLR > s.LR {
		return fmt.Errorf("train: final learning rate %g, want 0..%g", s.FinalLR, s.LR)
	}
	if s.Shift < 0 || s.Shift > 8 {
		return fmt.Errorf("train: shift %d, want 0..8 pixels", s.Shift)
	}
	if !(s.Beta >= 0 && s.Beta <= 1000) {
		return fmt.Errorf("train: β = %g, want 0..1000", s.Beta)
	}
	if !(s.WarmupEpochs >= 0 && s.WarmupEpochs <= 10000) {
		return fmt.Errorf("train: warm-up of %g epochs, want 0..10000", s.WarmupEpochs)
	}
	return nil
}

// schedule sets the optimiser's learning rate for step t of total.
func (s Settings) schedule(opt nn.Optimizer, t, total int) {
	lr := s.LR
	if s.FinalLR > 0 && total > 1 {
		lr = s.LR * math.Pow(s.FinalLR/s.LR, float64(t)/float64(total-1))
	}
	opt.SetLR(float32(lr))
}

// Model prepares a run that trains m on set, each model with its own loss.
func Model(m models.Trainable, set *data.Set, s Settings) (*Loop, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if in := m.Inputs(); set.Dim() != in {
		return nil, fmt.Errorf("train: images have %d pixels, the model takes %d inputs", set.Dim(), in)
	}
	opt, err := nn.NewOptimizer(s.Optimizer, float32(s.LR))
	if err != nil {
		return nil, err
	}
	params := m.Params()
	vae, _ := m.(*models.VAE)
	l := &Loop{N: set.N, Batch: s.Batch, Epochs: s.Epochs, Seed: s.Seed, Params: params}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	batch := NewBatcher(set, s.Batch, s.Shift, s.Seed)
	total := l.StepsPerEpoch() * s.Epochs
	t := 0
	warmup := int(s.WarmupEpochs * float64(l.StepsPerEpoch()))
	l.Step = func(idx []int) (models.Losses, error) {
		x, labels := batch.Load(idx)
		if vae != nil {
			vae.Beta = float32(s.Beta * min(1, float64(t+1)/float64(warmup+1)))
		}
		loss := m.Gradient(x, labels)
		s.schedule(opt, t, total)
		opt.Step(params)
		t++
		return loss, nil
	}
	return l, nil
}

// Batcher copies mini-batches of a set into reused buffers, optionally
// shifting each image by a random few pixels.
type Batcher struct {
	set    *data.Set
	shift  int
	rng    *rand.Rand
	x      *tensor.Mat
	labels []uint8
}

// NewBatcher returns a batcher for batches of up to size images.
func NewBatcher(set *data.Set, size, shift int, seed uint64) *Batcher {
	return &Batcher{
		set: set, shift: shift, rng: rand.New(rand.NewPCG(seed, 0xba7c4)),
		x: tensor.New(size, set.Dim()), labels: make([]uint8, size),
	}
}

// Load fills the batch with the images idx and returns it (len(idx)×Dim)
// with their labels; both are reused by the next call.
func (b *Batcher) Load(idx []int) (*tensor.Mat, []uint8) {
	b.x.Reshape(len(idx), b.set.Dim())
	labels := b.labels[:len(idx)]
	if b.shift == 0 {
		b.set.Batch(idx, b.x.Data, labels)
		return b.x, labels
	}
	for k, i := range idx {
		dx := b.rng.IntN(2*b.shift+1) - b.shift
		dy := b.rng.IntN(2*b.shift+1) - b.shift
		b.set.Shift(b.x.Row(k), i, dx, dy)
		labels[k] = b.set.Labels[i]
	}
	return b.x, labels
}
