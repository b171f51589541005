package modelfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// Encode writes f with the tensors' values stored as s. It validates f with
// the same rules Decode applies, so whatever it writes can be read back; on
// an error nothing is written. It panics if a tensor's data length does not
// match its shape, or if s is not a known Storage.
func Encode(w io.Writer, f *File, s Storage) error {
	b, err := Marshal(f, s)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Marshal returns f encoded with the tensors' values stored as s; see
// Encode.
func Marshal(f *File, s Storage) ([]byte, error) {
	if s.size() == 0 {
		panic(fmt.Sprintf("modelfile: unknown storage %d", s))
	}
	size, err := check(f, s)
	if err != nil {
		return nil, err
	}

	b := make([]byte, 0, size)
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint16(b, formatVersion)
	b = binary.LittleEndian.AppendUint16(b, 0) // flags
	b = binary.LittleEndian.AppendUint16(b, uint16(len(f.Kind)))
	b = append(b, f.Kind...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(f.Config)))
	b = append(b, f.Config...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(f.Meta)))
	b = append(b, f.Meta...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(f.Tensors)))
	for _, t := range f.Tensors {
		b = binary.LittleEndian.AppendUint16(b, uint16(len(t.Name)))
		b = append(b, t.Name...)
		b = append(b, byte(s), byte(len(t.Shape)))
		for _, d := range t.Shape {
			b = binary.LittleEndian.AppendUint32(b, uint32(d))
		}
		switch s {
		case Int8:
			b = appendInt8(b, t.Data, t.Shape[len(t.Shape)-1])
		case Float16:
			for _, v := range t.Data {
				b = binary.LittleEndian.AppendUint16(b, ToFloat16(v))
			}
		default:
			for _, v := range t.Data {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
			}
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, castagnoli)), nil
}

// check validates f for encoding as s and returns the encoded size.
func check(f *File, s Storage) (int, error) {
	fail := func(reason string) (int, error) {
		return 0, errors.New("modelfile: cannot encode: " + reason)
	}
	if r := checkKind(f.Kind); r != "" {
		return fail(r)
	}
	if r := checkObject(f.Config, "config", false); r != "" {
		return fail(r)
	}
	if r := checkObject(f.Meta, "meta", true); r != "" {
		return fail(r)
	}
	if int64(len(f.Config)) > math.MaxUint32 || int64(len(f.Meta)) > math.MaxUint32 {
		return fail("config or meta longer than 4 GiB")
	}
	if len(f.Tensors) > maxTensors {
		return fail(fmt.Sprintf("%d tensors, limit %d", len(f.Tensors), maxTensors))
	}

	size := minSize + len(f.Kind) + len(f.Config) + len(f.Meta)
	seen := make(map[string]bool, len(f.Tensors))
	for _, t := range f.Tensors {
		if r := checkName(t.Name); r != "" {
			return fail(r)
		}
		if seen[t.Name] {
			return fail(fmt.Sprintf("duplicate tensor name %q", t.Name))
		}
		seen[t.Name] = true
		n, r := checkShape(t.Name, t.Shape)
		if r != "" {
			return fail(r)
		}
		if len(t.Data) != n {
			panic(fmt.Sprintf("modelfile: tensor %q has %d values but shape %v needs %d", t.Name, len(t.Data), t.Shape, n))
		}
		for i, v := range t.Data {
			x := float64(v)
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fail(nonFinite(t.Name, x, i))
			}
			if s == Float16 && math.Abs(x) > maxHalfFinite {
				return fail(fmt.Sprintf("tensor %q holds %g at index %d, outside the float16 range ±%d; store as Float32",
					t.Name, v, i, maxHalfFinite))
			}
		}
		size += 2 + len(t.Name) + 2 + 4*len(t.Shape) + s.dataBytes(n, t.Shape[len(t.Shape)-1])
	}
	return size, nil
}

// appendInt8 appends the column scales, then each value as
// round(v/scale[col]) in −127..127.
func appendInt8(b []byte, data []float32, cols int) []byte {
	scales := make([]float32, cols)
	for i, v := range data {
		scales[i%cols] = max(scales[i%cols], float32(math.Abs(float64(v))))
	}
	for j := range scales {
		scales[j] /= 127
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(scales[j]))
	}
	for i, v := range data {
		q := 0.0
		if sc := scales[i%cols]; sc > 0 {
			q = math.Max(-127, math.Min(127, math.Round(float64(v/sc))))
		}
		b = append(b, byte(int8(q)))
	}
	return b
}
