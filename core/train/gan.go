package train

import (
	"fmt"
	"math"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
)

// GANRun is a GAN's training run: its Loop, whose every step is one round
// of the game on one batch (models.GAN.Step: the discriminator's update,
// then the generator's), and the two players' losses apart.
//
// It has one worker. Parallel shards one gradient per step and applies
// the average; a round of the game is two gradients with an update
// between (G's gradient is taken against the updated D), which that
// protocol cannot express without a second exchange per step.
type GANRun struct {
	*Loop
	// Last is the last step's losses; Epoch the mean of this epoch's so
	// far (of the epoch just finished, between epochs).
	Last, Epoch models.GANLosses

	sum   models.GANLosses
	steps int

	// The generator's weights and their moving average (avg nil when
	// Settings.Average is 0) over good steps of decay d, kept from 0:
	// avg/(1 − dⁿ) after n of them is the weighted mean of their weights.
	gen     []*nn.Param
	avg     [][]float32
	d       float64
	n       int
	scratch [][]float32 // the debiased average, swapped in by WithAverage
}

// GANAverage is the decay of the generator's moving average that
// latentplay train and the Train view use: an average over about the last
// thousand steps, an epoch of MNIST in batches of 64.
const GANAverage = 0.999

// Adversarial prepares a run that trains g on set, each player with its
// own optimiser of the settings' kind (Adam with β₁ = s.Beta1, for a GAN
// usually 0.5). The Loop keeps both players' last good weights if a loss
// blows up.
func Adversarial(g *models.GAN, set *data.Set, s Settings) (*GANRun, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if in := g.Inputs(); set.Dim() != in {
		return nil, fmt.Errorf("train: images have %d pixels, the model takes %d inputs", set.Dim(), in)
	}
	if s.Batch < 1 || s.Batch > 65536 {
		return nil, fmt.Errorf("train: batch size %d, want 1..65536", s.Batch)
	}
	dOpt, err := s.optimizer()
	if err != nil {
		return nil, err
	}
	gOpt, _ := s.optimizer()
	run := &GANRun{Loop: &Loop{N: set.N, Batch: s.Batch, Epochs: s.Epochs, Seed: s.Seed, Params: g.Params()}}
	if err := run.Validate(); err != nil {
		return nil, err
	}
	if s.Average > 0 {
		run.gen, run.d = g.GenParams(), s.Average
		for _, p := range run.gen {
			run.avg = append(run.avg, make([]float32, len(p.Value.Data)))
		}
	}
	decay := float32(s.Average)
	batch := NewBatcher(set, s.Batch, s.Shift, s.Seed)
	perEpoch := run.StepsPerEpoch()
	total := perEpoch * s.Epochs
	t := 0
	run.Step = func(idx []int) (models.Losses, error) {
		s.schedule(dOpt, t, total, perEpoch)
		s.schedule(gOpt, t, total, perEpoch)
		x, labels := batch.Load(idx)
		l := g.Step(x, labels, dOpt, gOpt)
		// avg ← d·avg + (1 − d)·θ, over good steps only: the Loop
		// restores the weights after a blown-up one.
		if t := l.D + l.G; run.avg != nil && !math.IsNaN(t) && !math.IsInf(t, 0) && nn.AllFinite(run.gen) {
			run.n++
			for i, p := range run.gen {
				a := run.avg[i]
				for j, v := range p.Value.Data {
					a[j] += (1 - decay) * (v - a[j])
				}
			}
		}
		t++
		run.Last = l
		run.sum.D += l.D
		run.sum.G += l.G
		run.steps++
		run.Epoch = models.GANLosses{D: run.sum.D / float64(run.steps), G: run.sum.G / float64(run.steps)}
		if run.steps == run.StepsPerEpoch() {
			run.sum, run.steps = models.GANLosses{}, 0
		}
		return l.Losses(), nil
	}
	return run, nil
}

// UseAverage puts the moving average of the generator's weights in the
// generator, when Settings.Average asked for one and a step went well;
// training on from there would start the players' game again from it.
func (r *GANRun) UseAverage() {
	if r.average() {
		for i, p := range r.gen {
			copy(p.Value.Data, r.scratch[i])
		}
	}
}

// WithAverage calls f with the moving average of the generator's weights
// in the generator (when there is one), and gives it its own back after.
func (r *GANRun) WithAverage(f func()) {
	if !r.average() {
		f()
		return
	}
	swap := func() {
		for i, p := range r.gen {
			p.Value.Data, r.scratch[i] = r.scratch[i], p.Value.Data
		}
	}
	swap()
	defer swap()
	f()
}

// average puts the debiased average, avg/(1 − dⁿ), in scratch; false if
// there is none yet.
func (r *GANRun) average() bool {
	if r.n == 0 {
		return false
	}
	if r.scratch == nil {
		for _, a := range r.avg {
			r.scratch = append(r.scratch, make([]float32, len(a)))
		}
	}
	k := float32(1 / (1 - math.Pow(r.d, float64(r.n))))
	for i, a := range r.avg {
		for j, v := range a {
			r.scratch[i][j] = k * v
		}
	}
	return true
}
