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
	return marshal(f, s, func(string) int { return maxLevels })
}

// maxLevels is the int8 storage's widest grid: −127..127 steps of a
// column's scale.
const maxLevels = 127

// MarshalLevels returns f encoded with Int8 storage whose values use only
// the steps −L..L of each column's scale, where L = levels(tensor's name),
// 1..127; a levels that is 127 for every tensor is Marshal(f, Int8). The
// file reads as any int8 file does. With fewer steps each value carries
// less information, which the site's brotli encoding turns into fewer
// bytes: 31 steps either side (6 bits) take about 70% of what 127 take
// over the wire, 15 steps about 55%.
func MarshalLevels(f *File, levels func(tensor string) int) ([]byte, error) {
	for _, t := range f.Tensors {
		if l := levels(t.Name); l < 1 || l > maxLevels {
			return nil, fmt.Errorf("modelfile: tensor %q: %d levels, want 1..%d", t.Name, l, maxLevels)
		}
	}
	return marshal(f, Int8, levels)
}

func marshal(f *File, s Storage, levels func(tensor string) int) ([]byte, error) {
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
			b = appendInt8(b, t.Data, t.Shape[len(t.Shape)-1], levels(t.Name))
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
// round(v/scale[col]) in −levels..levels. With all 127 levels a column's
// scale is max|v| / 127. With fewer, each column's scale is the one of
// clipScales that makes its values' squared rounding error least: on a
// coarse grid a few large weights are better clipped than allowed to
// widen every step of their column.
func appendInt8(b []byte, data []float32, cols, levels int) []byte {
	scales := make([]float32, cols)
	for i, v := range data {
		scales[i%cols] = max(scales[i%cols], float32(math.Abs(float64(v))))
	}
	l := float64(levels)
	for j := range scales {
		top := scales[j]
		scales[j] = top / float32(levels)
		if levels < maxLevels && top > 0 {
			best := math.Inf(1)
			for _, r := range clipScales {
				sc := float64(top) * r / l
				var e float64
				for i := j; i < len(data); i += cols {
					v := float64(data[i])
					q := math.Max(-l, math.Min(l, math.Round(v/sc)))
					e += (v - q*sc) * (v - q*sc)
				}
				if e < best {
					best, scales[j] = e, float32(sc)
				}
			}
		}
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(scales[j]))
	}
	for i, v := range data {
		q := 0.0
		if sc := scales[i%cols]; sc > 0 {
			q = math.Max(-l, math.Min(l, math.Round(float64(v/sc))))
		}
		b = append(b, byte(int8(q)))
	}
	return b
}

// clipScales are the fractions of a column's largest |v| that appendInt8
// tries as the top of its grid when it has fewer than 127 levels.
var clipScales = func() []float64 {
	var r []float64
	for f := 1.0; f >= 0.3; f -= 0.02 {
		r = append(r, f)
	}
	return r
}()
