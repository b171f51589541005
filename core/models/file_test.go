package models

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"

	"latentplay/core/modelfile"
	"latentplay/core/tensor"
)

func smallClassifier(t *testing.T) *Classifier {
	t.Helper()
	c, err := NewClassifier(ClassifierConfig{Inputs: 6, Hidden: []int{5, 4}, Classes: 3, Activation: "tanh", Dropout: 0.1}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClassifierFileRoundTrip(t *testing.T) {
	c := smallClassifier(t)
	b, err := Marshal(c, map[string]any{"test_accuracy": 0.5}, modelfile.Float32)
	if err != nil {
		t.Fatal(err)
	}
	m, f, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	back, err := As[*Classifier](m, KindMLP)
	if err != nil {
		t.Fatal(err)
	}
	var meta map[string]float64
	if err := json.Unmarshal(f.Meta, &meta); err != nil || meta["test_accuracy"] != 0.5 {
		t.Fatalf("meta = %s (%v)", f.Meta, err)
	}
	x := tensor.FromSlice(2, 6, []float32{1, 0, -1, 2, 0.5, 0, 0, 0, 1, 1, 1, 1})
	want := c.Logits(x).Clone()
	got := back.Logits(x)
	for i := range want.Data {
		if got.Data[i] != want.Data[i] {
			t.Fatalf("logits differ after a round trip: %v vs %v", got.Data, want.Data)
		}
	}
}

func TestFromFileRejectsBadModels(t *testing.T) {
	good, err := ToFile(smallClassifier(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() *modelfile.File {
		f := *good
		f.Tensors = append([]modelfile.Tensor(nil), good.Tensors...)
		return &f
	}
	for _, tc := range []struct {
		name  string
		edit  func(f *modelfile.File)
		check func(error) bool
	}{
		{"unknown kind", func(f *modelfile.File) { f.Kind = "diffusion" }, isErr[*KindError]},
		{"config not an object", func(f *modelfile.File) { f.Config = json.RawMessage(`[1]`) }, isErr[*ConfigError]},
		{"absurd width", func(f *modelfile.File) {
			f.Config = json.RawMessage(`{"inputs":6,"hidden":[100000000],"classes":3,"activation":"tanh"}`)
		}, isErr[*ConfigError]},
		{"unknown activation", func(f *modelfile.File) {
			f.Config = json.RawMessage(`{"inputs":6,"hidden":[5,4],"classes":3,"activation":"swish"}`)
		}, isErr[*ConfigError]},
		{"missing tensor", func(f *modelfile.File) { f.Tensors = f.Tensors[1:] }, isErr[*TensorError]},
		{"extra tensor", func(f *modelfile.File) {
			f.Tensors = append(f.Tensors, modelfile.Tensor{Name: "extra", Shape: []int{1}, Data: []float32{0}})
		}, isErr[*TensorError]},
		{"wrong shape", func(f *modelfile.File) {
			t0 := f.Tensors[0]
			f.Tensors[0] = modelfile.Tensor{Name: t0.Name, Shape: []int{t0.Shape[1], t0.Shape[0]}, Data: t0.Data}
		}, isErr[*TensorError]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := clone()
			tc.edit(f)
			_, err := FromFile(f)
			if err == nil || !tc.check(err) {
				t.Fatalf("FromFile gave %v (%T)", err, err)
			}
			if b, merr := modelfile.Marshal(f, modelfile.Float32); merr == nil {
				if _, cerr := Check(b); cerr == nil || cerr.Error() != err.Error() {
					t.Fatalf("Check gave %v, FromFile %v", cerr, err)
				}
			}
			if err.Error() == "" {
				t.Fatal("empty message")
			}
		})
	}
}

func TestAsReportsWrongKind(t *testing.T) {
	_, err := As[*Perceptronish](smallClassifier(t), "vae")
	var ke *KindError
	if !errors.As(err, &ke) || ke.Got != KindMLP {
		t.Fatalf("As gave %v", err)
	}
}

// Perceptronish is a Model type no file decodes to, standing in for the
// VAE a view might want while holding a classifier.
type Perceptronish struct{ Classifier }

func isErr[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// A model built to load a file draws no starting weights (they would be
// overwritten), and its own random sources are seeded as every loaded
// model's always were: from the zero-seeded source.
func TestModelsBuiltToLoadDrawNoWeights(t *testing.T) {
	v, err := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}, toLoad)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGAN(GANConfig{Inputs: 6, Hidden: []int{5}, Latent: 3, Slope: 0.2, Dropout: 0.3}, toLoad)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewClassifier(ClassifierConfig{Inputs: 6, Hidden: []int{5}, Classes: 3, Activation: "relu", Dropout: 0.1}, toLoad)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Model{v, g, c} {
		for _, p := range m.Params() {
			for _, w := range p.Value.Data {
				if w != 0 {
					t.Fatalf("%s: %s starts at %g, want 0 until the file's values are copied in", m.Kind(), p.Name, w)
				}
			}
		}
	}
	for _, noise := range []*rand.Rand{v.Noise, g.Noise} {
		zero := rand.New(rand.NewPCG(0, 0))
		want := rand.New(rand.NewPCG(zero.Uint64(), zero.Uint64()))
		if got, w := noise.Uint64(), want.Uint64(); got != w {
			t.Errorf("a loaded model's noise begins %d, want %d", got, w)
		}
	}
	// The weights drawn with a real rng are not all zero.
	w, _ := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}, rand.New(rand.NewPCG(1, 1)))
	if w.Params()[0].Value.Data[0] == 0 {
		t.Error("a VAE built with an rng starts at zero")
	}
}
