//go:build wasm && goexperiment.simd && go1.27

package nn

import "simd/archsimd"

// The element-wise loops on WebAssembly's 128-bit SIMD, built by `make`
// (GOEXPERIMENT=simd, Go 1.27); lanes.go's scalar forms stay the reference.

// Sigmoids sets dst[i] = σ(src[i]) for every i: sigmoids' arithmetic on
// four lanes at once (WebAssembly SIMD), 2^n built in the exponent bits of
// each lane. f32x4.min and max keep a NaN, so a NaN comes out NaN.
func Sigmoids(dst, src []float32) {
	dst = dst[:len(src)]
	l := newLanes()
	lo, hi, one := archsimd.BroadcastFloat32x4(-88), archsimd.BroadcastFloat32x4(88), l.one
	i := 0
	for ; i+4 <= len(src); i += 4 {
		e := l.exp4(archsimd.LoadFloat32x4(src[i:]).Neg().Max(lo).Min(hi)) // e^−x, x clamped
		one.Div(one.Add(e)).Store(dst[i:])
	}
	sigmoids(dst[i:], src[i:])
}

// relus is reluScalar on four lanes: x where x > 0, else +0 (a NaN and
// −0 included, as in reluScalar), sixteen values a pass (see adamUpdate).
func relus(dst, src []float32) {
	dst = dst[:len(src)]
	var zero archsimd.Float32x4
	relu := func(d, s []float32) {
		x := archsimd.LoadFloat32x4(s)
		x.Masked(x.Greater(zero)).Store(d)
	}
	i := 0
	for ; i+16 <= len(src); i += 16 {
		d, s := dst[i:i+16:i+16], src[i:i+16:i+16]
		relu(d[0:4], s[0:4])
		relu(d[4:8], s[4:8])
		relu(d[8:12], s[8:12])
		relu(d[12:16], s[12:16])
	}
	reluScalar(dst[i:], src[i:])
}

// reluGrads is reluGradScalar on four lanes: dy times 1 where x > 0 and
// times 0 elsewhere, the same IEEE products, sixteen values a pass.
func reluGrads(dx, dy, x []float32) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	var zero archsimd.Float32x4
	one := archsimd.BroadcastFloat32x4(1)
	grad := func(d, g, s []float32) {
		on := one.Masked(archsimd.LoadFloat32x4(s).Greater(zero))
		archsimd.LoadFloat32x4(g).Mul(on).Store(d)
	}
	i := 0
	for ; i+16 <= len(dx); i += 16 {
		d, g, s := dx[i:i+16:i+16], dy[i:i+16:i+16], x[i:i+16:i+16]
		grad(d[0:4], g[0:4], s[0:4])
		grad(d[4:8], g[4:8], s[4:8])
		grad(d[8:12], g[8:12], s[8:12])
		grad(d[12:16], g[12:16], s[12:16])
	}
	reluGradScalar(dx[i:], dy[i:], x[i:])
}

// lanes holds the constants of exp4 and log1p4 broadcast to four lanes,
// made once a call: splatting them inside the loops costs V8 more than
// the arithmetic.
type lanes struct {
	one, half, log2e, ln2Hi, ln2Lo, sqrt2m archsimd.Float32x4
	expP                                   [6]archsimd.Float32x4
	log1pP                                 [9]archsimd.Float32x4
	bias                                   archsimd.Int32x4
}

func newLanes() *lanes {
	l := &lanes{
		one: archsimd.BroadcastFloat32x4(1), half: archsimd.BroadcastFloat32x4(0.5),
		log2e: archsimd.BroadcastFloat32x4(log2e), ln2Hi: archsimd.BroadcastFloat32x4(ln2Hi), ln2Lo: archsimd.BroadcastFloat32x4(ln2Lo),
		sqrt2m: archsimd.BroadcastFloat32x4(sqrt2m), bias: archsimd.BroadcastInt32x4(127),
	}
	for i, c := range [6]float32{expP0, expP1, expP2, expP3, expP4, expP5} {
		l.expP[i] = archsimd.BroadcastFloat32x4(c)
	}
	for i, c := range log1pP {
		l.log1pP[i] = archsimd.BroadcastFloat32x4(c)
	}
	return l
}

// exp4 is e^x on four lanes, x in [−88, 88] (the callers clamp): expSplit's
// range reduction and polynomial, with 2^n put in each lane's exponent.
func (l *lanes) exp4(x archsimd.Float32x4) archsimd.Float32x4 {
	n := x.Mul(l.log2e).Round()
	r := x.Sub(n.Mul(l.ln2Hi)).Sub(n.Mul(l.ln2Lo))
	p := l.expP[0].Mul(r).Add(l.expP[1]).Mul(r).Add(l.expP[2]).Mul(r).Add(l.expP[3]).Mul(r).Add(l.expP[4]).Mul(r).Add(l.expP[5])
	y := p.Mul(r).Mul(r).Add(r).Add(l.one)
	return y.Mul(n.ConvertToInt32().Add(l.bias).ShiftAllLeft(23).ToBits().BitsToFloat32())
}

// log1p4 is log(1+u) on four lanes for u in (0, 1]: Log1p32's polynomial.
func (l *lanes) log1p4(u archsimd.Float32x4) archsimd.Float32x4 {
	big := u.Greater(l.sqrt2m)
	f := u.Sub(l.one).Mul(l.half).IfElse(big, u)
	e := l.one.Masked(big)
	z := f.Mul(f)
	c := &l.log1pP
	y := c[0].Mul(f).Add(c[1]).Mul(f).Add(c[2]).Mul(f).Add(c[3]).Mul(f).Add(c[4]).Mul(f).Add(c[5]).Mul(f).Add(c[6]).Mul(f).Add(c[7]).Mul(f).Add(c[8])
	y = y.Mul(f).Mul(z).Add(l.ln2Lo.Mul(e)).Sub(l.half.Mul(z))
	return f.Add(y).Add(l.ln2Hi.Mul(e))
}

// adamUpdate is adamScalar on four lanes at once; every operation is
// IEEE-rounded in both, so the weights come out the same. Each pass takes
// sixteen weights as slices of constant length (as core/tensor's axpy1
// does), so Go checks their bounds once a pass rather than at every load
// and store, which makes the update about twice as fast under V8
// (BenchmarkAdam).
func adamUpdate(w, g, m, v []float32, b1, b2, c1, c2, lr, eps float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	var (
		vb1, vb2  = archsimd.BroadcastFloat32x4(b1), archsimd.BroadcastFloat32x4(b2)
		va1, va2  = archsimd.BroadcastFloat32x4(1 - b1), archsimd.BroadcastFloat32x4(1 - b2)
		vc1, vc2  = archsimd.BroadcastFloat32x4(c1), archsimd.BroadcastFloat32x4(c2)
		vlr, veps = archsimd.BroadcastFloat32x4(lr), archsimd.BroadcastFloat32x4(eps)
		zero      = archsimd.BroadcastFloat32x4(0)
		floor     = archsimd.BroadcastFloat32x4(adamFloor)
	)
	update := func(w, g, m, v []float32) { // four weights
		gj := archsimd.LoadFloat32x4(g)
		mj := vb1.Mul(archsimd.LoadFloat32x4(m)).Add(va1.Mul(gj))
		vj := vb2.Mul(archsimd.LoadFloat32x4(v)).Add(va2.Mul(gj).Mul(gj))
		mj = zero.IfElse(mj.Abs().Less(floor), mj) // a NaN kept
		vj = zero.IfElse(vj.Less(floor), vj)
		mj.Store(m)
		vj.Store(v)
		step := vlr.Mul(mj.Div(vc1)).Div(vj.Div(vc2).Sqrt().Add(veps))
		archsimd.LoadFloat32x4(w).Sub(step).Store(w)
	}
	j := 0
	for ; j+16 <= len(w); j += 16 {
		ww, gg, mm, vv := w[j:j+16:j+16], g[j:j+16:j+16], m[j:j+16:j+16], v[j:j+16:j+16]
		update(ww[0:4], gg[0:4], mm[0:4], vv[0:4])
		update(ww[4:8], gg[4:8], mm[4:8], vv[4:8])
		update(ww[8:12], gg[8:12], mm[8:12], vv[8:12])
		update(ww[12:16], gg[12:16], mm[12:16], vv[12:16])
	}
	adamScalar(w[j:], g[j:], m[j:], v[j:], b1, b2, c1, c2, lr, eps)
}

// bceRows is bceScalar on four lanes at once. The loss of one logit is
// written |z|·(1−t) + log(1+e^−|z|) for z ≥ 0 and |z|·t + log(1+e^−|z|)
// for z < 0: terms that never cancel, so float32 lanes keep it to
// rounding, and each vector's four losses join the float64 sum at once.
func bceRows(z, t, grad []float32, scale float32) float64 {
	t = t[:len(z)]
	if grad != nil {
		grad = grad[:len(z)]
	}
	l := newLanes()
	zero, one, lo := archsimd.BroadcastFloat32x4(0), l.one, archsimd.BroadcastFloat32x4(-88)
	vScale := archsimd.BroadcastFloat32x4(scale)
	var sum float64
	i := 0
	for ; i+4 <= len(z); i += 4 {
		zi, ti := archsimd.LoadFloat32x4(z[i:]), archsimd.LoadFloat32x4(t[i:])
		a := zi.Abs()
		neg := zi.Less(zero)
		e := l.exp4(a.Neg().Max(lo)) // e^−|z|
		loss := a.Mul(ti.IfElse(neg, one.Sub(ti))).Add(l.log1p4(e))
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
