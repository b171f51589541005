package modelfile_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math"
	"runtime"
	"testing"

	"latentplay/core/modelfile"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var negZero = float32(math.Copysign(0, -1))

// sampleFile has several tensors of ranks 1..4 whose values cover the
// interesting float16 cases: ±0, subnormals, the largest half, and values
// that need rounding.
func sampleFile() *modelfile.File {
	return &modelfile.File{
		Kind:   "vae",
		Config: json.RawMessage(`{"latent":2,"hidden":[8,4],"beta":0.5}`),
		Meta:   json.RawMessage(`{"seed":42,"loss":0.125}`),
		Tensors: []modelfile.Tensor{
			{Name: "enc.b", Shape: []int{6}, Data: []float32{0, negZero, 1, -1, 65504, -65504}},
			{Name: "enc.W", Shape: []int{3, 4}, Data: []float32{
				0.1, -0.2, 0.3, -3.7, 1e-6, -1e-6, 6e-8, 1e-9, 2.5e-5, 1234.567, -0.0001, 3.14159265}},
			{Name: "dec.t", Shape: []int{2, 2, 2}, Data: []float32{1, 2, 3, 4, 5, 6, 7, 8}},
			{Name: "conv.k", Shape: []int{2, 1, 2, 3}, Data: []float32{
				-1.5, 0.75, 0.001, 42, 1.0009766, 1.0004883, 60000, -9.5e-3, 7, 8, 9, 10}},
		},
	}
}

// diffFiles describes how a and b differ, or returns "" if they are equal.
// Values compare bit for bit (so -0 ≠ 0) and an empty Meta equals a nil one.
func diffFiles(a, b *modelfile.File) string {
	switch {
	case a.Kind != b.Kind:
		return fmt.Sprintf("kind %q != %q", a.Kind, b.Kind)
	case !bytes.Equal(a.Config, b.Config):
		return fmt.Sprintf("config %s != %s", a.Config, b.Config)
	case !bytes.Equal(a.Meta, b.Meta):
		return fmt.Sprintf("meta %s != %s", a.Meta, b.Meta)
	case len(a.Tensors) != len(b.Tensors):
		return fmt.Sprintf("%d tensors != %d", len(a.Tensors), len(b.Tensors))
	}
	for i := range a.Tensors {
		ta, tb := a.Tensors[i], b.Tensors[i]
		if ta.Name != tb.Name || fmt.Sprint(ta.Shape) != fmt.Sprint(tb.Shape) || len(ta.Data) != len(tb.Data) {
			return fmt.Sprintf("tensor %d: %q%v (%d values) != %q%v (%d values)",
				i, ta.Name, ta.Shape, len(ta.Data), tb.Name, tb.Shape, len(tb.Data))
		}
		for j := range ta.Data {
			if math.Float32bits(ta.Data[j]) != math.Float32bits(tb.Data[j]) {
				return fmt.Sprintf("tensor %q index %d: %g != %g", ta.Name, j, ta.Data[j], tb.Data[j])
			}
		}
	}
	return ""
}

func mustMarshal(t testing.TB, f *modelfile.File, s modelfile.Storage) []byte {
	t.Helper()
	b, err := modelfile.Marshal(f, s)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return b
}

// craft builds model file bytes by hand, so tests can make inputs that
// Marshal refuses to write yet that carry a valid checksum.
type craft []byte

func header(version uint16) craft {
	return craft("LATENTPL").u16(version).u16(0)
}

// prelude is a valid header, kind, config and meta; the tensor count
// comes next.
func prelude() craft {
	return header(1).str16("mlp").str32("{}").str32("")
}

func (c craft) u8(v uint8) craft   { return append(c, v) }
func (c craft) u16(v uint16) craft { return binary.LittleEndian.AppendUint16(c, v) }
func (c craft) u32(v uint32) craft { return binary.LittleEndian.AppendUint32(c, v) }

func (c craft) str16(s string) craft { return append(c.u16(uint16(len(s))), s...) }
func (c craft) str32(s string) craft { return append(c.u32(uint32(len(s))), s...) }

func (c craft) f32(vs ...float32) craft {
	for _, v := range vs {
		c = c.u32(math.Float32bits(v))
	}
	return c
}

// tensorHead appends a tensor's name, storage, rank and dims.
func (c craft) tensorHead(name string, s modelfile.Storage, dims ...uint32) craft {
	c = c.str16(name).u8(uint8(s)).u8(uint8(len(dims)))
	for _, d := range dims {
		c = c.u32(d)
	}
	return c
}

// seal appends the checksum.
func (c craft) seal() []byte {
	return binary.LittleEndian.AppendUint32(c, crc32.Checksum(c, castagnoli))
}

// reseal returns a copy of file b with its checksum recomputed, for tests
// that patch a valid file and want the body checks to see the patch.
func reseal(b []byte) []byte {
	return craft(bytes.Clone(b[:len(b)-4])).seal()
}

// allocLimit is the most Decode may allocate for an n-byte input.
func allocLimit(n int) uint64 {
	return 64*uint64(n) + 64<<10
}

// decodeAllocs decodes b and returns what Decode allocated, in bytes.
func decodeAllocs(b []byte) (*modelfile.File, uint64, error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := modelfile.Decode(b)
	runtime.ReadMemStats(&after)
	return f, after.TotalAlloc - before.TotalAlloc, err
}
