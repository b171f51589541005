package engine

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

func tinyVAE(t *testing.T, classes int) []byte {
	t.Helper()
	v, err := models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: []int{16}, Latent: 2, Classes: classes}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := models.Marshal(v, nil, modelfile.Float16)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func digits(n int) []float32 {
	rng := rand.New(rand.NewPCG(3, 3))
	x := make([]float32, n*784)
	for i := range x {
		if rng.Float64() < 0.2 {
			x[i] = rng.Float32()
		}
	}
	return x
}

func mustOK(t *testing.T, r protocol.Response) protocol.Response {
	t.Helper()
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	return r
}

func TestGenerativeOps(t *testing.T) {
	e := New()
	info := mustOK(t, e.Handle(protocol.Request{ID: 1, Op: protocol.OpLoad, Slot: "vae", Bytes: tinyVAE(t, 0)})).Info
	if info.Kind != "vae" || info.Latent != 2 {
		t.Fatalf("info %+v", info)
	}
	x := digits(3)
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "vae", Floats: x, Samples: 2, Seed: 1}))
	if len(r.Floats) != 3*784*3 {
		t.Fatalf("reconstruct gave %d values, want 3 images × (1 + 2 samples)", len(r.Floats))
	}
	r = mustOK(t, e.Handle(protocol.Request{Op: protocol.OpEncode, Slot: "vae", Floats: x}))
	if len(r.Floats) != 2*3*2 {
		t.Fatalf("encode gave %d values", len(r.Floats))
	}
	r = mustOK(t, e.Handle(protocol.Request{Op: protocol.OpSample, Slot: "vae", N: 5, Temperature: 1, Seed: 2}))
	if len(r.Floats) != 5*784 {
		t.Fatalf("sample gave %d values", len(r.Floats))
	}
	r = mustOK(t, e.Handle(protocol.Request{Op: protocol.OpInterpolate, Slot: "vae", Floats: x[:2*784], Steps: 7, Spherical: true}))
	if len(r.Floats) != 7*784 {
		t.Fatalf("interpolate gave %d values", len(r.Floats))
	}
	r = mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLatentGrid, Slot: "vae", N: 4}))
	if len(r.Floats) != 16*784 {
		t.Fatalf("grid gave %d values", len(r.Floats))
	}
	r = mustOK(t, e.Handle(protocol.Request{Op: protocol.OpSnapshot, Slot: "vae"}))
	if _, _, err := models.Unmarshal(r.Bytes); err != nil {
		t.Fatalf("snapshot does not load: %v", err)
	}
}

func TestBadRequestsKeepTheModel(t *testing.T) {
	e := New()
	good := tinyVAE(t, 0)
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "vae", Bytes: good}))
	before := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "vae", Floats: digits(1)})).Floats

	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)/2] ^= 0xff
	for _, tc := range []struct {
		name string
		req  protocol.Request
		want string
	}{
		{"truncated file", protocol.Request{Op: protocol.OpLoad, Slot: "vae", Bytes: good[:100]}, "corrupt"},
		{"corrupt file", protocol.Request{Op: protocol.OpLoad, Slot: "vae", Bytes: corrupt}, "checksum"},
		{"foreign file", protocol.Request{Op: protocol.OpLoad, Slot: "vae", Bytes: []byte("\x89PNG\r\n\x1a\n0000000000000")}, "not a latentplay model"},
		{"wrong shape", protocol.Request{Op: protocol.OpReconstruct, Slot: "vae", Floats: make([]float32, 100)}, "whole images"},
		{"NaN input", protocol.Request{Op: protocol.OpReconstruct, Slot: "vae", Floats: nanImage()}, "NaN"},
		{"no such slot", protocol.Request{Op: protocol.OpReconstruct, Slot: "gan", Floats: digits(1)}, "no model loaded"},
		{"wrong kind", protocol.Request{Op: protocol.OpClassify, Slot: "vae", Floats: digits(1)}, `needed ["mlp"]`},
		{"absurd sample", protocol.Request{Op: protocol.OpSample, Slot: "vae", N: 1 << 30, Temperature: 1}, "samples"},
		{"grid of a 2-D model only", protocol.Request{Op: protocol.OpLatentGrid, Slot: "vae", N: 1000}, "grid"},
		{"unknown op", protocol.Request{Op: "dance"}, "unknown operation"},
	} {
		r := e.Handle(tc.req)
		if !strings.Contains(r.Error, tc.want) {
			t.Errorf("%s: error %q, want it to mention %q", tc.name, r.Error, tc.want)
		}
	}
	after := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "vae", Floats: digits(1)})).Floats
	for i := range before {
		if before[i] != after[i] {
			t.Fatal("a rejected request changed the loaded model")
		}
	}
}

func nanImage() []float32 {
	x := make([]float32, 784)
	x[5] = float32(nan())
	return x
}

func nan() float64 { var z float64; return z / z }

func TestRebuildInOneCall(t *testing.T) {
	e := New()
	c, _ := models.NewClassifier(models.ClassifierConfig{Inputs: 784, Hidden: []int{8}, Classes: 10, Activation: "relu"}, rand.New(rand.NewPCG(2, 2)))
	cb, _ := models.Marshal(c, nil, modelfile.Float32)
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "mlp", Bytes: cb}))
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "vae", Bytes: tinyVAE(t, 0)}))
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "cvae", Bytes: tinyVAE(t, 10)}))
	x := digits(1)
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpRebuild, Slots: []string{"mlp", "vae", "cvae"}, Floats: x, Samples: 2, Seed: 1}))
	if len(r.Floats) != 10+3*784+784 {
		t.Fatalf("%d values, want 10 probabilities, 3 images from the VAE and 1 from the CVAE", len(r.Floats))
	}
	// The same as asking one by one, with the classifier's class for the CVAE.
	probs := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpClassify, Slot: "mlp", Floats: x})).Floats
	cvae := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "cvae", Floats: x, Labels: []int{protocol.Argmax(probs)}})).Floats
	for i, v := range cvae {
		if r.Floats[10+3*784+i] != v {
			t.Fatal("the CVAE's rebuild differs from a separate call with the classifier's label")
		}
	}
	if r := e.Handle(protocol.Request{Op: protocol.OpRebuild, Slots: []string{"cvae"}, Floats: x}); !strings.Contains(r.Error, "needs a label") {
		t.Fatalf("a CVAE without a classifier before it: %q", r.Error)
	}
}

func TestTestCodes(t *testing.T) {
	e, _ := trainingEngine()
	e.LoadTest = func() (*data.Set, error) { return synthetic(30), nil }
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "vae", Bytes: tinyVAE(t, 0)}))
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTestCodes, Slot: "vae", N: 20}))
	if len(r.Floats) != 20*2+20 {
		t.Fatalf("%d values, want 20 codes of 2 and 20 labels", len(r.Floats))
	}
	for i, l := range r.Floats[40:] {
		if int(l) != i%10 {
			t.Fatalf("label %d = %v, want %d", i, l, i%10)
		}
	}
}

func TestConditionalNeedsLabels(t *testing.T) {
	e := New()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "cvae", Bytes: tinyVAE(t, 10)}))
	if r := e.Handle(protocol.Request{Op: protocol.OpSample, Slot: "cvae", N: 2, Temperature: 1}); !strings.Contains(r.Error, "labels") {
		t.Fatalf("sampling a CVAE without labels: %q", r.Error)
	}
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpSample, Slot: "cvae", N: 10, Labels: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, Temperature: 1}))
	if len(r.Floats) != 10*784 {
		t.Fatalf("%d values", len(r.Floats))
	}
	if r := e.Handle(protocol.Request{Op: protocol.OpSample, Slot: "cvae", N: 1, Labels: []int{12}, Temperature: 1}); !strings.Contains(r.Error, "label 12") {
		t.Fatalf("label out of range: %q", r.Error)
	}
}

// synthetic is a small stand-in for MNIST: blurry bars whose position is
// the label, enough for a model to learn something in a few steps.
func synthetic(n int) *data.Set {
	s := &data.Set{N: n, Rows: 28, Cols: 28, Pixels: make([]float32, n*784), Labels: make([]uint8, n)}
	for i := range n {
		l := i % 10
		s.Labels[i] = uint8(l)
		for r := 4; r < 24; r++ {
			s.Pixels[i*784+r*28+4+2*l] = 1
			s.Pixels[i*784+r*28+5+2*l] = 0.5
		}
	}
	return s
}

// trainingEngine returns an engine whose progress events arrive on a channel.
func trainingEngine() (*Engine, chan protocol.Progress) {
	e := New()
	e.Chunk = time.Millisecond
	e.Yield = runtime.Gosched
	events := make(chan protocol.Progress, 10000)
	e.Emit = func(m protocol.Message) {
		var env protocol.Envelope
		if err := protocol.Unpack(m, &env); err != nil || env.Progress == nil {
			panic(fmt.Sprintf("an event that is not progress: %s (%v)", m.Header, err))
		}
		events <- *env.Progress
	}
	e.LoadMNIST = func(report func(float64)) (*data.Set, *data.Set, error) {
		report(0.5)
		report(1)
		return synthetic(200), synthetic(50), nil
	}
	return e, events
}

func waitFor(t *testing.T, events chan protocol.Progress, states ...protocol.State) protocol.Progress {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case p := <-events:
			for _, s := range states {
				if p.State == s {
					return p
				}
			}
		case <-timeout:
			t.Fatalf("no %v event within a minute", states)
		}
	}
}

func TestTrainingLowersTheLossAndFillsTheSlot(t *testing.T) {
	e, events := trainingEngine()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{32}, Beta: 1, LR: 3e-3, Batch: 20, Epochs: 8, Seed: 1, Samples: 4}}))
	first := waitFor(t, events, protocol.Running)
	if len(first.Floats) != 2*4*784 {
		t.Fatalf("progress carried %d values, want 4 rebuilt and 4 original digits", len(first.Floats))
	}
	if !(first.StepMS > 0 && first.StepMS < 1000) { // a step of a 784-32-2 VAE on 20 digits
		t.Fatalf("step time %v ms", first.StepMS)
	}
	last := waitFor(t, events, protocol.Done)
	if !(last.Loss.Total < first.Loss.Total) || last.Loss.KL == 0 {
		t.Fatalf("loss %+v → %+v", first.Loss, last.Loss)
	}
	if last.Samples != 8*200 {
		t.Fatalf("trained on %d samples, want 1600", last.Samples)
	}
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpSample, Slot: TrainedSlot, N: 2, Temperature: 1}))
	if len(r.Floats) != 2*784 {
		t.Fatal("the trained model is not in its slot")
	}
	figs := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpEvaluate, Slot: TrainedSlot})).Figures
	if figs["test_loss_nats"] <= 0 {
		t.Fatalf("figures %v", figs)
	}
}

func TestPauseResumeStop(t *testing.T) {
	e, events := trainingEngine()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "ae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1000, Seed: 1}}))
	waitFor(t, events, protocol.Running)
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpPause}))
	paused := waitFor(t, events, protocol.Paused)
	// While paused the run is blocked: nothing trains however long we look.
	for range 100 {
		runtime.Gosched()
		e.mu.Lock()
		n := e.run.loop.Progress().Samples
		e.mu.Unlock()
		if n != paused.Samples {
			t.Fatalf("training went on while paused: %d → %d samples", paused.Samples, n)
		}
	}
	if r := e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "ae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1, Seed: 1}}); r.Error == "" {
		t.Fatal("a second run started while one is paused")
	}
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpResume}))
	resumed := waitFor(t, events, protocol.Running)
	if resumed.Samples < paused.Samples {
		t.Fatalf("resumed at %d samples, paused at %d", resumed.Samples, paused.Samples)
	}
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpStop}))
	stopped := waitFor(t, events, protocol.Stopped)
	if stopped.Gen != resumed.Gen {
		t.Fatalf("events of generations %d and %d", resumed.Gen, stopped.Gen)
	}
}

func TestBlownUpLearningRateStopsWithMessage(t *testing.T) {
	e, events := trainingEngine()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: TrainedSlot, Bytes: tinyVAE(t, 0)})) // a model from before
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 10, Batch: 10, Epochs: 1000, Seed: 1}}))
	p := waitFor(t, events, protocol.Diverged, protocol.Done)
	if p.State != protocol.Diverged || !strings.Contains(p.Message, "learning rate is too high") {
		t.Fatalf("final event %+v", p)
	}
	// The slot keeps a good model (the one from before, or the run's last
	// good weights), which still decodes to numbers.
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: TrainedSlot, Floats: digits(1)}))
	for _, v := range r.Floats {
		if v != v {
			t.Fatal("the kept model gives NaN")
		}
	}
}

func TestAbsurdTrainingSettings(t *testing.T) {
	e, _ := trainingEngine()
	for _, tr := range []protocol.Train{
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: -1, Batch: 10, Epochs: 1},
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 0, Epochs: 1},
		{Kind: "vae", Latent: 2, Hidden: []int{1 << 20}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "vae", Latent: 0, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "gan", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1, Beta: -1},
	} {
		if r := e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &tr}); r.Error == "" {
			t.Errorf("settings %+v accepted", tr)
		}
	}
}

// TestRepeatTimesTheAnswer: a repeated request gives the same answer and
// its compute time; an absurd count is refused.
func TestRepeatTimesTheAnswer(t *testing.T) {
	e := New()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "m", Bytes: tinyVAE(t, 0)}))
	x := synthetic(1).Pixels
	once := e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "m", Floats: x})
	many := e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "m", Floats: x, Repeat: 50})
	mustOK(t, many)
	if !slices.Equal(once.Floats, many.Floats) || !(many.ComputeMS > 0) || once.ComputeMS != 0 {
		t.Fatalf("repeat changed the answer or gave no time (%v ms)", many.ComputeMS)
	}
	if r := e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: "m", Floats: x, Repeat: 5000}); r.Error == "" {
		t.Fatal("5000 repeats taken")
	}
}
