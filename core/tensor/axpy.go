//go:build !(wasm && goexperiment.simd && go1.27)

package tensor

// The kernels' inner loops in scalar Go, for every build but WebAssembly
// with SIMD (axpy_simd.go).

// axpy4x2 adds x00·b0 + … + x03·b3 to c0 and x10·b0 + … + x13·b3 to c1.
func axpy4x2(c0, c1, b0, b1, b2, b3 []float32, x00, x01, x02, x03, x10, x11, x12, x13 float32) {
	c1 = c1[:len(c0)]
	b0, b1, b2, b3 = b0[:len(c0)], b1[:len(c0)], b2[:len(c0)], b3[:len(c0)]
	for j := range c0 {
		v0, v1, v2, v3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] += x00*v0 + x01*v1 + x02*v2 + x03*v3
		c1[j] += x10*v0 + x11*v1 + x12*v2 + x13*v3
	}
}

// axpy8rows adds xs[0]·B[at[0]:] + … + xs[7]·B[at[7]:] to c, each row of
// B starting at the given offset.
func axpy8rows(c, b []float32, n int, at *[8]int, xs *[8]float32) {
	b0, b1, b2, b3 := b[at[0]:at[0]+n], b[at[1]:at[1]+n], b[at[2]:at[2]+n], b[at[3]:at[3]+n]
	b4, b5, b6, b7 := b[at[4]:at[4]+n], b[at[5]:at[5]+n], b[at[6]:at[6]+n], b[at[7]:at[7]+n]
	b0, b1, b2, b3 = b0[:len(c)], b1[:len(c)], b2[:len(c)], b3[:len(c)]
	b4, b5, b6, b7 = b4[:len(c)], b5[:len(c)], b6[:len(c)], b7[:len(c)]
	x0, x1, x2, x3, x4, x5, x6, x7 := xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]
	for j := range c {
		c[j] += x0*b0[j] + x1*b1[j] + x2*b2[j] + x3*b3[j] + x4*b4[j] + x5*b5[j] + x6*b6[j] + x7*b7[j]
	}
}

// axpy1 adds x·b to c.
func axpy1(c, b []float32, x float32) {
	b = b[:len(c)]
	for j := range c {
		c[j] += x * b[j]
	}
}

// scale1 multiplies c by x.
func scale1(c []float32, x float32) {
	for j := range c {
		c[j] *= x
	}
}

// allFinite reports whether no value of xs is NaN or ±Inf: v·0 is ±0 for
// a finite v and NaN for NaN or ±Inf, so the sums of those products stay
// zero exactly when every value is finite. Four sums, so that no addition
// waits on the one before, and no branch in the loop.
func allFinite(xs []float32) bool {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(xs); i += 4 {
		x := xs[i : i+4 : i+4]
		s0 += x[0] * 0
		s1 += x[1] * 0
		s2 += x[2] * 0
		s3 += x[3] * 0
	}
	for _, v := range xs[i:] {
		s0 += v * 0
	}
	return s0+s1+s2+s3 == 0
}
