package linearae

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/data"
	"latentplay/core/pca"
	"latentplay/core/tensor"
)

// pcaIters bounds FitPCA's iteration; on MNIST it settles in a few dozen.
const pcaIters = 300

// pcaSettled is the sine of the largest angle the leading subspace may
// still turn through in one pass for FitPCA to stop.
const pcaSettled = 2e-5

// pcaStalled is the turn below which a pass that turns the subspace
// almost as much as the last one means rounding, not convergence, is left.
const pcaStalled = 1e-3

// FitPCA finds the first k principal components of set, the subspace and
// directions pca.FitCovariance finds, in a fraction of its time: the
// covariance C = X̃ᵀX̃/(N−1) of the centred images by core/tensor's matrix
// kernels (float32, the engine's fast path), then only its leading
// eigenvectors, by subspace iteration with Rayleigh–Ritz (Golub & Van
// Loan, §8.2.4) on a block of 2k directions rather than the whole
// eigendecomposition. The extra directions make the leading k settle by
// λ₂ₖ₊₁/λₖ a pass. The PCA's Variances are the k found, largest first;
// each direction's sign makes its largest entry positive.
func FitPCA(set *data.Set, k int) (*pca.PCA, error) {
	n, d := set.N, set.Dim()
	if k < 1 || k > d || n < 2 {
		return nil, fmt.Errorf("linearae: %d components of %d images of %d values", k, n, d)
	}
	p := &pca.PCA{Mean: make([]float64, d)}
	set.EachImage(func(_ int, img []float32) {
		for j, v := range img {
			p.Mean[j] += float64(v)
		}
	})
	for j := range d {
		p.Mean[j] /= float64(n)
	}
	x := tensor.New(n, d)
	set.EachImage(func(i int, img []float32) {
		row := x.Row(i)
		for j, v := range img {
			row[j] = float32(float64(v) - p.Mean[j])
		}
	})
	c := tensor.New(d, d)
	tensor.MulTA(c, x, x) // (N, D)ᵀ·(N, D)
	c.Scale(float32(1 / float64(n-1)))

	b := min(2*k, d) // the block's directions
	v := tensor.New(b, d)
	for q := range b {
		for j := range d {
			v.Data[q*d+j] = float32(math.Sin(float64((q+1)*(j+1)) * 0.7071))
		}
	}
	orthonormalRows(v)
	z := tensor.New(b, d)
	h := tensor.New(b, b)
	var vals []float64
	var rot *mat.Dense
	last := math.Inf(1)
	prev := make([]float32, k*d)
	for it := range pcaIters {
		tensor.Mul(z, v, c)   // the rows of V·C, that is (C·Vᵀ)ᵀ: C is symmetric
		tensor.MulTB(h, z, v) // V·C·Vᵀ, the Ritz matrix
		vals, rot = ritz(h)
		// Turn the block to the Ritz directions, largest first: the
		// leading rows are then the best estimates of the leading
		// eigenvectors.
		copy(prev, v.Data[:k*d])
		ritzRows(v, rot)
		turn := turned(prev, v.Data[:k*d], k, d)
		// Settled, or stalled where float32 rounding stirs it as much as
		// a pass turns it.
		if it > 0 && (turn < pcaSettled || turn < pcaStalled && turn > 0.8*last) || it == pcaIters-1 {
			break
		}
		last = turn
		ritzRows(z, rot)
		v.CopyFrom(z)
		orthonormalRows(v)
	}
	p.Components = mat.NewDense(d, k, nil)
	p.Variances = vals[:k]
	for q := range k {
		row := v.Row(q)
		big := 0
		for j := range row {
			if math.Abs(float64(row[j])) > math.Abs(float64(row[big])) {
				big = j
			}
		}
		sign := 1.0
		if row[big] < 0 {
			sign = -1
		}
		for j := range d {
			p.Components.Set(j, q, sign*float64(row[j]))
		}
	}
	return p, nil
}

// ritz is the symmetric matrix h's eigenvalues, largest first, and its
// eigenvectors as the columns of a matrix in the same order.
func ritz(h *tensor.Mat) ([]float64, *mat.Dense) {
	b := h.Rows
	s := mat.NewSymDense(b, nil)
	for i := range b {
		for j := i; j < b; j++ {
			s.SetSym(i, j, (float64(h.At(i, j))+float64(h.At(j, i)))/2)
		}
	}
	var eig mat.EigenSym
	eig.Factorize(s, true)
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	order := make([]int, b)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, c int) bool { return vals[order[a]] > vals[order[c]] })
	out := make([]float64, b)
	rot := mat.NewDense(b, b, nil)
	for q, i := range order {
		out[q] = vals[i]
		for r := range b {
			rot.Set(r, q, vecs.At(r, i))
		}
	}
	return out, rot
}

// ritzRows replaces the rows of m by their combinations rotᵀ·m: row q
// becomes Σᵣ rot[r][q]·row r.
func ritzRows(m *tensor.Mat, rot *mat.Dense) {
	b, d := m.Rows, m.Cols
	out := make([]float64, b*d)
	for q := range b {
		o := out[q*d : (q+1)*d]
		for r := range b {
			w := rot.At(r, q)
			for j, x := range m.Row(r) {
				o[j] += w * float64(x)
			}
		}
	}
	for i, x := range out {
		m.Data[i] = float32(x)
	}
}

// orthonormalRows makes the rows of m orthonormal in order, by
// Gram–Schmidt done twice (in float64), keeping each leading span.
func orthonormalRows(m *tensor.Mat) {
	b, d := m.Rows, m.Cols
	rows := make([][]float64, b)
	for q := range b {
		rows[q] = make([]float64, d)
		for j, x := range m.Row(q) {
			rows[q][j] = float64(x)
		}
		for range 2 {
			for r := range q {
				var dot float64
				for j := range d {
					dot += rows[q][j] * rows[r][j]
				}
				for j := range d {
					rows[q][j] -= dot * rows[r][j]
				}
			}
		}
		var nn float64
		for _, x := range rows[q] {
			nn += x * x
		}
		nn = math.Sqrt(nn)
		for j := range d {
			rows[q][j] /= nn
			m.Data[q*d+j] = float32(rows[q][j])
		}
	}
}

// turned is the sine of the largest principal angle between the spans of
// the k rows of a and of b (orthonormal rows of d values each): the
// largest singular value of b's part outside a's span, B − (B·Aᵀ)·A. The
// sine, not the cosine, keeps small angles apart from float32 rounding.
func turned(a, b []float32, k, d int) float64 {
	r := make([]float64, k*d)
	for i := range k {
		bi := b[i*d : (i+1)*d]
		ri := r[i*d : (i+1)*d]
		for j, x := range bi {
			ri[j] = float64(x)
		}
		for q := range k {
			aq := a[q*d : (q+1)*d]
			var dot float64
			for t := range d {
				dot += float64(bi[t]) * float64(aq[t])
			}
			for t := range d {
				ri[t] -= dot * float64(aq[t])
			}
		}
	}
	g := mat.NewSymDense(k, nil)
	for i := range k {
		for j := i; j < k; j++ {
			var s float64
			for t := range d {
				s += r[i*d+t] * r[j*d+t]
			}
			g.SetSym(i, j, s)
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(g, false) {
		return 1
	}
	vals := eig.Values(nil)
	return math.Sqrt(math.Max(0, vals[len(vals)-1]))
}
