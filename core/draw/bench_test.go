package draw_test

import (
	"testing"

	"latentplay/core/draw"
)

// BenchmarkFromRGBA is the drawing pad's per-pointer-move cost: a 280×280
// canvas holding a "7" drawn with a 24-px brush.
func BenchmarkFromRGBA(b *testing.B) {
	pix := canvas(paint(280, 280, seven, 40, 40, 200, 24), blackOnWhite)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := draw.FromRGBA(pix, 280, 280); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNormalize is the same when the pad keeps its ink in Go (Stroke)
// and skips the RGBA round trip.
func BenchmarkNormalize(b *testing.B) {
	ink := paint(280, 280, seven, 40, 40, 200, 24)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := draw.Normalize(ink, 280, 280); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStroke is one pointer-move segment of a 24-px brush.
func BenchmarkStroke(b *testing.B) {
	ink := make([]float32, 280*280)
	b.ReportAllocs()
	for b.Loop() {
		draw.Stroke(ink, 280, 280, 100, 100, 108, 106, 24)
	}
}
