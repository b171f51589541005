package models

import (
	"os"
	"testing"
)

// BenchmarkUnmarshal loads the playground's four shipped models, as the
// engine and the page each do at the cold start.
func BenchmarkUnmarshal(b *testing.B) {
	for _, name := range []string{"mlp", "ae-20", "vae-20", "cvae-20"} {
		file, err := os.ReadFile("../../static/models/" + name + ".lpm")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			for b.Loop() {
				if _, _, err := Unmarshal(file); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
