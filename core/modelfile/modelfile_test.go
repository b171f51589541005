package modelfile_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"latentplay/core/modelfile"
)

func TestRoundTripFloat32(t *testing.T) {
	full := sampleFile()
	noMeta := sampleFile()
	noMeta.Meta = nil
	noTensors := &modelfile.File{Kind: "perceptron", Config: json.RawMessage(`{}`)}
	big := &modelfile.File{Kind: "mlp", Config: json.RawMessage(`{"n":1}`), Tensors: []modelfile.Tensor{
		{Name: "w", Shape: []int{1000}, Data: make([]float32, 1000)},
		{Name: "extremes", Shape: []int{4}, Data: []float32{math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 1e30}},
	}}
	for i := range big.Tensors[0].Data {
		big.Tensors[0].Data[i] = float32(i)/7 - 50
	}

	for _, tc := range []struct {
		name string
		f    *modelfile.File
	}{
		{"sample", full},
		{"empty meta", noMeta},
		{"no tensors", noTensors},
		{"large values", big},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := modelfile.Encode(&buf, tc.f, modelfile.Float32); err != nil {
				t.Fatalf("Encode: %v", err)
			}
			if m := mustMarshal(t, tc.f, modelfile.Float32); !bytes.Equal(buf.Bytes(), m) {
				t.Fatal("Encode and Marshal disagree")
			}
			got, err := modelfile.Decode(buf.Bytes())
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d := diffFiles(tc.f, got); d != "" {
				t.Fatalf("round trip changed the file: %s", d)
			}
		})
	}
}

func TestRoundTripFloat16(t *testing.T) {
	f := sampleFile()
	b16 := mustMarshal(t, f, modelfile.Float16)
	b32 := mustMarshal(t, f, modelfile.Float32)
	if want := len(b32) - 2*(6+12+8+12); len(b16) != want {
		t.Errorf("float16 file is %d bytes, want %d", len(b16), want)
	}
	got, err := modelfile.Decode(b16)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.Kind != f.Kind || !bytes.Equal(got.Config, f.Config) || !bytes.Equal(got.Meta, f.Meta) {
		t.Fatalf("header changed: %+v", got)
	}
	const minNormal = 1.0 / (1 << 14)
	for i, want := range f.Tensors {
		g := got.Tensors[i]
		if g.Name != want.Name || fmt.Sprint(g.Shape) != fmt.Sprint(want.Shape) {
			t.Fatalf("tensor %d is %q%v, want %q%v", i, g.Name, g.Shape, want.Name, want.Shape)
		}
		for j, x := range want.Data {
			y := g.Data[j]
			if math.Signbit(float64(x)) != math.Signbit(float64(y)) && y != 0 {
				t.Errorf("%s[%d]: %g became %g", want.Name, j, x, y)
			}
			err := math.Abs(float64(y) - float64(x))
			switch ax := math.Abs(float64(x)); {
			case ax >= minNormal && err > ax/(1<<11):
				t.Errorf("%s[%d]: %g became %g, relative error %g > 2^-11", want.Name, j, x, y, err/ax)
			case ax < minNormal && err > 1.0/(1<<25):
				t.Errorf("%s[%d]: subnormal %g became %g, error %g > 2^-25", want.Name, j, x, y, err)
			}
		}
	}
	// Spot checks of the special values in enc.b: ±0 keep their sign and
	// ±65504 are exact.
	for j, want := range []uint32{0, 0x80000000, math.Float32bits(1), math.Float32bits(-1), math.Float32bits(65504), math.Float32bits(-65504)} {
		if bits := math.Float32bits(got.Tensors[0].Data[j]); bits != want {
			t.Errorf("enc.b[%d] = %#x, want %#x", j, bits, want)
		}
	}
	// A decoded float16 file re-encodes to the same bytes.
	if again := mustMarshal(t, got, modelfile.Float16); !bytes.Equal(again, b16) {
		t.Error("re-encoding a decoded float16 file changed its bytes")
	}
}

func TestFileTensor(t *testing.T) {
	f := sampleFile()
	w, ok := f.Tensor("enc.W")
	if !ok || w != &f.Tensors[1] {
		t.Fatalf(`Tensor("enc.W") = %p, %v; want %p, true`, w, ok, &f.Tensors[1])
	}
	if w, ok := f.Tensor("missing"); ok || w != nil {
		t.Fatalf(`Tensor("missing") = %v, %v; want nil, false`, w, ok)
	}
}

func TestEncodeErrors(t *testing.T) {
	valid := func() *modelfile.File {
		return &modelfile.File{Kind: "mlp", Config: json.RawMessage(`{}`), Tensors: []modelfile.Tensor{
			{Name: "w", Shape: []int{2}, Data: []float32{1, 2}},
		}}
	}
	manyTensors := valid()
	manyTensors.Tensors = nil
	for i := range 4097 {
		manyTensors.Tensors = append(manyTensors.Tensors, modelfile.Tensor{Name: fmt.Sprint("t", i), Shape: []int{1}, Data: []float32{0}})
	}

	for _, tc := range []struct {
		name    string
		edit    func(f *modelfile.File)
		storage modelfile.Storage
		want    string
	}{
		{"empty kind", func(f *modelfile.File) { f.Kind = "" }, modelfile.Float32, "model kind is empty"},
		{"long kind", func(f *modelfile.File) { f.Kind = strings.Repeat("k", 65) }, modelfile.Float32, "model kind is 65 bytes long, limit 64"},
		{"unprintable kind", func(f *modelfile.File) { f.Kind = "ml\np" }, modelfile.Float32, `model kind "ml\np" is not printable`},
		{"nil config", func(f *modelfile.File) { f.Config = nil }, modelfile.Float32, "config is not a JSON object"},
		{"array config", func(f *modelfile.File) { f.Config = json.RawMessage(`[1]`) }, modelfile.Float32, "config is not a JSON object"},
		{"broken config", func(f *modelfile.File) { f.Config = json.RawMessage(`{"a":`) }, modelfile.Float32, "config is not valid JSON"},
		{"string meta", func(f *modelfile.File) { f.Meta = json.RawMessage(`"x"`) }, modelfile.Float32, "meta is not a JSON object"},
		{"empty name", func(f *modelfile.File) { f.Tensors[0].Name = "" }, modelfile.Float32, "tensor name is empty"},
		{"long name", func(f *modelfile.File) { f.Tensors[0].Name = strings.Repeat("n", 129) }, modelfile.Float32, "tensor name is 129 bytes long, limit 128"},
		{"invalid UTF-8 name", func(f *modelfile.File) { f.Tensors[0].Name = "w\xff" }, modelfile.Float32, "is not printable"},
		{"duplicate name", func(f *modelfile.File) { f.Tensors = append(f.Tensors, f.Tensors[0]) }, modelfile.Float32, `duplicate tensor name "w"`},
		{"rank 0", func(f *modelfile.File) { f.Tensors[0].Shape = nil }, modelfile.Float32, `tensor "w" has rank 0, want 1..4`},
		{"rank 5", func(f *modelfile.File) { f.Tensors[0].Shape = []int{1, 1, 1, 1, 2} }, modelfile.Float32, "has rank 5"},
		{"zero dim", func(f *modelfile.File) { f.Tensors[0].Shape = []int{2, 0} }, modelfile.Float32, `tensor "w" dimension 1 is 0`},
		{"negative dim", func(f *modelfile.File) { f.Tensors[0].Shape = []int{-2, -1} }, modelfile.Float32, "dimension 0 is -2"},
		{"too many values", func(f *modelfile.File) { f.Tensors[0].Shape = []int{1 << 13, 1 << 13, 2} }, modelfile.Float32, "holds more than 67108864 values"},
		{"too many tensors", func(f *modelfile.File) { *f = *manyTensors }, modelfile.Float32, "4097 tensors, limit 4096"},
		{"NaN", func(f *modelfile.File) { f.Tensors[0].Data[1] = float32(math.NaN()) }, modelfile.Float32, `tensor "w" holds NaN at index 1`},
		{"+Inf", func(f *modelfile.File) { f.Tensors[0].Data[0] = float32(math.Inf(1)) }, modelfile.Float16, `tensor "w" holds +Inf at index 0`},
		{"-Inf", func(f *modelfile.File) { f.Tensors[0].Data[0] = float32(math.Inf(-1)) }, modelfile.Float32, `holds -Inf at index 0`},
		{"float16 overflow", func(f *modelfile.File) { f.Tensors[0].Data[1] = 65505 }, modelfile.Float16, `tensor "w" holds 65505 at index 1, outside the float16 range`},
		{"float16 negative overflow", func(f *modelfile.File) { f.Tensors[0].Data[0] = -1e6 }, modelfile.Float16, `tensor "w" holds -1e+06 at index 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.edit(f)
			var buf bytes.Buffer
			err := modelfile.Encode(&buf, f, tc.storage)
			if err == nil || !strings.HasPrefix(err.Error(), "modelfile: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Encode error = %v, want one containing %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes despite the error", buf.Len())
			}
			if b, err := modelfile.Marshal(f, tc.storage); err == nil || b != nil {
				t.Errorf("Marshal = %d bytes, %v; want nil, an error", len(b), err)
			}
		})
	}

	// Values the float16 encoding rejects are fine as float32.
	f := valid()
	f.Tensors[0].Data[0] = 1e30
	if _, err := modelfile.Marshal(f, modelfile.Float32); err != nil {
		t.Errorf("Marshal(1e30, Float32): %v", err)
	}
}

func TestEncodePanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    *modelfile.File
		s    modelfile.Storage
		want string
	}{
		{"data shorter than shape", &modelfile.File{Kind: "ae", Config: json.RawMessage(`{}`), Tensors: []modelfile.Tensor{
			{Name: "w", Shape: []int{2, 3}, Data: make([]float32, 5)}}}, modelfile.Float32,
			`modelfile: tensor "w" has 5 values but shape [2 3] needs 6`},
		{"unknown storage", &modelfile.File{Kind: "ae", Config: json.RawMessage(`{}`)}, 9, "modelfile: unknown storage 9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("panic = %v, want %q", r, tc.want)
				}
			}()
			modelfile.Marshal(tc.f, tc.s)
		})
	}
}

// decodeCases are inputs Decode must reject, each with the error it must
// give. Most carry a valid checksum so that the body checks are reached.
var decodeCases = []struct {
	name  string
	input []byte
	check func(error) bool
	want  string // substring of the message
}{
	{"empty", nil, isFormat, "truncated header"},
	{"magic prefix", []byte("LATE"), isFormat, "truncated header"},
	{"zip file", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), isNotModel, "not a latentplay model file (bad magic)"},
	{"one foreign byte", []byte("{"), isNotModel, "bad magic"},
	{"lower-case magic", withMagic(prelude().u32(0).seal(), "latentpl"), isNotModel, "bad magic"},
	{"newer version", header(9).str16("future").seal(), isVersion,
		"modelfile: format version 9 is newer than this build reads (1); update latentplay"},
	{"version 0", header(0).str16("mlp").str32("{}").str32("").u32(0).seal(), isFormat, "offset 8: format version 0 is invalid"},
	{"header only", header(1), isFormat, "truncated: file is 12 bytes, too short for a model file"},
	{"bad checksum", append(prelude().u32(0), 1, 2, 3, 4), isChecksum, "checksum mismatch, file is corrupt"},
	{"flags set", craft("LATENTPL").u16(1).u16(1).str16("mlp").str32("{}").str32("").u32(0).seal(), isFormat, "offset 10: reserved flags 0x0001 are set"},
	{"no tensor count", header(1).str16("mlp").str32("{}").str32("").u16(0).seal(), isFormat, "truncated: 4 bytes needed for tensor count, 2 left"},
	{"empty kind", header(1).str16("").str32("{}").str32("").u32(0).seal(), isFormat, "offset 12: model kind is empty"},
	{"long kind", header(1).str16(strings.Repeat("k", 65)).str32("{}").str32("").u32(0).seal(), isFormat, "model kind is 65 bytes long, limit 64"},
	{"unprintable kind", header(1).str16("m\x00p").str32("{}").str32("").u32(0).seal(), isFormat, `model kind "m\x00p" is not printable text`},
	{"kind longer than file", header(1).u16(0xffff).str32("{}").str32("").u32(0).seal(), isFormat, "truncated: 65535 bytes needed for kind"},
	{"config longer than file", header(1).str16("mlp").u32(0xffffffff).str32("").u32(0).seal(), isFormat, "truncated: 4294967295 bytes needed for config"},
	{"empty config", header(1).str16("mlp").str32("").str32("").u32(0).seal(), isFormat, "config is not a JSON object"},
	{"array config", header(1).str16("mlp").str32("[]").str32("").u32(0).seal(), isFormat, "config is not a JSON object"},
	{"broken config", header(1).str16("mlp").str32(`{"a":}`).str32("").u32(0).seal(), isFormat, "offset 17: config is not valid JSON"},
	{"null meta", header(1).str16("mlp").str32("{}").str32("null").u32(0).seal(), isFormat, "meta is not a JSON object"},
	{"too many tensors", prelude().u32(4097).seal(), isFormat, "4097 tensors, limit 4096"},
	{"tensor count beyond data", prelude().u32(4096).seal(), isFormat, "truncated: 45056 bytes needed for 4096 tensors, 0 left"},
	{"empty name", prelude().u32(1).tensorHead("", modelfile.Float32, 1).f32(1).seal(), isFormat, "tensor name is empty"},
	{"long name", prelude().u32(1).tensorHead(strings.Repeat("n", 129), modelfile.Float32, 1).f32(1).seal(), isFormat, "tensor name is 129 bytes long, limit 128"},
	{"name longer than file", prelude().u32(1).u16(0xffff).u8(1).u8(1).u32(1).f32(1).seal(), isFormat, "truncated: 65535 bytes needed for tensor name"},
	{"unknown storage", prelude().u32(1).tensorHead("w", 9, 1).f32(1).seal(), isFormat, `tensor "w" has unknown storage 9`},
	{"NaN int8 scale", prelude().u32(1).tensorHead("w", modelfile.Int8, 1, 2).f32(1, float32(math.NaN())).u16(0).seal(), isFormat, `tensor "w" has column scale NaN`},
	{"negative int8 scale", prelude().u32(1).tensorHead("w", modelfile.Int8, 1, 1).f32(-1).u8(1).seal(), isFormat, `tensor "w" has column scale -1`},
	{"short int8 data", prelude().u32(1).tensorHead("w", modelfile.Int8, 2, 2).f32(1, 1).u8(0).seal(), isFormat, `truncated: 12 bytes needed for tensor "w" data`},
	{"rank 0", prelude().u32(1).tensorHead("w", modelfile.Float32).f32(1, 2).seal(), isFormat, `tensor "w" has rank 0, want 1..4`},
	{"rank 5", prelude().u32(1).tensorHead("w", modelfile.Float32, 1, 1, 1, 1, 1).f32(1).seal(), isFormat, `tensor "w" has rank 5`},
	{"zero dim", prelude().u32(1).tensorHead("w", modelfile.Float32, 3, 0).f32(1).seal(), isFormat, `tensor "w" dimension 1 is 0`},
	{"absurd dims", prelude().u32(1).tensorHead("w", modelfile.Float32, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff).seal(), isFormat,
		"holds more than 67108864 values"},
	{"64M values claimed, none present", prelude().u32(1).tensorHead("w", modelfile.Float32, 8192, 8192).seal(), isFormat,
		`truncated: 268435456 bytes needed for tensor "w" data, 0 left`},
	{"short float16 data", prelude().u32(1).tensorHead("w", modelfile.Float16, 2, 2).u16(0).u16(0).u16(0).seal(), isFormat,
		`truncated: 8 bytes needed for tensor "w" data, 6 left`},
	{"duplicate names", prelude().u32(2).tensorHead("w", modelfile.Float32, 1).f32(1).tensorHead("w", modelfile.Float32, 1).f32(2).seal(), isFormat,
		`offset 44: duplicate tensor name "w"`},
	{"NaN", prelude().u32(1).tensorHead("enc.W", modelfile.Float32, 4, 5).
		f32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, float32(math.NaN()), 18, 19).seal(), isFormat,
		`offset 116: tensor "enc.W" holds NaN at index 17`},
	{"float16 +Inf", prelude().u32(1).tensorHead("b", modelfile.Float16, 2).u16(0x3c00).u16(0x7c00).seal(), isFormat,
		`tensor "b" holds +Inf at index 1`},
	{"float16 NaN", prelude().u32(1).tensorHead("b", modelfile.Float16, 1).u16(0xfe01).seal(), isFormat,
		`tensor "b" holds NaN at index 0`},
	{"float32 -Inf", prelude().u32(1).tensorHead("b", modelfile.Float32, 1).f32(float32(math.Inf(-1))).seal(), isFormat,
		`tensor "b" holds -Inf at index 0`},
	{"trailing bytes", prelude().u32(1).tensorHead("w", modelfile.Float32, 1).f32(1).u8(0).seal(), isFormat,
		"offset 44: 1 byte(s) of trailing data after the last tensor"},
	{"count too small", prelude().u32(0).tensorHead("w", modelfile.Float32, 1).f32(1).seal(), isFormat,
		"offset 31: 13 byte(s) of trailing data after the last tensor"},
}

// withMagic overwrites the start of b with m.
func withMagic(b []byte, m string) []byte {
	copy(b, m)
	return b
}

func isFormat(err error) bool {
	var fe *modelfile.FormatError
	return errors.As(err, &fe) && !errors.Is(err, modelfile.ErrNotModel)
}

func isNotModel(err error) bool { return errors.Is(err, modelfile.ErrNotModel) }

func isChecksum(err error) bool {
	var ce *modelfile.ChecksumError
	return errors.As(err, &ce)
}

func isVersion(err error) bool {
	var ve *modelfile.VersionError
	return errors.As(err, &ve)
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := modelfile.Decode(tc.input)
			if err == nil {
				t.Fatalf("Decode succeeded: %+v", f)
			}
			if f != nil {
				t.Errorf("Decode returned a File with error %v", err)
			}
			if !tc.check(err) {
				t.Errorf("Decode error %v (%T) is of the wrong kind", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "modelfile: ") {
				t.Errorf("Decode error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestDecodeValidCrafted(t *testing.T) {
	// The crafting helpers agree with Marshal, so the error cases above
	// differ from valid files only where they mean to.
	b := prelude().u32(1).tensorHead("w", modelfile.Float32, 2).f32(1, -2).seal()
	f := &modelfile.File{Kind: "mlp", Config: json.RawMessage(`{}`), Tensors: []modelfile.Tensor{
		{Name: "w", Shape: []int{2}, Data: []float32{1, -2}}}}
	if m := mustMarshal(t, f, modelfile.Float32); !bytes.Equal(b, m) {
		t.Fatalf("crafted file\n%x\ndiffers from Marshal\n%x", b, m)
	}
}

func TestDecodeDoesNotAlias(t *testing.T) {
	b := mustMarshal(t, sampleFile(), modelfile.Float32)
	f, err := modelfile.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0
	}
	if d := diffFiles(sampleFile(), f); d != "" {
		t.Fatalf("overwriting the input changed the File: %s", d)
	}
}

// TestDecodeTruncated cuts valid files at every length. Plain prefixes
// must fail (mostly on the checksum); prefixes given a fresh checksum
// reach the body parser and must fail there.
func TestDecodeTruncated(t *testing.T) {
	for _, s := range []modelfile.Storage{modelfile.Float32, modelfile.Float16} {
		b := mustMarshal(t, sampleFile(), s)
		for n := range len(b) {
			if f, err := modelfile.Decode(b[:n]); err == nil {
				t.Fatalf("storage %d: prefix of %d bytes decoded: %+v", s, n, f)
			}
			if n < len(b)-4 {
				resealed := craft(bytes.Clone(b[:n])).seal()
				if f, err := modelfile.Decode(resealed); err == nil {
					t.Fatalf("storage %d: resealed prefix of %d bytes decoded: %+v", s, n, f)
				} else if n >= 12 && !isFormat(err) {
					t.Fatalf("storage %d: resealed prefix of %d bytes: %v, want a FormatError", s, n, err)
				}
			}
		}
	}
}

// TestDecodeBitFlips flips every bit of a valid file: the checksum must
// catch it, unless it hits the magic or the version, which are checked
// first and have their own errors.
func TestDecodeBitFlips(t *testing.T) {
	b := mustMarshal(t, sampleFile(), modelfile.Float16)
	for i := range 8 * len(b) {
		flipped := bytes.Clone(b)
		flipped[i/8] ^= 1 << (i % 8)
		_, err := modelfile.Decode(flipped)
		var ok bool
		switch v := binary.LittleEndian.Uint16(flipped[8:]); {
		case i < 64:
			ok = isNotModel(err)
		case i < 80 && v == 0:
			ok = isFormat(err)
		case i < 80:
			ok = isVersion(err) && err.(*modelfile.VersionError).Version == v
		default:
			ok = isChecksum(err)
		}
		if !ok {
			t.Fatalf("flipping bit %d of byte %d: error %v (%T)", i%8, i/8, err, err)
		}
	}
}

// TestDecodeAllocations feeds small inputs that claim huge sizes and checks
// that Decode's allocations stay proportional to the input.
func TestDecodeAllocations(t *testing.T) {
	inputs := map[string][]byte{
		"valid float32": mustMarshal(t, sampleFile(), modelfile.Float32),
		"valid float16": mustMarshal(t, sampleFile(), modelfile.Float16),
	}
	for _, tc := range decodeCases {
		inputs[tc.name] = tc.input
	}
	// 4096 one-value tensors: the most tensors a file can have, each as
	// small as possible.
	many := prelude().u32(4096)
	for i := range 4096 {
		many = many.tensorHead(fmt.Sprintf("%x", i), modelfile.Float16, 1).u16(0x3c00)
	}
	inputs["4096 tiny tensors"] = many.seal()
	// Deeply nested JSON makes the validator's stack grow.
	inputs["nested config"] = header(1).str16("mlp").str32("{\"a\":" + strings.Repeat("[", 9000) + strings.Repeat("]", 9000) + "}").str32("").u32(0).seal()

	for name, b := range inputs {
		t.Run(name, func(t *testing.T) {
			modelfile.Decode(b) // warm up pools and lazily built tables
			const runs = 5
			var total uint64
			for range runs {
				_, n, _ := decodeAllocs(b)
				total += n
			}
			got, limit := total/runs, allocLimit(len(b))
			if got > limit {
				t.Errorf("Decode of %d bytes allocated %d bytes, limit %d", len(b), got, limit)
			}
			t.Logf("%d-byte input: %d bytes allocated", len(b), got)
		})
	}
	if _, err := modelfile.Decode(inputs["4096 tiny tensors"]); err != nil {
		t.Errorf("4096 tiny tensors: %v", err)
	}
	if _, err := modelfile.Decode(inputs["nested config"]); err != nil {
		t.Errorf("nested config: %v", err)
	}
}

func TestRead(t *testing.T) {
	b := mustMarshal(t, sampleFile(), modelfile.Float16)
	for _, tc := range []struct {
		name  string
		r     io.Reader
		limit int64
		want  string // error substring, or "" for success
	}{
		{"exact limit", bytes.NewReader(b), int64(len(b)), ""},
		{"no limit", bytes.NewReader(b), math.MaxInt64, ""},
		{"one byte reads", iotest.OneByteReader(bytes.NewReader(b)), int64(len(b)) + 100, ""},
		{"over limit", bytes.NewReader(b), int64(len(b)) - 1, fmt.Sprintf("file larger than limit of %d bytes", len(b)-1)},
		{"zero limit", bytes.NewReader(b), 0, "file larger than limit of 0 bytes"},
		{"read error", iotest.ErrReader(io.ErrUnexpectedEOF), 1 << 20, "modelfile: reading: unexpected EOF"},
		{"not a model", strings.NewReader("hello"), 1 << 20, "bad magic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := modelfile.Read(tc.r, tc.limit)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Read: %v", err)
			case tc.want == "":
				if d := diffFiles(mustDecode(t, b), f); d != "" {
					t.Fatal(d)
				}
			case err == nil || !strings.Contains(err.Error(), tc.want):
				t.Fatalf("Read error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	var fe *modelfile.FormatError
	if _, err := modelfile.Read(bytes.NewReader(b), 10); !errors.As(err, &fe) || fe.Offset != 10 {
		t.Errorf("Read over limit: %v, want a FormatError at offset 10", err)
	}
	if _, err := modelfile.Read(iotest.ErrReader(io.ErrUnexpectedEOF), 10); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("Read does not wrap the reader's error: %v", err)
	}
}

func mustDecode(t testing.TB, b []byte) *modelfile.File {
	t.Helper()
	f, err := modelfile.Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return f
}

func TestErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&modelfile.FormatError{Offset: 12, Reason: "model kind is empty"}, "modelfile: offset 12: model kind is empty"},
		{&modelfile.ChecksumError{Want: 0xdeadbeef, Got: 0x1234}, "modelfile: checksum mismatch, file is corrupt (stored deadbeef, computed 00001234)"},
		{&modelfile.VersionError{Version: 9}, "modelfile: format version 9 is newer than this build reads (1); update latentplay"},
		{modelfile.ErrNotModel, "modelfile: offset 0: not a latentplay model file (bad magic)"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// Int8 keeps each value within half a step of its column's scale.
func TestInt8RoundTrip(t *testing.T) {
	w := []float32{1, -0.5, 100, 0.25, 0, -100, 0.125, 0.3, 0} // 3×3; column 1 spans ±100, column 2 only ±0.3
	f := &modelfile.File{Kind: "ae", Config: json.RawMessage(`{}`), Tensors: []modelfile.Tensor{
		{Name: "w", Shape: []int{3, 3}, Data: w},
		{Name: "zero", Shape: []int{2}, Data: []float32{0, 0}},
	}}
	b, err := modelfile.Marshal(f, modelfile.Int8)
	if err != nil {
		t.Fatal(err)
	}
	back, err := modelfile.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	colMax := []float64{1, 100, 0.3}
	for i, v := range back.Tensors[0].Data {
		step := colMax[i%3] / 127
		if d := math.Abs(float64(v - w[i])); d > step/2+1e-7 {
			t.Errorf("value %d: %v came back as %v (step %.4g)", i, w[i], v, step)
		}
	}
	if back.Tensors[1].Data[0] != 0 || back.Tensors[1].Data[1] != 0 {
		t.Errorf("an all-zero tensor came back as %v", back.Tensors[1].Data)
	}
}

// MarshalLevels with L levels stores each column on a grid of ±L steps,
// reads back as any int8 file, loses no more to rounding than a grid
// spanning the column's largest value would (clipping only where that
// helps), and with 127 levels everywhere is Marshal's int8 byte for byte.
func TestMarshalLevels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const rows, cols = 1000, 5
	w := make([]float32, rows*cols)
	for i := range w {
		w[i] = float32(rng.NormFloat64())
		if i%cols == 1 {
			w[i] *= 0.01 // a column of small weights: its own scale
		}
	}
	w[7*cols+2] = 6 // one outlier, which a coarse grid had better clip
	f := &modelfile.File{Kind: "ae", Config: json.RawMessage(`{}`), Tensors: []modelfile.Tensor{
		{Name: "w", Shape: []int{rows, cols}, Data: w},
		{Name: "b", Shape: []int{cols}, Data: []float32{1, 2, 3, 4, 5}},
	}}

	all127, err := modelfile.MarshalLevels(f, func(string) int { return 127 })
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(all127, mustMarshal(t, f, modelfile.Int8)) {
		t.Error("127 levels everywhere differs from Marshal(f, Int8)")
	}

	const L = 7
	b, err := modelfile.MarshalLevels(f, func(name string) int {
		if name == "b" {
			return 127
		}
		return L
	})
	if err != nil {
		t.Fatal(err)
	}
	back, err := modelfile.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	got := back.Tensors[0].Data
	for j := range cols {
		var top, scale float64
		for i := j; i < len(w); i += cols {
			top = math.Max(top, math.Abs(float64(w[i])))
			if q := math.Abs(float64(got[i])); q > scale {
				scale = q
			}
		}
		// The step is the largest stored magnitude over L at most (the
		// grid's top may go unused); every value sits on the grid.
		var step float64
		for i := j; i < len(w); i += cols {
			if g := math.Abs(float64(got[i])); g > 0 && (step == 0 || g < step) {
				step = g
			}
		}
		var errGrid, errMax float64
		maxStep := top / L
		for i := j; i < len(w); i += cols {
			k := float64(got[i]) / step
			if math.Abs(k-math.Round(k)) > 1e-3 || math.Abs(k) > L+1e-3 {
				t.Fatalf("column %d: %v is not on a grid of ±%d steps of %g", j, got[i], L, step)
			}
			v := float64(w[i])
			errGrid += (v - float64(got[i])) * (v - float64(got[i]))
			q := math.Round(v / maxStep)
			errMax += (v - q*maxStep) * (v - q*maxStep)
		}
		if errGrid > errMax*(1+1e-6) {
			t.Errorf("column %d: squared error %g, more than the %g of a grid up to its largest value", j, errGrid, errMax)
		}
		if j == 2 && scale > 0.9*top {
			t.Errorf("column 2 kept its outlier %v at %v: want it clipped", top, scale)
		}
	}
	if !slices.Equal(back.Tensors[1].Data, []float32{1, 2, 3, 4, 5}) {
		t.Errorf("the tensor kept at 127 levels came back as %v", back.Tensors[1].Data)
	}

	for _, bad := range []int{0, 128, -1} {
		if _, err := modelfile.MarshalLevels(f, func(string) int { return bad }); err == nil {
			t.Errorf("%d levels: no error", bad)
		}
	}
}
