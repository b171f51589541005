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
	for _, name := range protocol.PlaygroundSlots {
		file, err := os.ReadFile("../../static/models/" + name + ".lpm")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Do(e, protocol.Load, protocol.LoadArgs{Slot: name, File: protocol.File{Data: file}}); err != nil {
			b.Fatal(err)
		}
	}
	q := protocol.RebuildArgs{Slots: protocol.PlaygroundSlots, Image: images(digits(1)), Samples: 3, Seed: 1}
	for b.Loop() {
		if _, err := Do(e, protocol.Rebuild, q); err != nil {
			b.Fatal(err)
		}
	}
}
