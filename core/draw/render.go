package draw

import (
	"fmt"
	"math"
)

// ToRGBA renders an image with values in [0,1] (a 28×28 model input or
// output, or any size) as opaque RGBA bytes, white ink on black as MNIST is
// usually shown, so a canvas can display it with one putImageData. Values
// outside [0,1] are clamped, NaN shows as black. It panics unless
// len(dst) == 4*len(img).
func ToRGBA(img []float32, dst []byte) {
	if len(dst) != 4*len(img) {
		panic(fmt.Sprintf("draw: ToRGBA: dst has %d bytes for %d pixels, want %d", len(dst), len(img), 4*len(img)))
	}
	for i, v := range img {
		g := byte(clamp01(v)*255 + 0.5)
		p := dst[4*i : 4*i+4 : 4*i+4]
		p[0], p[1], p[2], p[3] = g, g, g, 0xff
	}
}

// Stroke paints an anti-aliased, round-capped line of the given width from
// (x0,y0) to (x1,y1) into a width×height ink image, combining by maximum so
// overlapping segments of one stroke do not darken where they join. With it
// the drawing pad keeps its own ink buffer in Go, and the soft edges it
// leaves turn into the grey rims of MNIST's pen strokes when Normalize
// shrinks them.
//
// Coordinates are canvas coordinates (pixel (i,j) covers [i,i+1)×[j,j+1)).
// Each pixel receives the fraction of its width, across the line, that the
// line covers at its centre's distance: 1 well inside, a one-pixel ramp at
// the edge, and less than 1 everywhere for a line thinner than a pixel.
// A zero-length line is a round dot. The image is clipped. A width ≤ 0,
// NaN or infinite arguments, or a line so long (beyond about 1e154 pixels)
// that its squared length overflows paint nothing. It panics if len(ink) !=
// width*height.
func Stroke(ink []float32, width, height int, x0, y0, x1, y1, lineWidth float64) {
	if width < 0 || height < 0 || len(ink) != width*height {
		panic(fmt.Sprintf("draw: Stroke: %d values for a %d×%d image", len(ink), width, height))
	}
	dx, dy := x1-x0, y1-y0
	ll := dx*dx + dy*dy
	if !(lineWidth > 0) || math.IsInf(lineWidth, 0) || math.IsNaN(ll) || math.IsInf(ll, 0) {
		return // NaN or ±Inf in a coordinate makes ll NaN or Inf
	}
	r := lineWidth / 2
	// Pixels whose centres lie within r+0.5 of the segment.
	cols0 := index(math.Floor(min(x0, x1)-r-1), width)
	cols1 := index(math.Ceil(max(x0, x1)+r+1), width)
	rows0 := index(math.Floor(min(y0, y1)-r-1), height)
	rows1 := index(math.Ceil(max(y0, y1)+r+1), height)
	// Within r-½ of the segment a pixel is fully covered, beyond r+½ not at
	// all; only the rim in between needs a square root.
	in, outer := max(r-0.5, 0), r+0.5
	in2, outer2 := in*in, outer*outer
	if r < 0.5 {
		in2 = -1 // a line thinner than a pixel covers no pixel fully
	}
	for py := rows0; py < rows1; py++ {
		cy := float64(py) + 0.5
		row := ink[py*width : (py+1)*width]
		for px := cols0; px < cols1; px++ {
			cx := float64(px) + 0.5
			t := 0.0
			if ll > 0 {
				t = min(max(((cx-x0)*dx+(cy-y0)*dy)/ll, 0), 1)
			}
			ex, ey := cx-(x0+t*dx), cy-(y0+t*dy)
			d2 := ex*ex + ey*ey
			var c float32
			switch {
			case d2 >= outer2:
				continue
			case d2 <= in2:
				c = 1
			default:
				// Overlap of the pixel's span [d-½, d+½] with the line's [-r, r].
				d := math.Sqrt(d2)
				c = float32(min(min(d+0.5, r)-max(d-0.5, -r), 1))
			}
			if c > row[px] {
				row[px] = c
			}
		}
	}
}

// index clamps f to [0, n] before converting it, since converting a float
// beyond the int range is implementation-defined.
func index(f float64, n int) int {
	return int(min(max(f, 0), float64(n)))
}
