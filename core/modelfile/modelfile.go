package modelfile

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"
	"unicode/utf8"
)

// Storage is how tensor values are stored on disk.
type Storage uint8

const (
	Float32 Storage = 1
	Float16 Storage = 2 // IEEE 754 half precision, round-to-nearest-even; halves the file
	// Int8 stores one signed byte per value and one float32 scale per
	// column (index along the last dimension): v = q·scale[col], with
	// scale = max|v| over the column / 127. A column is one output unit's
	// weights, whose range a shared scale fits far better than one for the
	// whole tensor (measured on vae-20: +0.06 nats, against +1.7 per tensor).
	// It quarters the file.
	Int8 Storage = 3
)

// size is the number of bytes one value takes on disk, or 0 for an unknown
// storage.
func (s Storage) size() int {
	switch s {
	case Float32:
		return 4
	case Float16:
		return 2
	case Int8:
		return 1
	}
	return 0
}

// dataBytes is the size on disk of n values whose last dimension is cols.
func (s Storage) dataBytes(n, cols int) int {
	b := n * s.size()
	if s == Int8 {
		b += 4 * cols
	}
	return b
}

// Tensor is one named array of float32 values, row-major.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// File is a whole model: its kind (e.g. "mlp", "vae", "cvae", "ae",
// "linear-ae", "perceptron"), its hyperparameters as a JSON object (the model
// package's Config struct marshalled), free-form metadata (eval figures,
// seed, training time) as a JSON object, and its tensors in order.
type File struct {
	Kind    string
	Config  json.RawMessage // must be a JSON object, starting with '{'
	Meta    json.RawMessage // JSON object, or empty for none
	Tensors []Tensor
}

// Tensor returns the tensor called name, so loaders can pick weights by name
// instead of relying on their order.
func (f *File) Tensor(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

// Limits of the format. They bound what a hostile file can make Decode do.
const (
	formatVersion = 1 // the version this build writes and reads

	maxKindLen    = 64
	maxNameLen    = 128
	maxRank       = 4
	maxValues     = 64 << 20 // values in one tensor
	maxTensors    = 4096
	maxHalfFinite = 65504 // largest finite float16
)

const (
	magic      = "LATENTPL"
	headerSize = len(magic) + 2 + 2 // magic, version, flags
	crcSize    = 4
	// minSize is the length of a file with every field empty; anything
	// shorter is truncated.
	minSize = headerSize + 2 + 4 + 4 + 4 + crcSize
	// minTensorSize is the smallest possible encoded tensor: a one-byte name,
	// rank 1, one float16 value. It bounds how many tensors the remaining
	// bytes can hold before the tensor slice is allocated.
	minTensorSize = 2 + 1 + 1 + 1 + 4 + 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// FormatError reports malformed or invalid data at a byte offset of the
// file.
type FormatError struct {
	Offset int
	Reason string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("modelfile: offset %d: %s", e.Offset, e.Reason)
}

// ErrNotModel is returned (as this very value) by Decode for input that
// does not start with the magic: the user picked the wrong file.
var ErrNotModel error = &FormatError{Offset: 0, Reason: "not a latentplay model file (bad magic)"}

// ChecksumError reports that the stored checksum does not match the
// contents: the file is corrupt (truncated download, damaged disk).
type ChecksumError struct {
	Want uint32 // stored in the file
	Got  uint32 // computed from the contents
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("modelfile: checksum mismatch, file is corrupt (stored %08x, computed %08x)", e.Want, e.Got)
}

// VersionError reports a file written by a newer latentplay, so the user
// knows to update rather than suspecting the file.
type VersionError struct {
	Version uint16
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("modelfile: format version %d is newer than this build reads (%d); update latentplay", e.Version, formatVersion)
}

// The check functions below are shared by Encode and Decode so that what
// one writes the other accepts. Each returns why its input is unacceptable,
// or "" if it is fine.

func checkKind(kind string) string {
	switch {
	case kind == "":
		return "model kind is empty"
	case len(kind) > maxKindLen:
		return fmt.Sprintf("model kind is %d bytes long, limit %d", len(kind), maxKindLen)
	case !printable(kind):
		return fmt.Sprintf("model kind %q is not printable text", kind)
	}
	return ""
}

func checkName(name string) string {
	switch {
	case name == "":
		return "tensor name is empty"
	case len(name) > maxNameLen:
		return fmt.Sprintf("tensor name is %d bytes long, limit %d", len(name), maxNameLen)
	case !printable(name):
		return fmt.Sprintf("tensor name %q is not printable text", name)
	}
	return ""
}

// printable reports whether s is valid UTF-8 made only of printable runes;
// kinds and names end up in the UI and in error messages.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// checkObject checks that raw is a JSON object; what names the field.
func checkObject(raw []byte, what string, emptyOK bool) string {
	switch {
	case len(raw) == 0 && emptyOK:
		return ""
	case len(raw) == 0 || raw[0] != '{':
		return what + " is not a JSON object"
	case !json.Valid(raw):
		return what + " is not valid JSON"
	}
	return ""
}

// checkShape returns the number of values a tensor of this shape holds.
func checkShape(name string, shape []int) (int, string) {
	if len(shape) < 1 || len(shape) > maxRank {
		return 0, fmt.Sprintf("tensor %q has rank %d, want 1..%d", name, len(shape), maxRank)
	}
	n := 1
	for i, d := range shape {
		if d < 1 {
			return 0, fmt.Sprintf("tensor %q dimension %d is %d, want ≥ 1", name, i, d)
		}
		if d > maxValues/n {
			return 0, fmt.Sprintf("tensor %q shape %v holds more than %d values", name, shape, maxValues)
		}
		n *= d
	}
	return n, ""
}

func nonFinite(name string, v float64, i int) string {
	what := "NaN"
	if math.IsInf(v, 1) {
		what = "+Inf"
	} else if math.IsInf(v, -1) {
		what = "-Inf"
	}
	return fmt.Sprintf("tensor %q holds %s at index %d", name, what, i)
}
