//go:build amd64 && goexperiment.simd

package nn

import "simd/archsimd"

// The element-wise loops on eight lanes of AVX2, built natively with
// GOEXPERIMENT=simd (as the Makefile does); the same arithmetic as the
// WebAssembly lanes of lanes_simd.go, twice as wide. On a CPU without
// AVX2 they run lanes.go's scalar forms, which stay the reference.

// hasAVX2 is whether this CPU runs the eight-lane loops.
var hasAVX2 = archsimd.X86.AVX2()

// clearUpper ends each eight-lane loop: it zeroes the upper halves of the
// vector registers (VZEROUPPER) before scalar code runs again. Go's
// scalar float code is SSE, not VEX-encoded; on Intel cores an SSE
// instruction while those halves hold data waits on the whole register,
// and the loops' scalars reloaded each pass made Adam's eight-lane update
// 20× slower than the scalar loop (BenchmarkAdam, on a Xeon with
// AVX-512). tensor's kernels do the same.
func clearUpper() { archsimd.ClearAVXUpperBits() }

// Sigmoids sets dst[i] = σ(src[i]) for every i (see sigmoids). Which
// operand VMAXPS and VMINPS return for a NaN depends on the order the
// compiler gives them, so a NaN is put back after the clamp: σ(NaN) = NaN.
func Sigmoids(dst, src []float32) {
	if !hasAVX2 {
		sigmoids(dst, src)
		return
	}
	dst = dst[:len(src)]
	l := newLanes8()
	lo, hi, one := archsimd.BroadcastFloat32x8(-88), archsimd.BroadcastFloat32x8(88), l.one
	i := 0
	for ; i+8 <= len(src); i += 8 {
		x := archsimd.LoadFloat32x8Array((*[8]float32)(src[i : i+8])).Neg()
		e := l.exp8(hi.Min(lo.Max(x))).IfElse(x.Equal(x), x) // e^−x, x clamped; NaN kept
		one.Div(one.Add(e)).StoreArray((*[8]float32)(dst[i : i+8]))
	}
	clearUpper()
	sigmoids(dst[i:], src[i:])
}

// lanes8 holds exp8's and log1p8's constants broadcast to eight lanes.
type lanes8 struct {
	one, half, log2e, ln2Hi, ln2Lo, sqrt2m archsimd.Float32x8
	expP                                   [6]archsimd.Float32x8
	log1pP                                 [9]archsimd.Float32x8
	bias                                   archsimd.Int32x8
}

func newLanes8() *lanes8 {
	l := &lanes8{
		one: archsimd.BroadcastFloat32x8(1), half: archsimd.BroadcastFloat32x8(0.5),
		log2e: archsimd.BroadcastFloat32x8(log2e), ln2Hi: archsimd.BroadcastFloat32x8(ln2Hi), ln2Lo: archsimd.BroadcastFloat32x8(ln2Lo),
		sqrt2m: archsimd.BroadcastFloat32x8(sqrt2m), bias: archsimd.BroadcastInt32x8(127),
	}
	for i, c := range [6]float32{expP0, expP1, expP2, expP3, expP4, expP5} {
		l.expP[i] = archsimd.BroadcastFloat32x8(c)
	}
	for i, c := range log1pP {
		l.log1pP[i] = archsimd.BroadcastFloat32x8(c)
	}
	return l
}

// exp8 is e^x on eight lanes, x in [−88, 88] (the callers clamp):
// expSplit's range reduction and polynomial, 2^n put in each exponent.
func (l *lanes8) exp8(x archsimd.Float32x8) archsimd.Float32x8 {
	n := x.Mul(l.log2e).Round()
	r := x.Sub(n.Mul(l.ln2Hi)).Sub(n.Mul(l.ln2Lo))
	p := l.expP[0].Mul(r).Add(l.expP[1]).Mul(r).Add(l.expP[2]).Mul(r).Add(l.expP[3]).Mul(r).Add(l.expP[4]).Mul(r).Add(l.expP[5])
	y := p.Mul(r).Mul(r).Add(r).Add(l.one)
	return y.Mul(n.ConvertToInt32().Add(l.bias).ShiftAllLeft(23).ToBits().BitsToFloat32())
}

// log1p8 is log(1+u) on eight lanes for u in (0, 1]: Log1p32's polynomial.
func (l *lanes8) log1p8(u archsimd.Float32x8) archsimd.Float32x8 {
	big := u.Greater(l.sqrt2m)
	f := u.Sub(l.one).Mul(l.half).IfElse(big, u)
	e := l.one.Masked(big)
	z := f.Mul(f)
	c := &l.log1pP
	y := c[0].Mul(f).Add(c[1]).Mul(f).Add(c[2]).Mul(f).Add(c[3]).Mul(f).Add(c[4]).Mul(f).Add(c[5]).Mul(f).Add(c[6]).Mul(f).Add(c[7]).Mul(f).Add(c[8])
	y = y.Mul(f).Mul(z).Add(l.ln2Lo.Mul(e)).Sub(l.half.Mul(z))
	return f.Add(y).Add(l.ln2Hi.Mul(e))
}

// adamUpdate is adamScalar on eight lanes at once (adam8), the last few
// values on the scalar loop; every operation is IEEE-rounded in both (no
// fused multiply-adds), so the weights come out the same bit for bit.
func adamUpdate(w, g, m, v []float32, b1, b2, c1, c2, lr, eps float32) {
	j := 0
	if hasAVX2 {
		j = adam8(w, g, m, v, b1, b2, c1, c2, lr, eps)
	}
	adamScalar(w[j:], g[j:], m[j:], v[j:], b1, b2, c1, c2, lr, eps)
}

// adam8 runs Adam's update on eight lanes over as many whole groups of
// eight as w holds and says how many values it did. None of its scalars
// is needed after the loop, so the compiler keeps none in an SSE register
// across it (see clearUpper).
func adam8(w, g, m, v []float32, b1, b2, c1, c2, lr, eps float32) int {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	var (
		vb1, vb2  = archsimd.BroadcastFloat32x8(b1), archsimd.BroadcastFloat32x8(b2)
		va1, va2  = archsimd.BroadcastFloat32x8(1 - b1), archsimd.BroadcastFloat32x8(1 - b2)
		vc1, vc2  = archsimd.BroadcastFloat32x8(c1), archsimd.BroadcastFloat32x8(c2)
		vlr, veps = archsimd.BroadcastFloat32x8(lr), archsimd.BroadcastFloat32x8(eps)
		zero      = archsimd.BroadcastFloat32x8(0)
		floor     = archsimd.BroadcastFloat32x8(adamFloor)
	)
	j := 0
	for ; j+8 <= len(w); j += 8 {
		pw, pg := (*[8]float32)(w[j:j+8]), (*[8]float32)(g[j:j+8])
		pm, pv := (*[8]float32)(m[j:j+8]), (*[8]float32)(v[j:j+8])
		gj := archsimd.LoadFloat32x8Array(pg)
		mj := vb1.Mul(archsimd.LoadFloat32x8Array(pm)).Add(va1.Mul(gj))
		vj := vb2.Mul(archsimd.LoadFloat32x8Array(pv)).Add(va2.Mul(gj).Mul(gj))
		mj = zero.IfElse(mj.Abs().Less(floor), mj) // a NaN kept
		vj = zero.IfElse(vj.Less(floor), vj)
		mj.StoreArray(pm)
		vj.StoreArray(pv)
		step := vlr.Mul(mj.Div(vc1)).Div(vj.Div(vc2).Sqrt().Add(veps))
		archsimd.LoadFloat32x8Array(pw).Sub(step).StoreArray(pw)
	}
	clearUpper()
	return j
}

// bceRows is bceScalar on eight lanes at once, the loss of one logit
// written as lanes_simd.go writes it: |z|·(1−t) + log(1+e^−|z|) for z ≥ 0
// and |z|·t + log(1+e^−|z|) for z < 0, terms that never cancel. The
// losses join a float64 sum four lanes at a time.
func bceRows(z, t, grad []float32, scale float32) float64 {
	if !hasAVX2 {
		return bceScalar(z, t, grad, scale)
	}
	i, sum := bce8(z, t, grad, scale)
	var tail []float32
	if grad != nil {
		tail = grad[i:]
	}
	return sum + bceScalar(z[i:], t[i:], tail, scale)
}

// bce8 is bceRows's eight-lane loop over whole groups of eight: how many
// logits it did and the sum of their losses.
func bce8(z, t, grad []float32, scale float32) (int, float64) {
	t = t[:len(z)]
	if grad != nil {
		grad = grad[:len(z)]
	}
	l := newLanes8()
	zero, one, lo := archsimd.BroadcastFloat32x8(0), l.one, archsimd.BroadcastFloat32x8(-88)
	vScale := archsimd.BroadcastFloat32x8(scale)
	var sum archsimd.Float64x4
	i := 0
	for ; i+8 <= len(z); i += 8 {
		zi := archsimd.LoadFloat32x8Array((*[8]float32)(z[i : i+8]))
		ti := archsimd.LoadFloat32x8Array((*[8]float32)(t[i : i+8]))
		a := zi.Abs()
		neg := zi.Less(zero)
		e := l.exp8(lo.Max(a.Neg())).IfElse(zi.Equal(zi), zi) // e^−|z|; a NaN kept, as in Sigmoids
		loss := a.Mul(ti.IfElse(neg, one.Sub(ti))).Add(l.log1p8(e))
		sum = sum.Add(loss.GetLo().ConvertToFloat64()).Add(loss.GetHi().ConvertToFloat64())
		if grad != nil {
			s := one.Div(one.Add(e)) // σ(|z|)
			s = e.Mul(s).IfElse(neg, s)
			s.Sub(ti).Mul(vScale).StoreArray((*[8]float32)(grad[i : i+8]))
		}
	}
	var parts [4]float64
	sum.StoreArray(&parts)
	clearUpper()
	return i, (parts[0] + parts[1]) + (parts[2] + parts[3])
}

// relus is reluScalar on eight lanes: x where x > 0, else +0 (a NaN and
// −0 included, as in reluScalar; VMAXPS's answer for those would depend on
// the order the compiler gives its operands).
func relus(dst, src []float32) {
	if !hasAVX2 {
		reluScalar(dst, src)
		return
	}
	dst = dst[:len(src)]
	var zero archsimd.Float32x8
	i := 0
	for ; i+8 <= len(src); i += 8 {
		x := archsimd.LoadFloat32x8Array((*[8]float32)(src[i : i+8]))
		x.Masked(x.Greater(zero)).StoreArray((*[8]float32)(dst[i : i+8]))
	}
	clearUpper()
	reluScalar(dst[i:], src[i:])
}

// reluGrads is ReLU's backward pass over a slice: reluGradScalar, one
// loop without a call per element.
func reluGrads(dx, dy, x []float32) { reluGradScalar(dx, dy, x) }
