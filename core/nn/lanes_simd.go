//go:build wasm && goexperiment.simd && go1.27

package nn

import "simd/archsimd"

// The element-wise loops on WebAssembly's 128-bit SIMD, built by `make`
// (GOEXPERIMENT=simd, Go 1.27); lanes.go's scalar forms stay the reference.

// Sigmoids sets dst[i] = σ(src[i]) for every i: sigmoids' arithmetic on
// four lanes at once (WebAssembly SIMD), 2^n built in the exponent bits of
// each lane. f32x4.min and max keep a NaN, so a NaN comes out NaN.
func Sigmoids(dst, src []float32) {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375
		ln2Lo = -2.12194440e-4
	)
	dst = dst[:len(src)]
	var (
		lo, hi     = archsimd.BroadcastFloat32x4(-88), archsimd.BroadcastFloat32x4(88)
		one        = archsimd.BroadcastFloat32x4(1)
		vLog2e     = archsimd.BroadcastFloat32x4(log2e)
		vLn2Hi     = archsimd.BroadcastFloat32x4(ln2Hi)
		vLn2Lo     = archsimd.BroadcastFloat32x4(ln2Lo)
		p0, p1, p2 = archsimd.BroadcastFloat32x4(1.9875691500e-4), archsimd.BroadcastFloat32x4(1.3981999507e-3), archsimd.BroadcastFloat32x4(8.3334519073e-3)
		p3, p4, p5 = archsimd.BroadcastFloat32x4(4.1665795894e-2), archsimd.BroadcastFloat32x4(1.6666665459e-1), archsimd.BroadcastFloat32x4(5.0000001201e-1)
		bias       = archsimd.BroadcastInt32x4(127)
	)
	i := 0
	for ; i+4 <= len(src); i += 4 {
		x := archsimd.LoadFloat32x4(src[i:]).Neg().Max(lo).Min(hi) // −x, clamped
		n := x.Mul(vLog2e).Round()
		r := x.Sub(n.Mul(vLn2Hi)).Sub(n.Mul(vLn2Lo))
		p := p0.Mul(r).Add(p1).Mul(r).Add(p2).Mul(r).Add(p3).Mul(r).Add(p4).Mul(r).Add(p5)
		y := p.Mul(r).Mul(r).Add(r).Add(one)
		scale := n.ConvertToInt32().Add(bias).ShiftAllLeft(23).ToBits().BitsToFloat32()
		one.Div(one.Add(y.Mul(scale))).Store(dst[i:])
	}
	sigmoids(dst[i:], src[i:])
}

// adamUpdate is adamScalar on four lanes at once; every operation is
// IEEE-rounded in both, so the weights come out the same.
func adamUpdate(w, g, m, v []float32, b1, b2, c1, c2, lr, eps float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	var (
		vb1, vb2  = archsimd.BroadcastFloat32x4(b1), archsimd.BroadcastFloat32x4(b2)
		va1, va2  = archsimd.BroadcastFloat32x4(1 - b1), archsimd.BroadcastFloat32x4(1 - b2)
		vc1, vc2  = archsimd.BroadcastFloat32x4(c1), archsimd.BroadcastFloat32x4(c2)
		vlr, veps = archsimd.BroadcastFloat32x4(lr), archsimd.BroadcastFloat32x4(eps)
	)
	j := 0
	for ; j+4 <= len(w); j += 4 {
		gj := archsimd.LoadFloat32x4(g[j:])
		mj := vb1.Mul(archsimd.LoadFloat32x4(m[j:])).Add(va1.Mul(gj))
		vj := vb2.Mul(archsimd.LoadFloat32x4(v[j:])).Add(va2.Mul(gj).Mul(gj))
		mj.Store(m[j:])
		vj.Store(v[j:])
		step := vlr.Mul(mj.Div(vc1)).Div(vj.Div(vc2).Sqrt().Add(veps))
		archsimd.LoadFloat32x4(w[j:]).Sub(step).Store(w[j:])
	}
	adamScalar(w[j:], g[j:], m[j:], v[j:], b1, b2, c1, c2, lr, eps)
}

// bceRows is bceScalar on four lanes at once. The loss of one logit is
// written |z|·(1−t) + log(1+e^−|z|) for z ≥ 0 and |z|·t + log(1+e^−|z|)
// for z < 0: terms that never cancel, so float32 lanes keep it to
// rounding, and each vector's four losses join the float64 sum at once.
func bceRows(z, t, grad []float32, scale float32) float64 {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375
		ln2Lo = -2.12194440e-4
	)
	t = t[:len(z)]
	if grad != nil {
		grad = grad[:len(z)]
	}
	var (
		zero, one, half = archsimd.BroadcastFloat32x4(0), archsimd.BroadcastFloat32x4(1), archsimd.BroadcastFloat32x4(0.5)
		lo              = archsimd.BroadcastFloat32x4(-88)
		vLog2e          = archsimd.BroadcastFloat32x4(log2e)
		vLn2Hi, vLn2Lo  = archsimd.BroadcastFloat32x4(ln2Hi), archsimd.BroadcastFloat32x4(ln2Lo)
		p0, p1, p2      = archsimd.BroadcastFloat32x4(1.9875691500e-4), archsimd.BroadcastFloat32x4(1.3981999507e-3), archsimd.BroadcastFloat32x4(8.3334519073e-3)
		p3, p4, p5      = archsimd.BroadcastFloat32x4(4.1665795894e-2), archsimd.BroadcastFloat32x4(1.6666665459e-1), archsimd.BroadcastFloat32x4(5.0000001201e-1)
		bias            = archsimd.BroadcastInt32x4(127)
		sqrtHalf        = archsimd.BroadcastFloat32x4(0.41421356)
		vScale          = archsimd.BroadcastFloat32x4(scale)
		l0, l1, l2      = archsimd.BroadcastFloat32x4(7.0376836292e-2), archsimd.BroadcastFloat32x4(-1.1514610310e-1), archsimd.BroadcastFloat32x4(1.1676998740e-1)
		l3, l4, l5      = archsimd.BroadcastFloat32x4(-1.2420140846e-1), archsimd.BroadcastFloat32x4(1.4249322787e-1), archsimd.BroadcastFloat32x4(-1.6668057665e-1)
		l6, l7, l8      = archsimd.BroadcastFloat32x4(2.0000714765e-1), archsimd.BroadcastFloat32x4(-2.4999993993e-1), archsimd.BroadcastFloat32x4(3.3333331174e-1)
		vLn2LoLog       = archsimd.BroadcastFloat32x4(-2.12194440e-4)
	)
	var sum float64
	i := 0
	for ; i+4 <= len(z); i += 4 {
		zi, ti := archsimd.LoadFloat32x4(z[i:]), archsimd.LoadFloat32x4(t[i:])
		a := zi.Abs()
		neg := zi.Less(zero)

		// e = e^−|z| (Exp32's range reduction and polynomial).
		x := a.Neg().Max(lo)
		n := x.Mul(vLog2e).Round()
		r := x.Sub(n.Mul(vLn2Hi)).Sub(n.Mul(vLn2Lo))
		p := p0.Mul(r).Add(p1).Mul(r).Add(p2).Mul(r).Add(p3).Mul(r).Add(p4).Mul(r).Add(p5)
		e := p.Mul(r).Mul(r).Add(r).Add(one).Mul(n.ConvertToInt32().Add(bias).ShiftAllLeft(23).ToBits().BitsToFloat32())

		// log(1+e) for e in (0, 1] (Log1p32's polynomial).
		big := e.Greater(sqrtHalf)
		f := e.Sub(one).Mul(half).IfElse(big, e)
		ex := one.Masked(big)
		fz := f.Mul(f)
		y := l0.Mul(f).Add(l1).Mul(f).Add(l2).Mul(f).Add(l3).Mul(f).Add(l4).Mul(f).Add(l5).Mul(f).Add(l6).Mul(f).Add(l7).Mul(f).Add(l8)
		y = y.Mul(f).Mul(fz).Add(vLn2LoLog.Mul(ex)).Sub(half.Mul(fz))
		log1p := f.Add(y).Add(vLn2Hi.Mul(ex))

		loss := a.Mul(ti.IfElse(neg, one.Sub(ti))).Add(log1p)
		sum += float64(loss.GetElem(0)) + float64(loss.GetElem(1)) + float64(loss.GetElem(2)) + float64(loss.GetElem(3))
		if grad != nil {
			s := one.Div(one.Add(e)) // σ(|z|)
			s = e.Mul(s).IfElse(neg, s)
			s.Sub(ti).Mul(vScale).Store(grad[i:])
		}
	}
	var tail []float32
	if grad != nil {
		tail = grad[i:]
	}
	return sum + bceScalar(z[i:], t[i:], tail, scale)
}
