package engine

import (
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// mnistEngine is a training engine on the real MNIST digits.
func mnistEngine(t *testing.T) (*Engine, chan protocol.Progress) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	e, events := trainingEngine()
	e.Chunk = 50 * time.Millisecond
	e.LoadMNIST = func(func(float64)) (*data.Set, *data.Set, error) { return data.LoadMNIST(dir) }
	e.LoadTest = func() (*data.Set, error) {
		_, test, err := data.LoadMNIST(dir)
		return test, err
	}
	return e, events
}

// elboAt trains the β lab's VAE at beta and measures it.
func elboAt(t *testing.T, e *Engine, events chan protocol.Progress, beta float64) protocol.Response {
	t.Helper()
	start := time.Now()
	tr := protocol.ELBOLab(beta)
	gen := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &tr})).Figures["gen"]
	if p := waitFor(t, events, protocol.Done, protocol.Failed, protocol.Diverged); p.State != protocol.Done || float64(p.Gen) != gen {
		t.Fatalf("β = %g: run %d ended %s (%s)", beta, p.Gen, p.State, p.Message)
	}
	secs := time.Since(start).Seconds()
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpELBOPoint, Slot: tr.Slot, N: 1000, Samples: 8, Seed: 1}))
	f := r.Figures
	t.Logf("β = %g: recon %.1f nats, KL %.2f nats, %v of %v dimensions active (trained in %.1f s)", beta, f["recon"], f["kl"], f["active"], f["latent"], secs)
	if k := int(f["latent"]); len(r.Floats) != k+2*8*784 {
		t.Fatalf("%d floats, want %d KLs and 16 digits", len(r.Floats), k)
	}
	if f["beta"] != float64(float32(beta)) {
		t.Errorf("the model says β = %v, trained at %v", f["beta"], beta)
	}
	return r
}

// As β grows the VAE trades reconstruction for KL, and at a large β the
// posterior collapses onto the prior: few dimensions stay active and the
// rebuilds become one average digit.
func TestELBOTradeOff(t *testing.T) {
	e, events := mnistEngine(t)
	lo := elboAt(t, e, events, 0.3)
	hi := elboAt(t, e, events, 30)
	if !(hi.Figures["kl"] < lo.Figures["kl"]) || !(hi.Figures["recon"] > lo.Figures["recon"]) {
		t.Errorf("β 0.3 → 30: recon %.1f → %.1f, KL %.2f → %.2f; want recon up, KL down", lo.Figures["recon"], hi.Figures["recon"], lo.Figures["kl"], hi.Figures["kl"])
	}
	if !(hi.Figures["active"] < lo.Figures["active"]) || hi.Figures["active"] > 2 {
		t.Errorf("active dimensions %v at β 0.3, %v at β 30", lo.Figures["active"], hi.Figures["active"])
	}
	// Collapsed, the rebuilds of different digits are nearly one picture.
	k := int(hi.Figures["latent"])
	if a, b := spread(lo.Floats[k:k+8*784]), spread(hi.Floats[k:k+8*784]); !(b < a/3) {
		t.Errorf("the rebuilds' spread across digits: %.4f at β 0.3, %.4f at β 30", a, b)
	}
	if _, ok := e.slots[TrainedSlot]; ok {
		t.Error("the β lab's run replaced the Train view's model")
	}
	if r := e.Handle(protocol.Request{Op: protocol.OpELBOPoint, Slot: protocol.ELBOSlot, N: 0}); r.Error == "" {
		t.Error("no test digits gave no error")
	}
}

// spread is the mean squared difference of each image from the images'
// mean picture.
func spread(imgs []float32) float64 {
	n := len(imgs) / 784
	mean := make([]float64, 784)
	for i, v := range imgs {
		mean[i%784] += float64(v) / float64(n)
	}
	var s float64
	for i, v := range imgs {
		d := float64(v) - mean[i%784]
		s += d * d
	}
	return s / float64(len(imgs))
}
