package modelfile_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"latentplay/core/modelfile"
)

var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed files in testdata/fuzz/FuzzDecode")

type fuzzSeed struct {
	name string // file name under testdata/fuzz/FuzzDecode
	data []byte
}

// fuzzSeeds are valid files in both storages and various shapes, plus
// broken ones that reach each stage of Decode.
func fuzzSeeds() []fuzzSeed {
	must := func(b []byte, err error) []byte {
		if err != nil {
			panic(err)
		}
		return b
	}
	perceptron := &modelfile.File{
		Kind:   "perceptron",
		Config: json.RawMessage(`{"inputs":2}`),
		Tensors: []modelfile.Tensor{
			{Name: "W", Shape: []int{1, 2}, Data: []float32{0.5, -1.25}},
			{Name: "b", Shape: []int{1}, Data: []float32{0.1}},
		},
	}
	conv := &modelfile.File{
		Kind:   "linear-ae",
		Config: json.RawMessage(`{"latent":1}`),
		Meta:   json.RawMessage(`{"epochs":3,"note":"rank 4"}`),
		Tensors: []modelfile.Tensor{
			{Name: "k", Shape: []int{1, 2, 1, 2}, Data: []float32{1, negZero, 1e-7, -65504}},
		},
	}
	empty := &modelfile.File{Kind: "ae", Config: json.RawMessage(`{}`)}

	f32 := must(modelfile.Marshal(sampleFile(), modelfile.Float32))
	f16 := must(modelfile.Marshal(sampleFile(), modelfile.Float16))
	flipped := bytes.Clone(f16)
	flipped[40] ^= 0x10

	return []fuzzSeed{
		{"valid-float32-sample", f32},
		{"valid-float16-sample", f16},
		{"valid-float32-perceptron", must(modelfile.Marshal(perceptron, modelfile.Float32))},
		{"valid-float16-perceptron", must(modelfile.Marshal(perceptron, modelfile.Float16))},
		{"valid-float16-rank4", must(modelfile.Marshal(conv, modelfile.Float16))},
		{"valid-int8-sample", must(modelfile.Marshal(sampleFile(), modelfile.Int8))},
		{"valid-int8-rank4", must(modelfile.Marshal(conv, modelfile.Int8))},
		{"valid-no-tensors", must(modelfile.Marshal(empty, modelfile.Float32))},
		{"valid-mixed-storage", prelude().u32(2).tensorHead("a", modelfile.Float32, 2).f32(1, 2).
			tensorHead("b", modelfile.Float16, 1).u16(0x3c00).seal()},
		{"truncated-float32", f32[:len(f32)/2]},
		{"truncated-resealed", reseal(f32[:len(f32)/2])},
		{"bitflip-float16", flipped},
		{"newer-version", header(2).str16("mlp").seal()},
		{"bad-magic", []byte("PK\x03\x04 not a model")},
		{"nan-valid-crc", prelude().u32(1).tensorHead("w", modelfile.Float32, 2).f32(1, float32(math.NaN())).seal()},
		{"huge-dims-valid-crc", prelude().u32(1).tensorHead("w", modelfile.Float32, 8192, 8192).seal()},
		{"trailing-valid-crc", prelude().u32(0).u8(0).seal()},
	}
}

func corpusFile(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

// TestFuzzCorpus checks that the seeds are committed as corpus files, so
// that plain `go test` runs them; -update-corpus rewrites them.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	for _, s := range fuzzSeeds() {
		path := filepath.Join(dir, s.name)
		if *updateCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, corpusFile(s.data), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, corpusFile(s.data)) {
			t.Errorf("%s is missing or stale (%v); run go test ./core/modelfile -run=TestFuzzCorpus -update-corpus", path, err)
		}
	}
}

// FuzzDecode checks that Decode never panics, allocates in proportion to
// its input, returns only the documented error types, and that whatever it
// accepts survives re-encoding unchanged. Random mutations almost never
// keep the checksum valid, so each input is also tried with its checksum
// recomputed; that lets the fuzzer explore the body parser.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s.data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecode(t, b)
		if len(b) >= 4 {
			checkDecode(t, reseal(b))
		}
	})
}

func checkDecode(t *testing.T, b []byte) {
	file, allocated, err := decodeAllocs(b)
	if limit := allocLimit(len(b)); allocated > limit {
		t.Fatalf("Decode of %d bytes allocated %d bytes, limit %d", len(b), allocated, limit)
	}
	checkScan(t, b, file, err)
	if err != nil {
		var fe *modelfile.FormatError
		var ce *modelfile.ChecksumError
		var ve *modelfile.VersionError
		if !errors.As(err, &fe) && !errors.As(err, &ce) && !errors.As(err, &ve) {
			t.Fatalf("Decode error %v has unexpected type %T", err, err)
		}
		if file != nil {
			t.Fatalf("Decode returned both a File and error %v", err)
		}
		return
	}

	// Every decoded value is a finite float32, so re-encoding as float32
	// must succeed and decode to the same File.
	b32, err := modelfile.Marshal(file, modelfile.Float32)
	if err != nil {
		t.Fatalf("re-Marshal of a decoded file: %v", err)
	}
	again, err := modelfile.Decode(b32)
	if err != nil {
		t.Fatalf("Decode of re-Marshalled file: %v", err)
	}
	if d := diffFiles(file, again); d != "" {
		t.Fatalf("float32 round trip changed the file: %s", d)
	}

	// A file whose tensors all share one storage is the same length as its
	// re-encoding in that storage (a tensor holds at least one value, so
	// any other storage changes the length), and the encoding is
	// canonical, so the bytes must match.
	if len(b32) == len(b) && !bytes.Equal(b32, b) {
		t.Fatalf("float32 re-encoding differs from the input")
	}
	if b16, err := modelfile.Marshal(file, modelfile.Float16); err == nil && len(b16) == len(b) && !bytes.Equal(b16, b) {
		t.Fatalf("float16 re-encoding differs from the input")
	}
}

// checkScan holds Scan to Decode's answer for the same bytes: the same
// error, or the same File without the values.
func checkScan(t *testing.T, b []byte, decoded *modelfile.File, decodeErr error) {
	t.Helper()
	scanned, err := modelfile.Scan(b)
	if (err == nil) != (decodeErr == nil) || err != nil && err.Error() != decodeErr.Error() {
		t.Fatalf("Scan says %v, Decode %v", err, decodeErr)
	}
	if err != nil {
		if scanned != nil {
			t.Fatalf("Scan returned both a File and error %v", err)
		}
		return
	}
	for _, s := range scanned.Tensors {
		if s.Data != nil {
			t.Fatalf("Scan kept tensor %q's values", s.Name)
		}
	}
	withData := *scanned
	withData.Tensors = append([]modelfile.Tensor(nil), scanned.Tensors...)
	for i := range withData.Tensors {
		withData.Tensors[i].Data = decoded.Tensors[i].Data
	}
	if d := diffFiles(decoded, &withData); d != "" {
		t.Fatalf("Scan and Decode differ: %s", d)
	}
}
