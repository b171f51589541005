package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"latentplay/core/data"
)

const shippedDir = "../../static/models"

// maxShippedBytes keeps every shipped model small enough to load at once.
const maxShippedBytes = 1_500_000

// figures are one model's evaluation, as in index.json.
type figures = map[string]any

func num(f figures, key string) float64 {
	v, _ := f[key].(float64)
	return v
}

// Quality bars of the shipped models on the 10,000 MNIST test images; each
// sees its own figures and, for comparisons, every model's in the manifest.
var shippedBars = map[string]func(t *testing.T, f figures, all map[string]figures){
	"mlp": func(t *testing.T, f figures, _ map[string]figures) {
		// Keras's mnist_mlp reaches 0.9840; LeCun's table gives 0.9695 for 300-100.
		if acc := num(f, "test_accuracy"); acc < 0.985 {
			t.Errorf("test accuracy %.4f, want ≥ 0.985", acc)
		}
	},
	"linear-ae-20": func(t *testing.T, f figures, _ map[string]figures) {
		// Baldi & Hornik 1989: the optimum is PCA's subspace.
		if mse, pca := num(f, "test_mse"), num(f, "pca_mse"); !(mse <= 1.01*pca) {
			t.Errorf("test MSE %.6f, PCA's %.6f: want within 1%%", mse, pca)
		}
		if a := num(f, "max_principal_angle_deg"); !(a <= 10) {
			t.Errorf("largest principal angle to PCA's subspace %.2f°, want ≤ 10°", a)
		}
	},
	"ae-2": func(t *testing.T, f figures, all map[string]figures) {
		// Two numbers cannot hold a digit as well as twenty PCA components.
		if mse := num(f, "test_mse"); !(mse > 0 && mse < 0.06) {
			t.Errorf("test MSE %.4f, want < 0.06", mse)
		}
	},
	"ae-20": func(t *testing.T, f figures, all map[string]figures) {
		// A deep code of 20 must beat the best linear code of 20.
		if mse, lin := num(f, "test_mse"), num(all["linear-ae-20"], "test_mse"); !(mse < lin) {
			t.Errorf("test MSE %.5f, want below linear-ae-20's %.5f", mse, lin)
		}
	},
	"vae-2": func(t *testing.T, f figures, _ map[string]figures) {
		if l := num(f, "test_loss_nats"); !(l <= 150) {
			t.Errorf("test loss %.2f nats, want ≤ 150", l)
		}
	},
	"vae-20": func(t *testing.T, f figures, _ map[string]figures) {
		// PyTorch examples/vae reaches ~105.5 after 10 epochs.
		if l := num(f, "test_loss_nats"); !(l <= 100) {
			t.Errorf("test loss %.2f nats, want ≤ 100", l)
		}
	},
	"cvae-20": func(t *testing.T, f figures, all map[string]figures) {
		// Knowing the label, z need only carry style.
		if l, v := num(f, "test_loss_nats"), num(all["vae-20"], "test_loss_nats"); !(l <= v-3) {
			t.Errorf("test loss %.2f nats, want ≥ 3 below vae-20's %.2f", l, v)
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
	all := map[string]figures{}
	for _, e := range man.Models {
		all[e.Name] = e.Eval
	}
	for _, e := range man.Models {
		t.Run(e.Name, func(t *testing.T) {
			seen[e.Name] = true
			figures, _, err := evalFile(filepath.Join(shippedDir, e.File), trainSet, test, false)
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
				if _, measured := figures[k]; !measured && strings.HasPrefix(k, "iw_") {
					continue // the importance-weighted estimate takes minutes; make models measures it
				}
				// The same figures, to float32 rounding: a kernel may add
				// in another order than the one that wrote the manifest.
				g, isNum := figures[k].(float64)
				if w, ok := want.(float64); ok && isNum {
					if math.Abs(g-w) > 1e-6*math.Abs(w) {
						t.Errorf("%s = %v, manifest says %v", k, g, w)
					}
					continue
				}
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
			bar(t, figures, all)
		})
	}
	for name := range shippedBars {
		if !seen[name] {
			t.Errorf("model %q is not shipped", name)
		}
	}
}
