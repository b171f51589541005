package models

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"runtime"
	"testing"

	"latentplay/core/modelfile"
	"latentplay/core/nn"
)

// tinyModels has one small model of every kind.
func tinyModels(t testing.TB) []Model {
	rng := rand.New(rand.NewPCG(1, 9))
	var ms []Model
	add := func(m Model, err error) {
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	add(NewClassifier(ClassifierConfig{Inputs: 6, Hidden: []int{5, 4}, Classes: 3, Activation: "relu"}, rng))
	add(NewAutoencoder(AEConfig{Inputs: 6, Latent: 2, Linear: true}, rng))
	add(NewAutoencoder(AEConfig{Inputs: 6, Hidden: []int{5, 4}, Latent: 2}, rng))
	add(NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}, rng))
	add(NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5, 3}, Latent: 2, Classes: 3}, rng))
	add(NewGAN(GANConfig{Inputs: 6, Hidden: []int{5, 4}, Latent: 3, Slope: 0.2, Dropout: 0.3}, rng))
	add(NewGAN(GANConfig{Inputs: 6, Hidden: []int{4}, Latent: 2, Classes: 3, Slope: 0.1}, rng))
	return ms
}

func TestEveryKindRoundTrips(t *testing.T) {
	for _, m := range tinyModels(t) {
		t.Run(m.Kind(), func(t *testing.T) {
			k, ok := kinds[m.Kind()]
			if !ok {
				t.Fatalf("kind %q has no entry in the kinds table", m.Kind())
			}
			cfg, _ := json.Marshal(m.Config())
			spec, _, err := k.config(cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkSpec(t, spec, saved(m))
			b, err := Marshal(m, nil, modelfile.Float32)
			if err != nil {
				t.Fatal(err)
			}
			back, _, err := Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if back.Kind() != m.Kind() {
				t.Fatalf("kind %q came back as %q", m.Kind(), back.Kind())
			}
			want, got := saved(m), saved(back)
			for i := range want {
				if want[i].Name != got[i].Name || !equal(want[i].Value.Data, got[i].Value.Data) {
					t.Fatalf("tensor %s differs after the round trip", want[i].Name)
				}
			}
		})
	}
}

// checkSpec: a kind's spec lists exactly the tensors the built model
// saves, in order, with their shapes.
func checkSpec(t *testing.T, spec []tensorSpec, ps []*nn.Param) {
	t.Helper()
	if len(spec) != len(ps) {
		t.Fatalf("the spec lists %d tensors, the model saves %d", len(spec), len(ps))
	}
	for i, p := range ps {
		if s := spec[i]; s.name != p.Name || s.rows != p.Value.Rows || s.cols != p.Value.Cols {
			t.Fatalf("tensor %d: the spec says %s %d×%d, the model saves %s %d×%d", i, s.name, s.rows, s.cols, p.Name, p.Value.Rows, p.Value.Cols)
		}
	}
}

// TestSpecMatchesBuiltModels holds every kind's spec to the model it
// builds, over depths 1..3 and conditional or not.
func TestSpecMatchesBuiltModels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, hidden := range [][]int{{5}, {7, 3}, {6, 5, 4}} {
		var ms []Model
		for _, act := range []string{"relu", "tanh"} {
			c, err := NewClassifier(ClassifierConfig{Inputs: 9, Hidden: hidden, Classes: 4, Activation: act, Dropout: 0.1}, rng)
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, c)
		}
		ae, err := NewAutoencoder(AEConfig{Inputs: 9, Hidden: hidden, Latent: 2}, rng)
		if err != nil {
			t.Fatal(err)
		}
		vae, err := NewVAE(VAEConfig{Inputs: 9, Hidden: hidden, Latent: 3}, rng)
		if err != nil {
			t.Fatal(err)
		}
		cvae, err := NewVAE(VAEConfig{Inputs: 9, Hidden: hidden, Latent: 3, Classes: 4}, rng)
		if err != nil {
			t.Fatal(err)
		}
		gan, err := NewGAN(GANConfig{Inputs: 9, Hidden: hidden, Latent: 3, Slope: 0.2, Dropout: 0.3}, rng)
		if err != nil {
			t.Fatal(err)
		}
		cgan, err := NewGAN(GANConfig{Inputs: 9, Hidden: hidden, Latent: 3, Classes: 4, Slope: 0.2}, rng)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, ae, vae, cvae, gan, cgan)
		for _, m := range ms {
			cfg, _ := json.Marshal(m.Config())
			spec, _, err := kinds[m.Kind()].config(cfg)
			if err != nil {
				t.Fatalf("%s %s: %v", m.Kind(), cfg, err)
			}
			checkSpec(t, spec, saved(m))
		}
	}
}

// A few bytes must not be able to make the loader build a huge network.
func TestHostileConfigAllocatesLittle(t *testing.T) {
	f := &modelfile.File{
		Kind:   KindVAE,
		Config: json.RawMessage(`{"inputs":4096,"hidden":[4096,4096,4096,4096,4096,4096,4096,4096],"latent":512}`),
	}
	b, err := modelfile.Marshal(f, modelfile.Float32)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err = Unmarshal(b)
	runtime.ReadMemStats(&after)
	var te *TensorError
	if !errors.As(err, &te) {
		t.Fatalf("Unmarshal = %v, want a TensorError", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Fatalf("loading a %d-byte file allocated %d bytes", len(b), n)
	}
}

func TestConfigMismatchedWithKind(t *testing.T) {
	for _, tc := range []struct{ kind, cfg string }{
		{KindVAE, `{"inputs":6,"hidden":[5],"latent":2,"classes":3}`},
		{KindCVAE, `{"inputs":6,"hidden":[5],"latent":2}`},
		{KindAE, `{"inputs":6,"latent":2,"linear":true}`},
		{KindLinearAE, `{"inputs":6,"hidden":[5],"latent":2}`},
		{KindVAE, `{"inputs":6,"hidden":[5],"latent":2,"beta":4}`}, // unknown field
		{KindVAE, `{"inputs":6,"hidden":[],"latent":2}`},
		{KindVAE, `{"inputs":6,"hidden":[5],"latent":0}`},
		{KindGAN, `{"inputs":6,"hidden":[5],"latent":2,"classes":3,"slope":0.2,"dropout":0.3}`},
		{KindCGAN, `{"inputs":6,"hidden":[5],"latent":2,"slope":0.2,"dropout":0.3}`},
		{KindGAN, `{"inputs":6,"hidden":[5],"latent":2,"slope":1.5,"dropout":0.3}`},
		{KindGAN, `{"inputs":6,"hidden":[5],"latent":2,"slope":0.2,"dropout":1}`},
		{KindGAN, `{"inputs":6,"hidden":[5],"latent":2,"slope":0.2,"beta":1}`},
		{KindCGAN, `{"inputs":6,"hidden":[5],"latent":2,"classes":1,"slope":0.2}`},
	} {
		_, _, err := kinds[tc.kind].config(json.RawMessage(tc.cfg))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s %s: got %v, want a ConfigError", tc.kind, tc.cfg, err)
		}
	}
}
