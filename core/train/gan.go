package train

import (
	"fmt"

	"latentplay/core/data"
	"latentplay/core/models"
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
}

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
	batch := NewBatcher(set, s.Batch, s.Shift, s.Seed)
	perEpoch := run.StepsPerEpoch()
	total := perEpoch * s.Epochs
	t := 0
	run.Step = func(idx []int) (models.Losses, error) {
		s.schedule(dOpt, t, total, perEpoch)
		s.schedule(gOpt, t, total, perEpoch)
		x, labels := batch.Load(idx)
		l := g.Step(x, labels, dOpt, gOpt)
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
