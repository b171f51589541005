package tensor

import "sync"

// Hand-written GEMM kernels for WebAssembly. V8 compiles each float32 local
// to a register, so the kernels keep a small block of A in locals and stream
// rows of B past it: four rows of B (unrolled over k) feed two rows of C,
// eight multiply-adds for every six loads and two stores. Blocks of A that
// are all zero are skipped: MNIST images are ~80% background and ReLU
// outputs are half zero, so this halves the work of the first layer.
//
// The slices are dense: A, B and C have no padding between rows.

// kernelNN computes C = A·B (or C += A·B when acc) with A m×k, B k×n, C m×n.
func kernelNN(m, n, k int, a, b, c []float32, acc bool) {
	i := 0
	for ; i+2 <= m; i += 2 {
		c0 := c[i*n : (i+1)*n]
		c1 := c[(i+1)*n : (i+2)*n]
		if !acc {
			clear(c0)
			clear(c1)
		}
		a0 := a[i*k : (i+1)*k]
		a1 := a[(i+1)*k : (i+2)*k]
		p := 0
		for ; p+4 <= k; p += 4 {
			x00, x01, x02, x03 := a0[p], a0[p+1], a0[p+2], a0[p+3]
			x10, x11, x12, x13 := a1[p], a1[p+1], a1[p+2], a1[p+3]
			if x00 == 0 && x01 == 0 && x02 == 0 && x03 == 0 && x10 == 0 && x11 == 0 && x12 == 0 && x13 == 0 {
				continue
			}
			axpy4x2(c0, c1, b[p*n:(p+4)*n], n, x00, x01, x02, x03, x10, x11, x12, x13)
		}
		for ; p < k; p++ {
			axpy1(c0, b[p*n:(p+1)*n], a0[p])
			axpy1(c1, b[p*n:(p+1)*n], a1[p])
		}
	}
	if i < m { // the last odd row (a whole batch of one, when drawing)
		rowNN(n, k, a[i*k:(i+1)*k], b, c[i*n:(i+1)*n], acc)
	}
}

// rowNN computes c = a·B (or c += a·B when acc) for one row a of length k.
// It walks only a's nonzero entries, eight at a time: a drawing is ~80%
// background and a ReLU layer's output about half zero, scattered too
// thinly for kernelNN's all-zero blocks to catch. (Eight rows of B per
// pass of c: 23% faster than four under V8, for one load and store of c
// per eight multiply-adds.)
func rowNN(n, k int, a, b, c []float32, acc bool) {
	if !acc {
		clear(c)
	}
	var at [8]int
	var xs [8]float32
	q := 0
	for p, x := range a[:k] {
		if x == 0 {
			continue
		}
		at[q], xs[q] = p*n, x
		if q++; q == 8 {
			axpy8rows(c, b, n, &at, &xs)
			q = 0
		}
	}
	for r := range q {
		axpy1(c, b[at[r]:at[r]+n], xs[r])
	}
}

// kernelTA computes C = Aᵀ·B (or C += Aᵀ·B when acc) with A k×m, B k×n, C m×n.
func kernelTA(m, n, k int, a, b, c []float32, acc bool) {
	i := 0
	for ; i+2 <= m; i += 2 {
		c0 := c[i*n : (i+1)*n]
		c1 := c[(i+1)*n : (i+2)*n]
		if !acc {
			clear(c0)
			clear(c1)
		}
		p := 0
		for ; p+4 <= k; p += 4 {
			r0, r1, r2, r3 := a[p*m+i:], a[(p+1)*m+i:], a[(p+2)*m+i:], a[(p+3)*m+i:]
			x00, x01, x02, x03 := r0[0], r1[0], r2[0], r3[0]
			x10, x11, x12, x13 := r0[1], r1[1], r2[1], r3[1]
			if x00 == 0 && x01 == 0 && x02 == 0 && x03 == 0 && x10 == 0 && x11 == 0 && x12 == 0 && x13 == 0 {
				continue
			}
			axpy4x2(c0, c1, b[p*n:(p+4)*n], n, x00, x01, x02, x03, x10, x11, x12, x13)
		}
		for ; p < k; p++ {
			axpy1(c0, b[p*n:(p+1)*n], a[p*m+i])
			axpy1(c1, b[p*n:(p+1)*n], a[p*m+i+1])
		}
	}
	for ; i < m; i++ {
		ci := c[i*n : (i+1)*n]
		if !acc {
			clear(ci)
		}
		for p := 0; p < k; p++ {
			if x := a[p*m+i]; x != 0 {
				axpy1(ci, b[p*n:(p+1)*n], x)
			}
		}
	}
}

// kernelTB computes C = A·Bᵀ (or C += A·Bᵀ when acc) with A m×k, B n×k, C m×n.
// It writes Bᵀ into a scratch buffer and runs kernelNN: the copy costs n·k
// moves against m·n·k multiply-adds, and kernelNN's register blocking runs
// ~1.8× the dot-product form under V8 (BenchmarkGemm/TB).
func kernelTB(m, n, k int, a, b, c []float32, acc bool) {
	buf := scratch.Get().(*[]float32)
	if cap(*buf) < n*k {
		*buf = make([]float32, n*k)
	}
	bt := (*buf)[:n*k]
	for j := range n { // bt[p*n+j] = b[j*k+p]
		for p, v := range b[j*k : (j+1)*k] {
			bt[p*n+j] = v
		}
	}
	kernelNN(m, n, k, a, bt, c, acc)
	scratch.Put(buf)
}

// scratch holds kernelTB's transposes, reused from step to step.
var scratch = sync.Pool{New: func() any { return new([]float32) }}

// axpy4x2 adds x0·B[0:4] to c0 and x1·B[0:4] to c1, where B holds four rows
// of length n back to back.
func axpy4x2(c0, c1, b []float32, n int, x00, x01, x02, x03, x10, x11, x12, x13 float32) {
	b0 := b[:n]
	b1 := b[n : 2*n]
	b2 := b[2*n : 3*n]
	b3 := b[3*n : 4*n]
	c1 = c1[:len(c0)]
	b0, b1, b2, b3 = b0[:len(c0)], b1[:len(c0)], b2[:len(c0)], b3[:len(c0)]
	for j := range c0 {
		v0, v1, v2, v3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] += x00*v0 + x01*v1 + x02*v2 + x03*v3
		c1[j] += x10*v0 + x11*v1 + x12*v2 + x13*v3
	}
}

// axpy4 adds x0·B[0] + … + x3·B[3] to c, where B holds four rows of
// length n back to back.
func axpy4(c, b []float32, n int, x0, x1, x2, x3 float32) {
	b0, b1, b2, b3 := b[:n], b[n:2*n], b[2*n:3*n], b[3*n:4*n]
	b0, b1, b2, b3 = b0[:len(c)], b1[:len(c)], b2[:len(c)], b3[:len(c)]
	for j := range c {
		c[j] += x0*b0[j] + x1*b1[j] + x2*b2[j] + x3*b3[j]
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
