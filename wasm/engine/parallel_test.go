package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// localRemote is a helper engine in the same process, answering in order
// on its own goroutine, as a Web Worker would, through the same messages.
// It has no MNIST to load, so a run that asked a helper for any fails.
type localRemote struct {
	mu     sync.Mutex
	jobs   chan localJob
	closed bool
	dead   error // once killed, every call fails with it
	calls  int   // calls made so far
	// killAfter, when positive, kills the helper at that call, as a
	// browser terminating the worker mid-run would.
	killAfter int
}

type localJob struct {
	id  int
	m   protocol.Message
	out chan protocol.Message
}

func newLocalRemote() *localRemote {
	e, _ := trainingEngine()
	e.LoadMNIST = nil // a helper holds no images: its shards bring theirs
	r := &localRemote{jobs: make(chan localJob, 16)}
	go func() {
		for j := range r.jobs {
			r.mu.Lock()
			dead := r.dead
			r.mu.Unlock()
			if dead != nil {
				j.out <- protocol.Answer(j.id, nil, dead, 0)
				continue
			}
			reply := e.Serve(j.m)
			reply.Floats = slices.Clone(reply.Floats) // it crosses as a copy
			j.out <- reply
		}
	}()
	return r
}

func (r *localRemote) Send(ask func(id int) (protocol.Message, error)) <-chan protocol.Message {
	r.mu.Lock()
	r.calls++
	id := r.calls
	if r.killAfter > 0 && id >= r.killAfter && r.dead == nil {
		r.dead = errors.New("a helper engine failed: the worker was terminated")
	}
	r.mu.Unlock()
	out := make(chan protocol.Message, 1)
	m, err := ask(id)
	if err != nil {
		out <- protocol.Answer(id, nil, err, 0)
		return out
	}
	// The message carries copies, as postMessage would.
	m.Floats = slices.Clone(m.Floats)
	r.jobs <- localJob{id, m, out}
	return out
}

func (r *localRemote) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.closed = true
		close(r.jobs)
	}
}

// TestDataParallelTraining trains the same VAE alone and with two helper
// engines, and finds the same model (the engine's half of the core's
// TestParallelMatchesOneWorker: the messages carry the shards faithfully).
func TestDataParallelTraining(t *testing.T) {
	settings := protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 3e-3, Batch: 30, Epochs: 3, Seed: 2}
	trained := func(workers int) ([]float32, protocol.Progress) {
		e, events := trainingEngine()
		var spawned []*localRemote
		e.Spawn = func() (Remote, error) {
			r := newLocalRemote()
			spawned = append(spawned, r)
			return r, nil
		}
		s := settings
		s.Workers = workers
		start(t, e, s)
		last := waitFor(t, events, protocol.Done, protocol.Failed)
		if last.State != protocol.Done {
			t.Fatalf("%d workers: %s", workers, last.Message)
		}
		if len(spawned) != workers-1 || last.Workers != workers {
			t.Fatalf("%d workers asked, %d helpers started, progress says %d", workers, len(spawned), last.Workers)
		}
		r := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: protocol.TrainedSlot, Images: images(synthetic(4).Pixels)}}))
		return r.Mean.Data, last
	}
	one, p1 := trained(1)
	three, p3 := trained(3)
	if math.Abs(p1.Loss.Total-p3.Loss.Total) > 1e-4*p1.Loss.Total {
		t.Fatalf("final loss %v alone, %v with three workers", p1.Loss, p3.Loss)
	}
	for i := range one {
		if d := math.Abs(float64(one[i] - three[i])); d > 1e-4 {
			t.Fatalf("rebuild pixel %d: %v alone, %v with three workers", i, one[i], three[i])
		}
	}
}

// TestShardRequestsCheckTheirInput: a helper refuses a start, a gradient
// or an update it cannot honour, with a message, and keeps its model.
func TestShardRequestsCheckTheirInput(t *testing.T) {
	e, _ := trainingEngine()
	refused := func(what string, _ any, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
		}
	}
	tiny := protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{8}, LR: 1e-3, Batch: 10, Epochs: 1}
	mean := protocol.RowsOf(data.Pixels, make([]float32, data.Pixels))
	setup := protocol.ShardSetup{Train: tiny, N: 100, Mean: mean}
	// grad asks for rows lo..hi of a batch of of images, with n images
	// (of the right size) and their labels.
	grad := func(lo, hi, of, n int, labels ...uint8) protocol.Shard {
		px := make([]float32, n*data.Pixels)
		for i := range px {
			px[i] = float32(i%7) / 7
		}
		return protocol.Shard{Lo: lo, Hi: hi, Of: of, Images: protocol.RowsOf(data.Pixels, px), Labels: labels}
	}
	update := func(xs ...float32) protocol.Update { return protocol.Update{Grad: protocol.RowsOf(len(xs), xs)} }
	r1, e1 := Do(e, protocol.ShardGradient, grad(0, 1, 2, 1, 0))
	refused("a gradient before shard-start", r1, e1)
	r2, e2 := Do(e, protocol.ShardApply, update(1))
	refused("an update before shard-start", r2, e2)
	r3, e3 := Do(e, protocol.ShardStart, protocol.ShardSetup{N: 100, Mean: mean})
	refused("no settings", r3, e3)
	many := setup
	many.Train.Workers = 99
	r4, e4 := Do(e, protocol.ShardStart, many)
	refused("99 workers", r4, e4)
	noMean := setup
	noMean.Mean = protocol.Batch{}
	r5, e5 := Do(e, protocol.ShardStart, noMean)
	refused("a VAE without the mean image it starts from", r5, e5)
	none := setup
	none.N = 0
	r6, e6 := Do(e, protocol.ShardStart, none)
	refused("no images to train on", r6, e6)

	must[protocol.None](t)(Do(e, protocol.ShardStart, setup))
	for _, q := range []protocol.Shard{
		grad(0, 3, 2, 3, 0, 1, 2), // beyond the batch
		grad(2, 1, 3, 0),          // backwards
		grad(0, 2, 3, 1, 0, 1),    // one image for two rows
		grad(0, 2, 3, 2, 0),       // one label for two rows
		grad(0, 1, 3, 1, 10),      // no such digit
	} {
		r, err := Do(e, protocol.ShardGradient, q)
		refused(fmt.Sprintf("shard %d..%d of %d with %d images and labels %v", q.Lo, q.Hi, q.Of, q.Images.Rows, q.Labels), r, err)
	}
	r7, e7 := Do(e, protocol.ShardApply, update(1, 2, 3))
	refused("3 gradient values", r7, e7)
	g := must[protocol.ShardGrad](t)(Do(e, protocol.ShardGradient, grad(1, 3, 4, 2, 3, 4)))
	if !(g.Loss.Total > 0) || g.Grad.Rows != 1 || g.Grad.Cols == 0 {
		t.Fatalf("a good shard gave loss %v and %d×%d values", g.Loss, g.Grad.Rows, g.Grad.Cols)
	}
	must[protocol.None](t)(Do(e, protocol.ShardApply, protocol.Update{Grad: g.Grad}))
}

// TestDataParallelBlowUp: a learning rate that blows the loss up stops a
// data-parallel run as it stops a lone one, with the last good weights.
func TestDataParallelBlowUp(t *testing.T) {
	e, events := trainingEngine()
	e.Spawn = func() (Remote, error) { return newLocalRemote(), nil }
	start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 10, Batch: 20, Epochs: 50, Seed: 1, Workers: 2})
	last := waitFor(t, events, protocol.Diverged, protocol.Failed, protocol.Done)
	if last.State != protocol.Diverged {
		t.Fatalf("state %s (%s), want diverged", last.State, last.Message)
	}
}

// TestHelperTerminatedMidRun: a helper worker that dies mid-run (the
// browser terminated it) stops the run with a message that says so; the
// run's slot keeps the last good weights, which still decode to numbers,
// and the other helpers are stopped.
func TestHelperTerminatedMidRun(t *testing.T) {
	e, events := trainingEngine()
	var helpers []*localRemote
	e.Spawn = func() (Remote, error) {
		r := newLocalRemote()
		if len(helpers) == 1 {
			r.killAfter = 40 // the second helper dies after a few steps
		}
		helpers = append(helpers, r)
		return r, nil
	}
	start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 1e-3, Batch: 30, Epochs: 100, Seed: 1, Workers: 3})
	last := waitFor(t, events, protocol.Failed, protocol.Diverged, protocol.Done)
	if last.State != protocol.Failed || !strings.Contains(last.Message, "terminated") || !strings.Contains(last.Message, "last good weights") {
		t.Fatalf("state %s (%q), want a failure naming the helper and the kept weights", last.State, last.Message)
	}
	if !last.Trained || last.Samples == 0 {
		t.Fatalf("the run took no step before the helper died (%d samples)", last.Samples)
	}
	r := must[protocol.Rebuilds](t)(Do(e, protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: protocol.TrainedSlot, Images: images(digits(1))}}))
	if !models.Finite(r.Mean.Data) {
		t.Fatal("the kept model gives NaN")
	}
	for i, h := range helpers {
		h.mu.Lock()
		closed := h.closed
		h.mu.Unlock()
		if !closed {
			t.Errorf("helper %d was left running", i+1)
		}
	}
}
