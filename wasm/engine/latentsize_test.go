package engine

import (
	"fmt"
	"testing"
	"time"

	"latentplay/wasm/engine/protocol"
)

// Trained with the same small budget, the autoencoders' test error falls
// as K grows, as PCA's does; the figures and pictures come back whole.
func TestLatentSize(t *testing.T) {
	e, events := mnistEngine(t)
	var slots []string
	start := time.Now()
	for _, k := range protocol.LatentSizes {
		tr := protocol.LatentSizeLab(k)
		mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &tr}))
		if p := waitFor(t, events, protocol.Done, protocol.Failed, protocol.Diverged); p.State != protocol.Done {
			t.Fatalf("K = %d: %s (%s)", k, p.State, p.Message)
		}
		slots = append(slots, tr.Slot)
	}
	t.Logf("five autoencoders trained in %.1f s", time.Since(start).Seconds())
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLatentSize, Slots: slots, N: 1000, Index: []int{0}}))
	f := r.Figures
	t.Logf("PCA fit in %.2f s", f["pca_seconds"])
	if want := 784 * (1 + 2*len(slots)); len(r.Floats) != want {
		t.Fatalf("%d floats, want %d", len(r.Floats), want)
	}
	for i, k := range protocol.LatentSizes {
		ae, pc := f[fmt.Sprintf("ae_%d", k)], f[fmt.Sprintf("pca_%d", k)]
		t.Logf("K = %2d: autoencoder %.4f, PCA %.4f", k, ae, pc)
		if i > 0 {
			prev := protocol.LatentSizes[i-1]
			if !(pc < f[fmt.Sprintf("pca_%d", prev)]) || !(ae < f[fmt.Sprintf("ae_%d", prev)]) {
				t.Errorf("K %d → %d: the errors did not fall", prev, k)
			}
		}
		if !(ae > 0 && ae < 0.1 && pc > 0 && pc < 0.1) {
			t.Errorf("K = %d: errors %g and %g", k, ae, pc)
		}
	}
	// A nonlinear code beats a linear one where codes are short.
	if !(f["ae_2"] < f["pca_2"]) {
		t.Errorf("K = 2: autoencoder %.4f, PCA %.4f", f["ae_2"], f["pca_2"])
	}
	for _, bad := range []protocol.Request{
		{Op: protocol.OpLatentSize, Slots: slots, N: 1000},
		{Op: protocol.OpLatentSize, Slots: []string{"nope"}, N: 1000, Index: []int{0}},
		{Op: protocol.OpLatentSize, Slots: slots, N: 0, Index: []int{0}},
	} {
		if r := e.Handle(bad); r.Error == "" {
			t.Errorf("%+v gave no error", bad)
		}
	}
}
