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
