//go:build wasm && goexperiment.simd && go1.27

package tensor

import "simd/archsimd"

// The kernels' inner loops on WebAssembly's 128-bit SIMD: four columns of
// C per instruction. Built by `make` (GOEXPERIMENT=simd, Go 1.27); under
// V8, BenchmarkGemm runs 1.8× and a single row (rowNN) 1.7× the scalar
// loops of axpy.go, which stay the reference everywhere else.
//
// axpy4rows, axpy1 and scale1 take each pass's columns as a slice of
// constant length cut with its capacity (c[j:j+16:j+16]) and index it at
// constant offsets: Go then checks the bounds once a pass rather than at
// every load and store, which under V8 makes axpy1 and scale1 over a long
// vector several times faster (BenchmarkAxpy).

// axpy4x2 adds x00·b0 + … + x03·b3 to c0 and x10·b0 + … + x13·b3 to c1.
func axpy4x2(c0, c1, b0, b1, b2, b3 []float32, x00, x01, x02, x03, x10, x11, x12, x13 float32) {
	n := len(c0)
	c1, b0, b1, b2, b3 = c1[:n], b0[:n], b1[:n], b2[:n], b3[:n]
	y00, y01 := archsimd.BroadcastFloat32x4(x00), archsimd.BroadcastFloat32x4(x01)
	y02, y03 := archsimd.BroadcastFloat32x4(x02), archsimd.BroadcastFloat32x4(x03)
	y10, y11 := archsimd.BroadcastFloat32x4(x10), archsimd.BroadcastFloat32x4(x11)
	y12, y13 := archsimd.BroadcastFloat32x4(x12), archsimd.BroadcastFloat32x4(x13)
	j := 0
	for ; j+4 <= n; j += 4 {
		v0, v1 := archsimd.LoadFloat32x4(b0[j:]), archsimd.LoadFloat32x4(b1[j:])
		v2, v3 := archsimd.LoadFloat32x4(b2[j:]), archsimd.LoadFloat32x4(b3[j:])
		s0 := archsimd.LoadFloat32x4(c0[j:])
		s1 := archsimd.LoadFloat32x4(c1[j:])
		s0 = s0.Add(y00.Mul(v0)).Add(y01.Mul(v1)).Add(y02.Mul(v2)).Add(y03.Mul(v3))
		s1 = s1.Add(y10.Mul(v0)).Add(y11.Mul(v1)).Add(y12.Mul(v2)).Add(y13.Mul(v3))
		s0.Store(c0[j:])
		s1.Store(c1[j:])
	}
	for ; j < n; j++ {
		v0, v1, v2, v3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] += x00*v0 + x01*v1 + x02*v2 + x03*v3
		c1[j] += x10*v0 + x11*v1 + x12*v2 + x13*v3
	}
}

// axpy8rows adds xs[0]·B[at[0]:] + … + xs[7]·B[at[7]:] to c, each row of
// B starting at the given offset: two passes of four rows, which V8 keeps
// in registers where eight spill.
func axpy8rows(c, b []float32, n int, at *[8]int, xs *[8]float32) {
	axpy4rows(c, b[at[0]:at[0]+n], b[at[1]:at[1]+n], b[at[2]:at[2]+n], b[at[3]:at[3]+n], xs[0], xs[1], xs[2], xs[3])
	axpy4rows(c, b[at[4]:at[4]+n], b[at[5]:at[5]+n], b[at[6]:at[6]+n], b[at[7]:at[7]+n], xs[4], xs[5], xs[6], xs[7])
}

// axpy4rows adds x0·b0 + … + x3·b3 to c.
func axpy4rows(c, b0, b1, b2, b3 []float32, x0, x1, x2, x3 float32) {
	n := len(c)
	b0, b1, b2, b3 = b0[:n], b1[:n], b2[:n], b3[:n]
	y0, y1 := archsimd.BroadcastFloat32x4(x0), archsimd.BroadcastFloat32x4(x1)
	y2, y3 := archsimd.BroadcastFloat32x4(x2), archsimd.BroadcastFloat32x4(x3)
	j := 0
	for ; j+4 <= n; j += 4 {
		d := c[j : j+4 : j+4]
		s := archsimd.LoadFloat32x4(d)
		s = s.Add(y0.Mul(archsimd.LoadFloat32x4(b0[j : j+4 : j+4]))).Add(y1.Mul(archsimd.LoadFloat32x4(b1[j : j+4 : j+4])))
		s = s.Add(y2.Mul(archsimd.LoadFloat32x4(b2[j : j+4 : j+4]))).Add(y3.Mul(archsimd.LoadFloat32x4(b3[j : j+4 : j+4])))
		s.Store(d)
	}
	for ; j < n; j++ {
		c[j] += x0*b0[j] + x1*b1[j] + x2*b2[j] + x3*b3[j]
	}
}

// axpy1 adds x·b to c, sixteen columns a pass.
func axpy1(c, b []float32, x float32) {
	n := len(c)
	b = b[:n]
	y := archsimd.BroadcastFloat32x4(x)
	j := 0
	for ; j+16 <= n; j += 16 {
		d, e := c[j:j+16:j+16], b[j:j+16:j+16]
		archsimd.LoadFloat32x4(d[0:4]).Add(y.Mul(archsimd.LoadFloat32x4(e[0:4]))).Store(d[0:4])
		archsimd.LoadFloat32x4(d[4:8]).Add(y.Mul(archsimd.LoadFloat32x4(e[4:8]))).Store(d[4:8])
		archsimd.LoadFloat32x4(d[8:12]).Add(y.Mul(archsimd.LoadFloat32x4(e[8:12]))).Store(d[8:12])
		archsimd.LoadFloat32x4(d[12:16]).Add(y.Mul(archsimd.LoadFloat32x4(e[12:16]))).Store(d[12:16])
	}
	for ; j < n; j++ {
		c[j] += x * b[j]
	}
}

// scale1 multiplies c by x, sixteen columns a pass.
func scale1(c []float32, x float32) {
	y := archsimd.BroadcastFloat32x4(x)
	j := 0
	for ; j+16 <= len(c); j += 16 {
		d := c[j : j+16 : j+16]
		archsimd.LoadFloat32x4(d[0:4]).Mul(y).Store(d[0:4])
		archsimd.LoadFloat32x4(d[4:8]).Mul(y).Store(d[4:8])
		archsimd.LoadFloat32x4(d[8:12]).Mul(y).Store(d[8:12])
		archsimd.LoadFloat32x4(d[12:16]).Mul(y).Store(d[12:16])
	}
	for ; j < len(c); j++ {
		c[j] *= x
	}
}

// allFinite reports whether no value of xs is NaN or ±Inf, by the sums of
// v·0 as axpy.go's, on two vectors of four lanes.
func allFinite(xs []float32) bool {
	zero := archsimd.BroadcastFloat32x4(0)
	s0, s1 := zero, zero
	i := 0
	for ; i+8 <= len(xs); i += 8 {
		x := xs[i : i+8 : i+8]
		s0 = s0.Add(archsimd.LoadFloat32x4(x[0:4]).Mul(zero))
		s1 = s1.Add(archsimd.LoadFloat32x4(x[4:8]).Mul(zero))
	}
	var lanes [4]float32
	s0.Add(s1).Store(lanes[:])
	sum := lanes[0] + lanes[1] + lanes[2] + lanes[3]
	for _, v := range xs[i:] {
		sum += v * 0
	}
	return sum == 0
}
