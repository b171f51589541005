package engine

import (
	"os"
	"testing"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// Softmax regression on the shipped VAE's 20-number codes of 100 labelled
// digits beats the same regression on their pixels.
func TestFewLabelsCodesBeatPixels(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	model, err := os.ReadFile("../../static/models/vae-20.lpm")
	if err != nil {
		t.Fatal(err)
	}
	e := New()
	e.LoadTest = func() (*data.Set, error) {
		_, test, err := data.LoadMNIST(dir)
		return test, err
	}
	load(t, e, "vae-20", model)
	f := must[protocol.FewLabelScores](t)(Do(e, protocol.FewLabels, protocol.FewLabelsArgs{Slot: "vae-20", Seed: 1}))
	t.Logf("100 labels: codes %.1f%%, pixels %.1f%% on %d held-out digits", 100*f.CodeAccuracy, 100*f.PixelAccuracy, f.HeldOut)
	if f.Labelled != 100 || f.HeldOut != 5000 || f.CodeWidth != 20 || f.PixelWidth != data.Pixels {
		t.Errorf("figures %+v", f)
	}
	// Ten classes: guessing scores 10%; both must have learnt something.
	if !(f.PixelAccuracy > 0.3) || !(f.CodeAccuracy > f.PixelAccuracy) {
		t.Errorf("codes %.3f, pixels %.3f: the codes should win", f.CodeAccuracy, f.PixelAccuracy)
	}
	if again := must[protocol.FewLabelScores](t)(Do(e, protocol.FewLabels, protocol.FewLabelsArgs{Slot: "vae-20", Seed: 1})); again != f {
		t.Errorf("one seed gave %+v, then %+v", f, again)
	}
	if _, err := Do(e, protocol.FewLabels, protocol.FewLabelsArgs{Slot: "nope"}); err == nil {
		t.Error("an unknown slot gave no error")
	}
}
