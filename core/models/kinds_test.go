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
			values, _, err := k.config(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if n := nn.CountParams(saved(m)); n != values {
				t.Fatalf("the configuration counts %d values, the model has %d", values, n)
			}
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
	} {
		_, _, err := kinds[tc.kind].config(json.RawMessage(tc.cfg))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s %s: got %v, want a ConfigError", tc.kind, tc.cfg, err)
		}
	}
}
