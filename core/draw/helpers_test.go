package draw_test

import (
	"math"
	"testing"

	"latentplay/core/draw"
)

// pt is a point in a glyph's unit box: x right, y down, both in [0,1].
type pt struct{ x, y float64 }

// glyph is a digit as the pen strokes a person would draw, in a unit box.
type glyph struct {
	name    string
	strokes [][]pt // polylines
}

var (
	one   = glyph{"1", [][]pt{{{0.5, 0}, {0.5, 1}}}}
	zero  = glyph{"0", [][]pt{ellipse(0.5, 0.5, 0.32, 0.5, 40)}}
	seven = glyph{"7", [][]pt{{{0.1, 0}, {0.9, 0}}, {{0.9, 0}, {0.4, 1}}}}
	// glyphs are the test digits.
	glyphs = []glyph{one, zero, seven}
)

// ellipse is a closed polyline of n short strokes.
func ellipse(cx, cy, rx, ry float64, n int) []pt {
	p := make([]pt, n+1)
	for i := range p {
		a := 2 * math.Pi * float64(i) / float64(n)
		p[i] = pt{cx + rx*math.Sin(a), cy - ry*math.Cos(a)}
	}
	return p
}

// paint draws g with Stroke into a fresh w×h ink image, its unit box mapped to
// the square of side size at (ox, oy), with a brush lw pixels wide.
func paint(w, h int, g glyph, ox, oy, size, lw float64) []float32 {
	ink := make([]float32, w*h)
	for _, line := range g.strokes {
		for i := 1; i < len(line); i++ {
			a, b := line[i-1], line[i]
			draw.Stroke(ink, w, h, ox+a.x*size, oy+a.y*size, ox+b.x*size, oy+b.y*size, lw)
		}
	}
	return ink
}

// polarity is how a canvas shows ink.
type polarity int

const (
	whiteOnBlack polarity = iota
	blackOnWhite
	transparentCanvas // an opaque dark-blue pen on a transparent canvas
)

var polarities = []polarity{whiteOnBlack, blackOnWhite, transparentCanvas}

func (p polarity) String() string {
	return [...]string{"white-on-black", "black-on-white", "transparent"}[p]
}

// canvas renders ink as getImageData would return it in polarity p
// (non-premultiplied RGBA bytes).
func canvas(ink []float32, p polarity) []byte {
	pix := make([]byte, 4*len(ink))
	for i, v := range ink {
		q := byte(math.Round(float64(v) * 255))
		c := pix[4*i : 4*i+4]
		switch p {
		case whiteOnBlack:
			c[0], c[1], c[2], c[3] = q, q, q, 255
		case blackOnWhite:
			c[0], c[1], c[2], c[3] = 255-q, 255-q, 255-q, 255
		case transparentCanvas:
			c[0], c[1], c[2], c[3] = 10, 20, 90, q
		}
	}
	return pix
}

// bbox is the half-open bounding box of the pixels above level in a 28×28 image.
func bbox(img []float32, level float32) (x0, y0, x1, y1 int) {
	x0, y0 = draw.Size, draw.Size
	for y := range draw.Size {
		for x := range draw.Size {
			if img[y*draw.Size+x] > level {
				x0, x1 = min(x0, x), max(x1, x+1)
				y0, y1 = min(y0, y), max(y1, y+1)
			}
		}
	}
	return x0, y0, x1, y1
}

// pearson is the correlation of two images' pixels.
func pearson(a, b []float32) float64 {
	var ma, mb float64
	for i := range a {
		ma += float64(a[i])
		mb += float64(b[i])
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		da, db := float64(a[i])-ma, float64(b[i])-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	return sab / math.Sqrt(saa*sbb)
}

// cropMass is the ink inside the box Normalize crops ink to (values clamped
// to [0,1]) and the scale that takes the box's larger side to Box.
func cropMass(ink []float32, w, h int) (mass, scale float64) {
	x0, y0, x1, y1 := w, h, 0, 0
	for y := range h {
		for x := range w {
			if ink[y*w+x] > draw.Threshold {
				x0, x1, y0, y1 = min(x0, x), max(x1, x+1), min(y0, y), max(y1, y+1)
			}
		}
	}
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if v := ink[y*w+x]; v > 0 {
				mass += float64(min(v, 1))
			}
		}
	}
	return mass, float64(draw.Box) / float64(max(x1-x0, y1-y0))
}

// checkMNISTLike checks what every normalised digit must satisfy, given the
// w×h ink image it came from:
//   - 784 values in [0,1];
//   - centre of mass within 0.5 pixel of (Centre, Centre) on each axis (what
//     MNIST's whole-pixel shift guarantees; Normalize's sub-pixel placement
//     should do better, so 0.2 is required);
//   - the bounding box of the pixels above 0.1 has its larger side between 18
//     and 21 whole pixels: the scaled digit is exactly Box = 20 pixels long,
//     but placed at a sub-pixel position it can straddle 21 pixel rows with
//     the outer two partly covered (MNIST's whole-pixel shift gives 20);
//     fewer than 20 only if an outer row averages to 0.1 or less, as the tip
//     of a thin stroke may;
//   - the scale is exact and nothing was clipped: when shrinking, area
//     averaging conserves ink, so the output's mass is the cropped ink's mass
//     times scale² (within 0.1%); when enlarging, bilinear interpolation does
//     so only roughly (within 3%).
func checkMNISTLike(t *testing.T, out, ink []float32, w, h int) {
	t.Helper()
	if len(out) != draw.Size*draw.Size {
		t.Fatalf("len = %d, want %d", len(out), draw.Size*draw.Size)
	}
	var got float64
	for i, v := range out {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("pixel %d = %v, outside [0,1]", i, v)
		}
		got += float64(v)
	}
	x, y, ok := draw.CentreOfMass(out, draw.Size, draw.Size)
	if !ok || math.Abs(x-draw.Centre) > 0.2 || math.Abs(y-draw.Centre) > 0.2 {
		t.Errorf("centre of mass (%.3f, %.3f) ok=%v, want within 0.2 of (%v, %v)", x, y, ok, draw.Centre, draw.Centre)
	}
	x0, y0, x1, y1 := bbox(out, 0.1)
	if side := max(x1-x0, y1-y0); side < 18 || side > draw.Box+1 {
		t.Errorf("bounding box of ink > 0.1 is %d×%d, want larger side in 18..%d", x1-x0, y1-y0, draw.Box+1)
	}
	mass, s := cropMass(ink, w, h)
	tol := 0.001
	if s > 1 {
		tol = 0.03
	}
	if want := mass * s * s; math.Abs(got-want) > tol*want {
		t.Errorf("mass %.3f, want %.3f (cropped mass %.3f × scale² %.4f) within %g%%", got, want, mass, s*s, 100*tol)
	}
}
