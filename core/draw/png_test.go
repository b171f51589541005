package draw_test

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"testing"

	"latentplay/core/draw"
)

// TestWritePNG draws a few test cases for a person to look at: each input
// canvas as a thumbnail (transparent ones over a checkerboard), and beside it
// the 28×28 result scaled up, with the Box the digit was scaled into drawn
// faintly and the pixel whose centre is (Centre, Centre) marked in red. The
// last pair, when MNIST is at hand, is a real MNIST digit beside its
// normalised self. It runs only when DRAW_PNG names the file to write:
//
//	DRAW_PNG=/tmp/draw_cases.png go test -run TestWritePNG ./core/draw/
func TestWritePNG(t *testing.T) {
	path := os.Getenv("DRAW_PNG")
	if path == "" {
		t.Skip("set DRAW_PNG=/tmp/draw_cases.png to write a picture of the test cases")
	}
	type pair struct {
		in   image.Image
		out  []float32
		note string
	}
	var pairs []pair
	add := func(g glyph, p placement, pol polarity) {
		ink := p.paint(g)
		pix := canvas(ink, pol)
		out, err := draw.FromRGBA(pix, p.w, p.h)
		if err != nil {
			t.Fatal(err)
		}
		in := &image.NRGBA{Pix: pix, Stride: 4 * p.w, Rect: image.Rect(0, 0, p.w, p.h)}
		pairs = append(pairs, pair{in, out, g.name + " " + p.String() + " " + pol.String()})
	}
	add(one, placement{280, 280, 0.8, "centre"}, whiteOnBlack)
	add(zero, placement{280, 280, 0.35, "top-left"}, blackOnWhite)
	add(seven, placement{280, 280, 0.5, "bottom-right"}, transparentCanvas)
	add(seven, placement{100, 60, 0.8, "centre"}, blackOnWhite)
	add(zero, placement{37, 91, 0.5, "bottom-right"}, whiteOnBlack)
	add(one, placement{37, 91, 0.35, "top-left"}, transparentCanvas)
	{ // a 7 drawn with a fixed 8-px brush, small, and a dot
		ink := paint(280, 280, seven, 190, 20, 70, 8)
		draw.Stroke(ink, 280, 280, 60, 200, 60, 200, 12)
		ink2 := make([]float32, 280*280)
		draw.Stroke(ink2, 280, 280, 100, 150, 100, 150, 12)
		for _, k := range [][]float32{ink, ink2} {
			pix := canvas(k, blackOnWhite)
			out, err := draw.FromRGBA(pix, 280, 280)
			if err != nil {
				t.Fatal(err)
			}
			pairs = append(pairs, pair{&image.NRGBA{Pix: pix, Stride: 4 * 280, Rect: image.Rect(0, 0, 280, 280)}, out, ""})
		}
	}
	if set := mnistOrNil(); set != nil {
		img := set.Image(0)
		out, err := draw.Normalize(img, draw.Size, draw.Size)
		if err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(image.Rect(0, 0, draw.Size, draw.Size))
		for i, v := range img {
			g.Pix[i] = byte(v*255 + 0.5)
		}
		pairs = append(pairs, pair{g, out, "MNIST test digit 0"})
	}

	const cell, scale, gap = 140, 5, 10 // thumbnails fit cell×cell; 28×5 = 140
	const perRow = 3
	rows := (len(pairs) + perRow - 1) / perRow
	pic := image.NewRGBA(image.Rect(0, 0, perRow*(2*cell+3*gap), rows*(cell+2*gap)))
	for i := range pic.Pix {
		pic.Pix[i] = 0x60 // grey surround
	}
	for k, p := range pairs {
		x0 := (k%perRow)*(2*cell+3*gap) + gap
		y0 := (k/perRow)*(cell+2*gap) + gap
		thumbnail(pic, p.in, x0, y0, cell)
		field := make([]byte, 4*len(p.out))
		draw.ToRGBA(p.out, field)
		ox := x0 + cell + gap
		for y := range draw.Size * scale {
			for x := range draw.Size * scale {
				px, py := x/scale, y/scale
				c := field[4*(py*draw.Size+px):]
				col := color.RGBA{c[0], c[1], c[2], 255}
				inBox := func(v int) bool { return v == (draw.Size-draw.Box)/2*scale || v == (draw.Size+draw.Box)/2*scale }
				if (inBox(x) || inBox(y)) && col.R < 64 {
					col = color.RGBA{0, 0, 90, 255} // the 20×20 box, drawn for scale (the digit need not sit in it)
				}
				if cx, cy := float64(x)/scale, float64(y)/scale; math.Abs(cx-draw.Centre) < 0.15 && math.Abs(cy-draw.Centre) < 0.15 {
					col = color.RGBA{255, 0, 0, 255}
				}
				pic.Set(ox+x, y0+y, col)
			}
		}
		t.Logf("pair %d: %s", k, p.note)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, pic); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d pairs)", path, len(pairs))
}

// thumbnail draws img scaled (nearest neighbour) to fit size×size at (x0,y0),
// transparent parts over a checkerboard.
func thumbnail(dst *image.RGBA, img image.Image, x0, y0, size int) {
	b := img.Bounds()
	f := float64(size) / float64(max(b.Dx(), b.Dy()))
	w, h := int(float64(b.Dx())*f), int(float64(b.Dy())*f)
	for y := range h {
		for x := range w {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+int(float64(x)/f), b.Min.Y+int(float64(y)/f))).(color.NRGBA)
			bg := uint32(0xcc)
			if (x/8+y/8)%2 == 0 {
				bg = 0xff
			}
			mix := func(v uint8) uint8 { return uint8((uint32(v)*uint32(c.A) + bg*(255-uint32(c.A)) + 127) / 255) }
			dst.Set(x0+x, y0+y, color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255})
		}
	}
}
