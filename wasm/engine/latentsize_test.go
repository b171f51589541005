package engine

import (
	"slices"
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// Trained with the same small budget, the autoencoders' test error falls
// as K grows, as PCA's does; the figures and pictures come back whole.
func TestLatentSize(t *testing.T) {
	e, events := mnistEngine(t)
	var slots []string
	begin := time.Now()
	for _, k := range protocol.LatentSizes {
		tr := protocol.LatentSizeLab(k)
		trainToEnd(t, e, events, tr)
		slots = append(slots, tr.Slot)
	}
	t.Logf("five autoencoders trained in %.1f s", time.Since(begin).Seconds())
	c := must[protocol.LatentSizeComparison](t)(Do(e, protocol.LatentSize, protocol.LatentSizeArgs{Slots: slots, N: 1000, Show: 3}))
	t.Logf("PCA fit in %.2f s", c.PCASeconds)
	n := len(slots)
	if !slices.Equal(c.Latents, protocol.LatentSizes) || len(c.AutoencoderMSE) != n || len(c.PCAMSE) != n {
		t.Fatalf("latents %v, %d and %d errors", c.Latents, len(c.AutoencoderMSE), len(c.PCAMSE))
	}
	for _, b := range []struct {
		name string
		b    protocol.Batch
		rows int
	}{{"digit", c.Digit, 1}, {"autoencoder rebuilds", c.AutoencoderRebuilt, n}, {"PCA rebuilds", c.PCARebuilt, n}} {
		if b.b.Rows != b.rows || b.b.Cols != data.Pixels {
			t.Fatalf("%s: %d×%d, want %d digits", b.name, b.b.Rows, b.b.Cols, b.rows)
		}
	}
	if !slices.Equal(c.Digit.Data, e.testSet.Image(3)) {
		t.Error("the digit shown is not test digit 3")
	}
	for i, k := range protocol.LatentSizes {
		ae, pc := c.AutoencoderMSE[i], c.PCAMSE[i]
		t.Logf("K = %2d: autoencoder %.4f, PCA %.4f", k, ae, pc)
		if i > 0 && (!(pc < c.PCAMSE[i-1]) || !(ae < c.AutoencoderMSE[i-1])) {
			t.Errorf("K %d → %d: the errors did not fall", protocol.LatentSizes[i-1], k)
		}
		if !(ae > 0 && ae < 0.1 && pc > 0 && pc < 0.1) {
			t.Errorf("K = %d: errors %g and %g", k, ae, pc)
		}
	}
	// A nonlinear code beats a linear one where codes are short.
	if !(c.AutoencoderMSE[0] < c.PCAMSE[0]) {
		t.Errorf("K = 2: autoencoder %.4f, PCA %.4f", c.AutoencoderMSE[0], c.PCAMSE[0])
	}
	for _, bad := range []protocol.LatentSizeArgs{
		{Slots: slots, N: 1000, Show: -1},
		{Slots: []string{"nope"}, N: 1000},
		{Slots: slots, N: 0},
		{N: 1000},
	} {
		if _, err := Do(e, protocol.LatentSize, bad); err == nil {
			t.Errorf("%+v gave no error", bad)
		}
	}
}
