package engine

import (
	"os"
	"testing"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// Softmax regression on the shipped VAE's 20-number codes of 100 labelled
// digits beats the same regression on their 784 pixels.
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
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "vae-20", Bytes: model}))
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpFewLabels, Slot: "vae-20", Seed: 1}))
	f := r.Figures
	t.Logf("100 labels: codes %.1f%%, pixels %.1f%% on %v held-out digits", 100*f["code_accuracy"], 100*f["pixel_accuracy"], f["held_out"])
	if len(r.Floats) != 2 || float64(r.Floats[0]) != float64(float32(f["code_accuracy"])) {
		t.Fatalf("floats %v, figures %v", r.Floats, f)
	}
	if f["labelled"] != 100 || f["held_out"] != 5000 || f["code_width"] != 20 || f["pixel_width"] != 784 {
		t.Errorf("figures %v", f)
	}
	// Ten classes: guessing scores 10%; both must have learnt something.
	if !(f["pixel_accuracy"] > 0.3) || !(f["code_accuracy"] > f["pixel_accuracy"]) {
		t.Errorf("codes %.3f, pixels %.3f: the codes should win", f["code_accuracy"], f["pixel_accuracy"])
	}
	if r := e.Handle(protocol.Request{Op: protocol.OpFewLabels, Slot: "nope"}); r.Error == "" {
		t.Error("an unknown slot gave no error")
	}
}
