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
	// HalfLife, if set, halves the learning rate every HalfLife epochs,
	// smoothly step by step, however many epochs the run has: large steps
	// while the loss falls fast, smaller ones as it settles.
	HalfLife float64 `json:"half_life_epochs,omitempty"`
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
	// Beta1 is Adam's β₁, the decay of its running mean of the gradient;
	// 0 leaves the paper's 0.9. GANs train with 0.5 (Radford et al. 2016),
	// so that the step follows the other player's moves sooner.
	Beta1 float64 `json:"beta1,omitempty"`
	// Average, for a GAN, keeps an exponential moving average of the
	// generator's weights with this decay per step (Yazıcı et al. 2019),
	// which GANRun.UseAverage puts in the generator when training ends:
	// it smooths the players' back-and-forth out of the images. 0 keeps
	// the last step's weights.
	Average float64 `json:"average,omitempty"`
}

// QuickVAE is the recipe the Train view offers a VAE by default: PyTorch
// examples/vae's batches of 128 with Adam at 5e-3 halving every epoch,
// where examples/vae keeps 1e-3. On all of MNIST its 784-400-20 VAE's
// −ELBO over the test digits is below 110 nats after two epochs (109.1,
// 108.9 and 109.4 nats with seeds 1, 2 and 3), where 1e-3 takes three
// (110.1 after three with seed 1); TestQuickVAEReaches110 holds it there.
var QuickVAE = Settings{Epochs: 2, Batch: 128, LR: 5e-3, HalfLife: 1, Optimizer: "adam", Seed: 1, Beta: 1}

// Validate reports settings no run can use, in words a person can act on.
func (s Settings) Validate() error {
	if !(s.LR > 0 && s.LR <= 10) {
		return fmt.Errorf("train: learning rate %g, want a number in (0, 10]", s.LR)
	}
	if s.FinalLR < 0 || s.FinalLR > s.LR {
		return fmt.Errorf("train: final learning rate %g, want 0..%g", s.FinalLR, s.LR)
	}
	if !(s.Average >= 0 && s.Average < 1) {
		return fmt.Errorf("train: average's decay %g, want [0, 1)", s.Average)
	}
	if !(s.HalfLife >= 0 && s.HalfLife <= 10000) {
		return fmt.Errorf("train: a learning rate halving every %g epochs, want 0 (never) to 10000", s.HalfLife)
	}
	if s.HalfLife > 0 && s.FinalLR > 0 {
		return fmt.Errorf("train: a final learning rate and a half-life: choose one schedule")
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
	if !(s.Beta1 >= 0 && s.Beta1 < 1) {
		return fmt.Errorf("train: Adam's β₁ = %g, want [0, 1)", s.Beta1)
	}
	if s.Beta1 != 0 && s.Optimizer != "adam" {
		return fmt.Errorf("train: β₁ is Adam's; the optimiser is %q", s.Optimizer)
	}
	return nil
}

// optimizer is the settings' optimiser at their learning rate.
func (s Settings) optimizer() (nn.Optimizer, error) {
	opt, err := nn.NewOptimizer(s.Optimizer, float32(s.LR))
	if a, ok := opt.(*nn.Adam); ok && s.Beta1 != 0 {
		a.Beta1 = float32(s.Beta1)
	}
	return opt, err
}

// schedule sets the optimiser's learning rate for step t (from 0) of
// total, epochs being perEpoch steps long.
func (s Settings) schedule(opt nn.Optimizer, t, total, perEpoch int) {
	opt.SetLR(float32(s.rate(t, total, perEpoch)))
}

// rate is the learning rate at step t of total, epochs being perEpoch
// steps long.
func (s Settings) rate(t, total, perEpoch int) float64 {
	switch {
	case s.FinalLR > 0 && total > 1:
		return s.LR * math.Pow(s.FinalLR/s.LR, float64(t)/float64(total-1))
	case s.HalfLife > 0 && perEpoch > 0:
		return s.LR * math.Exp2(-float64(t)/(s.HalfLife*float64(perEpoch)))
	}
	return s.LR
}

// Model prepares a run that trains m on set, each model with its own loss.
func Model(m models.Trainable, set *data.Set, s Settings) (*Loop, error) {
	r, err := NewReplica(m, set, s)
	if err != nil {
		return nil, err
	}
	l := &Loop{N: set.N, Batch: s.Batch, Epochs: s.Epochs, Seed: s.Seed, Params: r.params}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	t := 0
	l.Step = func(idx []int) (models.Losses, error) {
		loss := r.Gradient(t, idx, 0, len(idx))
		r.Apply(t)
		t++
		return loss, nil
	}
	return l, nil
}

// A Replica is one worker's copy of a model in training: its optimiser
// and its batches. Data-parallel workers each hold one, built from the
// same seed; each computes the gradient of its shard of every batch, and
// all apply the same averaged gradient, so the copies stay equal.
type Replica struct {
	m      models.Trainable
	vae    *models.VAE
	params []*nn.Param
	grads  []float32 // the parameters' gradients, which are views of it
	opt    nn.Optimizer
	batch  *Batcher // nil for a helper, whose shards bring their rows
	n      int      // examples the run trains on
	s      Settings
	total  int // steps in the run, for the learning-rate schedule
	steps  int // steps an epoch
	warmup int // steps of KL warm-up
}

// NewReplica prepares m for training on set.
func NewReplica(m models.Trainable, set *data.Set, s Settings) (*Replica, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if in := m.Inputs(); set.Dim() != in {
		return nil, fmt.Errorf("train: images have %d pixels, the model takes %d inputs", set.Dim(), in)
	}
	r, err := newReplica(m, set.N, s)
	if err == nil {
		r.batch = NewBatcher(set, s.Batch, s.Shift, s.Seed)
	}
	return r, err
}

// NewShardReplica prepares m for training as a helper that holds no
// images: each shard brings its rows (GradientOf). n is how many examples
// the run trains on, which sets its schedule. Without images a helper
// cannot shift them, so s.Shift must be 0.
func NewShardReplica(m models.Trainable, n int, s Settings) (*Replica, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("train: %d examples to train on", n)
	}
	if s.Shift != 0 {
		return nil, fmt.Errorf("train: a helper without the images cannot shift them (shift %d)", s.Shift)
	}
	return newReplica(m, n, s)
}

func newReplica(m models.Trainable, n int, s Settings) (*Replica, error) {
	if s.Batch < 1 || s.Batch > 65536 {
		return nil, fmt.Errorf("train: batch size %d, want 1..65536", s.Batch)
	}
	opt, err := s.optimizer()
	if err != nil {
		return nil, err
	}
	r := &Replica{m: m, params: m.Params(), opt: opt, n: n, s: s}
	r.grads = nn.FlattenGrads(r.params)
	r.vae, _ = m.(*models.VAE)
	steps := (n + s.Batch - 1) / s.Batch
	r.total, r.steps = steps*s.Epochs, steps
	r.warmup = int(s.WarmupEpochs * float64(steps))
	return r, nil
}

// N is the number of examples the replica trains on.
func (r *Replica) N() int { return r.n }

// Inputs is the width of the model's input, an image's pixels.
func (r *Replica) Inputs() int { return r.m.Inputs() }

// Params are the replica's model parameters.
func (r *Replica) Params() []*nn.Param { return r.params }

// Grads is the gradient the parameters hold, as one slice laid out as
// nn.Grads lays it out: not a copy, so what is written to it is what
// Apply applies.
func (r *Replica) Grads() []float32 { return r.grads }

// Gradient computes, at step t, the gradient of rows [lo, hi) of the batch
// idx into the parameters' gradients, and returns those rows' mean losses.
func (r *Replica) Gradient(t int, idx []int, lo, hi int) models.Losses {
	x, labels := r.batch.LoadShard(idx, lo, max(lo, hi)) // an empty shard still draws the batch's shifts
	return r.GradientOf(t, x, labels, lo, len(idx))
}

// GradientOf computes, at step t, the gradient of the rows x (labels ls)
// into the parameters' gradients, x being rows [lo, lo+x.Rows) of a batch
// of of rows, and returns their mean losses.
func (r *Replica) GradientOf(t int, x *tensor.Mat, ls []uint8, lo, of int) models.Losses {
	if x.Rows == 0 { // an empty shard: keep the noise in step
		if r.vae != nil {
			for range of * r.vae.Cfg.Latent {
				r.vae.Noise.NormFloat64()
			}
		}
		nn.ZeroGrads(r.params)
		return models.Losses{}
	}
	if r.vae != nil {
		r.vae.Beta = float32(r.s.Beta * min(1, float64(t+1)/float64(r.warmup+1)))
		r.vae.ShardLo, r.vae.ShardOf = lo, of
	}
	return r.m.Gradient(x, ls)
}

// Apply takes step t of the optimiser with the gradients the parameters
// hold (and clears them).
func (r *Replica) Apply(t int) {
	r.s.schedule(r.opt, t, r.total, r.steps)
	r.opt.Step(r.params)
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
func (b *Batcher) Load(idx []int) (*tensor.Mat, []uint8) { return b.LoadShard(idx, 0, len(idx)) }

// LoadShard loads rows [lo, hi) of the batch idx. Random shifts are drawn
// for the whole batch, so every shard of a batch is what Load would give.
func (b *Batcher) LoadShard(idx []int, lo, hi int) (*tensor.Mat, []uint8) {
	b.x.Reshape(hi-lo, b.set.Dim())
	labels := b.labels[:hi-lo]
	if b.shift == 0 {
		b.set.Batch(idx[lo:hi], b.x.Data, labels)
		return b.x, labels
	}
	for k, i := range idx {
		dx := b.rng.IntN(2*b.shift+1) - b.shift
		dy := b.rng.IntN(2*b.shift+1) - b.shift
		if k >= lo && k < hi {
			b.set.Shift(b.x.Row(k-lo), i, dx, dy)
			labels[k-lo] = b.set.Labels[i]
		}
	}
	return b.x, labels
}
