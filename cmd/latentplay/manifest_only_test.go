package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// manifest -only keeps every other model's entry as it is, forgets the
// entries of files that are gone, and refuses a name with no file or a
// new file it was not told to evaluate.
func TestManifestOnlyKeepsTheRest(t *testing.T) {
	dir := t.TempDir()
	old := Manifest{Models: []ManifestEntry{
		{Name: "a", Kind: "vae", File: "a.lpm", Bytes: 1, Eval: map[string]any{"test_loss_nats": 1.5}},
		{Name: "b", Kind: "ae", File: "b.lpm", Bytes: 2},
		{Name: "gone", Kind: "ae", File: "gone.lpm", Bytes: 3},
	}}
	b, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	paths := []string{filepath.Join(dir, "a.lpm"), filepath.Join(dir, "b.lpm"), filepath.Join(dir, "c.lpm")}
	got, kept, err := onlyThese(dir, paths, []string{"c", " b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(kept) != 1 || kept["a"].Eval["test_loss_nats"] != 1.5 {
		t.Errorf("paths %v, kept %v: want all three paths and a's entry alone", got, kept)
	}
	if _, _, err := onlyThese(dir, paths, []string{"nope"}); err == nil {
		t.Error("a name with no model file gave no error")
	}
	if _, _, err := onlyThese(dir, paths, []string{"b"}); err == nil {
		t.Error("c.lpm has no entry and was not named, yet no error")
	}
}
