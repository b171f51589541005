package modelfile

import "math"

// ToFloat16 converts f to IEEE 754 half precision, rounding to nearest with
// ties to even. Values too large for a half become ±Inf, values too small
// become ±0, and NaN stays NaN (quiet, sign kept).
func ToFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	mant := b & 0x7fffff

	if exp == 0xff {
		if mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}

	e := exp - 127 + 15 // exponent rebiased for half precision
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		// Half subnormal: the value is m × 2^-24 with m = sig >> shift,
		// where sig is the float32 significand with its implicit bit.
		// Float32 subnormals land here too, with a huge shift.
		shift := uint(14 - e)
		if shift > 24 {
			return sign // below half the smallest subnormal
		}
		return sign | uint16(roundShift(mant|0x800000, shift))
	}
	// Normal: keep 10 of the 23 mantissa bits. A carry out of the mantissa
	// correctly bumps the exponent, up to Inf.
	return sign | uint16(roundShift(uint32(e)<<23|mant, 13))
}

// roundShift returns x >> shift rounded to nearest, ties to even.
func roundShift(x uint32, shift uint) uint32 {
	q := x >> shift
	rem := x & (1<<shift - 1)
	half := uint32(1) << (shift - 1)
	if rem > half || (rem == half && q&1 == 1) {
		q++
	}
	return q
}

// FromFloat16 converts the half-precision value h to float32; every half,
// including subnormals, is exactly representable.
func FromFloat16(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch exp {
	case 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case 0: // zero or subnormal: mant × 2^-24, exact in float32
		v := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}
