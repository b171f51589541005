package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"latentplay/core/data"
)

const shippedDir = "../../static/models"

// maxShippedBytes keeps every shipped model small enough to load at once.
const maxShippedBytes = 1_500_000

// Quality bars of the shipped models on the 10,000 MNIST test images.
var shippedBars = map[string]func(t *testing.T, eval map[string]any){
	"mlp": func(t *testing.T, eval map[string]any) {
		// Keras's mnist_mlp reaches 0.9840; LeCun's table gives 0.9695 for 300-100.
		if acc := eval["test_accuracy"].(float64); acc < 0.985 {
			t.Errorf("test accuracy %.4f, want ≥ 0.985", acc)
		}
	},
}

// TestShippedModels re-evaluates every model in the manifest on the MNIST
// test set: the figures must be what the manifest says (the models are the
// ones that were measured) and meet their bars.
func TestShippedModels(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(shippedDir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man Manifest
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	trainSet, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range man.Models {
		t.Run(e.Name, func(t *testing.T) {
			seen[e.Name] = true
			figures, _, err := evalFile(filepath.Join(shippedDir, e.File), trainSet, test)
			if err != nil {
				t.Fatal(err)
			}
			if figures["kind"] != e.Kind {
				t.Errorf("kind %v, manifest says %q", figures["kind"], e.Kind)
			}
			if n := figures["file_bytes"].(int); n != e.Bytes || n > maxShippedBytes {
				t.Errorf("%d bytes (manifest: %d), limit %d", n, e.Bytes, maxShippedBytes)
			}
			for k, want := range e.Eval {
				got, _ := json.Marshal(figures[k])
				w, _ := json.Marshal(want)
				if string(got) != string(w) {
					t.Errorf("%s = %s, manifest says %s", k, got, w)
				}
			}
			bar, ok := shippedBars[e.Name]
			if !ok {
				t.Fatalf("no quality bar for shipped model %q", e.Name)
			}
			bar(t, figures)
		})
	}
	for name := range shippedBars {
		if !seen[name] {
			t.Errorf("model %q is not shipped", name)
		}
	}
}
