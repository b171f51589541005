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

// trainToEnd runs tr on e to its end, which must be Done.
func trainToEnd(t *testing.T, e *Engine, events chan protocol.Progress, tr protocol.Train) {
	t.Helper()
	run := start(t, e, tr)
	if p := waitFor(t, events, protocol.Done, protocol.Failed, protocol.Diverged); p.State != protocol.Done || p.Run != run.Run {
		t.Fatalf("%s at β %g, K %d: run %d (started %d) ended %s (%s)", tr.Kind, tr.Beta, tr.Latent, p.Run, run.Run, p.State, p.Message)
	}
}

// elboAt trains the β lab's VAE at beta and measures it.
func elboAt(t *testing.T, e *Engine, events chan protocol.Progress, beta float64) protocol.ELBOFigures {
	t.Helper()
	begin := time.Now()
	tr := protocol.ELBOLab(beta)
	trainToEnd(t, e, events, tr)
	secs := time.Since(begin).Seconds()
	f := must[protocol.ELBOFigures](t)(Do(e, protocol.ELBOPoint, protocol.ELBOArgs{Slot: tr.Slot, N: 1000, Probes: 8, Seed: 1}))
	t.Logf("β = %g: recon %.1f nats, KL %.2f nats, %d of %d dimensions active (trained in %.1f s)", beta, f.Recon, f.KL, f.Active, len(f.PerDimKL), secs)
	if len(f.PerDimKL) != tr.Latent || f.N != 1000 {
		t.Fatalf("%d KLs on %d digits, want %d on 1000", len(f.PerDimKL), f.N, tr.Latent)
	}
	if f.Rebuilt.Rows != 8 || f.Rebuilt.Cols != data.Pixels || f.Probes.Rows != 8 || f.Probes.Cols != data.Pixels {
		t.Fatalf("%d×%d rebuilds of %d×%d probes, want 8 digits each", f.Rebuilt.Rows, f.Rebuilt.Cols, f.Probes.Rows, f.Probes.Cols)
	}
	// The dimensions' KLs make the KL, and the active ones are those
	// above the line.
	var sum float64
	active := 0
	for _, kl := range f.PerDimKL {
		sum += kl
		if kl > protocol.ActiveKL {
			active++
		}
	}
	if d := sum - f.KL; d > 1e-3*f.KL+1e-4 || d < -1e-3*f.KL-1e-4 || active != f.Active {
		t.Errorf("per-dimension KLs %v sum to %.4f with %d active; the answer says KL %.4f, %d active", f.PerDimKL, sum, active, f.KL, f.Active)
	}
	if f.Beta != float64(float32(beta)) {
		t.Errorf("the model says β = %v, trained at %v", f.Beta, beta)
	}
	return f
}

// As β grows the VAE trades reconstruction for KL, and at a large β the
// posterior collapses onto the prior: few dimensions stay active and the
// rebuilds become one average digit.
func TestELBOTradeOff(t *testing.T) {
	e, events := mnistEngine(t)
	lo := elboAt(t, e, events, 0.3)
	hi := elboAt(t, e, events, 30)
	if !(hi.KL < lo.KL) || !(hi.Recon > lo.Recon) {
		t.Errorf("β 0.3 → 30: recon %.1f → %.1f, KL %.2f → %.2f; want recon up, KL down", lo.Recon, hi.Recon, lo.KL, hi.KL)
	}
	if !(hi.Active < lo.Active) || hi.Active > 2 {
		t.Errorf("active dimensions %d at β 0.3, %d at β 30", lo.Active, hi.Active)
	}
	// Collapsed, the rebuilds of different digits are nearly one picture.
	if a, b := spread(lo.Rebuilt), spread(hi.Rebuilt); !(b < a/3) {
		t.Errorf("the rebuilds' spread across digits: %.4f at β 0.3, %.4f at β 30", a, b)
	}
	if _, ok := e.slots[protocol.TrainedSlot]; ok {
		t.Error("the β lab's run replaced the Train view's model")
	}
	for _, bad := range []protocol.ELBOArgs{
		{Slot: protocol.ELBOSlot, N: 0},
		{Slot: protocol.ELBOSlot, N: 10, Probes: 33},
		{Slot: "nope", N: 10},
	} {
		if _, err := Do(e, protocol.ELBOPoint, bad); err == nil {
			t.Errorf("%+v gave no error", bad)
		}
	}
}

// spread is the mean squared difference of each image from the images'
// mean picture.
func spread(imgs protocol.Batch) float64 {
	mean := make([]float64, imgs.Cols)
	for i := range imgs.Rows {
		for j, v := range imgs.Row(i) {
			mean[j] += float64(v) / float64(imgs.Rows)
		}
	}
	var s float64
	for i := range imgs.Rows {
		for j, v := range imgs.Row(i) {
			d := float64(v) - mean[j]
			s += d * d
		}
	}
	return s / float64(len(imgs.Data))
}
