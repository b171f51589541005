package modelfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"
)

// Read reads a whole model file of at most limit bytes from r and decodes
// it. The limit keeps an oversized upload or import from exhausting memory
// before Decode can reject it.
func Read(r io.Reader, limit int64) (*File, error) {
	if limit < 0 {
		panic("modelfile: negative read limit")
	}
	lr := r
	if limit < math.MaxInt64 {
		lr = io.LimitReader(r, limit+1) // one extra byte detects an oversized file
	}
	b, err := io.ReadAll(lr)
	if err != nil {
		return nil, fmt.Errorf("modelfile: reading: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, &FormatError{Offset: int(limit), Reason: fmt.Sprintf("file larger than limit of %d bytes", limit)}
	}
	return Decode(b)
}

// Decode parses a whole file held in memory. Any input gives a *File or an
// error (ErrNotModel or another *FormatError, a *ChecksumError or a
// *VersionError), never a panic, and Decode never allocates more than a
// small constant times len(b) plus a constant. The returned File does not
// share memory with b.
func Decode(b []byte) (*File, error) { return decode(b, true) }

// Scan checks b exactly as Decode does (magic, version, checksum, every
// length, name and shape, every value finite) and returns the same error,
// or the same File except that its tensors hold no Data. It allocates only
// the kind, config, meta, names and shapes, nothing in proportion to the
// tensors' values: it is for asking whether a file would load (the share
// API asks it of every upload) without holding its weights.
func Scan(b []byte) (*File, error) { return decode(b, false) }

// decode is Decode, keeping the tensors' values if values is set, and Scan.
func decode(b []byte, values bool) (*File, error) {
	n := min(len(b), len(magic))
	if string(b[:n]) != magic[:n] {
		return nil, ErrNotModel
	}
	if len(b) < headerSize {
		return nil, &FormatError{Offset: len(b), Reason: fmt.Sprintf("truncated header: file is %d bytes", len(b))}
	}
	switch v := binary.LittleEndian.Uint16(b[8:]); {
	case v > formatVersion:
		return nil, &VersionError{Version: v}
	case v == 0:
		return nil, &FormatError{Offset: 8, Reason: "format version 0 is invalid"}
	}
	if len(b) < minSize {
		return nil, &FormatError{Offset: len(b), Reason: fmt.Sprintf("truncated: file is %d bytes, too short for a model file", len(b))}
	}
	body := b[:len(b)-crcSize]
	want := binary.LittleEndian.Uint32(b[len(body):])
	if got := crc32.Checksum(body, castagnoli); got != want {
		return nil, &ChecksumError{Want: want, Got: got}
	}
	if flags := binary.LittleEndian.Uint16(b[10:]); flags != 0 {
		return nil, &FormatError{Offset: 10, Reason: fmt.Sprintf("reserved flags %#04x are set", flags)}
	}
	p := parser{b: body, off: headerSize, values: values}
	return p.file()
}

// parser walks the body of a file whose header and checksum are already
// checked. Offsets in its errors count from the start of the file.
type parser struct {
	b      []byte // the file without its checksum
	off    int
	values bool // keep each tensor's values (Decode), or only check them (Scan)
}

func (p *parser) errorf(off int, format string, args ...any) *FormatError {
	return &FormatError{Offset: off, Reason: fmt.Sprintf(format, args...)}
}

// take returns the next n bytes, or false if fewer remain. It is the only
// way the parser consumes input, so every length is checked against the
// remaining bytes before anything sized by it is allocated.
func (p *parser) take(n int) ([]byte, bool) {
	if n < 0 || n > len(p.b)-p.off {
		return nil, false
	}
	s := p.b[p.off : p.off+n]
	p.off += n
	return s, true
}

// short reports that what, n bytes long, runs past the end of the file.
func (p *parser) short(n uint64, what string) *FormatError {
	return p.errorf(p.off, "truncated: %d bytes needed for %s, %d left", n, what, len(p.b)-p.off)
}

func (p *parser) uint8(what string) (uint8, error) {
	s, ok := p.take(1)
	if !ok {
		return 0, p.short(1, what)
	}
	return s[0], nil
}

func (p *parser) uint16(what string) (uint16, error) {
	s, ok := p.take(2)
	if !ok {
		return 0, p.short(2, what)
	}
	return binary.LittleEndian.Uint16(s), nil
}

func (p *parser) uint32(what string) (uint32, error) {
	s, ok := p.take(4)
	if !ok {
		return 0, p.short(4, what)
	}
	return binary.LittleEndian.Uint32(s), nil
}

// prefixed reads a length-prefixed byte string whose prefix has width bytes.
func (p *parser) prefixed(width int, what string) ([]byte, error) {
	var n uint64
	if width == 2 {
		v, err := p.uint16(what + " length")
		n = uint64(v)
		if err != nil {
			return nil, err
		}
	} else {
		v, err := p.uint32(what + " length")
		n = uint64(v)
		if err != nil {
			return nil, err
		}
	}
	if n > uint64(len(p.b)-p.off) {
		return nil, p.short(n, what)
	}
	s, _ := p.take(int(n))
	return s, nil
}

func (p *parser) file() (*File, error) {
	f := new(File)

	off := p.off
	kind, err := p.prefixed(2, "kind")
	if err != nil {
		return nil, err
	}
	f.Kind = string(kind)
	if r := checkKind(f.Kind); r != "" {
		return nil, p.errorf(off, "%s", r)
	}

	if f.Config, err = p.object("config", false); err != nil {
		return nil, err
	}
	if f.Meta, err = p.object("meta", true); err != nil {
		return nil, err
	}

	off = p.off
	count, err := p.uint32("tensor count")
	if err != nil {
		return nil, err
	}
	if count > maxTensors {
		return nil, p.errorf(off, "%d tensors, limit %d", count, maxTensors)
	}
	if need := int(count) * minTensorSize; need > len(p.b)-p.off {
		return nil, p.short(uint64(need), fmt.Sprintf("%d tensors", count))
	}

	f.Tensors = make([]Tensor, 0, count)
	seen := make(map[string]bool)
	for range count {
		off := p.off
		t, err := p.tensor()
		if err != nil {
			return nil, err
		}
		if seen[t.Name] {
			return nil, p.errorf(off, "duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		f.Tensors = append(f.Tensors, t)
	}

	if extra := len(p.b) - p.off; extra > 0 {
		return nil, p.errorf(p.off, "%d byte(s) of trailing data after the last tensor", extra)
	}
	return f, nil
}

// object reads a length-prefixed JSON object and returns a copy of it; an
// empty one (allowed if emptyOK) is returned as nil.
func (p *parser) object(what string, emptyOK bool) ([]byte, error) {
	off := p.off
	raw, err := p.prefixed(4, what)
	if err != nil {
		return nil, err
	}
	if r := checkObject(raw, what, emptyOK); r != "" {
		return nil, p.errorf(off, "%s", r)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	return bytes.Clone(raw), nil
}

func (p *parser) tensor() (Tensor, error) {
	var t Tensor
	off := p.off
	name, err := p.prefixed(2, "tensor name")
	if err != nil {
		return t, err
	}
	t.Name = string(name)
	if r := checkName(t.Name); r != "" {
		return t, p.errorf(off, "%s", r)
	}

	off = p.off
	st, err := p.uint8("storage")
	if err != nil {
		return t, err
	}
	size := Storage(st).size()
	if size == 0 {
		return t, p.errorf(off, "tensor %q has unknown storage %d", t.Name, st)
	}

	off = p.off
	rank, err := p.uint8("rank")
	if err != nil {
		return t, err
	}
	if rank < 1 || rank > maxRank {
		return t, p.errorf(off, "tensor %q has rank %d, want 1..%d", t.Name, rank, maxRank)
	}
	off = p.off
	dims, ok := p.take(4 * int(rank))
	if !ok {
		return t, p.short(4*uint64(rank), "tensor "+strconv.Quote(t.Name)+" dimensions")
	}
	t.Shape = make([]int, rank)
	for i := range t.Shape {
		t.Shape[i] = int(binary.LittleEndian.Uint32(dims[4*i:]))
	}
	n, r := checkShape(t.Name, t.Shape)
	if r != "" {
		return t, p.errorf(off, "%s", r)
	}

	off = p.off
	cols := t.Shape[len(t.Shape)-1]
	want := Storage(st).dataBytes(n, cols)
	raw, ok := p.take(want)
	if !ok {
		return t, p.short(uint64(want), "tensor "+strconv.Quote(t.Name)+" data")
	}
	var scales []byte // int8: each column's float32 scale, read in place
	if Storage(st) == Int8 {
		scales, raw = raw[:4*cols], raw[4*cols:]
		for j := range cols {
			if sc := scaleAt(scales, j); !(sc >= 0) || math.IsInf(float64(sc), 0) {
				return t, p.errorf(off+4*j, "tensor %q has column scale %v, want a finite number ≥ 0", t.Name, sc)
			}
		}
		off += 4 * cols
	}
	if p.values {
		t.Data = make([]float32, n)
	}
	if Storage(st) == Int8 && int8Finite(scales) {
		// No value of an int8 tensor whose scales are all below
		// MaxFloat32/128 can overflow: row by row, without the checks.
		if t.Data != nil {
			sc := make([]float32, cols)
			for j := range sc {
				sc[j] = scaleAt(scales, j)
			}
			for r := 0; r < n; r += cols {
				row, out := raw[r:r+cols], t.Data[r:r+cols]
				for j, q := range row {
					out[j] = float32(int8(q)) * sc[j]
				}
			}
		}
		return t, nil
	}
	for i := range n {
		var v float32
		switch size {
		case 1:
			v = float32(int8(raw[i])) * scaleAt(scales, i%cols)
		case 2:
			v = FromFloat16(binary.LittleEndian.Uint16(raw[2*i:]))
		default:
			v = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		if x := float64(v); math.IsNaN(x) || math.IsInf(x, 0) {
			return t, p.errorf(off+i*size, "%s", nonFinite(t.Name, x, i))
		}
		if t.Data != nil {
			t.Data[i] = v
		}
	}
	return t, nil
}

// int8Finite reports whether every value of an int8 tensor with these
// scales is finite: whether 128·scale is, for every column.
func int8Finite(scales []byte) bool {
	for j := range len(scales) / 4 {
		if math.IsInf(float64(scaleAt(scales, j)*128), 0) {
			return false
		}
	}
	return true
}

// scaleAt is column j's scale in an int8 tensor's scales.
func scaleAt(scales []byte, j int) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(scales[4*j:]))
}
