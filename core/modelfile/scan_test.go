package modelfile_test

import (
	"encoding/json"
	"runtime"
	"testing"

	"latentplay/core/modelfile"
)

// TestScanHoldsNoValues: Scan of a file with a million values in each
// storage allocates a few kilobytes, where Decode allocates the values.
func TestScanHoldsNoValues(t *testing.T) {
	const rows, cols = 1000, 1000
	data := make([]float32, rows*cols)
	for i := range data {
		data[i] = float32(i%255-127) / 64
	}
	for _, s := range []modelfile.Storage{modelfile.Float32, modelfile.Float16, modelfile.Int8} {
		f := &modelfile.File{
			Kind:    "mlp",
			Config:  json.RawMessage(`{"inputs":1000}`),
			Tensors: []modelfile.Tensor{{Name: "fc0.W", Shape: []int{rows, cols}, Data: data}},
		}
		b := mustMarshal(t, f, s)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		scanned, err := modelfile.Scan(b)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 16<<10 {
			t.Errorf("storage %d: Scan of %d bytes allocated %d bytes", s, len(b), n)
		}
		if len(scanned.Tensors) != 1 || scanned.Tensors[0].Data != nil || scanned.Tensors[0].Shape[1] != cols {
			t.Errorf("storage %d: Scan gave %+v", s, scanned.Tensors)
		}
		_, allocated, err := decodeAllocs(b)
		if err != nil || allocated < 4*rows*cols {
			t.Errorf("storage %d: Decode allocated %d bytes (%v); it holds %d float32 values", s, allocated, err, rows*cols)
		}
	}
}

// TestScanRefusesWhatDecodeRefuses: an int8 scale whose product with a
// stored value overflows is caught by both, though Scan keeps no values.
func TestScanRefusesWhatDecodeRefuses(t *testing.T) {
	b := prelude().u32(1).tensorHead("w", modelfile.Int8, 2).f32(3e38, 3e38).u8(1).u8(0x80).seal()
	_, derr := modelfile.Decode(b)
	_, serr := modelfile.Scan(b)
	if derr == nil || serr == nil || derr.Error() != serr.Error() {
		t.Fatalf("Decode: %v; Scan: %v", derr, serr)
	}
}
