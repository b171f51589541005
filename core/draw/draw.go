package draw

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"sync"
)

// Size is the side of an MNIST image; Box the side of the box the digit's ink
// is scaled into (MNIST's 20×20 box inside the 28×28 field).
const Size, Box = 28, 20

// MaxSide is the largest canvas width or height accepted: far more than any
// drawing pad needs, and small enough that a bad size cannot ask for
// gigabytes.
const MaxSide = 4096

// ErrBlank reports a drawing with no ink in it (nothing to recognise).
var ErrBlank = errors.New("draw: the drawing is blank")

// SizeError reports pixel data whose dimensions are unusable: a width or
// height outside 1..MaxSide, or a slice whose length does not match them.
type SizeError struct {
	Width, Height int
	Len           int // length of the slice given
	Want          int // length Width×Height implies, or 0 if the dimensions are out of range
}

func (e *SizeError) Error() string {
	if e.Want == 0 {
		return fmt.Sprintf("draw: image size %d×%d is outside 1..%d", e.Width, e.Height, MaxSide)
	}
	return fmt.Sprintf("draw: a %d×%d image needs %d values, got %d", e.Width, e.Height, e.Want, e.Len)
}

// checkSize validates dimensions before anything is allocated or indexed;
// per is the number of slice elements per pixel (4 for RGBA, 1 for ink).
func checkSize(width, height, n, per int) error {
	if width <= 0 || height <= 0 || width > MaxSide || height > MaxSide {
		return &SizeError{Width: width, Height: height, Len: n}
	}
	if want := per * width * height; n != want {
		return &SizeError{Width: width, Height: height, Len: n, Want: want}
	}
	return nil
}

// scratch holds the working memory of one conversion, recycled through
// scratchPool: FromRGBA runs on every pointer move in the UI, and a fresh
// 300 KB ink buffer each time would keep the (wasm) garbage collector busy
// for nothing.
type scratch struct {
	ink  []float32
	cols [MaxSide]colSpan
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// FromRGBA turns a canvas drawing into a 28×28 model input with values in
// [0,1] (ink = 1, background = 0), row-major, len 784.
//
// pix is RGBA, 4 bytes per pixel, not premultiplied, stride = 4*width (like
// ImageData.data). It returns a *SizeError for a width or height ≤ 0 or
// > MaxSide or len(pix) != 4*width*height, and ErrBlank for a drawing with no
// ink. It is [Ink] followed by [Normalize].
func FromRGBA(pix []byte, width, height int) ([]float32, error) {
	if err := checkSize(width, height, len(pix), 4); err != nil {
		return nil, err
	}
	sc := getScratch()
	defer scratchPool.Put(sc)
	n := width * height
	if cap(sc.ink) < n {
		sc.ink = make([]float32, n)
	}
	ink := sc.ink[:n]
	inkInto(ink, pix, width, height)
	c, ok := inkBox(ink, width, height)
	if !ok {
		return nil, ErrBlank
	}
	return c.normalize(sc), nil
}

// FromImage is FromRGBA for any image.Image (convenient for tests and the
// CLI). Colours are converted to non-premultiplied RGBA first, as a canvas
// would hold them.
func FromImage(img image.Image) ([]float32, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if err := checkSize(w, h, 4*w*h, 4); err != nil {
		return nil, err
	}
	pix := make([]byte, 4*w*h)
	switch m := img.(type) {
	case *image.NRGBA:
		for y := range h {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(pix[4*w*y:4*w*(y+1)], m.Pix[i:i+4*w])
		}
	case *image.Gray:
		for y := range h {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				g := row[x]
				copy(pix[4*(w*y+x):], []byte{g, g, g, 0xff})
			}
		}
	default:
		for y := range h {
			for x := range w {
				c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				copy(pix[4*(w*y+x):], []byte{c.R, c.G, c.B, c.A})
			}
		}
	}
	return FromRGBA(pix, w, h)
}
