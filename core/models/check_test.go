package models

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"latentplay/core/modelfile"
)

// TestCheckAgreesWithUnmarshal: on every shipped model and on every kind
// in every storage, Check names the kind Unmarshal loads.
func TestCheckAgreesWithUnmarshal(t *testing.T) {
	files := map[string][]byte{}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "static", "models", "*.lpm"))
	if len(paths) == 0 {
		t.Fatal("no shipped models in static/models")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	for _, m := range tinyModels(t) {
		for _, s := range []modelfile.Storage{modelfile.Float32, modelfile.Float16, modelfile.Int8} {
			b, err := Marshal(m, nil, s)
			if err != nil {
				t.Fatal(err)
			}
			files[m.Kind()+"-"+string('0'+rune(s))] = b
		}
	}
	for name, b := range files {
		m, _, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		kind, err := Check(b)
		if err != nil || kind != m.Kind() {
			t.Errorf("%s: Check = %q, %v; Unmarshal loads a %s", name, kind, err, m.Kind())
		}
	}
}

// TestCheckAllocatesLittle: checking a file of 1.6 million int8 values
// allocates a few kilobytes; loading it allocates its network.
func TestCheckAllocatesLittle(t *testing.T) {
	cfg := ClassifierConfig{Inputs: 784, Hidden: []int{2000}, Classes: 10, Activation: "relu"}
	raw, _ := json.Marshal(cfg)
	f := &modelfile.File{Kind: KindMLP, Config: raw}
	for i, s := range cfg.spec() {
		data := make([]float32, s.rows*s.cols)
		for j := range data {
			data[j] = float32((i+j)%13-6) / 8
		}
		f.Tensors = append(f.Tensors, modelfile.Tensor{Name: s.name, Shape: []int{s.rows, s.cols}, Data: data})
	}
	b, err := modelfile.Marshal(f, modelfile.Int8)
	if err != nil {
		t.Fatal(err)
	}
	f = nil
	checked, kind, err := allocated(func() (string, error) { return Check(b) })
	if err != nil || kind != KindMLP {
		t.Fatalf("Check = %q, %v", kind, err)
	}
	loaded, _, err := allocated(func() (string, error) {
		_, _, err := Unmarshal(b)
		return "", err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a %d-byte int8 file: Check allocates %d bytes, Unmarshal %d", len(b), checked, loaded)
	if checked > 16<<10 {
		t.Errorf("Check of a %d-byte file allocated %d bytes", len(b), checked)
	}
	if loaded < 8*uint64(len(b)) {
		t.Errorf("Unmarshal allocated %d bytes, less than expected of a %d-value network: is the comparison still measuring anything?", loaded, len(b))
	}
}

// allocated returns what f allocates, in bytes, with its answer.
func allocated(f func() (string, error)) (uint64, string, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, s, err
}
