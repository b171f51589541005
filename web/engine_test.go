package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/core/draw"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	worker "latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// nativeClient is the page's engine client wired to an engine in this
// process through the same messages the worker exchanges.
func nativeClient(e *worker.Engine) *EngineClient {
	c := newClient(nil)
	c.post = func(m protocol.Message) { go c.receive(e.Serve(m)) }
	e.Emit = c.receive
	close(c.ready)
	return c
}

// call is Call on a given client.
func call[Q, A any](c *EngineClient, op protocol.Op[Q, A], q Q) (A, error) {
	type answer struct {
		a   A
		err error
	}
	ch := make(chan answer, 1)
	Post(c, op, q, func(a A, err error) { ch <- answer{a, err} })
	r := <-ch
	return r.a, r.err
}

// drawn7 is a drawn 7 as the pad makes it: a bar and a down stroke.
func drawn7(t *testing.T) []float32 {
	ink := make([]float32, padSide*padSide)
	draw.Stroke(ink, padSide, padSide, 70, 60, 210, 60, padBrush)
	draw.Stroke(ink, padSide, padSide, 210, 60, 120, 240, padBrush)
	input, err := draw.Normalize(ink, padSide, padSide)
	if err != nil {
		t.Fatal(err)
	}
	return input
}

// workerRebuild is the worker's own answer to a rebuild, bypassing the
// client's copies.
func workerRebuild(t *testing.T, e *worker.Engine, q protocol.RebuildArgs) protocol.Rebuilt {
	t.Helper()
	r, err := worker.Do(e, protocol.Rebuild, q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func sameRebuild(a, b protocol.Rebuilt) bool {
	if a.Class != b.Class || !slices.Equal(a.Probs, b.Probs) || len(a.Images) != len(b.Images) {
		return false
	}
	for i := range a.Images {
		if a.Images[i].Rows != b.Images[i].Rows || !slices.Equal(a.Images[i].Data, b.Images[i].Data) {
			return false
		}
	}
	return true
}

// TestRebuildHereFollowsEveryLoad: the client's own rebuild of a drawing,
// on its copies of the playground's models, gives the worker's answer
// value for value after every way a playground slot can change — the
// shipped file; a trained model's snapshot put there by "use in the other
// views"; an imported or shared file (float16 and int8 storage); a file the
// core refuses (both keep what they had) — and a training run cannot write
// a playground slot at all.
func TestRebuildHereFollowsEveryLoad(t *testing.T) {
	e := worker.New()
	c := nativeClient(e)
	shipped := map[string][]byte{}
	for _, name := range openingModels {
		b, err := os.ReadFile("../static/models/" + name + ".lpm")
		if err != nil {
			t.Fatal(err)
		}
		shipped[name] = b
		if _, err := c.Load(name, b); err != nil {
			t.Fatal(err)
		}
	}
	q := rebuildArgs(drawn7(t))
	check := func(way string) protocol.Rebuilt {
		t.Helper()
		c.parsing.Wait() // the page's copies of what the worker has taken
		here, ok, err := c.rebuildHere(q)
		if !ok || err != nil {
			t.Fatalf("%s: rebuilt here: %v, %v", way, ok, err)
		}
		if want := workerRebuild(t, e, q); !sameRebuild(here, want) {
			t.Fatalf("%s: the page's rebuild differs from the worker's", way)
		}
		if _, err := readRebuilds(here); err != nil {
			t.Fatalf("%s: %v", way, err)
		}
		return here
	}
	first := check("shipped")

	// Another VAE of the same shape, as a trained model's snapshot would
	// be, put in the VAE's slot the way "use in the other views" does.
	other, err := models.NewVAE(models.VAEConfig{Inputs: data.Pixels, Hidden: []int{32}, Latent: 20}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := call(c, protocol.Load, protocol.LoadArgs{Slot: "trained", File: protocol.File{Data: mustMarshal(t, other, modelfile.Float32)}}); err != nil {
		t.Fatal(err)
	}
	snap, err := call(c, protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(viewSlot(snap.Info.Kind), snap.File.Data); err != nil {
		t.Fatal(err)
	}
	if used := check("use in the other views"); sameRebuild(used, first) {
		t.Fatal("the VAE's slot did not change")
	}
	for _, storage := range []modelfile.Storage{modelfile.Float16, modelfile.Int8} {
		if _, err := c.Load("vae-20", mustMarshal(t, other, storage)); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("import (storage %d)", storage))
	}
	if _, err := c.Load("vae-20", shipped["vae-20"]); err != nil {
		t.Fatal(err)
	}
	check("the shipped file again")
	if _, err := c.Load("vae-20", []byte("not a model")); err == nil {
		t.Fatal("a file that is not a model was loaded")
	}
	if again := check("a refused file"); !sameRebuild(again, first) {
		t.Error("a refused file changed the VAE")
	}
	if _, err := call(c, protocol.StartRun, protocol.Train{Kind: "vae", Latent: 20, Hidden: []int{32}, LR: 1e-3, Batch: 8, Epochs: 1, Seed: 1, Slot: "vae-20", Owner: "test"}); err == nil || !strings.Contains(err.Error(), "playground") {
		t.Errorf("training into a playground slot: %v, want a refusal", err)
	}
	q.Slots = append(slices.Clone(q.Slots), "vae-2")
	if _, ok, _ := c.rebuildHere(q); ok {
		t.Error("a model the client has no copy of was rebuilt here")
	}
}

func mustMarshal(t *testing.T, m models.Model, s modelfile.Storage) []byte {
	t.Helper()
	b, err := models.Marshal(m, nil, s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// synthetic is a labelled set of n stripes, one position per digit.
func synthetic(n int) *data.Set {
	s := &data.Set{N: n, Rows: data.Side, Cols: data.Side, Pixels: make([]float32, n*data.Pixels), Labels: make([]uint8, n)}
	for i := range n {
		l := i % data.Classes
		s.Labels[i] = uint8(l)
		for r := 4; r < 24; r++ {
			s.Pixels[i*data.Pixels+r*data.Side+4+2*l] = 1
		}
	}
	return s
}

// TestRunsGoToTheirOwner: a run started by one view sends its events to
// that view alone; another view following meanwhile sees none of them,
// and a view that follows its owner later takes the run up from its last
// event.
func TestRunsGoToTheirOwner(t *testing.T) {
	e := worker.New()
	e.Chunk = time.Millisecond
	e.LoadMNIST = func(func(float64)) (*data.Set, *data.Set, error) { return synthetic(200), synthetic(50), nil }
	c := nativeClient(e)
	elbo, train := make(chan protocol.Progress, 10000), make(chan protocol.Progress, 10000)
	c.Follow("train", func(p protocol.Progress) { train <- p })
	r, err := c.Train(protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 20, Epochs: 3, Seed: 1, Slot: "elbo", Owner: "elbo"},
		func(p protocol.Progress) { elbo <- p })
	if err != nil {
		t.Fatal(err)
	}
	var last protocol.Progress
	for last = range elbo {
		if last.Run != r.Run || last.Owner != "elbo" {
			t.Fatalf("the β lab got an event of run %d (%q)", last.Run, last.Owner)
		}
		if last.State.Ended() {
			break
		}
	}
	if last.State != protocol.Done {
		t.Fatalf("the run ended %s: %s", last.State, last.Message)
	}
	if len(train) != 0 {
		t.Fatalf("the Train view got %d of the β lab's events", len(train))
	}
	again, ok := c.Follow("elbo", nil)
	if !ok || again.Run != r.Run || again.State != protocol.Done {
		t.Errorf("following the β lab again gives %+v, %v; want its run's last event", again, ok)
	}
	if _, ok := c.Follow("classifier", nil); ok {
		t.Error("a view that started no run has a last event")
	}
}

// A playground slot given the person's model is named as theirs, and
// going back to the shipped file forgets it.
func TestPersonalModelsAreRecorded(t *testing.T) {
	c := newClient(nil)
	info := protocol.Info{Slot: "vae-20", Kind: "vae", Latent: 20, Params: 1000}
	c.personal("vae-20", info)
	if got, ok := c.yoursIn("vae-20"); !ok || got != info {
		t.Fatalf("the person's model in vae-20: %+v, %v", got, ok)
	}
	if _, ok := c.yoursIn("ae-20"); ok {
		t.Error("a slot nobody changed is named as the person's")
	}
}

// TestPreloadedModelsAreTakenAtTheEnginesWord: a shipped model the page's
// head handed the engine before the page's code ran is not sent again;
// the engine's word is enough, and the page's copy then rebuilds as the
// engine does. A file the engine refused goes the usual way and fails
// with the engine's reason; and a failed engine releases whoever waits
// for its word.
func TestPreloadedModelsAreTakenAtTheEnginesWord(t *testing.T) {
	e := worker.New()
	c := nativeClient(e)
	var sent []string
	post := c.post
	c.post = func(m protocol.Message) {
		var call protocol.Call
		if err := json.Unmarshal(m.Header, &call); err == nil {
			sent = append(sent, call.Op)
		}
		post(m)
	}
	var copies []func()
	for _, name := range openingModels {
		b, err := os.ReadFile("../static/models/" + name + ".lpm")
		if err != nil {
			t.Fatal(err)
		}
		c.receive(e.Preload(name, slices.Clone(b))) // the worker's notice
		copy, err := c.take(name, b, true)
		if err != nil || copy == nil {
			t.Fatalf("%s: taken with %v, copy %v", name, err, copy != nil)
		}
		copies = append(copies, copy)
	}
	if len(sent) != 0 {
		t.Fatalf("the client sent %v for models the engine had", sent)
	}
	q := rebuildArgs(drawn7(t))
	if _, here, _ := c.rebuildHere(q); here {
		t.Fatal("rebuilt here before the page's copies were made")
	}
	for _, copy := range copies {
		copy()
	}
	c.parsing.Wait()
	here, ok, err := c.rebuildHere(q)
	if !ok || err != nil || !sameRebuild(here, workerRebuild(t, e, q)) {
		t.Fatalf("the page's rebuild (%v, %v) is not the engine's", ok, err)
	}

	c.receive(e.Preload("vae-2", []byte("not a model")))
	if _, err := c.take("vae-2", []byte("not a model"), true); err == nil || !strings.Contains(err.Error(), "not a latentplay model") {
		t.Errorf("a refused preload: %v", err)
	}
	if !slices.Equal(sent, []string{protocol.Load.Name}) {
		t.Errorf("after a refused preload the client sent %v, want one load", sent)
	}

	waiting := make(chan error, 1)
	go func() {
		_, err := c.take("cvae-2", nil, true)
		waiting <- err
	}()
	c.fail(errors.New("the engine crashed"))
	if err := <-waiting; err == nil || !strings.Contains(err.Error(), "crashed") {
		t.Errorf("waiting for a failed engine's word: %v", err)
	}
}
