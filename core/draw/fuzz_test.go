package draw_test

import (
	"errors"
	"testing"

	"latentplay/core/draw"
)

// FuzzFromRGBA feeds FromRGBA arbitrary sizes and bytes. With tile set and a
// small size, the bytes are repeated to fill a canvas of that size, so most
// inputs reach Normalize; otherwise they are passed as they are, which mostly
// exercises the size checks. FromRGBA must never panic, and must return
// either a valid 28×28 image or a *SizeError or ErrBlank.
func FuzzFromRGBA(f *testing.F) {
	f.Add(3, 3, true, []byte{0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255})
	f.Add(5, 4, true, []byte{255, 255, 255, 255, 10, 20, 30, 255, 9, 9, 9, 0})
	f.Add(28, 28, true, []byte{0, 0, 0, 0, 1, 2, 3, 200, 0, 0, 0, 0})
	f.Add(64, 1, true, []byte{7})
	f.Add(1, 64, true, []byte{})
	f.Add(1, 1, false, []byte{1, 2, 3, 4})
	f.Add(2, 2, false, []byte{1, 2, 3, 4})
	f.Add(-1, 5, false, []byte(nil))
	f.Add(0, 0, false, []byte(nil))
	f.Add(5000, 1, false, make([]byte, 20000))
	f.Add(1<<40, 1<<40, false, []byte{0})
	f.Fuzz(func(t *testing.T, w, h int, tile bool, b []byte) {
		pix := b
		if tile && w >= 1 && w <= 64 && h >= 1 && h <= 64 {
			pix = make([]byte, 4*w*h)
			if len(b) > 0 {
				for i := range pix {
					pix[i] = b[i%len(b)]
				}
			}
		}
		out, err := draw.FromRGBA(pix, w, h)
		var se *draw.SizeError
		switch {
		case errors.Is(err, draw.ErrBlank) || errors.As(err, &se):
			if out != nil {
				t.Fatalf("error %v with %d values", err, len(out))
			}
		case err != nil:
			t.Fatalf("unexpected error %v", err)
		default:
			if len(out) != draw.Size*draw.Size {
				t.Fatalf("len = %d", len(out))
			}
			for i, v := range out {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("pixel %d = %v", i, v)
				}
			}
		}
	})
}
