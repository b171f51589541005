package draw

import "testing"

func benchInk() []float32 {
	ink := make([]float32, 280*280)
	Stroke(ink, 280, 280, 60, 40, 220, 40, 24)
	Stroke(ink, 280, 280, 220, 40, 120, 240, 24)
	return ink
}

func BenchmarkPartInkBox(b *testing.B) {
	ink := benchInk()
	for b.Loop() {
		inkBox(ink, 280, 280)
	}
}
func BenchmarkPartCoM(b *testing.B) {
	c, _ := inkBox(benchInk(), 280, 280)
	for b.Loop() {
		c.centreOfMass()
	}
}
func BenchmarkPartShrink(b *testing.B) {
	c, _ := inkBox(benchInk(), 280, 280)
	out := make([]float32, 784)
	for b.Loop() {
		c.shrink(out, make([]colSpan, MaxSide), 0.09, 3, 4)
	}
}
func BenchmarkPartInk(b *testing.B) {
	ink := benchInk()
	pix := make([]byte, 4*len(ink))
	for i, v := range ink {
		q := byte(v * 255)
		pix[4*i], pix[4*i+1], pix[4*i+2], pix[4*i+3] = q, q, q, 255
	}
	for b.Loop() {
		inkInto(ink, pix, 280, 280)
	}
}
