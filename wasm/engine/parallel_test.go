package engine

import (
	"encoding/json"
	"math"
	"slices"
	"sync"
	"testing"

	"latentplay/wasm/engine/protocol"
)

// localRemote is a helper engine in the same process, answering in order
// on its own goroutine, as a Web Worker would.
type localRemote struct {
	jobs chan localJob
	once sync.Once
}

type localJob struct {
	req protocol.Request
	out chan protocol.Response
}

func newLocalRemote() *localRemote {
	e, _ := trainingEngine()
	r := &localRemote{jobs: make(chan localJob, 16)}
	go func() {
		for j := range r.jobs {
			// The answer crosses as a worker's would: its header as JSON.
			resp := e.Handle(j.req)
			h, err := json.Marshal(protocol.Envelope{Response: &resp})
			if err != nil {
				j.out <- protocol.Response{ID: resp.ID, Error: "cannot encode: " + err.Error()}
				continue
			}
			var env protocol.Envelope
			if err := json.Unmarshal(h, &env); err != nil {
				panic(err)
			}
			env.Response.Floats = resp.Floats
			j.out <- *env.Response
		}
	}()
	return r
}

func (r *localRemote) Send(req protocol.Request) <-chan protocol.Response {
	// The message carries copies, as postMessage would.
	req.Floats, req.Index = slices.Clone(req.Floats), slices.Clone(req.Index)
	out := make(chan protocol.Response, 1)
	r.jobs <- localJob{req, out}
	return out
}

func (r *localRemote) Close() { r.once.Do(func() { close(r.jobs) }) }

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
		mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &s}))
		last := waitFor(t, events, protocol.Done, protocol.Failed)
		if last.State != protocol.Done {
			t.Fatalf("%d workers: %s", workers, last.Message)
		}
		if len(spawned) != workers-1 || last.Workers != workers {
			t.Fatalf("%d workers asked, %d helpers started, progress says %d", workers, len(spawned), last.Workers)
		}
		resp := e.Handle(protocol.Request{Op: protocol.OpReconstruct, Slot: TrainedSlot, Floats: synthetic(4).Pixels})
		mustOK(t, resp)
		return resp.Floats, last
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

// TestShardRequestsCheckTheirInput: a helper refuses a gradient or an
// update it cannot honour, with a message, and keeps its model.
func TestShardRequestsCheckTheirInput(t *testing.T) {
	e, _ := trainingEngine()
	for _, req := range []protocol.Request{
		{Op: protocol.OpShardGradient, Index: []int{0, 1}, Rows: []int{0, 2}},
		{Op: protocol.OpShardApply, Floats: []float32{1}},
		{Op: protocol.OpShardStart},
		{Op: protocol.OpShardStart, Train: &protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{8}, LR: 1e-3, Batch: 10, Epochs: 1, Workers: 99}},
	} {
		if resp := e.Handle(req); resp.Error == "" {
			t.Errorf("%s %+v: no error", req.Op, req)
		}
	}
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpShardStart, Train: &protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{8}, LR: 1e-3, Batch: 10, Epochs: 1}}))
	for _, req := range []protocol.Request{
		{Op: protocol.OpShardGradient, Index: []int{0, 1}, Rows: []int{0, 3}},
		{Op: protocol.OpShardGradient, Index: []int{0, 1}, Rows: []int{2, 1}},
		{Op: protocol.OpShardGradient, Index: []int{0, 200}, Rows: []int{0, 2}},
		{Op: protocol.OpShardGradient, Index: []int{-1}, Rows: []int{0, 1}},
		{Op: protocol.OpShardApply, Floats: []float32{1, 2, 3}},
	} {
		if resp := e.Handle(req); resp.Error == "" {
			t.Errorf("%s %+v: no error", req.Op, req)
		}
	}
	resp := e.Handle(protocol.Request{Op: protocol.OpShardGradient, Index: []int{3, 4, 5}, Rows: []int{1, 3}})
	mustOK(t, resp)
	if resp.Loss == nil || !(resp.Loss.Total > 0) || len(resp.Floats) == 0 {
		t.Fatalf("a good shard gave loss %v and %d values", resp.Loss, len(resp.Floats))
	}
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpShardApply, Floats: resp.Floats}))
}

// TestDataParallelBlowUp: a learning rate that blows the loss up stops a
// data-parallel run as it stops a lone one, with the last good weights.
func TestDataParallelBlowUp(t *testing.T) {
	e, events := trainingEngine()
	e.Spawn = func() (Remote, error) { return newLocalRemote(), nil }
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 10, Batch: 20, Epochs: 50, Seed: 1, Workers: 2}}))
	last := waitFor(t, events, protocol.Diverged, protocol.Failed, protocol.Done)
	if last.State != protocol.Diverged {
		t.Fatalf("state %s (%s), want diverged", last.State, last.Message)
	}
}
