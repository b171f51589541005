//go:build amd64 && goexperiment.simd

package tensor

import (
	"runtime"
	"simd/archsimd"
	"sync"
)

// Natively on amd64, built with GOEXPERIMENT=simd (as the Makefile does),
// the products run on the register-tiled kernels of gemm_amd64_kernels.go
// when the CPU has AVX-512 or AVX2 with FMA: 5–10× gonum's blas32 on the
// shapes a VAE trains on (BenchmarkGemmSIMD). Otherwise blas32 stays.
//
// The scheme is the usual one (Goto & van de Geijn 2008, "Anatomy of
// high-performance matrix multiplication"): for each block of kc steps of
// k, op(B)'s block is packed into panels nr columns wide and op(A)'s into
// panels mr rows tall, each laid out in the order the micro-kernel reads
// it, so the kernel streams both with unit stride whatever the transposes;
// then every mr×nr tile of C is one micro-kernel call. Large products are
// split between the cores.

// A simdKernel is one instruction set's micro-kernel and its tile shape.
type simdKernel struct {
	name   string
	mr, nr int
	tile   func(kc int, ap, bp, c []float32, ldc int, acc bool)
}

var (
	kernelAVX512 = &simdKernel{name: "avx512", mr: 4, nr: 32, tile: tile4x32}
	kernelAVX2   = &simdKernel{name: "avx2", mr: 4, nr: 16, tile: tile4x16}
	// hostKernel is the best kernel this CPU runs, nil if none (then gonum).
	hostKernel = detectKernel()
)

func detectKernel() *simdKernel {
	switch {
	case archsimd.X86.AVX512() && archsimd.X86.FMA():
		return kernelAVX512
	case archsimd.X86.AVX2() && archsimd.X86.FMA():
		return kernelAVX2
	}
	return nil
}

// gemmHost is the native product: the SIMD kernels where the CPU has them.
func gemmHost(ta, tb bool, dst, a, b *Mat, acc bool) {
	if hostKernel == nil {
		gemmBLAS(ta, tb, dst, a, b, acc)
		return
	}
	gemmSIMD(hostKernel, ta, tb, dst, a, b, acc)
}

const (
	// kcMax bounds a block of k: the kc×32 panel of B every row panel of
	// A meets is then 32 KB, the size of L1, and a 4×kc panel of A 4 KB.
	// 128, 192 and 384 measured no better.
	kcMax = 256
	// parallelFlops is the smallest product (2mnk) split between cores;
	// below it starting a goroutine costs more than it saves.
	parallelFlops = 1 << 20
)

// gemmSIMD sets dst (+)= op(A)·op(B) with the kernel kern.
func gemmSIMD(kern *simdKernel, ta, tb bool, dst, a, b *Mat, acc bool) {
	m, n := dst.Rows, dst.Cols
	k := a.Cols
	if ta {
		k = a.Rows
	}
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !acc {
			dst.Zero()
		}
		return
	}
	if m == 1 { // a batch of one; op(A) is a.Data in either layout
		if tb {
			vecMatT(k, n, a.Data, b.Data, dst.Data, acc)
		} else {
			vecMat(k, n, a.Data, b.Data, dst.Data, acc)
		}
		return
	}
	p := product{kern: kern, m: m, n: n, k: k, a: a.Data, b: b.Data, c: dst.Data, acc: acc,
		ars: k, acs: 1, brs: n, bcs: 1}
	if ta {
		p.ars, p.acs = 1, m
	}
	if tb {
		p.brs, p.bcs = 1, k
	}
	workers := min(runtime.GOMAXPROCS(0), 2*m*n*k/parallelFlops)
	if workers <= 1 {
		p.block(0, m, 0, n)
		return
	}
	// Split along rows or columns, whichever packs less per worker: each
	// worker packs its share of one operand and all of the other.
	rowPanels, colPanels := ceilDiv(m, kern.mr), ceilDiv(n, kern.nr)
	byRows := k*n+m*k/workers < m*k+k*n/workers
	if byRows && rowPanels < workers || !byRows && colPanels < workers {
		byRows = !byRows
	}
	var wg sync.WaitGroup
	for w := range workers {
		var i0, i1, j0, j1 int
		if byRows {
			i0, i1, j0, j1 = w*rowPanels/workers*kern.mr, min(m, (w+1)*rowPanels/workers*kern.mr), 0, n
		} else {
			i0, i1, j0, j1 = 0, m, w*colPanels/workers*kern.nr, min(n, (w+1)*colPanels/workers*kern.nr)
		}
		if i0 >= i1 || j0 >= j1 {
			continue
		}
		if w == workers-1 {
			p.block(i0, i1, j0, j1)
			break
		}
		wg.Go(func() { p.block(i0, i1, j0, j1) })
	}
	wg.Wait()
}

// A product is one call's operands: op(A)[i][p] = a[i*ars+p*acs],
// op(B)[p][j] = b[p*brs+j*bcs], C[i][j] = c[i*n+j].
type product struct {
	kern               *simdKernel
	m, n, k            int
	a, b, c            []float32
	ars, acs, brs, bcs int
	acc                bool
}

// packing holds one worker's packed panels and its scratch tile.
type packing struct{ a, b, tile []float32 }

var packings = sync.Pool{New: func() any { return new(packing) }}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// block computes rows [i0, i1) × columns [j0, j1) of C.
func (p *product) block(i0, i1, j0, j1 int) {
	mr, nr := p.kern.mr, p.kern.nr
	buf := packings.Get().(*packing)
	defer packings.Put(buf)
	rows, cols := i1-i0, j1-j0
	rowPanels, colPanels := ceilDiv(rows, mr), ceilDiv(cols, nr)
	blocks := ceilDiv(p.k, kcMax)
	kcFull := ceilDiv(p.k, blocks) // equal blocks rather than a short last one
	buf.a = grow(buf.a, rowPanels*mr*kcFull)
	buf.b = grow(buf.b, colPanels*nr*kcFull)
	buf.tile = grow(buf.tile, mr*nr)
	for pc := 0; pc < p.k; pc += kcFull {
		kc := min(kcFull, p.k-pc)
		acc := p.acc || pc > 0
		p.packA(buf.a, i0, i1, pc, kc)
		p.packB(buf.b, j0, j1, pc, kc)
		for jp := range colPanels {
			j := j0 + jp*nr
			bp := buf.b[jp*nr*kc : (jp+1)*nr*kc]
			for ip := range rowPanels {
				i := i0 + ip*mr
				ap := buf.a[ip*mr*kc : (ip+1)*mr*kc]
				if i+mr <= i1 && j+nr <= j1 {
					p.kern.tile(kc, ap, bp, p.c[i*p.n+j:], p.n, acc)
					continue
				}
				// An edge tile: compute it whole, keep the part inside C.
				t := buf.tile
				p.kern.tile(kc, ap, bp, t, nr, false)
				for r := range min(mr, i1-i) {
					src, dst := t[r*nr:r*nr+min(nr, j1-j)], p.c[(i+r)*p.n+j:]
					if acc {
						for jj, v := range src {
							dst[jj] += v
						}
					} else {
						copy(dst, src)
					}
				}
			}
		}
	}
}

// packA lays rows [i0, i1) × steps [pc, pc+kc) of op(A) out as panels of
// mr rows, ap[panel][p][r], padding the last panel with zero rows.
func (p *product) packA(ap []float32, i0, i1, pc, kc int) {
	mr := p.kern.mr
	for i := i0; i < i1; i += mr {
		panel := ap[(i-i0)*kc : (i-i0+mr)*kc]
		h := min(mr, i1-i)
		if h < mr {
			clear(panel)
		}
		if p.ars == 1 { // Aᵀ·B: op(A)'s column pc+q is contiguous in row pc+q of A
			for q := range kc {
				at := (pc+q)*p.acs + i
				if h == 4 && mr == 4 { // an array copy, not a call to memmove
					*(*[4]float32)(panel[4*q:]) = *(*[4]float32)(p.a[at:])
				} else {
					copy(panel[q*mr:q*mr+h], p.a[at:at+h])
				}
			}
			continue
		}
		if p.acs == 1 && h == 4 && mr == 4 { // A·B: four rows of A, interleaved a step at a time
			at := i*p.ars + pc
			a0, a1, a2, a3 := p.a[at:at+kc], p.a[at+p.ars:at+p.ars+kc], p.a[at+2*p.ars:at+2*p.ars+kc], p.a[at+3*p.ars:at+3*p.ars+kc]
			for q := range kc {
				*(*[4]float32)(panel[4*q:]) = [4]float32{a0[q], a1[q], a2[q], a3[q]}
			}
			continue
		}
		for r := range h {
			at := (i+r)*p.ars + pc*p.acs
			if p.acs == 1 { // A·B: row i+r of A is contiguous
				for q, v := range p.a[at : at+kc] {
					panel[q*mr+r] = v
				}
			} else {
				for q := range kc {
					panel[q*mr+r] = p.a[at+q*p.acs]
				}
			}
		}
	}
}

// packB lays steps [pc, pc+kc) × columns [j0, j1) of op(B) out as panels
// of nr columns, bp[panel][p][j], padding the last panel with zero columns.
func (p *product) packB(bp []float32, j0, j1, pc, kc int) {
	nr := p.kern.nr
	for j := j0; j < j1; j += nr {
		panel := bp[(j-j0)*kc : (j-j0+nr)*kc]
		w := min(nr, j1-j)
		if w < nr {
			clear(panel)
		}
		if p.bcs == 1 { // Aᵀ·B and A·B: a row of B is contiguous
			for q := range kc {
				at := (pc+q)*p.brs + j
				switch { // array copies, not calls to memmove
				case w == 32 && nr == 32:
					*(*[32]float32)(panel[32*q:]) = *(*[32]float32)(p.b[at:])
				case w == 16 && nr == 16:
					*(*[16]float32)(panel[16*q:]) = *(*[16]float32)(p.b[at:])
				default:
					copy(panel[q*nr:q*nr+w], p.b[at:at+w])
				}
			}
			continue
		}
		// A·Bᵀ: column j+jj of op(B) is row j+jj of B; four at a time, so
		// each step writes four neighbours.
		jj := 0
		for ; jj+4 <= w; jj += 4 {
			at := (j+jj)*p.bcs + pc
			b0, b1, b2, b3 := p.b[at:at+kc], p.b[at+p.bcs:at+p.bcs+kc], p.b[at+2*p.bcs:at+2*p.bcs+kc], p.b[at+3*p.bcs:at+3*p.bcs+kc]
			for q := range kc {
				*(*[4]float32)(panel[q*nr+jj:]) = [4]float32{b0[q], b1[q], b2[q], b3[q]}
			}
		}
		for ; jj < w; jj++ {
			at := (j+jj)*p.bcs + pc
			for q, v := range p.b[at : at+kc] {
				panel[q*nr+jj] = v
			}
		}
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
