package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// must is the answer, failing the test on an error.
func must[A any](t *testing.T) func(A, error) A {
	return func(a A, err error) A {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
}

func load(t *testing.T, e *Engine, slot string, file []byte) protocol.Info {
	t.Helper()
	return must[protocol.Info](t)(Do(e, protocol.Load, protocol.LoadArgs{Slot: slot, File: protocol.File{Data: file}}))
}

func images(x []float32) protocol.Batch { return protocol.RowsOf(data.Pixels, x) }

func TestGenerativeOps(t *testing.T) {
	e := New()
	info := load(t, e, "vae", tinyVAE(t, 0))
	if info.Kind != "vae" || info.Latent != 2 {
		t.Fatalf("info %+v", info)
	}
	x := images(digits(3))
	r := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "vae", Images: x}, Samples: 2, Seed: 1}))
	if r.Mean.Rows != 3 || r.Mean.Cols != data.Pixels || r.Sampled.Rows != 3*2 {
		t.Fatalf("reconstruct gave %d and %d rebuilds, want 3 images and 3 × 2 samples", r.Mean.Rows, r.Sampled.Rows)
	}
	c := must[protocol.Codes](t)(Do(e, protocol.Encode, protocol.ImagesArgs{Slot: "vae", Images: x}))
	if c.Mu.Rows != 3 || c.Mu.Cols != 2 || c.Sigma.Rows != 3 || c.Sigma.Data[0] <= 0 {
		t.Fatalf("encode gave μ %d×%d and σ %d×%d (σ₀ %v)", c.Mu.Rows, c.Mu.Cols, c.Sigma.Rows, c.Sigma.Cols, c.Sigma.Data[0])
	}
	d := must[protocol.Images](t)(Do(e, protocol.Decode, protocol.DecodeArgs{Slot: "vae", Codes: c.Mu}))
	if !slices.Equal(d.Images.Data, r.Mean.Data) {
		t.Fatal("decoding μ does not give the rebuild through μ")
	}
	if im := must[protocol.Images](t)(Do(e, protocol.Sample, protocol.SampleArgs{Slot: "vae", N: 5, Temperature: 1, Seed: 2})).Images; im.Rows != 5 || im.Cols != data.Pixels {
		t.Fatalf("sample gave %d×%d", im.Rows, im.Cols)
	}
	ends := images(x.Data[:2*data.Pixels])
	path := must[protocol.Images](t)(Do(e, protocol.Interpolate, protocol.InterpolateArgs{Slot: "vae", Ends: ends, Steps: 7, Spherical: true})).Images
	if path.Rows != 7 || !slices.Equal(path.Row(0), r.Mean.Row(0)) || !slices.Equal(path.Row(6), r.Mean.Row(1)) {
		t.Fatalf("interpolate gave %d images, or its ends are not the two rebuilds", path.Rows)
	}
	if g := must[protocol.Images](t)(Do(e, protocol.LatentGrid, protocol.LatentGridArgs{Slot: "vae", N: 4})).Images; g.Rows != 16 {
		t.Fatalf("grid gave %d images", g.Rows)
	}
	snap := must[protocol.ModelFile](t)(Do(e, protocol.Snapshot, protocol.Slot{Slot: "vae"}))
	if _, _, err := models.Unmarshal(snap.File.Data); err != nil || snap.Info != info {
		t.Fatalf("snapshot (%+v) does not load: %v", snap.Info, err)
	}
}

func TestBadRequestsKeepTheModel(t *testing.T) {
	e := New()
	good := tinyVAE(t, 0)
	load(t, e, "vae", good)
	rebuild := protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "vae", Images: images(digits(1))}}
	before := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, rebuild)).Mean.Data

	corrupt := append([]byte(nil), good...)
	corrupt[len(corrupt)/2] ^= 0xff
	loadArgs := func(b []byte) protocol.LoadArgs { return protocol.LoadArgs{Slot: "vae", File: protocol.File{Data: b}} }
	recon := func(b protocol.Batch, slot string) protocol.ReconstructArgs {
		return protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: slot, Images: b}}
	}
	errOf := func(_ any, err error) error { return err }
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"truncated file", errOf(Do(e, protocol.Load, loadArgs(good[:100]))), "corrupt"},
		{"corrupt file", errOf(Do(e, protocol.Load, loadArgs(corrupt))), "checksum"},
		{"foreign file", errOf(Do(e, protocol.Load, loadArgs([]byte("\x89PNG\r\n\x1a\n0000000000000")))), "not a latentplay model"},
		{"wrong shape", errOf(Do(e, protocol.Reconstruct, recon(protocol.RowsOf(100, make([]float32, 100)), "vae"))), "want at least one of 784"},
		{"NaN input", errOf(Do(e, protocol.Reconstruct, recon(images(nanImage()), "vae"))), "NaN"},
		{"no such slot", errOf(Do(e, protocol.Reconstruct, recon(images(digits(1)), "gan"))), "no model loaded"},
		{"wrong kind", errOf(Do(e, protocol.Classify, protocol.ImagesArgs{Slot: "vae", Images: images(digits(1))})), `needed ["mlp"]`},
		{"absurd sample", errOf(Do(e, protocol.Sample, protocol.SampleArgs{Slot: "vae", N: 1 << 30, Temperature: 1})), "samples"},
		{"grid of a 2-D model only", errOf(Do(e, protocol.LatentGrid, protocol.LatentGridArgs{Slot: "vae", N: 1000})), "grid"},
		{"unknown op", errOf(Do(e, protocol.Op[protocol.Slot, protocol.None]{Name: "dance"}, protocol.Slot{})), "no such operation"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to mention %q", tc.name, tc.err, tc.want)
		}
	}
	// A message whose batch points past its buffer is refused, not read.
	m, err := protocol.Ask(protocol.Reconstruct, 1, 0, rebuild)
	if err != nil {
		t.Fatal(err)
	}
	m.Floats = m.Floats[:10]
	if _, err := Read(protocol.Reconstruct, e.Serve(m)); err == nil || !strings.Contains(err.Error(), "beyond") {
		t.Errorf("a batch beyond its message: %v", err)
	}
	after := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, rebuild)).Mean.Data
	if !slices.Equal(before, after) {
		t.Fatal("a rejected request changed the loaded model")
	}
}

// TestAPanicChangesNoSlot: an operation that panics after setting a slot
// answers with an error, and the slot keeps its model.
func TestAPanicChangesNoSlot(t *testing.T) {
	e := New()
	load(t, e, "vae", tinyVAE(t, 0))
	before := must[protocol.ModelFile](t)(Do(e, protocol.Snapshot, protocol.Slot{Slot: "vae"})).File.Data
	boom := protocol.Op[protocol.LoadArgs, protocol.None]{Name: "test-load-then-panic"}
	handle(boom, func(e *Engine, q protocol.LoadArgs) (protocol.None, error) {
		if _, err := e.load(q); err != nil {
			return protocol.None{}, err
		}
		var m map[string]int
		m["x"]++ // a nil map: the operation panics after its load
		return protocol.None{}, nil
	})
	defer delete(handlers, boom.Name)
	_, err := Do(e, boom, protocol.LoadArgs{Slot: "vae", File: protocol.File{Data: tinyVAE(t, 10)}})
	if err == nil || !strings.Contains(err.Error(), "failed") {
		t.Fatalf("a panicking operation answered %v", err)
	}
	after := must[protocol.ModelFile](t)(Do(e, protocol.Snapshot, protocol.Slot{Slot: "vae"}))
	if after.Info.Classes != 0 || !slices.Equal(after.File.Data, before) {
		t.Fatal("the slot took the model of an operation that panicked")
	}
}

func nanImage() []float32 {
	x := make([]float32, data.Pixels)
	x[5] = float32(nan())
	return x
}

func nan() float64 { var z float64; return z / z }

func TestRebuildInOneCall(t *testing.T) {
	e := New()
	c, _ := models.NewClassifier(models.ClassifierConfig{Inputs: data.Pixels, Hidden: []int{8}, Classes: 10, Activation: "relu"}, rand.New(rand.NewPCG(2, 2)))
	cb, _ := models.Marshal(c, nil, modelfile.Float32)
	load(t, e, "mlp", cb)
	load(t, e, "vae", tinyVAE(t, 0))
	load(t, e, "cvae", tinyVAE(t, 10))
	x := images(digits(1))
	r := must[protocol.Rebuilt](t)(Do(e, protocol.Rebuild, protocol.RebuildArgs{Slots: []string{"mlp", "vae", "cvae"}, Image: x, Samples: 2, Seed: 1}))
	if len(r.Probs) != 10 || len(r.Images) != 2 || r.Images[0].Rows != 3 || r.Images[1].Rows != 1 {
		t.Fatalf("%d probabilities and %d sets of images, want 10, and 3 images from the VAE and 1 from the CVAE", len(r.Probs), len(r.Images))
	}
	// The same as asking one by one, with the classifier's class for the CVAE.
	probs := must[protocol.Probabilities](t)(Do(e, protocol.Classify, protocol.ImagesArgs{Slot: "mlp", Images: x})).Probs.Row(0)
	if r.Class != models.Argmax(probs) || !slices.Equal(r.Probs, probs) {
		t.Fatal("the rebuild's reading differs from Classify's")
	}
	cvae := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "cvae", Images: x, Labels: []int{r.Class}}}))
	if !slices.Equal(r.Images[1].Data, cvae.Mean.Data) {
		t.Fatal("the CVAE's rebuild differs from a separate call with the classifier's label")
	}
	if _, err := Do(e, protocol.Rebuild, protocol.RebuildArgs{Slots: []string{"cvae"}, Image: x}); err == nil || !strings.Contains(err.Error(), "needs a label") {
		t.Fatalf("a CVAE without a classifier before it: %v", err)
	}
}

func TestTestCodes(t *testing.T) {
	e, _ := trainingEngine()
	e.LoadTest = func() (*data.Set, error) { return synthetic(30), nil }
	load(t, e, "vae", tinyVAE(t, 0))
	r := must[protocol.LabelledCodes](t)(Do(e, protocol.TestCodes, protocol.CountArgs{Slot: "vae", N: 20}))
	if r.Codes.Rows != 20 || r.Codes.Cols != 2 || len(r.Labels) != 20 {
		t.Fatalf("%d×%d codes and %d labels, want 20 codes of 2 and 20 labels", r.Codes.Rows, r.Codes.Cols, len(r.Labels))
	}
	for i, l := range r.Labels {
		if l != i%10 {
			t.Fatalf("label %d = %v, want %d", i, l, i%10)
		}
	}
}

func TestConditionalNeedsLabels(t *testing.T) {
	e := New()
	load(t, e, "cvae", tinyVAE(t, 10))
	sample := func(n int, labels ...int) (protocol.Images, error) {
		return Do(e, protocol.Sample, protocol.SampleArgs{Slot: "cvae", N: n, Labels: labels, Temperature: 1})
	}
	if _, err := sample(2); err == nil || !strings.Contains(err.Error(), "labels") {
		t.Fatalf("sampling a CVAE without labels: %v", err)
	}
	if r := must[protocol.Images](t)(sample(10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)); r.Images.Rows != 10 {
		t.Fatalf("%d images", r.Images.Rows)
	}
	if _, err := sample(1, 12); err == nil || !strings.Contains(err.Error(), "label 12") {
		t.Fatalf("label out of range: %v", err)
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

// start starts a run of tr on e.
func start(t *testing.T, e *Engine, tr protocol.Train) protocol.Run {
	t.Helper()
	return must[protocol.Run](t)(Do(e, protocol.StartRun, tr))
}

func TestTrainingLowersTheLossAndFillsTheSlot(t *testing.T) {
	e, events := trainingEngine()
	run := start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{32}, Beta: 1, LR: 3e-3, Batch: 20, Epochs: 8, Seed: 1, Samples: 4, Owner: "train"})
	first := waitFor(t, events, protocol.Running)
	if first.Rebuilt.Rows != 4 || first.Probes.Rows != 4 || first.Probes.Cols != data.Pixels {
		t.Fatalf("progress carried %d rebuilt and %d original digits, want 4 of each", first.Rebuilt.Rows, first.Probes.Rows)
	}
	if first.Run != run.Run || first.Owner != "train" {
		t.Fatalf("an event of run %d (%q), want %d (train)", first.Run, first.Owner, run.Run)
	}
	if !(first.StepMS > 0 && first.StepMS < 1000) { // a step of a 784-32-2 VAE on 20 digits
		t.Fatalf("step time %v ms", first.StepMS)
	}
	last := waitFor(t, events, protocol.Done)
	if !(last.Loss.Total < first.Loss.Total) || last.Loss.KL == 0 || !last.Trained || last.ETASeconds != 0 {
		t.Fatalf("loss %+v → %+v (trained %v, %v s left)", first.Loss, last.Loss, last.Trained, last.ETASeconds)
	}
	if last.Samples != 8*200 {
		t.Fatalf("trained on %d samples, want 1600", last.Samples)
	}
	if r := must[protocol.Images](t)(Do(e, protocol.Sample, protocol.SampleArgs{Slot: protocol.TrainedSlot, N: 2, Temperature: 1})); r.Images.Rows != 2 {
		t.Fatal("the trained model is not in its slot")
	}
	e.LoadTest = func() (*data.Set, error) { return synthetic(50), nil }
	if figs := must[protocol.Evaluation](t)(Do(e, protocol.Evaluate, protocol.Slot{Slot: protocol.TrainedSlot})); figs.LossNats <= 0 {
		t.Fatalf("figures %+v", figs)
	}
}

// TestCallsAnsweredWhileTraining: a run reports every whole second, yet a
// call made meanwhile — even one that reads the model being trained — is
// answered within a slice, from a copy taken between two steps.
func TestCallsAnsweredWhileTraining(t *testing.T) {
	e, events := trainingEngine()
	e.Chunk = time.Second
	load(t, e, "vae", tinyVAE(t, 0))
	start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{32}, LR: 1e-3, Batch: 20, Epochs: 1000, Seed: 1, Owner: "train"})
	waitFor(t, events, protocol.Running)
	x := images(digits(1))
	began := time.Now()
	if _, err := Do(e, protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "vae", Images: x}}); err != nil {
		t.Fatal(err)
	}
	other := time.Since(began)
	began = time.Now()
	snap, err := Do(e, protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot})
	if err != nil {
		t.Fatal(err)
	}
	own := time.Since(began)
	if _, _, err := models.Unmarshal(snap.File.Data); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	run := protocol.Run{Run: e.run.number}
	e.mu.Unlock()
	must[protocol.None](t)(Do(e, protocol.StopRun, run))
	waitFor(t, events, protocol.Stopped)
	// Another slot's call does not wait for the chunk at all; the run's own
	// slot waits for the next slice (20 ms), not for the second-long chunk.
	if other > e.Chunk/2 || own > e.Chunk/2 {
		t.Fatalf("calls took %v (another slot) and %v (the run's slot) with %v chunks", other, own, e.Chunk)
	}
}

func TestPauseResumeStop(t *testing.T) {
	e, events := trainingEngine()
	run := start(t, e, protocol.Train{Kind: "ae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1000, Seed: 1})
	waitFor(t, events, protocol.Running)
	must[protocol.None](t)(Do(e, protocol.PauseRun, run))
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
	if _, err := Do(e, protocol.StartRun, protocol.Train{Kind: "ae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1, Seed: 1}); err == nil {
		t.Fatal("a second run started while one is paused")
	}
	if _, err := Do(e, protocol.StopRun, protocol.Run{Run: run.Run + 1}); err == nil {
		t.Fatal("a stop for another run stopped this one")
	}
	must[protocol.None](t)(Do(e, protocol.ResumeRun, run))
	resumed := waitFor(t, events, protocol.Running)
	if resumed.Samples < paused.Samples {
		t.Fatalf("resumed at %d samples, paused at %d", resumed.Samples, paused.Samples)
	}
	must[protocol.None](t)(Do(e, protocol.StopRun, run))
	stopped := waitFor(t, events, protocol.Stopped)
	if stopped.Run != resumed.Run || stopped.ETASeconds != 0 {
		t.Fatalf("events of runs %d and %d; %v s left after the stop", resumed.Run, stopped.Run, stopped.ETASeconds)
	}
}

func TestBlownUpLearningRateStopsWithMessage(t *testing.T) {
	e, events := trainingEngine()
	load(t, e, protocol.TrainedSlot, tinyVAE(t, 0)) // a model from before
	start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 10, Batch: 10, Epochs: 1000, Seed: 1})
	p := waitFor(t, events, protocol.Diverged, protocol.Done)
	if p.State != protocol.Diverged || !strings.Contains(p.Message, "learning rate is too high") {
		t.Fatalf("final event %+v", p)
	}
	// The slot keeps a good model (the one from before, or the run's last
	// good weights), which still decodes to numbers.
	r := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: protocol.TrainedSlot, Images: images(digits(1))}}))
	if !models.Finite(r.Mean.Data) {
		t.Fatal("the kept model gives NaN")
	}
}

func TestAbsurdTrainingSettings(t *testing.T) {
	e, _ := trainingEngine()
	for _, tr := range []protocol.Train{
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: -1, Batch: 10, Epochs: 1},
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 0, Epochs: 1},
		{Kind: "vae", Latent: 2, Hidden: []int{1 << 20}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "vae", Latent: 0, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "flow", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "gan", Latent: 0, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1},
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1, Beta: -1},
		{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 10, Epochs: 1, Slot: "vae-20"},
	} {
		if _, err := Do(e, protocol.StartRun, tr); err == nil {
			t.Errorf("settings %+v accepted", tr)
		}
	}
}

// TestRepeatTimesTheAnswer: a repeated call gives the same answer and its
// compute time; an absurd count is refused.
func TestRepeatTimesTheAnswer(t *testing.T) {
	e := New()
	load(t, e, "m", tinyVAE(t, 0))
	q := protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "m", Images: images(synthetic(1).Pixels)}}
	ask := func(repeat int) (protocol.Rebuilds, float64, error) {
		m, err := protocol.Ask(protocol.Reconstruct, 1, repeat, q)
		if err != nil {
			t.Fatal(err)
		}
		reply := e.Serve(m)
		var env protocol.Envelope
		if err := json.Unmarshal(reply.Header, &env); err != nil {
			t.Fatal(err)
		}
		r, err := Read(protocol.Reconstruct, reply)
		return r, env.Reply.ComputeMS, err
	}
	once, onceMS, err := ask(0)
	if err != nil {
		t.Fatal(err)
	}
	many, manyMS, err := ask(50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(once.Mean.Data, many.Mean.Data) || !(manyMS > 0) || onceMS != 0 {
		t.Fatalf("repeat changed the answer or gave no time (%v ms)", manyMS)
	}
	if _, _, err := ask(5000); err == nil {
		t.Fatal("5000 repeats taken")
	}
}

// TestMNISTDownloadCut: a download of MNIST cut midway fails the run with
// a message naming it, keeps nothing half-read, and the next run fetches
// MNIST afresh and trains.
func TestMNISTDownloadCut(t *testing.T) {
	dir, err := data.MNISTDir()
	if err != nil {
		t.Skip(err)
	}
	images, err := os.ReadFile(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := os.ReadFile(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	e, events := trainingEngine()
	fetches := 0
	e.LoadMNIST = func(func(float64)) (*data.Set, *data.Set, error) {
		fetches++
		if fetches == 1 { // the connection drops halfway through the images
			_, err := data.ReadSet(bytes.NewReader(images[:len(images)/2]), bytes.NewReader(labels))
			return nil, nil, err
		}
		return synthetic(200), synthetic(50), nil
	}
	tr := protocol.Train{Kind: "ae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 20, Epochs: 1, Seed: 1}
	start(t, e, tr)
	p := waitFor(t, events, protocol.Failed, protocol.Done)
	if p.State != protocol.Failed || !strings.Contains(p.Message, "loading MNIST") {
		t.Fatalf("a cut download ended %s: %q", p.State, p.Message)
	}
	if trainSet, testSet := e.loaded(); trainSet != nil || testSet != nil {
		t.Fatal("a half-read MNIST was kept")
	}
	start(t, e, tr)
	if p := waitFor(t, events, protocol.Failed, protocol.Done); p.State != protocol.Done || fetches != 2 {
		t.Fatalf("the retry ended %s (%q) after %d fetches", p.State, p.Message, fetches)
	}
}
