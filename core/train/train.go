// Package train runs the mini-batch loop shared by every model: shuffle,
// step, report progress, guard against divergence, and stop or pause on
// request.
//
// The loop is a stepper rather than a blocking call: Next trains one batch
// and returns, so the browser engine can interleave training with the
// messages that pause or stop it, while the CLI simply calls Run.
package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"latentplay/core/models"
	"latentplay/core/nn"
)

// StepFunc trains on the examples idx (computing gradients and applying the
// update) and returns the batch's losses before the update.
type StepFunc func(idx []int) (models.Losses, error)

// Progress is what a run reports as it goes.
type Progress struct {
	Epoch, Epochs int           // epoch in progress, from 1
	Step, Steps   int           // batches done in this epoch, batches per epoch
	Samples       int           // examples trained on so far
	Loss          models.Losses // the last batch's
	// EpochLoss is the mean of the batch losses so far in this epoch.
	EpochLoss     models.Losses
	SamplesPerSec float64
	Elapsed, ETA  time.Duration
}

// Loop trains over N examples in shuffled batches for Epochs epochs.
type Loop struct {
	N, Batch, Epochs int
	Seed             uint64
	Step             StepFunc
	// Params are copied every SnapshotEvery steps (default 100) and
	// restored if the loss diverges, so the model is never left broken.
	Params        []*nn.Param
	SnapshotEvery int
	// EndEpoch, if set, runs after each epoch (evaluation, a learning-rate
	// schedule); an error ends the run.
	EndEpoch func(epoch int) error

	rng       *rand.Rand
	perm, idx []int
	epoch     int // from 0
	pos       int // next index into perm
	step      int
	samples   int
	sum       models.Losses
	start     time.Time
	snapshot  [][]float32
	lastLoss  models.Losses
	lastEpoch models.Losses // the mean of the epoch before this one
	started   bool
	finished  bool
}

// DivergedError reports a loss that became NaN or infinite, nearly always a
// learning rate too large for the model.
type DivergedError struct {
	Epoch, Step int
	Loss        float64
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("train: the loss became %v at epoch %d, step %d: the learning rate is too high for this model; the weights from before the blow-up are kept", e.Loss, e.Epoch, e.Step)
}

// Validate reports settings no run can use.
func (l *Loop) Validate() error {
	switch {
	case l.N < 1:
		return fmt.Errorf("train: no examples to train on")
	case l.Batch < 1 || l.Batch > 65536:
		return fmt.Errorf("train: batch size %d, want 1..65536", l.Batch)
	case l.Epochs < 1 || l.Epochs > 100000:
		return fmt.Errorf("train: %d epochs, want 1..100000", l.Epochs)
	}
	return nil
}

func (l *Loop) begin() error {
	if l.Step == nil {
		panic("train: Loop without a Step")
	}
	if err := l.Validate(); err != nil {
		return err
	}
	l.rng = rand.New(rand.NewPCG(l.Seed, 0x1a7e47))
	l.perm = make([]int, l.N)
	l.idx = make([]int, 0, l.Batch)
	l.shuffle()
	l.start = time.Now()
	if l.SnapshotEvery == 0 {
		l.SnapshotEvery = 100
	}
	l.takeSnapshot()
	l.started = true
	return nil
}

func (l *Loop) shuffle() {
	for i := range l.perm {
		l.perm[i] = i
	}
	l.rng.Shuffle(len(l.perm), func(i, j int) { l.perm[i], l.perm[j] = l.perm[j], l.perm[i] })
}

// StepsPerEpoch is ⌈N / Batch⌉.
func (l *Loop) StepsPerEpoch() int { return (l.N + l.Batch - 1) / l.Batch }

// Done reports whether every epoch has run.
func (l *Loop) Done() bool { return l.finished }

// upcoming is the batch after the one being stepped, if this epoch has
// one: its shuffle is already drawn.
func (l *Loop) upcoming() []int {
	end := min(l.pos+l.Batch, l.N)
	if end >= l.N {
		return nil
	}
	return l.perm[end:min(end+l.Batch, l.N)]
}

// Next trains one batch. It returns done = true after the last batch of the
// last epoch.
func (l *Loop) Next() (done bool, err error) {
	if l.finished {
		return true, nil
	}
	if !l.started {
		if err := l.begin(); err != nil {
			return false, err
		}
	}
	end := min(l.pos+l.Batch, l.N)
	l.idx = append(l.idx[:0], l.perm[l.pos:end]...)
	loss, err := l.Step(l.idx)
	if err != nil {
		return false, err
	}
	l.step++
	if t := loss.Total; math.IsNaN(t) || math.IsInf(t, 0) || !nn.AllFinite(l.Params) {
		l.restoreSnapshot()
		l.finished = true
		return true, &DivergedError{Epoch: l.epoch + 1, Step: l.step, Loss: t}
	}
	l.lastLoss = loss
	l.sum.Total += loss.Total
	l.sum.Recon += loss.Recon
	l.sum.KL += loss.KL
	l.samples += len(l.idx)
	l.pos = end
	if l.step%l.SnapshotEvery == 0 {
		l.takeSnapshot()
	}
	if l.pos >= l.N {
		if l.EndEpoch != nil {
			if err := l.EndEpoch(l.epoch + 1); err != nil {
				return false, err
			}
		}
		n := float64(l.step)
		l.lastEpoch = models.Losses{Total: l.sum.Total / n, Recon: l.sum.Recon / n, KL: l.sum.KL / n}
		l.epoch++
		if l.epoch == l.Epochs {
			l.finished = true
			return true, nil
		}
		l.pos, l.step, l.sum = 0, 0, models.Losses{}
		l.shuffle()
	}
	return false, nil
}

// Progress describes the run so far.
func (l *Loop) Progress() Progress {
	elapsed := time.Since(l.start)
	p := Progress{
		Epoch: min(l.epoch+1, l.Epochs), Epochs: l.Epochs,
		Step: l.step, Steps: l.StepsPerEpoch(),
		Samples: l.samples, Loss: l.lastLoss, Elapsed: elapsed,
	}
	if n := float64(l.step); n > 0 && !l.finished {
		p.EpochLoss = models.Losses{Total: l.sum.Total / n, Recon: l.sum.Recon / n, KL: l.sum.KL / n}
	} else {
		p.EpochLoss = l.lastEpoch // between epochs, or after the last: the epoch just finished
	}
	if s := elapsed.Seconds(); s > 0 && l.samples > 0 {
		p.SamplesPerSec = float64(l.samples) / s
		left := l.Epochs*l.N - l.samples
		p.ETA = time.Duration(float64(left) / p.SamplesPerSec * float64(time.Second))
	}
	return p
}

// Run trains to the end, calling report at most once per interval (and
// once at the end), until done or ctx is cancelled.
func (l *Loop) Run(ctx context.Context, every time.Duration, report func(Progress)) error {
	last := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		done, err := l.Next()
		if err != nil {
			return err
		}
		if report != nil && (done || time.Since(last) >= every) {
			report(l.Progress())
			last = time.Now()
		}
		if done {
			return nil
		}
	}
}

func (l *Loop) takeSnapshot() {
	if l.snapshot == nil {
		l.snapshot = make([][]float32, len(l.Params))
		for i, p := range l.Params {
			l.snapshot[i] = make([]float32, p.Value.Len())
		}
	}
	for i, p := range l.Params {
		copy(l.snapshot[i], p.Value.Data)
	}
}

func (l *Loop) restoreSnapshot() {
	for i, p := range l.Params {
		copy(p.Value.Data, l.snapshot[i])
		p.Grad.Zero()
	}
}
