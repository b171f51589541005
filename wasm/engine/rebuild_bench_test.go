package engine

import (
	"os"
	"testing"

	"latentplay/wasm/engine/protocol"
)

// BenchmarkRebuild times the playground's one request per drawing (the
// classifier and the three shipped generative models) with the shipped
// models: the engine's part of the draw-to-rebuild latency.
func BenchmarkRebuild(b *testing.B) {
	e := New()
	for _, name := range []string{"mlp", "ae-20", "vae-20", "cvae-20"} {
		data, err := os.ReadFile("../../static/models/" + name + ".lpm")
		if err != nil {
			b.Fatal(err)
		}
		if r := e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: name, Bytes: data}); r.Error != "" {
			b.Fatal(r.Error)
		}
	}
	x := digits(1)
	req := protocol.Request{Op: protocol.OpRebuild, Slots: []string{"mlp", "ae-20", "vae-20", "cvae-20"}, Floats: x, Samples: 3, Seed: 1}
	for b.Loop() {
		if r := e.Handle(req); r.Error != "" {
			b.Fatal(r.Error)
		}
	}
}
