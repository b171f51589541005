package nn

import "math"

// Exp32 is e^x in float32 arithmetic, within 2 ulp of math.Exp rounded to
// float32. Go's math.Exp is float64 and, compiled to WebAssembly, costs
// ~38 ns a call: the sigmoid over a decoder's 784 outputs took a fifth of
// the playground's rebuild of a drawing. This is Cephes' expf: x = n·ln 2 + r
// with |r| ≤ ln 2 / 2, a degree-6 polynomial for e^r, and 2^n put into the
// exponent bits. (math.Exp stays the oracle in the tests.)
func Exp32(x float32) float32 {
	switch {
	case x != x: // NaN
		return x
	case x > 88.72283:
		return float32(math.Inf(1))
	case x < -103.97208:
		return 0
	}
	y, k := expSplit(x)
	// y·2^n, in two steps when 2^n alone is not a normal float32.
	if k < -125 {
		y *= math.Float32frombits(uint32(k+127+60) << 23)
		return y * math.Float32frombits(uint32(127-60)<<23)
	}
	if k > 127 {
		return y * 2 * math.Float32frombits(uint32(k-1+127)<<23)
	}
	return y * math.Float32frombits(uint32(k+127)<<23)
}

// Cephes' expf: x = n·ln 2 + r, ln 2 split in two for an exact n·ln 2, and
// a degree-6 polynomial for e^r; shared by the scalar and the SIMD loops.
const (
	log2e  = 1.44269504088896341
	ln2Hi  = 0.693359375
	ln2Lo  = -2.12194440e-4
	expP0  = 1.9875691500e-4
	expP1  = 1.3981999507e-3
	expP2  = 8.3334519073e-3
	expP3  = 4.1665795894e-2
	expP4  = 1.6666665459e-1
	expP5  = 5.0000001201e-1
	sqrt2m = 0.41421356 // √2 − 1, where Log1p32 halves its argument
)

// Cephes' logf polynomial for log(1+f), f in [√½−1, √2−1], highest power
// first; shared by Log1p32 and the SIMD loss.
var log1pP = [9]float32{
	7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
	-1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
}

// expSplit returns e^x as y·2^k, with y = e^r for x = k·ln 2 + r and
// |r| ≤ ln 2 / 2: Cephes' range reduction and degree-6 polynomial. Small
// enough to be inlined into Sigmoids' loop.
func expSplit(x float32) (y float32, k int32) {
	t := x * log2e // k = round(t), half away from zero (math.Floor is slow under wasm)
	if t >= 0 {
		t += 0.5
	} else {
		t -= 0.5
	}
	k = int32(t)
	n := float32(k)
	r := x - n*ln2Hi - n*ln2Lo
	p := ((((expP0*r+expP1)*r+expP2)*r+expP3)*r+expP4)*r + expP5
	return p*r*r + r + 1, k
}

// sigmoids sets dst[i] = σ(src[i]) = 1/(1+e^−src[i]), with Exp32's expSplit
// inlined into the loop: a call per element costs more than the
// arithmetic under wasm (6 ns an element against 36 for Sigmoid.F). Inputs
// are clamped to ±88, where σ is 1 or below 10⁻³⁸ anyway, so 2^n is always
// a normal float32. Sigmoids runs it, four at a time where SIMD is built in.
func sigmoids(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		x = -x // e^−x
		// Branches, not min and max, which must honour NaN and are slow
		// under wasm; a NaN passes both tests and comes out NaN.
		if x > 88 {
			x = 88
		} else if x < -88 {
			x = -88
		}
		y, k := expSplit(x)
		e := y * math.Float32frombits(uint32(k+127)<<23)
		dst[i] = 1 / (1 + e)
	}
}

// Log1p32 is log(1+u) in float32 arithmetic for u in [0, 1], the range
// the logistic loss needs (u = e^−|z|); Cephes' logf polynomial. Within
// 2 ulp of math.Log1p rounded to float32 on that range. Outside it, it
// falls back to math.Log1p.
func Log1p32(u float32) float32 {
	if !(u >= 0 && u <= 1) {
		return float32(math.Log1p(float64(u)))
	}
	// log(1+u) = e·ln 2 + log(1+f), with 1+f in [√½, √2).
	f, e := u, float32(0)
	if u > sqrt2m {
		f, e = (u-1)*0.5, 1
	}
	z := f * f
	y := log1pP[0]
	for _, c := range log1pP[1:] {
		y = y*f + c
	}
	y = y * f * z
	y += ln2Lo * e
	y += -0.5 * z
	return f + y + ln2Hi*e
}
