package models

import (
	"testing"

	"latentplay/core/modelfile"
)

// FuzzUnmarshal feeds arbitrary bytes to the loader the browser uses on
// imported and shared files: it must return a model or an error, never
// panic, and a model it returns must survive another round trip. Check
// must give the same answer without loading. The seed
// corpus holds a valid file of every kind in both storages, so the fuzzer
// starts inside each kind's configuration and shape checks.
func FuzzUnmarshal(f *testing.F) {
	for _, m := range tinyModels(f) {
		for _, s := range []modelfile.Storage{modelfile.Float32, modelfile.Float16} {
			b, err := Marshal(m, map[string]string{"seed": "1"}, s)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			f.Add(b[:len(b)/2])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, _, err := Unmarshal(b)
		kind, cerr := Check(b)
		if (cerr == nil) != (err == nil) || cerr != nil && cerr.Error() != err.Error() || err == nil && kind != m.Kind() {
			t.Fatalf("Check says %q, %v; Unmarshal %v", kind, cerr, err)
		}
		if err != nil {
			if m != nil {
				t.Fatal("a model and an error")
			}
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			return
		}
		again, err := Marshal(m, nil, modelfile.Float32)
		if err != nil {
			t.Fatalf("a loaded %s does not save: %v", m.Kind(), err)
		}
		back, _, err := Unmarshal(again)
		if err != nil || back.Kind() != m.Kind() {
			t.Fatalf("a loaded %s does not load again: %v", m.Kind(), err)
		}
	})
}
