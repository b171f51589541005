package modelfile_test

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"latentplay/core/modelfile"
)

// refHalf is the value of half h computed from the IEEE 754 definition,
// independently of FromFloat16.
func refHalf(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	mant := float64(h & 0x3ff)
	switch exp {
	case 0x1f:
		if mant != 0 {
			return math.NaN()
		}
		return sign * math.Inf(1)
	case 0:
		return sign * math.Ldexp(mant, -24)
	}
	return sign * math.Ldexp(1+mant/1024, exp-15)
}

// refToHalf rounds x to the nearest half by searching all of them, ties to
// the even bit pattern. For rounding, Inf counts as 65536, the next value
// after 65504 were the exponent unbounded; that is IEEE 754's overflow rule.
func refToHalf(x float32) uint16 {
	var sign uint16
	v := float64(x)
	if math.Signbit(v) {
		sign, v = 0x8000, -v
	}
	val := func(h int) float64 {
		if h == 0x7c00 {
			return 65536
		}
		return refHalf(uint16(h))
	}
	if v >= 65536 {
		return sign | 0x7c00
	}
	// Non-negative finite halves increase with their bit patterns.
	h := sort.Search(0x7c01, func(i int) bool { return val(i) > v }) - 1
	lo, hi := v-val(h), val(h+1)-v
	if hi < lo || (hi == lo && h%2 == 1) {
		h++
	}
	return sign | uint16(h)
}

func isHalfNaN(h uint16) bool { return h&0x7c00 == 0x7c00 && h&0x3ff != 0 }

func TestFromFloat16AllPatterns(t *testing.T) {
	for i := range 1 << 16 {
		h := uint16(i)
		got, want := float64(modelfile.FromFloat16(h)), refHalf(h)
		if isHalfNaN(h) {
			if !math.IsNaN(got) {
				t.Errorf("FromFloat16(%#04x) = %g, want NaN", h, got)
			}
			continue
		}
		if got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("FromFloat16(%#04x) = %g, want %g", h, got, want)
		}
		if back := modelfile.ToFloat16(float32(got)); back != h {
			t.Errorf("ToFloat16(FromFloat16(%#04x)) = %#04x", h, back)
		}
	}
}

// TestToFloat16Ties checks every midpoint between neighbouring halves, and
// the float32 values just either side of it.
func TestToFloat16Ties(t *testing.T) {
	for h := 0; h < 0x7c00; h++ {
		lo, hi := refHalf(uint16(h)), 65536.0
		if h+1 < 0x7c00 {
			hi = refHalf(uint16(h + 1))
		}
		mid := float32((lo + hi) / 2) // exact: halves have 11 significant bits
		even := uint16(h)
		if h%2 == 1 {
			even++
		}
		below := math.Nextafter32(mid, 0)
		above := math.Nextafter32(mid, math.MaxFloat32)
		for _, sign := range []uint16{0, 0x8000} {
			neg := func(x float32) float32 {
				if sign != 0 {
					return -x
				}
				return x
			}
			for _, c := range []struct {
				x    float32
				want uint16
			}{{mid, even}, {below, uint16(h)}, {above, uint16(h + 1)}} {
				if got := modelfile.ToFloat16(neg(c.x)); got != sign|c.want {
					t.Fatalf("ToFloat16(%g) = %#04x, want %#04x", neg(c.x), got, sign|c.want)
				}
			}
		}
	}
}

func TestToFloat16Cases(t *testing.T) {
	for _, tc := range []struct {
		x    float32
		want uint16
	}{
		{0, 0x0000},
		{negZero, 0x8000},
		{1, 0x3c00},
		{-2, 0xc000},
		{1 + 1.0/(1<<11), 0x3c00}, // tie between 0x3c00 and 0x3c01: even
		{1 + 3.0/(1<<11), 0x3c02}, // tie between 0x3c01 and 0x3c02: even
		{65504, 0x7bff},           // largest finite half
		{65519.996, 0x7bff},       // just under the overflow tie
		{65520, 0x7c00},           // overflow tie rounds to Inf
		{1e10, 0x7c00},            // overflow
		{-1e10, 0xfc00},           // negative overflow
		{1.0 / (1 << 14), 0x0400}, // smallest normal
		{1.0 / (1 << 24), 0x0001}, // smallest subnormal
		{1.0 / (1 << 25), 0x0000}, // tie between 0 and the smallest subnormal
		{3.0 / (1 << 25), 0x0002}, // tie between subnormals 1 and 2
		{1.5 / (1 << 25), 0x0001}, // above the tie
		{1e-30, 0x0000},           // underflow
		{-1e-45, 0x8000},          // float32 subnormal
		{0.1, 0x2e66},             // 0.0999755859375
		{float32(math.Inf(1)), 0x7c00},
		{float32(math.Inf(-1)), 0xfc00},
	} {
		if got := modelfile.ToFloat16(tc.x); got != tc.want {
			t.Errorf("ToFloat16(%g) = %#04x, want %#04x", tc.x, got, tc.want)
		}
	}
	for _, x := range []float32{float32(math.NaN()), -float32(math.NaN())} {
		if h := modelfile.ToFloat16(x); !isHalfNaN(h) || h&0x8000 != uint16(math.Float32bits(x)>>16)&0x8000 {
			t.Errorf("ToFloat16(%g) = %#04x, want a NaN of the same sign", x, h)
		}
	}
}

// TestToFloat16Random compares against the brute-force reference on random
// float32 values, most of them within or near the range of halves.
func TestToFloat16Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	for range n {
		// Exponents 127±30 cover subnormal halves through overflow.
		bits := rng.Uint32()&0x807fffff | uint32(97+rng.IntN(60))<<23
		if rng.IntN(10) == 0 {
			bits = rng.Uint32()
		}
		x := math.Float32frombits(bits)
		if x != x {
			continue
		}
		if got, want := modelfile.ToFloat16(x), refToHalf(x); got != want {
			t.Fatalf("ToFloat16(%g) = %#04x, want %#04x", x, got, want)
		}
	}
}
