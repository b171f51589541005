//go:build amd64 && goexperiment.simd

package tensor

import "simd/archsimd"

// The register-tiled micro-kernels of gemm_amd64.go. Each computes one
// mr×nr tile of C from a packed micro-panel of op(A), ap[p*mr+r], and one
// of op(B), bp[p*nr+j], over kc steps of p, with the whole tile held in
// vector registers:
//
//	C[r][j] (+)= Σ_p ap[p*mr+r] · bp[p*nr+j]
//
// c starts at the tile's top-left corner, ldc is C's row stride, and the
// tile lies inside C (gemm_amd64.go sends edge tiles through a scratch
// tile). The shapes are the largest whose accumulators the compiler keeps
// in registers for the whole loop: with a fifth row, or a third vector per
// row, it spills them to the stack every step and runs at a third of the
// speed (measured on AMD EPYC, Zen 4).

// tile4x32 is the AVX-512 tile: 4 rows × 32 columns, eight zmm accumulators.
func tile4x32(kc int, ap, bp, c []float32, ldc int, acc bool) {
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x16
	ap, bp = ap[:kc*4], bp[:kc*32]
	for len(ap) >= 4 && len(bp) >= 32 {
		a := (*[4]float32)(ap)
		b := (*[32]float32)(bp)
		b0 := archsimd.LoadFloat32x16Array((*[16]float32)(b[0:16]))
		b1 := archsimd.LoadFloat32x16Array((*[16]float32)(b[16:32]))
		x := archsimd.BroadcastFloat32x16(a[0])
		c00, c01 = x.MulAdd(b0, c00), x.MulAdd(b1, c01)
		x = archsimd.BroadcastFloat32x16(a[1])
		c10, c11 = x.MulAdd(b0, c10), x.MulAdd(b1, c11)
		x = archsimd.BroadcastFloat32x16(a[2])
		c20, c21 = x.MulAdd(b0, c20), x.MulAdd(b1, c21)
		x = archsimd.BroadcastFloat32x16(a[3])
		c30, c31 = x.MulAdd(b0, c30), x.MulAdd(b1, c31)
		ap, bp = ap[4:], bp[32:]
	}
	store32(c[0*ldc:], c00, c01, acc)
	store32(c[1*ldc:], c10, c11, acc)
	store32(c[2*ldc:], c20, c21, acc)
	store32(c[3*ldc:], c30, c31, acc)
	clearUpper()
}

// store32 writes v0‖v1 to c[0:32], or adds it if acc.
func store32(c []float32, v0, v1 archsimd.Float32x16, acc bool) {
	row := (*[32]float32)(c)
	p0, p1 := (*[16]float32)(row[0:16]), (*[16]float32)(row[16:32])
	if acc {
		v0 = v0.Add(archsimd.LoadFloat32x16Array(p0))
		v1 = v1.Add(archsimd.LoadFloat32x16Array(p1))
	}
	v0.StoreArray(p0)
	v1.StoreArray(p1)
}

// tile4x16 is the AVX2 tile: 4 rows × 16 columns, eight ymm accumulators
// (of the 15 the Go ABI leaves free).
func tile4x16(kc int, ap, bp, c []float32, ldc int, acc bool) {
	var c00, c01, c10, c11, c20, c21, c30, c31 archsimd.Float32x8
	ap, bp = ap[:kc*4], bp[:kc*16]
	for len(ap) >= 4 && len(bp) >= 16 {
		a := (*[4]float32)(ap)
		b := (*[16]float32)(bp)
		b0 := archsimd.LoadFloat32x8Array((*[8]float32)(b[0:8]))
		b1 := archsimd.LoadFloat32x8Array((*[8]float32)(b[8:16]))
		x := archsimd.BroadcastFloat32x8(a[0])
		c00, c01 = x.MulAdd(b0, c00), x.MulAdd(b1, c01)
		x = archsimd.BroadcastFloat32x8(a[1])
		c10, c11 = x.MulAdd(b0, c10), x.MulAdd(b1, c11)
		x = archsimd.BroadcastFloat32x8(a[2])
		c20, c21 = x.MulAdd(b0, c20), x.MulAdd(b1, c21)
		x = archsimd.BroadcastFloat32x8(a[3])
		c30, c31 = x.MulAdd(b0, c30), x.MulAdd(b1, c31)
		ap, bp = ap[4:], bp[16:]
	}
	store16(c[0*ldc:], c00, c01, acc)
	store16(c[1*ldc:], c10, c11, acc)
	store16(c[2*ldc:], c20, c21, acc)
	store16(c[3*ldc:], c30, c31, acc)
	clearUpper()
}

// store16 writes v0‖v1 to c[0:16], or adds it if acc.
func store16(c []float32, v0, v1 archsimd.Float32x8, acc bool) {
	row := (*[16]float32)(c)
	p0, p1 := (*[8]float32)(row[0:8]), (*[8]float32)(row[8:16])
	if acc {
		v0 = v0.Add(archsimd.LoadFloat32x8Array(p0))
		v1 = v1.Add(archsimd.LoadFloat32x8Array(p1))
	}
	v0.StoreArray(p0)
	v1.StoreArray(p1)
}

// The single-row products (a batch of one) read each element of B once,
// so memory bounds them, not arithmetic: they skip packing and use 256-bit
// vectors on both AVX2 and AVX-512 machines.

// vecMat sets c (+)= a·B for a 1×k row a and k×n row-major B:
// c[j] = Σ_p a[p]·B[p][j], 32 columns of c in registers at a time.
func vecMat(k, n int, a, b, c []float32, acc bool) {
	a, c = a[:k], c[:n]
	j := 0
	for ; j+32 <= n; j += 32 {
		var s0, s1, s2, s3 archsimd.Float32x8
		for p, x := range a {
			r := (*[32]float32)(b[p*n+j:])
			y := archsimd.BroadcastFloat32x8(x)
			s0 = y.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r[0:8])), s0)
			s1 = y.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r[8:16])), s1)
			s2 = y.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r[16:24])), s2)
			s3 = y.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r[24:32])), s3)
		}
		out := (*[32]float32)(c[j:])
		store8(out[0:8], s0, acc)
		store8(out[8:16], s1, acc)
		store8(out[16:24], s2, acc)
		store8(out[24:32], s3, acc)
	}
	for ; j+8 <= n; j += 8 {
		var s archsimd.Float32x8
		for p, x := range a {
			s = archsimd.BroadcastFloat32x8(x).MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(b[p*n+j:])), s)
		}
		store8(c[j:j+8], s, acc)
	}
	clearUpper()
	for ; j < n; j++ {
		var s float32
		for p, x := range a {
			s += x * b[p*n+j]
		}
		if acc {
			s += c[j]
		}
		c[j] = s
	}
}

// vecMatT sets c (+)= a·Bᵀ for a 1×k row a and n×k row-major B: c[j] is the
// dot product of a with row j of B, four rows at a time.
func vecMatT(k, n int, a, b, c []float32, acc bool) {
	a, c = a[:k], c[:n]
	k8 := k &^ 7
	j := 0
	for ; j+4 <= n; j += 4 {
		r0, r1, r2, r3 := b[j*k:(j+1)*k], b[(j+1)*k:(j+2)*k], b[(j+2)*k:(j+3)*k], b[(j+3)*k:(j+4)*k]
		var s0, s1, s2, s3 archsimd.Float32x8
		for p := 0; p < k8; p += 8 {
			x := archsimd.LoadFloat32x8Array((*[8]float32)(a[p : p+8]))
			s0 = x.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r0[p:p+8])), s0)
			s1 = x.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r1[p:p+8])), s1)
			s2 = x.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r2[p:p+8])), s2)
			s3 = x.MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r3[p:p+8])), s3)
		}
		var t [4][8]float32
		s0.StoreArray(&t[0])
		s1.StoreArray(&t[1])
		s2.StoreArray(&t[2])
		s3.StoreArray(&t[3])
		clearUpper()
		d0, d1, d2, d3 := sum8(&t[0]), sum8(&t[1]), sum8(&t[2]), sum8(&t[3])
		for p := k8; p < k; p++ {
			d0 += a[p] * r0[p]
			d1 += a[p] * r1[p]
			d2 += a[p] * r2[p]
			d3 += a[p] * r3[p]
		}
		out := (*[4]float32)(c[j : j+4])
		if acc {
			d0, d1, d2, d3 = d0+out[0], d1+out[1], d2+out[2], d3+out[3]
		}
		out[0], out[1], out[2], out[3] = d0, d1, d2, d3
	}
	for ; j < n; j++ {
		r := b[j*k : (j+1)*k]
		var s archsimd.Float32x8
		for p := 0; p < k8; p += 8 {
			s = archsimd.LoadFloat32x8Array((*[8]float32)(a[p:p+8])).MulAdd(archsimd.LoadFloat32x8Array((*[8]float32)(r[p:p+8])), s)
		}
		var t [8]float32
		s.StoreArray(&t)
		clearUpper()
		d := sum8(&t)
		for p := k8; p < k; p++ {
			d += a[p] * r[p]
		}
		if acc {
			d += c[j]
		}
		c[j] = d
	}
}

// store8 writes v to c[0:8], or adds it if acc.
func store8(c []float32, v archsimd.Float32x8, acc bool) {
	p := (*[8]float32)(c)
	if acc {
		v = v.Add(archsimd.LoadFloat32x8Array(p))
	}
	v.StoreArray(p)
}

// sum8 adds the eight lanes of a vector stored in t, in the order the
// two halves' lane-wise sum and then its pairs would.
func sum8(t *[8]float32) float32 {
	return ((t[0] + t[4]) + (t[1] + t[5])) + ((t[2] + t[6]) + (t[3] + t[7]))
}

// clearUpper ends a kernel or a vector loop: it zeroes the upper halves of
// the vector registers (VZEROUPPER) before scalar code runs again. Go's
// scalar float code is SSE, not VEX-encoded, and on Intel cores an SSE
// instruction while those halves hold data waits on the whole register
// (nn's clearUpper says what that cost Adam).
func clearUpper() { archsimd.ClearAVXUpperBits() }
