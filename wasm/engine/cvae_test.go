package engine

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// The 2-D codes of vae-2 sort the test digits by class; cvae-2's, told
// the class, carry the style and not the class: their nearest neighbours'
// vote does far worse. On all 10,000 test digits both figures are the ones
// `latentplay eval` wrote into the manifest.
func TestCodeNeighbours(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../../static/models/index.json")
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Models []struct {
			Name string             `json:"name"`
			Eval map[string]float64 `json:"eval"`
		} `json:"models"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	manifest := map[string]float64{}
	for _, m := range man.Models {
		manifest[m.Name] = m.Eval["knn5_code_accuracy"]
	}
	e := New()
	e.LoadTest = func() (*data.Set, error) {
		_, test, err := data.LoadMNIST(dir)
		return test, err
	}
	acc := map[string]float64{}
	for _, slot := range []string{"vae-2", "cvae-2"} {
		model, err := os.ReadFile("../../static/models/" + slot + ".lpm")
		if err != nil {
			t.Fatal(err)
		}
		load(t, e, slot, model)
		a := must[protocol.NeighbourAccuracy](t)(Do(e, protocol.CodeNeighbours, protocol.NeighbourArgs{Slot: slot, N: 10000, K: 5}))
		t.Logf("%s: 5-NN class accuracy of the 2-D test codes %.4f (manifest %.4f)", slot, a.Accuracy, manifest[slot])
		if a.N != 10000 || a.K != 5 || a.Latent != 2 {
			t.Errorf("%s: %+v", slot, a)
		}
		if math.Abs(a.Accuracy-manifest[slot]) > 0.002 {
			t.Errorf("%s: %.4f, the manifest says %.4f", slot, a.Accuracy, manifest[slot])
		}
		acc[slot] = a.Accuracy
	}
	if !(acc["vae-2"] > 0.7 && acc["cvae-2"] < acc["vae-2"]-0.3) {
		t.Errorf("vae-2 %.3f, cvae-2 %.3f: want vae-2's above 0.7 and cvae-2's 0.3 below it", acc["vae-2"], acc["cvae-2"])
	}
	for _, q := range []protocol.NeighbourArgs{
		{Slot: "nope", N: 100, K: 5},
		{Slot: "vae-2", N: 1, K: 5},
		{Slot: "vae-2", N: 10001, K: 5},
		{Slot: "vae-2", N: 100, K: 0},
		{Slot: "vae-2", N: 100, K: 100},
	} {
		if _, err := Do(e, protocol.CodeNeighbours, q); err == nil {
			t.Errorf("%+v gave no error", q)
		}
	}
}
