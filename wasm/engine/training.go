package engine

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"latentplay/core/analysis"
	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
	"latentplay/core/train"
	"latentplay/wasm/engine/protocol"
)

// TrainedSlot is where a training run's model lives, from its first step,
// unless the run names another slot.
const TrainedSlot = "trained"

// run is one training run.
type run struct {
	gen      int
	slot     string // where the model goes
	model    models.Trainable
	loop     *train.Loop
	paused   bool
	stopped  bool
	resume   chan struct{}
	probe    *tensor.Mat // fixed test digits rebuilt in each progress event
	probeLab []uint8
	last     protocol.Progress
	steps    []float64 // the last chunk's step times, ms
	workers  int       // engines training together
	// A classifier's accuracy on the first accDigits test digits,
	// measured at most once a second while it trains.
	acc      float64
	accAt    time.Time
	accProbe *tensor.Mat
	accLab   []uint8
	// closePeers stops the helper engines of a data-parallel run.
	closePeers func()
}

// startTraining builds the model and starts the run's goroutine,
// returning its generation. The last good model stays in the run's slot
// until the new one has taken a step.
func (e *Engine) startTraining(req protocol.Request) (int, error) {
	t := req.Train
	if t == nil {
		return 0, errors.New("no training settings")
	}
	if e.run != nil && !e.run.stopped && e.run.last.State != protocol.Done && e.run.last.State != protocol.Diverged && e.run.last.State != protocol.Failed {
		return 0, errors.New("a training run is already going; stop it first")
	}
	m, s, err := checkTrain(t)
	if err != nil {
		return 0, err
	}
	slot := t.Slot
	if slot == "" {
		slot = TrainedSlot
	}
	e.gen++
	r := &run{gen: e.gen, slot: slot, model: m, resume: make(chan struct{}, 1)}
	e.run = r
	go e.train(r, t, s)
	return r.gen, nil
}

// checkTrain builds the model a run trains and its settings, or says what
// is wrong with them.
func checkTrain(t *protocol.Train) (models.Trainable, train.Settings, error) {
	s := train.Settings{Epochs: t.Epochs, Batch: t.Batch, LR: t.LR, Optimizer: "adam", Seed: t.Seed, Beta: t.Beta, WarmupEpochs: t.Warmup}
	if err := s.Validate(); err != nil {
		return nil, s, err
	}
	if t.Batch < 1 || t.Batch > 4096 || t.Epochs < 1 || t.Epochs > 1000 {
		return nil, s, fmt.Errorf("batch %d and epochs %d, want 1..4096 and 1..1000", t.Batch, t.Epochs)
	}
	if t.Samples < 0 || t.Samples > 32 {
		return nil, s, fmt.Errorf("%d probe digits, want 0..32", t.Samples)
	}
	if t.Workers < 0 || t.Workers > MaxWorkers {
		return nil, s, fmt.Errorf("%d workers, want 1..%d", t.Workers, MaxWorkers)
	}
	m, err := buildModel(t)
	return m, s, err
}

// trainingSet is the part of MNIST a run trains on, with m started from
// its mean image where m wants that.
func trainingSet(all *data.Set, t *protocol.Train, m models.Trainable) *data.Set {
	set := all
	if t.Subset > 0 && t.Subset < set.N {
		set = firstN(set, t.Subset)
	}
	if s, ok := m.(interface{ StartFromMean([]float32) }); ok {
		s.StartFromMean(set.Mean())
	}
	return set
}

func buildModel(t *protocol.Train) (models.Trainable, error) {
	r := rand.New(rand.NewPCG(t.Seed, 1))
	switch t.Kind {
	case models.KindLinearAE:
		return models.NewAutoencoder(models.AEConfig{Inputs: 784, Latent: t.Latent, Linear: true}, r)
	case models.KindAE:
		return models.NewAutoencoder(models.AEConfig{Inputs: 784, Hidden: t.Hidden, Latent: t.Latent}, r)
	case models.KindVAE:
		return models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: t.Hidden, Latent: t.Latent}, r)
	case models.KindCVAE:
		return models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: t.Hidden, Latent: t.Latent, Classes: 10}, r)
	case models.KindMLP:
		return models.NewClassifier(models.ClassifierConfig{Inputs: 784, Hidden: t.Hidden, Classes: 10, Activation: "relu"}, r)
	}
	return nil, fmt.Errorf("cannot train a %q", t.Kind)
}

// emit sends a progress event for r, remembering it as r's last.
func (e *Engine) emit(r *run, p protocol.Progress) {
	p.Gen = r.gen
	p.Finite()
	r.last = p
	if e.Emit != nil {
		e.Emit(p)
	}
}

// train is the run's goroutine: fetch MNIST once, then train in chunks,
// yielding to the page's messages and reporting after each.
func (e *Engine) train(r *run, t *protocol.Train, s train.Settings) {
	fail := func(state protocol.State, err error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.emit(r, protocol.Progress{State: state, Message: err.Error(), Epochs: t.Epochs})
	}
	e.mu.Lock()
	haveData := e.trainSet != nil
	e.mu.Unlock()
	if !haveData {
		if e.LoadMNIST == nil {
			fail(protocol.Failed, errors.New("no MNIST source"))
			return
		}
		trainSet, testSet, err := e.LoadMNIST(func(f float64) {
			e.mu.Lock()
			e.emit(r, protocol.Progress{State: protocol.Loading, Loaded: f, Epochs: t.Epochs})
			e.mu.Unlock()
		})
		if err != nil {
			fail(protocol.Failed, fmt.Errorf("loading MNIST: %w", err))
			return
		}
		e.mu.Lock()
		e.trainSet, e.testSet = trainSet, testSet
		e.mu.Unlock()
	}

	// Helpers first, outside the lock: each fetches MNIST (from the
	// browser's cache by now) before it can take a shard.
	var peers []train.Peer
	if t.Workers > 1 && e.Spawn != nil {
		var err error
		peers, r.closePeers, err = e.startPeers(t, t.Workers)
		if err != nil {
			fail(protocol.Failed, err)
			return
		}
	}
	e.mu.Lock()
	set := trainingSet(e.trainSet, t, r.model)
	var loop *train.Loop
	var err error
	if len(peers) == 0 {
		loop, err = train.Model(r.model, set, s)
	} else {
		var rep *train.Replica
		if rep, err = train.NewReplica(r.model, set, s); err == nil {
			loop, err = train.Parallel(rep, set, s, peers)
		}
	}
	r.workers = len(peers) + 1
	if err == nil {
		r.loop = loop
		r.probe, r.probeLab = probeDigits(e.testSet, max(t.Samples, 1))
	}
	e.mu.Unlock()
	if err != nil {
		fail(protocol.Failed, err)
		return
	}

	for {
		e.mu.Lock()
		if r.stopped {
			e.finish(r, protocol.Stopped, "")
			e.mu.Unlock()
			return
		}
		if r.paused {
			e.emit(r, withState(r.last, protocol.Paused))
			e.mu.Unlock()
			<-r.resume
			continue
		}
		done, err := e.chunk(r)
		if err != nil {
			state := protocol.Failed
			var de *train.DivergedError
			if errors.As(err, &de) {
				state = protocol.Diverged
			}
			e.finish(r, state, err.Error())
			e.mu.Unlock()
			return
		}
		if done {
			e.finish(r, protocol.Done, "")
			e.mu.Unlock()
			return
		}
		e.emit(r, e.progress(r, protocol.Running, t.Samples))
		e.mu.Unlock()
		e.Yield()
	}
}

// chunk trains for e.Chunk and places the model in the run's slot once it
// has learnt something.
func (e *Engine) chunk(r *run) (done bool, err error) {
	start := time.Now()
	r.steps = r.steps[:0]
	for t := start; time.Since(start) < e.Chunk; {
		if done, err = r.loop.Next(); err != nil || done {
			break
		}
		now := time.Now()
		r.steps = append(r.steps, float64(now.Sub(t).Microseconds())/1000)
		t = now
	}
	if err == nil {
		e.slots[r.slot] = r.model
	}
	return done, err
}

func (e *Engine) finish(r *run, state protocol.State, msg string) {
	if r.closePeers != nil {
		r.closePeers()
		r.closePeers = nil
	}
	p := e.progress(r, state, 0)
	p.Message = msg
	e.emit(r, p)
}

func withState(p protocol.Progress, s protocol.State) protocol.Progress {
	p.State = s
	p.Floats = nil
	return p
}

// progress describes r now; with samples > 0 it rebuilds the probe digits.
func (e *Engine) progress(r *run, state protocol.State, samples int) protocol.Progress {
	if r.loop == nil { // stopped before MNIST arrived
		return protocol.Progress{State: state}
	}
	pr := r.loop.Progress()
	p := protocol.Progress{
		State: state, Epoch: pr.Epoch, Epochs: pr.Epochs, Step: pr.Step, Steps: pr.Steps,
		Samples: pr.Samples, Loss: protocol.Losses(pr.EpochLoss), SamplesPerSec: pr.SamplesPerSec, ETASeconds: pr.ETA.Seconds(),
		StepMS: median(r.steps), Workers: r.workers,
	}
	p.TestLoss = protocol.Losses(testLoss(r.model, r.probe, r.probeLab))
	if c, ok := r.model.(*models.Classifier); ok {
		p.TestAccuracy = e.liveAccuracy(r, c, state)
	}
	if samples > 0 {
		if rec := rebuild(r.model, r.probe, r.probeLab); rec != nil {
			p.Floats = append(rec, r.probe.Data...)
		}
	}
	return p
}

// testLoss is the model's loss on the fixed test batch.
func testLoss(m models.Model, x *tensor.Mat, ls []uint8) models.Losses {
	switch m := m.(type) {
	case *models.VAE:
		return m.Loss(x, ls, rand.New(rand.NewPCG(1, 1)))
	case *models.Autoencoder:
		var sum float64
		for i, v := range m.Reconstruct(x).Data {
			d := float64(v - x.Data[i])
			sum += d * d
		}
		mse := sum / float64(len(x.Data))
		return models.Losses{Total: mse, Recon: mse}
	case *models.Classifier: // the mean cross-entropy −log p(label)
		probs := m.Probabilities(x)
		var sum float64
		for i, l := range ls {
			sum -= math.Log(math.Max(float64(probs.Data[i*probs.Cols+int(l)]), 1e-30))
		}
		ce := sum / float64(len(ls))
		return models.Losses{Total: ce}
	}
	return models.Losses{}
}

// accDigits is how many test digits a classifier's live accuracy is
// measured on: enough for steps of 0.2%, few enough not to slow training.
const accDigits = 500

// liveAccuracy is r's classifier's accuracy on the first accDigits test
// digits, measured again when a second has passed or the run has ended.
func (e *Engine) liveAccuracy(r *run, c *models.Classifier, state protocol.State) float64 {
	if r.accProbe == nil {
		r.accProbe, r.accLab = firstDigits(e.testSet, accDigits)
	}
	if state != protocol.Running || time.Since(r.accAt) > time.Second {
		r.acc, r.accAt = accuracy(c, r.accProbe, r.accLab), time.Now()
	}
	return r.acc
}

// firstDigits are the first n digits of a set (all, if it has fewer).
func firstDigits(s *data.Set, n int) (*tensor.Mat, []uint8) {
	n = min(n, s.N)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	x := tensor.New(n, s.Dim())
	ls := make([]uint8, n)
	s.Batch(idx, x.Data, ls)
	return x, ls
}

// accuracy is the share of x that c classifies as ls says.
func accuracy(c *models.Classifier, x *tensor.Mat, ls []uint8) float64 {
	pred := make([]int, len(ls))
	c.Predict(x, pred)
	right := 0
	for i, l := range ls {
		if pred[i] == int(l) {
			right++
		}
	}
	return float64(right) / float64(len(ls))
}

func rebuild(m models.Model, x *tensor.Mat, ls []uint8) []float32 {
	switch m := m.(type) {
	case *models.VAE:
		return m.Reconstruct(x, ls, nil).Data
	case *models.Autoencoder:
		return m.Reconstruct(x).Data
	}
	return nil
}

// probeDigits are the first n test digits of each class in turn: a fixed
// set to watch the model learn.
func probeDigits(test *data.Set, n int) (*tensor.Mat, []uint8) {
	idx := make([]int, 0, n)
	for want := 0; len(idx) < n; want = (want + 1) % 10 {
		for i := 0; i < test.N; i++ {
			if int(test.Labels[i]) == want && !slices.Contains(idx, i) {
				idx = append(idx, i)
				break
			}
		}
	}
	x := tensor.New(n, test.Dim())
	ls := make([]uint8, n)
	test.Batch(idx, x.Data, ls)
	return x, ls
}

func firstN(s *data.Set, n int) *data.Set {
	return &data.Set{N: n, Rows: s.Rows, Cols: s.Cols, Pixels: s.Pixels[:n*s.Dim()], Labels: s.Labels[:n]}
}

// control pauses, resumes or stops the current run.
func (e *Engine) control(op protocol.Op) error {
	r := e.run
	if r == nil || r.loop == nil && op != protocol.OpStop {
		return errors.New("no training run")
	}
	switch op {
	case protocol.OpPause:
		r.paused = true
	case protocol.OpResume:
		if r.paused {
			r.paused = false
			select {
			case r.resume <- struct{}{}:
			default:
			}
		}
	case protocol.OpStop:
		r.stopped = true
		if r.paused {
			r.paused = false
			select {
			case r.resume <- struct{}{}:
			default:
			}
		}
	}
	return nil
}

func (e *Engine) evaluate(slot string) (map[string]float64, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	if e.testSet == nil {
		return nil, errors.New("MNIST is not loaded yet: train first")
	}
	switch m := m.(type) {
	case *models.VAE:
		f := analysis.EvaluateVAE(m, e.testSet, 0, 0, 1)
		return map[string]float64{"test_loss_nats": f.Loss, "test_recon_nats": f.Recon, "test_kl_nats": f.KL}, nil
	case *models.Autoencoder:
		return map[string]float64{"test_mse": analysis.EvaluateAE(m, e.testSet).MSE}, nil
	case *models.Classifier:
		return map[string]float64{"test_accuracy": analysis.Accuracy(m, e.testSet)}, nil
	}
	return nil, fmt.Errorf("no evaluation for %q", m.Kind())
}

// median of xs (0 for none); xs is reordered.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
	return xs[len(xs)/2]
}
