package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"latentplay/core/tensor"
)

// TestRebuild: one drawing through a classifier, an autoencoder, a VAE and
// a conditional VAE gives each model's own answer, end to end, the
// conditional one told the class the classifier reads.
func TestRebuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const d, samples, seed = 12, 2, 9
	cls, err := NewClassifier(ClassifierConfig{Inputs: d, Hidden: []int{8}, Classes: 4, Activation: "relu"}, rng)
	if err != nil {
		t.Fatal(err)
	}
	ae, _ := NewAutoencoder(AEConfig{Inputs: d, Hidden: []int{6}, Latent: 2}, rng)
	vae, _ := NewVAE(VAEConfig{Inputs: d, Hidden: []int{6}, Latent: 3}, rng)
	cvae, _ := NewVAE(VAEConfig{Inputs: d, Hidden: []int{6}, Latent: 3, Classes: 4}, rng)
	x := make([]float32, d)
	for i := range x {
		x[i] = rng.Float32()
	}
	got, err := Rebuild([]Model{cls, ae, vae, cvae}, x, samples, seed)
	if err != nil {
		t.Fatal(err)
	}
	img := tensor.FromSlice(1, d, slices.Clone(x))
	probs := slices.Clone(cls.Probabilities(img).Data)
	if !slices.Equal(got.Probs, probs) || got.Class != Argmax(probs) {
		t.Fatalf("Rebuild read class %d with %v, want the classifier's %d with %v", got.Class, got.Probs, Argmax(probs), probs)
	}
	want := [][]float32{
		ae.Reconstruct(img).Data,
		vae.Rebuilds(img, nil, samples, SampleRNG(seed)).Data,
		cvae.Rebuilds(img, []uint8{uint8(Argmax(probs))}, 0, nil).Data,
	}
	if len(got.Images) != len(want) {
		t.Fatalf("Rebuild gave %d models' images, want %d", len(got.Images), len(want))
	}
	for i, w := range want {
		if !slices.Equal(got.Images[i].Data, w) {
			t.Errorf("model %d: Rebuild's images differ from the model's own", i+1)
		}
	}
	if r := got.Images[1]; r.Rows != 1+samples || r.Cols != d {
		t.Errorf("the VAE's rebuilds are %d×%d, want %d×%d", r.Rows, r.Cols, 1+samples, d)
	}
	// The samples differ from the rebuild through μ: z was drawn.
	if slices.Equal(got.Images[1].Row(0), got.Images[1].Row(1)) {
		t.Error("a sampled rebuild equals the one through μ")
	}

	for _, c := range []struct {
		name   string
		ms     []Model
		x      []float32
		errHas string
	}{
		{"conditional without a classifier", []Model{cvae}, x, "needs a label"},
		{"wrong width", []Model{ae}, x[:d-1], "takes 12 pixels"},
		{"NaN", []Model{ae}, append(slices.Clone(x[:d-1]), float32(math.NaN())), "NaN"},
	} {
		if _, err := Rebuild(c.ms, c.x, 0, 1); err == nil || !strings.Contains(err.Error(), c.errHas) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.errHas)
		}
	}
	if _, err := Rebuild([]Model{vae}, x, 65, 1); err == nil {
		t.Error("65 samples accepted")
	}
}
