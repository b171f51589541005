package web

import (
	"encoding/base64"
	"encoding/binary"
	"latentplay/wasm/engine/protocol"
	"strings"
	"testing"
)

func decodeDataURL(t *testing.T, url string) []byte {
	t.Helper()
	b64, ok := strings.CutPrefix(url, "data:image/bmp;base64,")
	if !ok {
		t.Fatalf("not a BMP data URL: %.40s", url)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDigitBMP(t *testing.T) {
	px := make([]float32, 28*28)
	px[0] = 1      // top-left: white ink
	px[27*28] = .5 // bottom-left: grey
	px[5] = 7      // out of range: clamped to white
	b := decodeDataURL(t, digitDataURL(px, 28, 28))
	le := binary.LittleEndian
	off := le.Uint32(b[10:])
	if string(b[:2]) != "BM" || int(le.Uint32(b[2:])) != len(b) || le.Uint32(b[18:]) != 28 || le.Uint32(b[22:]) != 28 || le.Uint16(b[28:]) != 8 {
		t.Fatalf("bad header % x", b[:54])
	}
	// Rows are stored bottom-up: the first stored row is the image's last.
	if got := b[off]; got != 128 {
		t.Errorf("bottom-left pixel %d, want 128", got)
	}
	if got := b[int(off)+27*28]; got != 255 {
		t.Errorf("top-left pixel %d, want 255", got)
	}
	if got := b[int(off)+27*28+5]; got != 255 {
		t.Errorf("clamped pixel %d, want 255", got)
	}
}

func TestRGBBMPPadsRows(t *testing.T) {
	rgb := make([]byte, 3*3*2) // 3×2: rows of 9 bytes padded to 12
	rgb[0], rgb[1], rgb[2] = 10, 20, 30
	b := decodeDataURL(t, rgbDataURL(rgb, 3, 2))
	if len(b) != 54+12*2 {
		t.Fatalf("size %d, want %d", len(b), 54+24)
	}
	// Top-left pixel, stored in the second (last) row, as BGR.
	if got := b[54+12 : 54+15]; got[0] != 30 || got[1] != 20 || got[2] != 10 {
		t.Fatalf("pixel % x, want BGR 1e 14 0a", got)
	}
}

func TestTile(t *testing.T) {
	batch := make([]float32, 4*784)
	for k := range 4 {
		batch[k*784] = float32(k + 1) // each image's top-left pixel
	}
	out := tile(protocol.RowsOf(784, batch), 2)
	for k, at := range []int{0, 28, 56 * 28, 56*28 + 28} {
		if out[at] != float32(k+1) {
			t.Fatalf("image %d's corner not at %d", k, at)
		}
	}
}
