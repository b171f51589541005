package web

import (
	"encoding/base64"
	"encoding/binary"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// newBMP returns a w×h bottom-up BMP of bpp bits a pixel (8 with a
// palette of colours entries, or 24), the pixel rows zeroed, with the offset
// of the first stored row (the image's last) and the padded row length.
func newBMP(w, h, bpp, colours int) (b []byte, pixels, row int) {
	row = (w*bpp/8 + 3) &^ 3 // rows are padded to 4 bytes
	pixels = 14 + 40 + 4*colours
	b = make([]byte, pixels+row*h)
	le := binary.LittleEndian
	copy(b, "BM")
	le.PutUint32(b[2:], uint32(len(b)))
	le.PutUint32(b[10:], uint32(pixels))
	le.PutUint32(b[14:], 40)
	le.PutUint32(b[18:], uint32(w))
	le.PutUint32(b[22:], uint32(h)) // positive height: rows stored bottom-up
	le.PutUint16(b[26:], 1)
	le.PutUint16(b[28:], uint16(bpp))
	le.PutUint32(b[46:], uint32(colours))
	return b, pixels, row
}

func dataURL(bmp []byte) string {
	return "data:image/bmp;base64," + base64.StdEncoding.EncodeToString(bmp)
}

// digitDataURL encodes a w×h image of [0,1] values (ink = 1) as a data URL
// of an 8-bit greyscale BMP, white ink on black like MNIST. BMP needs no
// compression code in the app's wasm and decodes at once.
func digitDataURL(px []float32, w, h int) string {
	b, pixels, row := newBMP(w, h, 8, 256)
	for i := range 256 { // grey palette
		b[54+4*i], b[55+4*i], b[56+4*i] = byte(i), byte(i), byte(i)
	}
	for y := range h {
		dst := b[pixels+(h-1-y)*row:]
		for x := range w {
			v := min(max(px[y*w+x], 0), 1)
			dst[x] = byte(v*255 + 0.5)
		}
	}
	return dataURL(b)
}

// rgbDataURL encodes a w×h RGB image (3 bytes a pixel, rows top-down) as a
// data URL of a 24-bit BMP.
func rgbDataURL(rgb []byte, w, h int) string {
	b, pixels, row := newBMP(w, h, 24, 0)
	for y := range h {
		dst := b[pixels+(h-1-y)*row:]
		for x := range w {
			r, g, bl := rgb[3*(y*w+x)], rgb[3*(y*w+x)+1], rgb[3*(y*w+x)+2]
			dst[3*x], dst[3*x+1], dst[3*x+2] = bl, g, r // BMP stores BGR
		}
	}
	return dataURL(b)
}

// tile lays the first n×n images of a batch out as one image of n×n tiles.
func tile(batch protocol.Batch, n int) []float32 {
	const d = data.Side
	side := d * n
	out := make([]float32, side*side)
	for k := 0; k < n*n && k < batch.Rows; k++ {
		r, c, img := k/n, k%n, batch.Row(k)
		for y := range d {
			copy(out[(r*d+y)*side+c*d:], img[y*d:(y+1)*d])
		}
	}
	return out
}
