package draw_test

import (
	"math"
	"testing"

	"latentplay/core/draw"
)

func TestStrokeProfile(t *testing.T) {
	// A horizontal line along y = 10 (between rows 9 and 10): read the
	// profile down column 20, far from the caps.
	for _, lw := range []float64{0.5, 1, 3, 4.4, 9} {
		const w, h = 40, 20
		ink := make([]float32, w*h)
		draw.Stroke(ink, w, h, 5, 10, 35, 10, lw)
		var sum float64
		var peak float32
		soft := false
		for y := range h {
			v := ink[y*w+20]
			if !(v >= 0 && v <= 1) {
				t.Fatalf("width %v: ink[%d] = %v, outside [0,1]", lw, y, v)
			}
			if mirror := ink[(h-1-y)*w+20]; v != mirror {
				t.Errorf("width %v: profile not symmetric about the line: row %d %v, row %d %v", lw, y, v, h-1-y, mirror)
			}
			if d := math.Abs(float64(y) + 0.5 - 10); d >= lw/2+0.5 && v != 0 {
				t.Errorf("width %v: row %d, %.1f from the line, has ink %v", lw, y, d, v)
			}
			if y < h/2-1 && v > ink[(y+1)*w+20] {
				t.Errorf("width %v: ink falls towards the line at row %d", lw, y)
			}
			soft = soft || (v > 0 && v < 1)
			peak = max(peak, v)
			sum += float64(v)
		}
		// Each pixel gets the part of its height the line covers, so the
		// column holds exactly the line's width of ink.
		if math.Abs(sum-lw) > 1e-5 {
			t.Errorf("width %v: column holds %v of ink, want %v", lw, sum, lw)
		}
		if wantPeak := float32(min(lw/2, 1)); lw >= 2 && peak != 1 || lw < 2 && math.Abs(float64(peak-wantPeak)) > 1e-6 {
			t.Errorf("width %v: peak %v on the line", lw, peak)
		}
		if lw != 4 && !soft {
			t.Errorf("width %v: no soft edge", lw)
		}
	}
}

func TestStrokeCapsAndDots(t *testing.T) {
	const w, h = 30, 30
	ink := make([]float32, w*h)
	draw.Stroke(ink, w, h, 10, 15, 20, 15, 6)
	// Round caps: ink reaches 3 px beyond each end along the line, not across
	// the corners of a square cap.
	if ink[15*w+7] == 0 || ink[15*w+22] == 0 {
		t.Errorf("no cap: ink %v before the start, %v after the end", ink[15*w+7], ink[15*w+22])
	}
	if ink[12*w+7] != 0 || ink[17*w+22] != 0 {
		t.Errorf("square corners: ink %v, %v", ink[12*w+7], ink[17*w+22])
	}

	dot := make([]float32, w*h)
	draw.Stroke(dot, w, h, 15, 15, 15, 15, 8) // a tap: a round dot
	for y := range h {
		for x := range w {
			d := math.Hypot(float64(x)+0.5-15, float64(y)+0.5-15)
			v := dot[y*w+x]
			if d < 3.5 && v != 1 || d > 4.5 && v != 0 {
				t.Errorf("dot: pixel (%d,%d) at distance %.2f = %v", x, y, d, v)
			}
		}
	}

	// Max-combining: a second, weaker pass does not lighten, and a repeat
	// does not darken.
	again := append([]float32(nil), ink...)
	draw.Stroke(again, w, h, 10, 15, 20, 15, 6)
	draw.Stroke(again, w, h, 10, 15, 20, 15, 1)
	for i := range ink {
		if again[i] != ink[i] {
			t.Fatalf("pixel %d: %v after redrawing, was %v", i, again[i], ink[i])
		}
	}
}

func TestStrokeOddArguments(t *testing.T) {
	const w, h = 16, 12
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name               string
		x0, y0, x1, y1, lw float64
		wantInk            bool
	}{
		{"zero width", 2, 2, 10, 10, 0, false},
		{"negative width", 2, 2, 10, 10, -3, false},
		{"NaN width", 2, 2, 10, 10, nan, false},
		{"infinite width", 2, 2, 10, 10, inf, false},
		{"NaN coordinate", nan, 2, 10, 10, 2, false},
		{"infinite coordinate", 2, 2, -inf, 10, 2, false},
		{"huge coordinates", -1e300, 5, 1e300, 5, 2, false}, // overflows the length: skipped
		{"far off the canvas", -500, -500, -400, -450, 3, false},
		{"across the canvas from far away", -1e9, 6, 1e9, 6, 2, true},
		{"huge width", 8, 6, 8, 6, 1e12, true},
	} {
		ink := make([]float32, w*h)
		draw.Stroke(ink, w, h, tc.x0, tc.y0, tc.x1, tc.y1, tc.lw)
		any := false
		for _, v := range ink {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("%s: value %v", tc.name, v)
			}
			any = any || v > 0
		}
		if any != tc.wantInk {
			t.Errorf("%s: ink = %v, want %v", tc.name, any, tc.wantInk)
		}
	}
	draw.Stroke(nil, 0, 0, 1, 1, 2, 2, 3) // an empty image: nothing to do
	mustPanic(t, "Stroke with a wrong length", func() { draw.Stroke(make([]float32, 5), 2, 2, 0, 0, 1, 1, 1) })
}
