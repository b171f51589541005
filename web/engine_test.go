package web

import (
	"os"
	"slices"
	"testing"

	"latentplay/core/draw"
	"latentplay/core/models"
	worker "latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// TestRebuildHereMatchesTheWorker: the client's own rebuild of a drawing,
// on its copies of the playground's models, gives the engine's answer to
// the same request value for value; a file the core refuses leaves the
// copy that was there; a model the client has no copy of goes to the
// worker.
func TestRebuildHereMatchesTheWorker(t *testing.T) {
	c := &EngineClient{here: map[string]models.Model{}}
	e := worker.New()
	for _, name := range openingModels {
		b, err := os.ReadFile("../static/models/" + name + ".lpm")
		if err != nil {
			t.Fatal(err)
		}
		c.keepHere(name, b)
		if r := e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: name, Bytes: b}); r.Error != "" {
			t.Fatal(r.Error)
		}
	}
	// A drawn 7: a bar and a down stroke, as the pad makes it.
	ink := make([]float32, padSide*padSide)
	draw.Stroke(ink, padSide, padSide, 70, 60, 210, 60, padBrush)
	draw.Stroke(ink, padSide, padSide, 210, 60, 120, 240, padBrush)
	input, err := draw.Normalize(ink, padSide, padSide)
	if err != nil {
		t.Fatal(err)
	}
	req := rebuildRequest(input)
	here, ok, err := c.rebuildHere(req)
	if !ok || err != nil {
		t.Fatalf("rebuilt here: %v, %v", ok, err)
	}
	want := e.Handle(req)
	if want.Error != "" {
		t.Fatal(want.Error)
	}
	if !slices.Equal(here, want.Floats) {
		t.Fatalf("the client's rebuild (%d values) differs from the engine's (%d)", len(here), len(want.Floats))
	}
	if _, err := parseRebuilds(protocol.Response{Floats: here}); err != nil {
		t.Fatal(err)
	}

	c.keepHere("vae-20", []byte("not a model"))
	if again, _, _ := c.rebuildHere(req); !slices.Equal(again, here) {
		t.Error("a refused file replaced the kept VAE")
	}
	req.Slots = append(req.Slots, "vae-2")
	if _, ok, _ := c.rebuildHere(req); ok {
		t.Error("a model the client has no copy of was rebuilt here")
	}
}
