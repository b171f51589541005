package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"latentplay/core/models"
)

// `train` writes its train block in the manifest's shape, TrainBlock, with
// the settings the flags ask for; manifest copies it unchanged.
func TestTrainWritesTrainBlock(t *testing.T) {
	out := filepath.Join(t.TempDir(), "lin.lpm")
	if err := trainCmd([]string{"-model", "linear-ae", "-latent", "2", "-epochs", "1", "-batch", "500", "-lr", "0.002", "-seed", "3", "-o", out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	_, f, err := models.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(f.Meta))
	d.DisallowUnknownFields()
	var block TrainBlock
	if err := d.Decode(&block); err != nil {
		t.Fatalf("train block %s: %v", f.Meta, err)
	}
	s := block.Settings
	if s.Epochs != 1 || s.Batch != 500 || s.LR != 0.002 || s.Seed != 3 || s.Optimizer != "adam" || block.TrainSeconds < 0 {
		t.Errorf("train block %s", f.Meta)
	}
	if m, err := manifestTrain(f.Meta); err != nil || !jsonEqual(m, f.Meta) {
		t.Errorf("manifest turns %s into %s (%v)", f.Meta, m, err)
	}
}

// A GAN takes its own defaults (z of 64, batches of 64, Adam with
// α = 2e-4 and β₁ = 0.5); the other models keep theirs.
func TestRecipeDefaults(t *testing.T) {
	unset := trainFlags{latent: -1, batch: -1, lr: -1, beta1: -1, finalLR: -1, beta: 1, epochs: 2, seed: 1}
	for _, kind := range []string{models.KindGAN, models.KindCGAN} {
		f := unset
		f.model = kind
		m, s, err := recipe(f)
		if err != nil {
			t.Fatal(err)
		}
		g, ok := m.(*models.GAN)
		if !ok || g.Kind() != kind {
			t.Fatalf("-model %s built a %s", kind, m.Kind())
		}
		want := models.MNISTGAN
		if kind == models.KindCGAN {
			want.Classes = 10
		}
		if c := g.Cfg; c.Latent != want.Latent || c.Classes != want.Classes || c.Slope != want.Slope || c.Dropout != want.Dropout || len(c.Hidden) != 2 || c.Hidden[0] != 256 || c.Hidden[1] != 512 {
			t.Errorf("-model %s: configuration %+v, want %+v", kind, c, want)
		}
		if s.Batch != 64 || s.LR != 2e-4 || s.Beta1 != 0.5 || s.Beta != 0 || s.FinalLR != 0 || s.Optimizer != "adam" {
			t.Errorf("-model %s: settings %+v", kind, s)
		}
	}
	f := unset
	f.model = models.KindVAE
	m, s, err := recipe(f)
	if err != nil {
		t.Fatal(err)
	}
	if v := m.(*models.VAE); v.Cfg.Latent != 20 || s.Batch != 128 || s.LR != 1e-3 || s.Beta1 != 0 || s.Beta != 1 {
		t.Errorf("-model vae: latent %d, settings %+v", v.Cfg.Latent, s)
	}
}
