package draw_test

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"latentplay/core/draw"
)

// placement puts a glyph on a w×h canvas: a square box whose side is frac of
// the canvas's shorter side, at a corner or in the middle, drawn with a brush
// 12% of the box (MNIST's strokes are about 2.5 of its 20 pixels).
type placement struct {
	w, h  int
	frac  float64
	where string // "centre", "top-left", "bottom-right"
}

func (p placement) String() string { return fmt.Sprintf("%dx%d/%s/%.2f", p.w, p.h, p.where, p.frac) }

func (p placement) paint(g glyph) []float32 {
	size := p.frac * float64(min(p.w, p.h))
	lw := 0.12 * size
	m := lw/2 + 1 // keep the ink a pixel clear of the border
	var ox, oy float64
	switch p.where {
	case "centre":
		ox, oy = (float64(p.w)-size)/2, (float64(p.h)-size)/2
	case "top-left":
		ox, oy = m, m
	case "bottom-right":
		ox, oy = float64(p.w)-m-size, float64(p.h)-m-size
	default:
		panic(p.where)
	}
	return paint(p.w, p.h, g, ox, oy, size, lw)
}

var placements = func() []placement {
	var ps []placement
	for _, wh := range [][2]int{{280, 280}, {100, 60}, {37, 91}} {
		ps = append(ps,
			placement{wh[0], wh[1], 0.8, "centre"},
			placement{wh[0], wh[1], 0.35, "top-left"},
			placement{wh[0], wh[1], 0.5, "bottom-right"},
		)
	}
	return ps
}()

func TestDigitsLandCentred(t *testing.T) {
	for _, g := range glyphs {
		for _, p := range placements {
			t.Run(g.name+"/"+p.String(), func(t *testing.T) {
				ink := p.paint(g)
				var ref []float32
				for _, pol := range polarities {
					out, err := draw.FromRGBA(canvas(ink, pol), p.w, p.h)
					if err != nil {
						t.Fatalf("%v: %v", pol, err)
					}
					checkMNISTLike(t, out, draw.Ink(canvas(ink, pol), p.w, p.h), p.w, p.h)
					if g.name == "1" {
						x0, y0, x1, y1 := bbox(out, 0.1)
						if x1-x0 >= y1-y0 {
							t.Errorf("%v: the 1 is %d wide and %d tall, want taller than wide", pol, x1-x0, y1-y0)
						}
					}
					if ref == nil {
						ref = out
						continue
					}
					for i := range out {
						if d := math.Abs(float64(out[i] - ref[i])); d > 1.0/255 {
							t.Fatalf("%v differs from %v at pixel %d by %.4f", pol, polarities[0], i, d)
						}
					}
				}
			})
		}
	}
}

// The point of normalising: the same digit, drawn small in a corner or large
// in the middle, on any canvas, gives nearly the same input.
func TestSameDigitAnySizeOrPlace(t *testing.T) {
	for _, g := range glyphs {
		ref, err := draw.Normalize(paint(280, 280, g, 40, 40, 200, 24), 280, 280)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range placements {
			out, err := draw.Normalize(p.paint(g), p.w, p.h)
			if err != nil {
				t.Fatal(err)
			}
			if c := pearson(ref, out); c <= 0.9 {
				t.Errorf("%s %v: correlation with the large centred one = %.3f, want > 0.9", g.name, p, c)
			}
		}
		// A UI brush has a fixed width, so a small digit has relatively bolder
		// strokes; normalisation cannot undo that, but the shape still matches.
		large, err := draw.Normalize(paint(280, 280, g, 40, 40, 200, 14), 280, 280)
		if err != nil {
			t.Fatal(err)
		}
		small, err := draw.Normalize(paint(280, 280, g, 8, 8, 60, 14), 280, 280)
		if err != nil {
			t.Fatal(err)
		}
		c := pearson(large, small)
		t.Logf("%s: same 14-px brush, 60-px digit in a corner vs 200-px in the middle: correlation %.3f", g.name, c)
		if c <= 0.5 {
			t.Errorf("%s: same brush, small vs large: correlation %.3f, want > 0.5", g.name, c)
		}
	}
}

// The background is read from the border by a median, so a stroke running off
// the canvas does not flip the polarity.
func TestStrokeOffTheCanvas(t *testing.T) {
	const w, h = 120, 80
	ink := make([]float32, w*h)
	draw.Stroke(ink, w, h, 60, -20, 60, h+20, 10) // a 1 taller than the canvas
	draw.Stroke(ink, w, h, -20, 5, 40, 5, 10)     // and a dash off the left
	for _, pol := range polarities {
		out, err := draw.FromRGBA(canvas(ink, pol), w, h)
		if err != nil {
			t.Fatalf("%v: %v", pol, err)
		}
		var peak, mean float32
		for _, v := range out {
			peak = max(peak, v)
			mean += v / float32(len(out))
		}
		if peak < 0.9 || mean > 0.2 {
			t.Errorf("%v: peak %.2f and mean %.2f: the strokes did not come out as ink on no ink", pol, peak, mean)
		}
		if x, y, _ := draw.CentreOfMass(out, draw.Size, draw.Size); math.Abs(x-draw.Centre) > 0.5 || math.Abs(y-draw.Centre) > 0.5 {
			t.Errorf("%v: centre of mass (%.2f, %.2f)", pol, x, y)
		}
	}
}

func TestBlank(t *testing.T) {
	const w, h = 30, 20
	fill := func(r, g, b, a byte) []byte {
		pix := make([]byte, 4*w*h)
		for i := 0; i < len(pix); i += 4 {
			pix[i], pix[i+1], pix[i+2], pix[i+3] = r, g, b, a
		}
		return pix
	}
	noisy := fill(240, 240, 240, 255) // paper with ±12 levels of noise: ink < 0.05
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(noisy); i += 4 {
		v := byte(228 + rng.IntN(25))
		noisy[i], noisy[i+1], noisy[i+2] = v, v, v
	}
	faint := fill(0, 0, 0, 255) // a stroke too faint to count: 0.15 < Threshold
	for x := 5; x < 25; x++ {
		faint[4*(10*w+x)], faint[4*(10*w+x)+1], faint[4*(10*w+x)+2] = 38, 38, 38
	}
	for _, tc := range []struct {
		name string
		pix  []byte
		w, h int
	}{
		{"black", fill(0, 0, 0, 255), w, h},
		{"white", fill(255, 255, 255, 255), w, h},
		{"grey", fill(128, 128, 128, 255), w, h},
		{"orange", fill(250, 120, 10, 255), w, h},
		{"transparent black", fill(0, 0, 0, 0), w, h},
		{"transparent white", fill(255, 255, 255, 0), w, h},
		{"noisy paper", noisy, w, h},
		{"faint stroke", faint, w, h},
		{"1×1 white", []byte{255, 255, 255, 255}, 1, 1}, // all border: it is the background
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := draw.FromRGBA(tc.pix, tc.w, tc.h)
			if !errors.Is(err, draw.ErrBlank) || out != nil {
				t.Errorf("FromRGBA = %d values, %v; want nil, ErrBlank", len(out), err)
			}
		})
	}
	if _, err := draw.Normalize(make([]float32, 100), 10, 10); !errors.Is(err, draw.ErrBlank) {
		t.Errorf("Normalize(zeros) error = %v, want ErrBlank", err)
	}
	if _, err := draw.FromImage(image.NewGray(image.Rect(0, 0, 9, 9))); !errors.Is(err, draw.ErrBlank) {
		t.Errorf("FromImage(black) error = %v, want ErrBlank", err)
	}
}

func TestSizeErrors(t *testing.T) {
	for _, tc := range []struct {
		w, h, n int
	}{
		{0, 10, 0}, {10, 0, 0}, {-1, 10, 40}, {10, -3, 120}, {-2, -2, 16},
		{draw.MaxSide + 1, 1, 4 * (draw.MaxSide + 1)}, {1, draw.MaxSide + 1, 4 * (draw.MaxSide + 1)},
		{10, 10, 399}, {10, 10, 401}, {10, 10, 100}, {1, 1, 0},
	} {
		_, err := draw.FromRGBA(make([]byte, tc.n), tc.w, tc.h)
		var se *draw.SizeError
		if !errors.As(err, &se) || se.Width != tc.w || se.Height != tc.h || se.Len != tc.n || !strings.HasPrefix(err.Error(), "draw: ") {
			t.Errorf("FromRGBA(%d bytes, %d, %d) error = %v, want a *SizeError", tc.n, tc.w, tc.h, err)
		}
	}
	for _, tc := range []struct{ w, h, n int }{{10, 10, 99}, {0, 0, 0}, {5, -5, 25}, {draw.MaxSide + 1, 1, draw.MaxSide + 1}} {
		var se *draw.SizeError
		if _, err := draw.Normalize(make([]float32, tc.n), tc.w, tc.h); !errors.As(err, &se) {
			t.Errorf("Normalize(%d values, %d, %d) error = %v, want a *SizeError", tc.n, tc.w, tc.h, err)
		}
	}
	for _, img := range []image.Image{
		image.NewGray(image.Rect(0, 0, 0, 0)),
		image.NewGray(image.Rect(3, 3, 3, 9)),
		image.NewGray(image.Rect(0, 0, draw.MaxSide+1, 1)),
	} {
		var se *draw.SizeError
		if _, err := draw.FromImage(img); !errors.As(err, &se) {
			t.Errorf("FromImage(%v) error = %v, want a *SizeError", img.Bounds(), err)
		}
	}
	// The largest canvas is accepted.
	pix := make([]byte, 4*draw.MaxSide*2)
	pix[4*(draw.MaxSide+7)] = 255
	for i := 3; i < len(pix); i += 4 {
		pix[i] = 255
	}
	if _, err := draw.FromRGBA(pix, draw.MaxSide, 2); err != nil {
		t.Errorf("FromRGBA(%d×2) = %v", draw.MaxSide, err)
	}
}

// A dot has no shape to keep: like MNIST's procedure, Normalize scales it to
// fill the 20×20 box, a square of its ink level, here centred on (14.5, 14.5)
// and so straddling pixel boundaries: 19×19 pixels at the dot's level, a rim
// half covered, and the mass of a 20×20 square. A dash keeps its 2:1 aspect
// ratio.
func TestDotAndDash(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w, h  int
		px    [][2]int // inked pixels
		level byte
		sw    int // side of the scaled shape along x (and Box along y, or the reverse)
		sh    int
	}{
		{"white dot", 50, 50, [][2]int{{20, 30}}, 255, 20, 20},
		{"grey dot", 50, 50, [][2]int{{20, 30}}, 153, 20, 20},
		{"dot in the corner", 50, 50, [][2]int{{0, 0}}, 255, 20, 20},
		{"dot on a 3×3 canvas", 3, 3, [][2]int{{1, 1}}, 255, 20, 20},
		{"dash", 40, 30, [][2]int{{7, 9}, {8, 9}}, 255, 20, 10},
		{"upright dash", 40, 30, [][2]int{{7, 9}, {7, 10}}, 255, 10, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pix := canvas(make([]float32, tc.w*tc.h), whiteOnBlack)
			for _, p := range tc.px {
				i := 4 * (p[1]*tc.w + p[0])
				pix[i], pix[i+1], pix[i+2] = tc.level, tc.level, tc.level
			}
			out, err := draw.FromRGBA(pix, tc.w, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			level := float64(tc.level) / 255
			x0, y0, x1, y1 := bbox(out, 0)
			if x1-x0 != tc.sw+1 || y1-y0 != tc.sh+1 {
				t.Errorf("ink covers %d×%d pixels, want %d×%d", x1-x0, y1-y0, tc.sw+1, tc.sh+1)
			}
			var mass float64
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					v := float64(out[y*draw.Size+x])
					mass += v
					want := level
					if x == x0 || x == x1-1 {
						want /= 2
					}
					if y == y0 || y == y1-1 {
						want /= 2
					}
					if math.Abs(v-want) > 1e-5 {
						t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, v, want)
					}
				}
			}
			if want := float64(tc.sw*tc.sh) * level; math.Abs(mass-want) > 1e-3 {
				t.Errorf("mass %v, want %v", mass, want)
			}
			cx, cy, _ := draw.CentreOfMass(out, draw.Size, draw.Size)
			if math.Abs(cx-draw.Centre) > 1e-6 || math.Abs(cy-draw.Centre) > 1e-6 {
				t.Errorf("centre of mass (%v, %v), want (%v, %v)", cx, cy, draw.Centre, draw.Centre)
			}
		})
	}
}

// Normalize on its own: the box filter conserves ink (the mass of a shrunk
// image is the cropped source's mass times the scale squared), and values
// beyond [0,1] or NaN in the input are tolerated.
func TestNormalizeInk(t *testing.T) {
	const w, h = 200, 100
	ink := paint(w, h, seven, 50, 5, 90, 11)
	out, err := draw.Normalize(ink, w, h)
	if err != nil {
		t.Fatal(err)
	}
	var got float64
	for _, v := range out {
		got += float64(v)
	}
	mass, s := cropMass(ink, w, h)
	if want := mass * s * s; math.Abs(got-want) > 1e-4*want {
		t.Errorf("ink mass %.3f after scaling by %.4f, want %.3f", got, s, want)
	}

	wild := append([]float32(nil), ink...)
	for i := range wild {
		switch i % 7 {
		case 0:
			wild[i] *= 3
		case 1:
			wild[i] = float32(math.NaN())
		case 2:
			wild[i] = -wild[i]
		}
	}
	out, err = draw.Normalize(wild, w, h)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("pixel %d = %v", i, v)
		}
	}
}

func TestInk(t *testing.T) {
	// 3×3 canvases: border of colour bg, centre pixel fg.
	type rgba [4]byte
	for _, tc := range []struct {
		name   string
		bg, fg rgba
		want   float32 // ink at the centre; the border must be 0
	}{
		{"white on black", rgba{0, 0, 0, 255}, rgba{255, 255, 255, 255}, 1},
		{"black on white", rgba{255, 255, 255, 255}, rgba{0, 0, 0, 255}, 1},
		{"grey on white", rgba{255, 255, 255, 255}, rgba{102, 102, 102, 255}, 0.6},
		{"white on grey", rgba{128, 128, 128, 255}, rgba{255, 255, 255, 255}, 127.0 / 128},
		{"black on grey", rgba{128, 128, 128, 255}, rgba{0, 0, 0, 255}, 1},
		{"coloured: blue on cream", rgba{250, 240, 215, 255}, rgba{0, 0, 255, 255}, 211.0 / 240},
		{"black on transparent", rgba{0, 0, 0, 0}, rgba{0, 0, 0, 255}, 1},
		{"white on transparent", rgba{255, 255, 255, 0}, rgba{255, 255, 255, 255}, 1},
		{"half-transparent red on transparent", rgba{0, 0, 0, 0}, rgba{255, 0, 0, 51}, 0.2},
		{"half-transparent black on white", rgba{255, 255, 255, 255}, rgba{0, 0, 0, 102}, 0.4},
		{"transparent pixel on white", rgba{255, 255, 255, 255}, rgba{0, 0, 0, 0}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pix := make([]byte, 4*9)
			for i := range 9 {
				c := tc.bg
				if i == 4 {
					c = tc.fg
				}
				copy(pix[4*i:], c[:])
			}
			ink := draw.Ink(pix, 3, 3)
			for i, v := range ink {
				want := float32(0)
				if i == 4 {
					want = tc.want
				}
				if math.Abs(float64(v-want)) > 0.005 {
					t.Errorf("ink[%d] = %.4f, want %.4f", i, v, want)
				}
			}
		})
	}

	// A stroke along one edge is a minority of the border: still ink.
	const w, h = 8, 6
	pix := canvas(make([]float32, w*h), blackOnWhite)
	for x := range w {
		copy(pix[4*x:], []byte{0, 0, 0, 255}) // the whole top row
	}
	ink := draw.Ink(pix, w, h)
	if ink[3] != 1 || ink[w*3+3] != 0 {
		t.Errorf("top-row stroke: ink %v on it, %v below it; want 1 and 0", ink[3], ink[w*3+3])
	}

	if got := draw.Ink(nil, 0, 0); len(got) != 0 {
		t.Errorf("Ink of an empty image = %v", got)
	}
	mustPanic(t, "Ink with a short slice", func() { draw.Ink(make([]byte, 15), 2, 2) })
}

func TestFromImage(t *testing.T) {
	// The same digit through FromRGBA and, as other image types, FromImage.
	const w, h = 64, 48
	ink := paint(w, h, seven, 12, 6, 36, 4)
	pix := canvas(ink, blackOnWhite)
	want, err := draw.FromRGBA(pix, w, h)
	if err != nil {
		t.Fatal(err)
	}
	off := image.Pt(-5, 9) // a non-zero origin
	nrgba := &image.NRGBA{Pix: pix, Stride: 4 * w, Rect: image.Rectangle{off, off.Add(image.Pt(w, h))}}
	gray := image.NewGray(nrgba.Rect)
	rgba := image.NewRGBA(nrgba.Rect)
	for y := range h {
		for x := range w {
			c := nrgba.At(off.X+x, off.Y+y)
			gray.Set(off.X+x, off.Y+y, c)
			rgba.Set(off.X+x, off.Y+y, c)
		}
	}
	big := image.NewNRGBA(image.Rect(0, 0, w+20, h+20)) // a sub-image of a larger one
	for y := range h + 20 {
		for x := range w + 20 {
			big.Set(x, y, color.NRGBA{255, 0, 0, 255})
		}
	}
	for y := range h {
		copy(big.Pix[big.PixOffset(10, 10+y):], pix[4*w*y:4*w*(y+1)])
	}
	sub := big.SubImage(image.Rect(10, 10, 10+w, 10+h))
	for _, img := range []image.Image{nrgba, gray, rgba, sub} {
		got, err := draw.FromImage(img)
		if err != nil {
			t.Fatalf("%T: %v", img, err)
		}
		for i := range got {
			if math.Abs(float64(got[i]-want[i])) > 1.0/255 {
				t.Fatalf("%T: pixel %d = %v, FromRGBA gave %v", img, i, got[i], want[i])
			}
		}
	}
}

func TestCentreOfMass(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	for _, tc := range []struct {
		name   string
		img    []float32
		w, h   int
		x, y   float64
		wantOK bool
	}{
		{"one pixel", []float32{0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, 4, 3, 2.5, 1.5, true},
		{"pixel (0,0)", []float32{0.3, 0, 0, 0}, 2, 2, 0.5, 0.5, true},
		{"weights 1 and 3", []float32{1, 0, 0, 3}, 4, 1, (1*0.5 + 3*3.5) / 4, 0.5, true},
		{"a column", []float32{0, 1, 0, 1, 0, 1}, 2, 3, 1.5, 1.5, true},
		{"uniform", []float32{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, 3, 2, 1.5, 1, true},
		{"blank", make([]float32, 6), 3, 2, 0, 0, false},
		{"empty", nil, 0, 0, 0, 0, false},
		{"negative, NaN and Inf carry no weight", []float32{-5, nan, inf, 2}, 2, 2, 1.5, 1.5, true},
		{"only negative", []float32{-1, -1}, 2, 1, 0, 0, false},
	} {
		x, y, ok := draw.CentreOfMass(tc.img, tc.w, tc.h)
		if ok != tc.wantOK || math.Abs(x-tc.x) > 1e-12 || math.Abs(y-tc.y) > 1e-12 {
			t.Errorf("%s: CentreOfMass = (%v, %v, %v), want (%v, %v, %v)", tc.name, x, y, ok, tc.x, tc.y, tc.wantOK)
		}
	}
	mustPanic(t, "CentreOfMass with a wrong length", func() { draw.CentreOfMass(make([]float32, 5), 2, 3) })
}

func TestToRGBA(t *testing.T) {
	img := []float32{0, 1, 0.5, -1, 2, float32(math.NaN()), 0.1}
	dst := make([]byte, 4*len(img))
	for i := range dst {
		dst[i] = 7 // must all be overwritten
	}
	draw.ToRGBA(img, dst)
	want := []byte{
		0, 0, 0, 255,
		255, 255, 255, 255,
		128, 128, 128, 255,
		0, 0, 0, 255,
		255, 255, 255, 255,
		0, 0, 0, 255,
		26, 26, 26, 255,
	}
	if string(dst) != string(want) {
		t.Errorf("ToRGBA = %v, want %v", dst, want)
	}
	draw.ToRGBA(nil, nil) // nothing to do
	mustPanic(t, "ToRGBA with a short dst", func() { draw.ToRGBA(img, dst[:len(dst)-1]) })
	mustPanic(t, "ToRGBA with a long dst", func() { draw.ToRGBA(img, append(dst, 0)) })
}

// mustPanic checks that f panics with a "draw: " message: a programmer error.
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if s, ok := r.(string); !ok || !strings.HasPrefix(s, "draw: ") {
			t.Errorf("%s: recovered %#v, want a panic with a \"draw: \" message", what, r)
		}
	}()
	f()
}

// A digit whose mass sits far from the middle of its box (a heavy blob with a
// thin tail) cannot be centred without pushing the tail out of the field:
// Normalize moves it only as far as it fits, so nothing is clipped.
func TestNothingClipped(t *testing.T) {
	const w, h = 100, 100
	ink := make([]float32, w*h)
	for y := 10; y < 30; y++ { // a solid 20×20 blob at the top
		for x := 40; x < 60; x++ {
			ink[y*w+x] = 1
		}
	}
	draw.Stroke(ink, w, h, 50, 30, 50, 89, 2) // a thin tail down to y = 90
	out, err := draw.Normalize(ink, w, h)
	if err != nil {
		t.Fatal(err)
	}
	_, y0, _, y1 := bbox(out, 0)
	if y0 != draw.Size-draw.Box || y1 != draw.Size {
		t.Errorf("ink covers rows [%d,%d), want [%d,%d): moved down as far as it fits", y0, y1, draw.Size-draw.Box, draw.Size)
	}
	mass, s := cropMass(ink, w, h)
	var got float64
	for _, v := range out {
		got += float64(v)
	}
	if want := mass * s * s; math.Abs(got-want) > 1e-3*want {
		t.Errorf("mass %.3f, want %.3f: ink was clipped", got, want)
	}
	if x, y, _ := draw.CentreOfMass(out, draw.Size, draw.Size); math.Abs(x-draw.Centre) > 0.2 || y >= draw.Centre {
		t.Errorf("centre of mass (%.2f, %.2f), want x ≈ %v and y above it", x, y, draw.Centre)
	}
}
