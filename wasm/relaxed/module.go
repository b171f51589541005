package relaxed

// The GEMM module. It computes C = op(A)·op(B), or C += op(A)·op(B), on
// float32 matrices that live in the Go instance's linear memory, with
// every multiply-add a relaxed SIMD f32x4.relaxed_madd: one fused
// instruction where the machine has one (x86 FMA3, Arm NEON), which Go's
// compiler cannot emit.
//
// Addresses are byte offsets into that memory. An element A(i,p) of op(A)
// sits at a + i·sai + p·sap, and B(p,j) of op(B) at b + p·sbp + j·sbj, so
// the same code reads A or Aᵀ, B or Bᵀ. C is dense, m×n, row-major.
//
// Two exports:
//
//	gemm(m, n, k, a, sai, sap, b, sbp, sbj, c, acc, scratch)
//	rows(m, n, k, a, sai, sap, b, c, acc, scratch)   (B dense k×n: sbp = 4n, sbj = 4)
//
// gemm is the blocked product (Goto & van de Geijn, "Anatomy of
// high-performance matrix multiplication", 2008, without the cache
// blocking of k, which the models' k ≤ 784 does not need). It copies B
// into panels of panelCols columns, k rows each, contiguous (the last
// panel padded with zeros), and A into panels of panelRows rows stored
// p-major: for each p, the byte offset of row p of a B panel, then the
// panel's panelRows entries of column p of A. A column whose entries are
// all zero is left out: MNIST pixels are ~80% background and ReLU outputs
// about half zero. The micro-kernel then holds a panelRows×panelCols block
// of C in v128 locals and walks one A panel against one B panel, eight
// fused multiply-adds for each two loads of B and four broadcasts of A.
//
// rows is the product for a few rows (a drawing is one): copying B would
// cost as much as the product, so each row of A is listed the same way
// (its nonzero entries with the byte offsets of the rows of B they
// multiply) and run against B in place, 32 columns of C at a time.

const (
	panelRows = 4  // rows of A, and of C, per micro-kernel
	panelCols = 8  // columns of B, and of C, per micro-kernel (two v128)
	rowCols   = 32 // columns of C per pass of one row (eight v128)
)

// gemmScratch is the scratch gemm needs, in bytes: the B panels, the A
// panels (each a 4-byte end address, then its entries), and one block of C.
func gemmScratch(m, n, k int) int {
	bPanels := (n + panelCols - 1) / panelCols * k * 4 * panelCols
	aPanels := (m + panelRows - 1) / panelRows * aPanelBytes(k)
	return bPanels + aPanels + panelRows*panelCols*4
}

// rowsScratch is the scratch rows needs, in bytes: one row's list.
func rowsScratch(k int) int { return k * 8 }

func aPanelBytes(k int) int { return 4 + k*entryBytes(panelRows) }

// entryBytes is the size of one column's entry for r rows of A: the B
// offset and r floats.
func entryBytes(r int) int { return 4 * (r + 1) }

// Module returns the module's bytes.
func Module() []byte {
	m := module{memory: true}

	var packA [panelRows + 1]int
	for r := 1; r <= panelRows; r++ {
		packA[r] = m.add(emitPackA(r))
	}
	packB := m.add(emitPackB())
	var kern [panelRows + 1]int
	for r := 1; r <= panelRows; r++ {
		kern[r] = m.add(emitKernel(r, panelCols/4))
	}
	tileIn := m.add(emitTileIn())
	tileOut := m.add(emitTileOut())
	m.add(emitGemm(packA, packB, kern, tileIn, tileOut))

	var rowKern [4]int // 32, 16, 8 and 4 columns
	for i := range rowKern {
		rowKern[i] = m.add(emitKernel(1, rowCols/4>>i))
	}
	rowS := m.add(emitScalarKernel())
	m.add(emitRows(packA[1], rowKern, rowS))
	return m.bytes()
}

// probeModule is probe()'s bytes, which the browser build carries instead
// of the assembler (asm_test.go holds them equal).
var probeModule = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b,
	0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20,
	0x02, 0xfd, 0x85, 0x02, 0x0b,
}

// probe is a function (v128, v128, v128) -> v128 that returns
// f32x4.relaxed_madd of its parameters: it validates exactly when the
// engine has relaxed SIMD.
func probe() []byte {
	var m module
	f := newFn("", []valType{v128, v128, v128}, []valType{v128})
	f.get(0)
	f.get(1)
	f.get(2)
	f.f32x4RelaxedMadd()
	m.add(f)
	return m.bytes()
}

var (
	i32s = func(n int) []valType {
		t := make([]valType, n)
		for i := range t {
			t[i] = i32
		}
		return t
	}
	one = []valType{i32}
)

// emitPackA lists r rows of A: packA(a, sai, sap, k, bstep, dst) -> end
// writes, for each p < k where some A(i,p) ≠ 0, the entry (p·bstep,
// A(0,p), …, A(r-1,p)) from dst on, and returns the address after the last.
func emitPackA(r int) *fn {
	f := newFn("", i32s(6), one)
	a, sai, sap, k, bstep, dst := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5)
	p, boff := f.local(i32), f.local(i32)
	rowOff := make([]local, r) // rowOff[i] = i·sai
	for i := 1; i < r; i++ {
		rowOff[i] = f.local(i32)
		f.get(sai)
		f.i32c(int32(i))
		f.i32mul()
		f.set(rowOff[i])
	}
	x := make([]local, r)
	for i := range x {
		x[i] = f.local(f32)
	}
	f.whileLtU(p, k, func() {
		f.get(dst)
		f.get(boff)
		f.i32store(0)
		for i := range r {
			f.get(a)
			if i > 0 {
				f.get(rowOff[i])
				f.i32add()
			}
			f.f32load(0)
			f.set(x[i])
			f.get(dst)
			f.get(x[i])
			f.f32store(uint32(4 + 4*i))
		}
		// dst += entry if any x ≠ 0: the next entry overwrites a dead one.
		f.get(dst)
		f.i32c(int32(entryBytes(r)))
		f.i32c(0)
		for i := range r {
			f.get(x[i])
			f.f32zero()
			f.f32ne()
			if i > 0 {
				f.i32or()
			}
		}
		f.selectValue()
		f.i32add()
		f.set(dst)
		f.addLocal(boff, bstep)
		f.addLocal(a, sap)
		f.addTo(p, 1)
	})
	f.get(dst)
	return f
}

// emitPackB copies op(B) into panels: packB(b, sbp, sbj, k, n, dst) writes
// panel J (columns 8J…8J+7) as k rows of 8 floats from dst + J·32k on,
// zeros past column n.
func emitPackB() *fn {
	f := newFn("", i32s(6), nil)
	b, sbp, sbj, k, n, dst := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5)
	j, p, w, src, s, col, at, k4 := f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)
	var rowOff [panelCols]local // rowOff[c] = c·sbj, c ≥ 1
	for c := 1; c < panelCols; c++ {
		rowOff[c] = f.local(i32)
		f.get(sbj)
		f.i32c(int32(c))
		f.i32mul()
		f.set(rowOff[c])
	}
	var v [panelCols]local
	for c := range v {
		v[c] = f.local(v128)
	}
	f.get(k)
	f.i32c(-4)
	f.i32and()
	f.set(k4)
	f.whileLtU(j, n, func() {
		f.minLeft(w, panelCols, n, j)
		// src = b + j·sbj
		f.get(b)
		f.get(j)
		f.get(sbj)
		f.i32mul()
		f.i32add()
		f.set(src)
		f.i32c(0)
		f.set(p)
		f.get(w)
		f.i32c(panelCols)
		f.i32eq()
		f.get(sbj)
		f.i32c(4)
		f.i32eq()
		f.i32and()
		f.if_()
		{ // a whole panel of B's rows: two v128 copies a row
			f.whileLtU(p, k, func() {
				for h := range uint32(2) {
					f.get(dst)
					f.get(src)
					f.v128load(16 * h)
					f.v128store(16 * h)
				}
				f.addTo(dst, 4*panelCols)
				f.addLocal(src, sbp)
				f.addTo(p, 1)
			})
		}
		f.else_()
		{ // A whole panel of Bᵀ's: 4×4 blocks transposed in registers, as
			// far as they go.
			f.get(w)
			f.i32c(panelCols)
			f.i32eq()
			f.get(sbp)
			f.i32c(4)
			f.i32eq()
			f.i32and()
			f.if_()
			f.whileLtU(p, k4, func() {
				emitTranspose8x4(f, src, dst, rowOff, v)
				f.addTo(p, 4)
			})
			f.end()
			// The rest of Bᵀ's, or the last panel: float by float, zeros
			// past column n.
			f.whileLtU(p, k, func() {
				f.get(src)
				f.set(s)
				f.i32c(0)
				f.set(col)
				f.loop()
				f.get(dst)
				f.get(col)
				f.i32c(4)
				f.i32mul()
				f.i32add()
				f.set(at)
				f.get(col)
				f.get(w)
				f.i32ltU()
				f.if_()
				f.get(at)
				f.get(s)
				f.f32load(0)
				f.f32store(0)
				f.else_()
				f.get(at)
				f.f32zero()
				f.f32store(0)
				f.end()
				f.addLocal(s, sbj)
				f.addTo(col, 1)
				f.get(col)
				f.i32c(panelCols)
				f.i32ltU()
				f.brIf(0)
				f.end()
				f.addTo(dst, 4*panelCols)
				f.addLocal(src, sbp)
				f.addTo(p, 1)
			})
		}
		f.end()
		f.addTo(j, panelCols)
	})
	return f
}

// emitTranspose8x4 copies four rows p…p+3 of a panel of Bᵀ (B stored by
// columns: the 8 columns at src + c·sbj, p contiguous) into the panel at
// dst: it loads 4 floats of each column and transposes two 4×4 blocks
// with shuffles. Then src += 16, dst += 128.
func emitTranspose8x4(f *fn, src, dst local, rowOff [panelCols]local, v [panelCols]local) {
	for c := range v {
		f.get(src)
		if c > 0 {
			f.get(rowOff[c])
			f.i32add()
		}
		f.v128load(0)
		f.set(v[c])
	}
	// For each half (columns 0–3, 4–7): t0 = (v0[0] v1[0] v0[1] v1[1]),
	// t1 = (v0[2] v1[2] v0[3] v1[3]), t2, t3 the same of v2, v3; then row q
	// of the block is (vc[q]) for c = 0…3.
	for half := range 2 {
		h := v[4*half : 4*half+4]
		f.get(h[0])
		f.get(h[1])
		f.shuffle32(0, 4, 1, 5)
		f.get(h[0])
		f.get(h[1])
		f.shuffle32(2, 6, 3, 7)
		f.get(h[2])
		f.get(h[3])
		f.shuffle32(0, 4, 1, 5)
		f.get(h[2])
		f.get(h[3])
		f.shuffle32(2, 6, 3, 7)
		// stack: t0 t1 t2 t3; keep them in h (their loads are spent)
		f.set(h[3])
		f.set(h[2])
		f.set(h[1])
		f.set(h[0])
		for q, pair := range [4][2]int{{0, 2}, {0, 2}, {1, 3}, {1, 3}} {
			f.get(dst)
			f.get(h[pair[0]])
			f.get(h[pair[1]])
			if q%2 == 0 {
				f.shuffle32(0, 1, 4, 5)
			} else {
				f.shuffle32(2, 3, 6, 7)
			}
			f.v128store(uint32(32*q + 16*half))
		}
	}
	f.addTo(src, 16)
	f.addTo(dst, 4*4*panelCols)
}

// emitKernel is the micro-kernel for r rows and 4v columns of C:
// kern(e, end, bp, c, ldc, acc) walks the entries [e, end) of a list of r
// rows of A and adds, for each, A(·,p) times the 4v floats at bp +
// offset to the block of C at c (rows ldc bytes apart), which it first
// zeroes unless acc.
func emitKernel(r, v int) *fn {
	f := newFn("", i32s(6), nil)
	e, end, bp, c, ldc, acc := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5)
	row := make([]local, r) // row[i] = c + i·ldc
	row[0] = c
	for i := 1; i < r; i++ {
		row[i] = f.local(i32)
		f.get(row[i-1])
		f.get(ldc)
		f.i32add()
		f.set(row[i])
	}
	bb := f.local(i32)
	sum := make([][]local, r) // the block of C; v128 locals start at zero
	for i := range sum {
		sum[i] = make([]local, v)
		for h := range sum[i] {
			sum[i][h] = f.local(v128)
		}
	}
	bv := make([]local, v)
	for h := range bv {
		bv[h] = f.local(v128)
	}
	av := f.local(v128)
	f.get(acc)
	f.if_()
	for i := range r {
		for h := range v {
			f.get(row[i])
			f.v128load(uint32(16 * h))
			f.set(sum[i][h])
		}
	}
	f.end()
	f.whileLtU(e, end, func() {
		f.get(bp)
		f.get(e)
		f.i32load(0)
		f.i32add()
		f.set(bb)
		for h := range v {
			f.get(bb)
			f.v128load(uint32(16 * h))
			f.set(bv[h])
		}
		for i := range r {
			f.get(e)
			f.v128load32splat(uint32(4 + 4*i))
			f.set(av)
			for h := range v {
				f.get(av)
				f.get(bv[h])
				f.get(sum[i][h])
				f.f32x4RelaxedMadd() // sum += a·b
				f.set(sum[i][h])
			}
		}
		f.addTo(e, int32(entryBytes(r)))
	})
	for i := range r {
		for h := range v {
			f.get(row[i])
			f.get(sum[i][h])
			f.v128store(uint32(16 * h))
		}
	}
	return f
}

// emitScalarKernel is the kernel for one row and one column of C, for the
// columns past the last multiple of 4: kern(e, end, bp, c, ldc, acc) as
// emitKernel's, ldc unused.
func emitScalarKernel() *fn {
	f := newFn("", i32s(6), nil)
	e, end, bp, c, acc := f.param(0), f.param(1), f.param(2), f.param(3), f.param(5)
	s := f.local(f32)
	f.get(acc)
	f.if_()
	f.get(c)
	f.f32load(0)
	f.set(s)
	f.end()
	f.whileLtU(e, end, func() {
		f.get(bp)
		f.get(e)
		f.i32load(0)
		f.i32add()
		f.f32load(0)
		f.get(e)
		f.f32load(4)
		f.f32mul()
		f.get(s)
		f.f32add()
		f.set(s)
		f.addTo(e, int32(entryBytes(1)))
	})
	f.get(c)
	f.get(s)
	f.f32store(0)
	return f
}

// emitTileIn fills the block buffer for the last, narrower panel of
// columns: tileIn(c, ldc, rows, w, tile, acc) copies C's rows×w block at c
// into tile (rows 32 bytes apart) if acc, zeros elsewhere.
func emitTileIn() *fn {
	f := newFn("", i32s(6), nil)
	c, ldc, rows, w, tile, acc := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4), f.param(5)
	i, col, at := f.local(i32), f.local(i32), f.local(i32)
	f.whileLtU(i, rows, func() {
		f.i32c(0)
		f.set(col)
		f.loop()
		f.get(tile)
		f.get(col)
		f.i32c(4)
		f.i32mul()
		f.i32add()
		f.set(at)
		f.get(acc)
		f.get(col)
		f.get(w)
		f.i32ltU()
		f.i32and()
		f.if_()
		f.get(at)
		f.get(c)
		f.get(col)
		f.i32c(4)
		f.i32mul()
		f.i32add()
		f.f32load(0)
		f.f32store(0)
		f.else_()
		f.get(at)
		f.f32zero()
		f.f32store(0)
		f.end()
		f.addTo(col, 1)
		f.get(col)
		f.i32c(panelCols)
		f.i32ltU()
		f.brIf(0)
		f.end()
		f.addLocal(c, ldc)
		f.addTo(tile, 4*panelCols)
		f.addTo(i, 1)
	})
	return f
}

// emitTileOut copies the block buffer's rows×w floats back into C:
// tileOut(c, ldc, rows, w, tile).
func emitTileOut() *fn {
	f := newFn("", i32s(5), nil)
	c, ldc, rows, w, tile := f.param(0), f.param(1), f.param(2), f.param(3), f.param(4)
	i, col := f.local(i32), f.local(i32)
	f.whileLtU(i, rows, func() {
		f.i32c(0)
		f.set(col)
		f.whileLtU(col, w, func() {
			f.get(c)
			f.get(col)
			f.i32c(4)
			f.i32mul()
			f.i32add()
			f.get(tile)
			f.get(col)
			f.i32c(4)
			f.i32mul()
			f.i32add()
			f.f32load(0)
			f.f32store(0)
			f.addTo(col, 1)
		})
		f.addLocal(c, ldc)
		f.addTo(tile, 4*panelCols)
		f.addTo(i, 1)
	})
	return f
}

// emitGemm is the export gemm (see the top of this file).
func emitGemm(packA [panelRows + 1]int, packB int, kern [panelRows + 1]int, tileIn, tileOut int) *fn {
	f := newFn("gemm", i32s(12), nil)
	m, n, k := f.param(0), f.param(1), f.param(2)
	a, sai, sap := f.param(3), f.param(4), f.param(5)
	b, sbp, sbj := f.param(6), f.param(7), f.param(8)
	c, acc, scratch := f.param(9), f.param(10), f.param(11)
	ldc, bPanel, aPanels, aPanel, tile := f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)
	i, j, q, mFull, rest, w, bp, cij := f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)

	set := func(l local, emit func()) { emit(); f.set(l) }
	set(ldc, func() { f.get(n); f.i32c(4); f.i32mul() })
	set(bPanel, func() { f.get(k); f.i32c(4 * panelCols); f.i32mul() })
	set(aPanel, func() { f.get(k); f.i32c(int32(entryBytes(panelRows))); f.i32mul(); f.i32c(4); f.i32add() })
	set(mFull, func() { f.get(m); f.i32c(panelRows); f.i32divU(); f.i32c(panelRows); f.i32mul() })
	set(rest, func() { f.get(m); f.get(mFull); f.i32sub() })
	// B's panels from scratch on, then A's, then the block buffer.
	f.get(b)
	f.get(sbp)
	f.get(sbj)
	f.get(k)
	f.get(n)
	f.get(scratch)
	f.call(packB)
	set(aPanels, func() {
		f.get(scratch)
		f.get(n)
		f.i32c(panelCols - 1)
		f.i32add()
		f.i32c(-panelCols)
		f.i32and()
		f.get(k)
		f.i32mul()
		f.i32c(4)
		f.i32mul()
		f.i32add()
	})
	// packs one panel of r rows starting at row i into q
	pack := func(r int) {
		f.get(q)
		f.get(a)
		f.get(i)
		f.get(sai)
		f.i32mul()
		f.i32add()
		f.get(sai)
		f.get(sap)
		f.get(k)
		f.i32c(4 * panelCols)
		f.get(q)
		f.i32c(4)
		f.i32add()
		f.call(packA[r])
		f.i32store(0)
	}
	f.get(aPanels)
	f.set(q)
	f.whileLtU(i, mFull, func() {
		pack(panelRows)
		f.addLocal(q, aPanel)
		f.addTo(i, panelRows)
	})
	for r := 1; r < panelRows; r++ {
		f.get(rest)
		f.i32c(int32(r))
		f.i32eq()
		f.if_()
		pack(r)
		f.end()
	}
	set(tile, func() { f.get(q); f.get(aPanel); f.i32add() })

	// runs the r-row panel at q against the B panel at bp into C at cij
	run := func(r int) {
		f.get(w)
		f.i32c(panelCols)
		f.i32eq()
		f.if_()
		f.get(q)
		f.i32c(4)
		f.i32add()
		f.get(q)
		f.i32load(0)
		f.get(bp)
		f.get(cij)
		f.get(ldc)
		f.get(acc)
		f.call(kern[r])
		f.else_()
		f.get(cij)
		f.get(ldc)
		f.i32c(int32(r))
		f.get(w)
		f.get(tile)
		f.get(acc)
		f.call(tileIn)
		f.get(q)
		f.i32c(4)
		f.i32add()
		f.get(q)
		f.i32load(0)
		f.get(bp)
		f.get(tile)
		f.i32c(4 * panelCols)
		f.i32c(1)
		f.call(kern[r])
		f.get(cij)
		f.get(ldc)
		f.i32c(int32(r))
		f.get(w)
		f.get(tile)
		f.call(tileOut)
		f.end()
	}
	f.get(scratch)
	f.set(bp)
	f.whileLtU(j, n, func() {
		f.minLeft(w, panelCols, n, j)
		set(cij, func() { f.get(c); f.get(j); f.i32c(4); f.i32mul(); f.i32add() })
		f.get(aPanels)
		f.set(q)
		f.i32c(0)
		f.set(i)
		f.whileLtU(i, mFull, func() {
			run(panelRows)
			f.addLocal(q, aPanel)
			f.addTo(i, panelRows)
			f.get(cij)
			f.get(ldc)
			f.i32c(panelRows)
			f.i32mul()
			f.i32add()
			f.set(cij)
		})
		for r := 1; r < panelRows; r++ {
			f.get(rest)
			f.i32c(int32(r))
			f.i32eq()
			f.if_()
			run(r)
			f.end()
		}
		f.addLocal(bp, bPanel)
		f.addTo(j, panelCols)
	})
	return f
}

// emitRows is the export rows (see the top of this file).
func emitRows(packA1 int, kern [4]int, kernS int) *fn {
	f := newFn("rows", i32s(10), nil)
	m, n, k := f.param(0), f.param(1), f.param(2)
	a, sai, sap := f.param(3), f.param(4), f.param(5)
	b, c, acc, scratch := f.param(6), f.param(7), f.param(8), f.param(9)
	ldc, i, j, end, nw := f.local(i32), f.local(i32), f.local(i32), f.local(i32), f.local(i32)
	f.get(n)
	f.i32c(4)
	f.i32mul()
	f.set(ldc)
	f.whileLtU(i, m, func() {
		f.get(a)
		f.get(sai)
		f.get(sap)
		f.get(k)
		f.get(ldc)
		f.get(scratch)
		f.call(packA1)
		f.set(end)
		call := func(kern int) {
			f.get(scratch)
			f.get(end)
			f.get(b)
			f.get(j)
			f.i32c(4)
			f.i32mul()
			f.i32add()
			f.get(c)
			f.get(j)
			f.i32c(4)
			f.i32mul()
			f.i32add()
			f.get(ldc)
			f.get(acc)
			f.call(kern)
		}
		f.i32c(0)
		f.set(j)
		// 32 columns at a time, then at most one pass each of 16, 8 and 4
		// columns, then one column at a time.
		for w, kern := range kern {
			width := int32(rowCols >> w)
			f.get(n)
			f.i32c(-width)
			f.i32and()
			f.set(nw)
			if w == 0 {
				f.whileLtU(j, nw, func() { call(kern); f.addTo(j, width) })
				continue
			}
			f.get(j)
			f.get(nw)
			f.i32ltU()
			f.if_()
			call(kern)
			f.addTo(j, width)
			f.end()
		}
		f.whileLtU(j, n, func() { call(kernS); f.addTo(j, 1) })
		f.addLocal(a, sai)
		f.addLocal(c, ldc)
		f.addTo(i, 1)
	})
	return f
}
