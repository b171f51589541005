package tensor

import "sync"

// Hand-written GEMM kernels for WebAssembly. V8 compiles each float32 local
// to a register, so the kernels keep a small block of A in locals and stream
// rows of B past it: four rows of B feed two rows of C, eight multiply-adds
// for every six loads and two stores.
//
// Zeros in A are skipped. For each pair of rows of A the kernel lists the
// columns where either row is nonzero and feeds only those rows of B:
// MNIST images are ~80% background, and a ReLU layer's output, and so the
// gradient behind it, is about half zero. Under V8 the listing costs
// nothing measurable on dense A; half zeros make the product 1.2× faster
// and 80% zeros 2.4× (BenchmarkGemmSparse).
//
// The slices are dense: A, B and C have no padding between rows.

// kernelNN computes C = A·B (or C += A·B when acc) with A m×k, B k×n, C m×n.
func kernelNN(m, n, k int, a, b, c []float32, acc bool) {
	buf := indexScratch.Get().(*[]int)
	if cap(*buf) < k {
		*buf = make([]int, k)
	}
	live := (*buf)[:k]
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
		a1 = a1[:len(a0)]
		q := 0 // live[:q] are the columns where a0 or a1 is nonzero
		for p := range a0 {
			live[q] = p
			if a0[p] != 0 || a1[p] != 0 {
				q++
			}
		}
		r := 0
		for ; r+4 <= q; r += 4 {
			p0, p1, p2, p3 := live[r], live[r+1], live[r+2], live[r+3]
			axpy4x2(c0, c1, b[p0*n:(p0+1)*n], b[p1*n:(p1+1)*n], b[p2*n:(p2+1)*n], b[p3*n:(p3+1)*n],
				a0[p0], a0[p1], a0[p2], a0[p3], a1[p0], a1[p1], a1[p2], a1[p3])
		}
		for ; r < q; r++ {
			p := live[r]
			axpy1(c0, b[p*n:(p+1)*n], a0[p])
			axpy1(c1, b[p*n:(p+1)*n], a1[p])
		}
	}
	indexScratch.Put(buf)
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
// It writes Aᵀ into a scratch buffer and runs kernelNN, whose zero skipping
// needs A's rows contiguous: the copy costs k·m moves against m·n·k
// multiply-adds.
func kernelTA(m, n, k int, a, b, c []float32, acc bool) {
	at := transpose(a, k, m)
	kernelNN(m, n, k, *at, b, c, acc)
	scratch.Put(at)
}

// kernelTB computes C = A·Bᵀ (or C += A·Bᵀ when acc) with A m×k, B n×k, C m×n.
// It writes Bᵀ into a scratch buffer and runs kernelNN: the copy costs n·k
// moves against m·n·k multiply-adds, and kernelNN's register blocking runs
// ~1.8× the dot-product form under V8 (BenchmarkGemm/TB).
func kernelTB(m, n, k int, a, b, c []float32, acc bool) {
	bt := transpose(b, n, k)
	kernelNN(m, n, k, a, *bt, c, acc)
	scratch.Put(bt)
}

// transpose returns the r×c matrix x transposed, in a buffer from scratch
// that the caller puts back.
func transpose(x []float32, r, c int) *[]float32 {
	buf := scratch.Get().(*[]float32)
	if cap(*buf) < r*c {
		*buf = make([]float32, r*c)
	}
	*buf = (*buf)[:r*c]
	xt := *buf
	for i := range r { // xt[j*r+i] = x[i*c+j]
		for j, v := range x[i*c : (i+1)*c] {
			xt[j*r+i] = v
		}
	}
	return buf
}

// scratch holds the kernels' transposes, and indexScratch kernelNN's lists
// of live columns, reused from step to step.
var (
	scratch      = sync.Pool{New: func() any { return new([]float32) }}
	indexScratch = sync.Pool{New: func() any { return new([]int) }}
)
