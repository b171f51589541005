package engine

import (
	"errors"
	"fmt"
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

func init() {
	handle(protocol.StartRun, (*Engine).startRun)
	handle(protocol.PauseRun, (*Engine).pause)
	handle(protocol.ResumeRun, (*Engine).resume)
	handle(protocol.StopRun, (*Engine).stop)
}

// run is one training run. Its goroutine alone touches the model it
// trains, and no lock is held while it trains: a call that reads the run's
// slot meanwhile gets a copy of the model, made by the run's goroutine
// between two chunks (snapshot).
type run struct {
	owner  string
	number int
	slot   string       // where the model goes
	model  models.Model // the one being trained
	t      protocol.Train
	s      train.Settings
	loop   *train.Loop
	gan    *train.GANRun          // a GAN's run, whose two players' losses it reports
	snaps  chan chan models.Model // calls asking for a copy of the model
	ended  chan struct{}          // closed when the goroutine has finished

	// What calls change, under the engine's mu.
	paused, stopped bool
	live            bool // the slot is the run's model (after its first good chunk)
	resume          chan struct{}
	last            protocol.Progress

	// The training goroutine's own.
	probe    *tensor.Mat // fixed test digits rebuilt in each progress event
	probeLab []uint8
	fixedZ   *tensor.Mat // a GAN's fixed z, drawn in each progress event
	fixedLab []uint8
	steps    []float64       // the last chunk's step times, ms
	setLoss  protocol.Losses // over the whole test set, after epoch setEpoch
	setEpoch int
	workers  int  // engines training together
	trained  bool // a chunk went well: the slot holds the run's model
	// A classifier's accuracy on the first accDigits test digits,
	// measured at most once a second while it trains.
	acc   float64
	accAt time.Time
	// A generative model's samples as Train.Judge (a copy of it) reads
	// them, every quarter epoch.
	judge *models.Classifier
	read  protocol.SampleRead
	// closePeers stops the helper engines of a data-parallel run.
	closePeers func()
}

// startRun builds the model and starts the run's goroutine. The last good
// model stays in the run's slot until the new one has taken a step.
func (e *Engine) startRun(t protocol.Train) (protocol.Run, error) {
	m, s, err := checkTrain(t)
	if err != nil {
		return protocol.Run{}, err
	}
	if t.Slot == "" {
		t.Slot = protocol.TrainedSlot
	}
	if slices.Contains(protocol.PlaygroundSlots, t.Slot) {
		return protocol.Run{}, fmt.Errorf("slot %q holds a playground model: train into another and load it there", t.Slot)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := e.run; r != nil && !r.stopped && !r.last.State.Ended() {
		return protocol.Run{}, errors.New("a training run is already going; stop it first")
	}
	e.runs++
	r := &run{
		number: e.runs, owner: t.Owner, slot: t.Slot, model: m, t: t, s: s,
		resume: make(chan struct{}, 1), snaps: make(chan chan models.Model), ended: make(chan struct{}),
	}
	r.last = protocol.Progress{Run: r.number, Owner: r.owner, State: protocol.Loading, Epochs: t.Epochs}
	e.run = r
	go e.train(r)
	return protocol.Run{Run: r.number}, nil
}

// checkTrain builds the model a run trains and its settings, or says what
// is wrong with them.
func checkTrain(t protocol.Train) (models.Model, train.Settings, error) {
	s := train.Settings{Epochs: t.Epochs, Batch: t.Batch, LR: t.LR, HalfLife: t.HalfLife, Optimizer: "adam", Seed: t.Seed, Beta: t.Beta, WarmupEpochs: t.Warmup}
	if isGAN(t.Kind) {
		// Adam's β₁ of 0.5, so each player's step follows the other's
		// moves sooner (Radford et al. 2016); no β, no warm-up; the
		// generator's weights averaged, as latentplay train does.
		s.Beta1, s.Beta, s.WarmupEpochs, s.Average = 0.5, 0, 0, train.GANAverage
	}
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
	if (t.Obs != "" || t.Eta != 0) && t.Kind != models.KindVAE && t.Kind != models.KindCVAE {
		return nil, s, fmt.Errorf("an observation model p(x|z) is a VAE's; a %s has none", t.Kind)
	}
	m, err := buildModel(t)
	if _, ok := m.(analysis.Sampler); err == nil && t.Judge != "" && !ok {
		return nil, s, fmt.Errorf("a %s draws no samples for a classifier to read", t.Kind)
	}
	return m, s, err
}

// trainingSet is the part of MNIST a run trains on, with m started from
// its mean image where m wants that (mean, nil for a model that does not).
func trainingSet(all *data.Set, t protocol.Train, m models.Model) (set *data.Set, mean []float32) {
	set = all
	if t.Subset > 0 {
		set = all.Head(t.Subset)
	}
	if s, ok := m.(interface{ StartFromMean([]float32) }); ok {
		mean = set.Mean()
		s.StartFromMean(mean)
	}
	return set, mean
}

// isGAN reports whether kind names a GAN, plain or conditional.
func isGAN(kind string) bool { return kind == models.KindGAN || kind == models.KindCGAN }

// GANWorkers is how many engines train a GAN: one. A round of the game
// is two gradients with an update between, which the data-parallel
// protocol (one averaged gradient a step) cannot carry.
const GANWorkers = 1

func buildModel(t protocol.Train) (models.Model, error) {
	r := rand.New(rand.NewPCG(t.Seed, 1))
	switch t.Kind {
	case models.KindLinearAE:
		return models.NewAutoencoder(models.AEConfig{Inputs: data.Pixels, Latent: t.Latent, Linear: true}, r)
	case models.KindAE:
		return models.NewAutoencoder(models.AEConfig{Inputs: data.Pixels, Hidden: t.Hidden, Latent: t.Latent}, r)
	case models.KindVAE:
		return models.NewVAE(models.VAEConfig{Inputs: data.Pixels, Hidden: t.Hidden, Latent: t.Latent, Obs: t.Obs, Eta: t.Eta}, r)
	case models.KindCVAE:
		return models.NewVAE(models.VAEConfig{Inputs: data.Pixels, Hidden: t.Hidden, Latent: t.Latent, Classes: data.Classes, Obs: t.Obs, Eta: t.Eta}, r)
	case models.KindMLP:
		return models.NewClassifier(models.ClassifierConfig{Inputs: data.Pixels, Hidden: t.Hidden, Classes: data.Classes, Activation: "relu"}, r)
	case models.KindGAN, models.KindCGAN:
		cfg := models.MNISTGAN
		if t.Kind == models.KindCGAN {
			cfg = models.MNISTCGAN
		}
		cfg.Hidden, cfg.Latent = t.Hidden, t.Latent
		return models.NewGAN(cfg, r)
	}
	return nil, fmt.Errorf("cannot train a %q", t.Kind)
}

// emit sends a progress event for r, remembering it as r's last.
func (e *Engine) emit(r *run, p protocol.Progress) {
	p.Run, p.Owner = r.number, r.owner
	e.mu.Lock()
	r.last = p
	r.last.Probes, r.last.Rebuilt, r.last.Drawn = protocol.Batch{}, protocol.Batch{}, protocol.Batch{}
	e.mu.Unlock()
	if e.Emit != nil {
		e.Emit(protocol.Event(p))
	}
}

// mnist is the training and test sets, fetched once (report hears how
// far the fetch is).
func (e *Engine) mnist(report func(float64)) (trainSet, testSet *data.Set, err error) {
	if trainSet, testSet = e.loaded(); trainSet != nil {
		return trainSet, testSet, nil
	}
	if e.LoadMNIST == nil {
		return nil, nil, errors.New("no MNIST source")
	}
	trainSet, testSet, err = e.LoadMNIST(report)
	if err != nil {
		return nil, nil, fmt.Errorf("loading MNIST: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.trainSet == nil {
		e.trainSet, e.testSet = trainSet, testSet
	}
	return e.trainSet, e.testSet, nil
}

// train is the run's goroutine: fetch MNIST once, then train in chunks,
// yielding to the page's messages and reporting after each.
func (e *Engine) train(r *run) {
	defer close(r.ended)
	fail := func(err error) {
		e.emit(r, protocol.Progress{State: protocol.Failed, Message: err.Error(), Epochs: r.t.Epochs})
	}
	trainSet, testSet, err := e.mnist(func(f float64) {
		e.emit(r, protocol.Progress{State: protocol.Loading, Loaded: f, Epochs: r.t.Epochs})
	})
	if err != nil {
		fail(err)
		return
	}
	set, mean := trainingSet(trainSet, r.t, r.model)
	var peers []train.Peer
	if r.t.Workers > 1 && e.Spawn != nil && !isGAN(r.t.Kind) {
		if peers, r.closePeers, err = e.startPeers(r.t, r.t.Workers, set, mean); err != nil {
			fail(err)
			return
		}
	}
	switch m := r.model.(type) {
	case *models.GAN:
		if r.gan, err = train.Adversarial(m, set, r.s); err == nil {
			r.loop = r.gan.Loop
		}
		r.fixedZ, r.fixedLab = fixedZ(m, max(r.t.Samples, 1))
	case models.Trainable:
		if len(peers) == 0 {
			r.loop, err = train.Model(m, set, r.s)
			break
		}
		var rep *train.Replica
		if rep, err = train.NewReplica(m, set, r.s); err == nil {
			r.loop, err = train.Parallel(rep, set, r.s, peers)
		}
	default:
		err = fmt.Errorf("cannot train a %s", r.model.Kind())
	}
	if err != nil {
		r.end()
		fail(err)
		return
	}
	if r.t.Judge != "" {
		if r.judge, err = e.judge(r.t.Judge, r.model); err != nil {
			r.end()
			fail(err)
			return
		}
	}
	r.workers = len(peers) + 1
	r.probe, r.probeLab = testSet.Probes(max(r.t.Samples, 1))
	if r.t.SetLoss && r.gan == nil { // a GAN has no test-set loss
		r.loop.EndEpoch = func(epoch int) error {
			r.setLoss, r.setEpoch = protocol.Losses(analysis.SetLoss(r.model, testSet)), epoch
			return nil
		}
	}

	for {
		e.mu.Lock()
		stopped, paused := r.stopped, r.paused
		e.mu.Unlock()
		switch {
		case stopped:
			e.finish(r, testSet, protocol.Stopped, "")
			return
		case paused:
			e.emit(r, e.progress(r, testSet, protocol.Paused, 0))
			for waiting := true; waiting; {
				select {
				case <-r.resume:
					waiting = false
				case reply := <-r.snaps:
					reply <- r.copy()
				}
			}
			continue
		}
		done, err := e.chunk(r)
		if err != nil {
			state, msg := protocol.Failed, err.Error()
			var de *train.DivergedError
			if errors.As(err, &de) {
				state = protocol.Diverged
			} else if r.trained { // a helper died, say: what was learnt stays
				msg += "; training stopped, and the model keeps its last good weights"
			}
			e.finish(r, testSet, state, msg)
			return
		}
		if done {
			e.finish(r, testSet, protocol.Done, "")
			return
		}
		e.emit(r, e.progress(r, testSet, protocol.Running, r.t.Samples))
		e.Yield()
		r.serveSnapshots()
	}
}

// serveSnapshots answers the calls waiting for a copy of the model.
func (r *run) serveSnapshots() {
	for {
		select {
		case reply := <-r.snaps:
			reply <- r.copy()
		default:
			return
		}
	}
}

// copy is a copy of the model being trained, for a call to read.
func (r *run) copy() models.Model {
	m, err := models.Clone(r.model)
	if err != nil {
		panic("engine: cannot copy the model in training: " + err.Error())
	}
	return m
}

// snapshot is a copy of the run's model, made between two chunks: at most
// one chunk's wait. ok is false if the run ended meanwhile.
func (r *run) snapshot() (m models.Model, ok bool) {
	reply := make(chan models.Model, 1)
	select {
	case r.snaps <- reply:
		return <-reply, true
	case <-r.ended:
		return nil, false
	}
}

// chunk trains for e.Chunk. After the first good chunk the run's slot is
// the run's model; until then it keeps the model it had (a run that blows
// up at once leaves the last good one there).
//
// Every Slice within the chunk it lets the page's messages in and hands
// out copies of the model, so a call waits at most a slice and a step,
// not a chunk.
func (e *Engine) chunk(r *run) (done bool, err error) {
	start := time.Now()
	r.steps = r.steps[:0]
	yielded := start
	for t := start; time.Since(start) < e.Chunk; {
		if done, err = r.loop.Next(); err != nil || done {
			break
		}
		now := time.Now()
		r.steps = append(r.steps, float64(now.Sub(t).Microseconds())/1000)
		t = now
		if now.Sub(yielded) >= e.Slice {
			e.Yield()
			if r.trained {
				r.serveSnapshots()
			}
			yielded = time.Now()
			t = yielded
		}
	}
	if err == nil && !r.trained {
		r.trained = true
		e.mu.Lock()
		r.live = true
		e.mu.Unlock()
	}
	return done, err
}

// end stops a run's helpers.
func (r *run) end() {
	if r.closePeers != nil {
		r.closePeers()
		r.closePeers = nil
	}
}

// finish ends r: its slot keeps the model it trained (the last good
// weights, if it blew up; a GAN the average of its generator's weights
// over the good steps), once it took a good step.
func (e *Engine) finish(r *run, test *data.Set, state protocol.State, msg string) {
	r.end()
	if r.gan != nil {
		r.gan.UseAverage()
	}
	e.mu.Lock()
	if r.live {
		e.slots[r.slot] = r.model
		r.live = false
	}
	e.mu.Unlock()
	p := e.progress(r, test, state, 0)
	p.Message = msg
	e.emit(r, p)
}

// progress describes r now; with samples > 0 it rebuilds the probe digits.
func (e *Engine) progress(r *run, test *data.Set, state protocol.State, samples int) protocol.Progress {
	pr := r.loop.Progress()
	p := protocol.Progress{
		State: state, Epoch: pr.Epoch, Epochs: pr.Epochs, Step: pr.Step, Steps: pr.Steps,
		Samples: pr.Samples, Loss: protocol.Losses(pr.EpochLoss), SamplesPerSec: pr.SamplesPerSec, ETASeconds: pr.ETA.Seconds(),
		StepMS: median(r.steps), Workers: r.workers, Trained: r.trained,
	}
	if state.Ended() {
		p.ETASeconds = 0
	}
	p.TestLoss = protocol.Losses(analysis.Loss(r.model, r.probe, r.probeLab))
	p.SetLoss, p.SetEpoch = r.setLoss, r.setEpoch
	if c, ok := r.model.(*models.Classifier); ok {
		if state != protocol.Running || time.Since(r.accAt) > time.Second {
			r.acc, r.accAt = analysis.Accuracy(c, test.Head(accDigits)), time.Now()
		}
		p.TestAccuracy = r.acc
	}
	// A GAN's samples come from the average of its generator's weights,
	// the generator it keeps when the run ends.
	withAverage := func(f func()) { f() }
	if r.gan != nil {
		withAverage = r.gan.WithAverage
	}
	if r.judge != nil {
		if r.read == (protocol.SampleRead{}) || pr.Samples-r.read.Samples >= r.loop.N/4 || (state.Ended() && pr.Samples > r.read.Samples) {
			withAverage(func() { r.read = readSamples(r.judge, r.model.(analysis.Sampler), pr.Samples) })
		}
		p.Read = r.read
	}
	if r.gan != nil {
		p.Players = protocol.GANLosses(r.gan.Epoch)
		if samples > 0 {
			withAverage(func() { p.Drawn = protocol.BatchOf(r.model.(*models.GAN).Generate(r.fixedZ, r.fixedLab)) })
		}
	} else if g, ok := r.model.(models.Generative); ok && samples > 0 {
		ls := r.probeLab
		if models.Conditions(g) == 0 {
			ls = nil
		}
		mean, _ := models.Reconstructions(g, r.probe, ls, 0, 0)
		p.Rebuilt, p.Probes = protocol.BatchOf(mean), protocol.BatchOf(r.probe)
	}
	return p
}

// judge is a copy of the classifier in slot, for a run's goroutine to
// read m's samples with while the views use the original.
func (e *Engine) judge(slot string, m models.Model) (*models.Classifier, error) {
	c, err := e.classifier(slot)
	if err != nil {
		return nil, fmt.Errorf("the classifier to read the samples: %w", err)
	}
	if c.Inputs() != m.Inputs() {
		return nil, fmt.Errorf("the classifier in %q reads images of %d pixels, the model draws %d", slot, c.Inputs(), m.Inputs())
	}
	cp, err := models.Clone(c)
	if err != nil {
		return nil, err
	}
	return cp.(*models.Classifier), nil
}

// readSamples is what c reads in protocol.ReadSamples of m's samples,
// drawn from the same z each time (and, for a conditional model, asked
// for each class in turn), after seen training images.
func readSamples(c *models.Classifier, m analysis.Sampler, seen int) protocol.SampleRead {
	x, asked := analysis.Samples(m, protocol.ReadSamples, rand.New(rand.NewPCG(3, 4)))
	f, err := analysis.ReadSamples(c, x, asked)
	if err != nil { // a judge of other images than the model's: checked when the run starts
		panic("engine: " + err.Error())
	}
	return protocol.SampleRead{Samples: seen, Confidence: f.Confidence, MinShare: f.MinShare, LabelAccuracy: f.LabelAccuracy}
}

// fixedZ is the n codes, z ~ N(0, I) from a fixed seed, whose images a
// GAN's run shows in each progress event: the same z, so what changes is
// the generator alone. A conditional GAN is asked for digits 0..9 in turn.
func fixedZ(g *models.GAN, n int) (*tensor.Mat, []uint8) {
	rng := rand.New(rand.NewPCG(1, 2))
	z := tensor.New(n, g.Latent())
	for i := range z.Data {
		z.Data[i] = float32(rng.NormFloat64())
	}
	var labels []uint8
	if g.Conditional() {
		labels = make([]uint8, n)
		for i := range labels {
			labels[i] = uint8(i % data.Classes)
		}
	}
	return z, labels
}

// accDigits is how many test digits a classifier's live accuracy is
// measured on: enough for steps of 0.2%, few enough not to slow training.
const accDigits = 500

// current is the run q names, if it is the engine's current one.
func (e *Engine) current(q protocol.Run) (*run, error) {
	r := e.run
	if r == nil || r.number != q.Run {
		return nil, fmt.Errorf("run %d is not the current run", q.Run)
	}
	return r, nil
}

func (e *Engine) pause(q protocol.Run) (protocol.None, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.current(q)
	if err == nil && !r.last.State.Ended() {
		r.paused = true
	}
	return protocol.None{}, err
}

func (e *Engine) resume(q protocol.Run) (protocol.None, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.current(q)
	if err == nil {
		r.wake()
	}
	return protocol.None{}, err
}

func (e *Engine) stop(q protocol.Run) (protocol.None, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, err := e.current(q)
	if err == nil {
		r.stopped = true
		r.wake()
	}
	return protocol.None{}, err
}

// wake lets a paused run go on (to its next chunk, or to its end).
func (r *run) wake() {
	if r.paused {
		r.paused = false
		select {
		case r.resume <- struct{}{}:
		default:
		}
	}
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
