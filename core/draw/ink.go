package draw

import "fmt"

// Ink converts RGBA pixels (4 bytes per pixel, not premultiplied, as in
// ImageData.data) to ink intensity in [0,1], returning a width*height slice.
//
// A drawing pad may paint white on black, black on white, a coloured pen on
// coloured paper, or opaque strokes on a transparent canvas, and the model
// needs ink = 1 on the strokes in every case. So the background is read off
// the canvas border, where a digit rarely reaches: if at least half the
// border pixels are transparent (alpha < 128), the canvas is transparent and ink is a pixel's
// opacity; otherwise the background is the median BT.601 luma of the opaque
// border pixels, and ink is how far a pixel's luma lies from it, as a
// fraction of the furthest it could lie (so either polarity gives 1 on a
// full-contrast stroke), scaled by the pixel's alpha (a transparent pixel
// shows the background, so it is no ink). The median ignores strokes that do
// touch the border, as long as they cover less than half of it.
//
// It panics if width or height is negative or len(pix) != 4*width*height:
// [FromRGBA] is the entry point that checks untrusted sizes.
func Ink(pix []byte, width, height int) []float32 {
	if width < 0 || height < 0 || len(pix) != 4*width*height {
		panic(fmt.Sprintf("draw: Ink: %d bytes for a %d×%d image, want 4 per pixel", len(pix), width, height))
	}
	dst := make([]float32, width*height)
	inkInto(dst, pix, width, height)
	return dst
}

// luma is BT.601 luma in fixed point (the weights of image/color's Gray
// model), 0..255, computed the same way for the border and for every pixel
// so that the background maps to exactly 0.
func luma(r, g, b byte) int32 {
	return (19595*int32(r) + 38470*int32(g) + 7471*int32(b) + 1<<15) >> 16
}

// alphaInk[a] is a/255, the ink of opacity a on a transparent canvas; exactly
// 1 for 255.
var alphaInk = func() (t [256]float32) {
	for a := range t {
		t[a] = float32(a) / 255
	}
	return t
}()

// inkInto is Ink writing into dst (len width*height); sizes already checked.
func inkInto(dst []float32, pix []byte, width, height int) {
	if len(dst) == 0 {
		return
	}
	pix = pix[:4*len(dst)]
	transparent, bg := background(pix, width, height)
	// ink = alpha/255 · |luma − bg| / max(bg, 255 − bg), from two tables;
	// both factors are at most 1, so their rounded product is too. On a
	// transparent canvas ink is just alpha/255.
	var lumaInk [256]float32
	if transparent {
		for y := range lumaInk {
			lumaInk[y] = 1
		}
	} else {
		span := float32(max(bg, 255-bg))
		for y := range lumaInk {
			d := int32(y) - bg
			lumaInk[y] = float32(max(d, -d)) / span
		}
	}
	for i := range dst {
		p := pix[4*i : 4*i+4 : 4*i+4]
		dst[i] = alphaInk[p[3]] * lumaInk[uint8(luma(p[0], p[1], p[2]))]
	}
}

// background finds the canvas background from the outermost ring of pixels:
// whether it is transparent (median alpha < 128) and, if not, the median
// luma of its opaque pixels. Histograms make the medians cheap and
// allocation-free.
func background(pix []byte, width, height int) (transparent bool, bg int32) {
	var alphas, lumas [256]int32
	var n, opaque int32
	add := func(x, y int) {
		p := pix[4*(y*width+x):]
		alphas[p[3]]++
		n++
		if p[3] >= 128 {
			lumas[luma(p[0], p[1], p[2])]++
			opaque++
		}
	}
	for x := range width {
		add(x, 0)
		if height > 1 {
			add(x, height-1)
		}
	}
	for y := 1; y < height-1; y++ {
		add(0, y)
		if width > 1 {
			add(width-1, y)
		}
	}
	if median(&alphas, n) < 128 {
		return true, 0
	}
	return false, median(&lumas, opaque)
}

// median is the lower median of n values counted in hist.
func median(hist *[256]int32, n int32) int32 {
	var seen int32
	for v, c := range hist {
		seen += c
		if 2*seen >= n {
			return int32(v)
		}
	}
	return 255
}
