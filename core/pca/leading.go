package pca

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/tensor"
)

// Leading is the k leading principal directions of a set of points (the
// rows of a matrix): what Fit finds, without the full decomposition that
// Fit and FitCovariance pay for. Two directions of 784-pixel digits take
// Fit seconds; Leading takes a few matrix products.
type Leading struct {
	Mean       []float32
	Directions *tensor.Mat // k×D, orthonormal rows, largest variance first
	Variances  []float64   // the variance along each direction
	Total      float64     // the variance of all D coordinates together
}

// leadingIters bounds the subspace iteration; it stops far sooner once the
// leading directions settle.
const leadingIters = 500

// FitLeading finds the k leading principal directions of the rows of x by
// subspace iteration with Rayleigh–Ritz (Golub & Van Loan, §8.2.4): a
// block V of p = k+4 orthonormal directions is replaced by the orthonormal
// basis of CV, C = X̃ᵀX̃/(N−1) for the centred rows X̃, and rotated to the
// eigenvectors of VᵀCV, until the first k stop turning. Each pass is two
// products with X̃ (2·N·D·p multiply-adds) and C is never formed. The
// extra directions make the error shrink by λ_{p+1}/λ_k a pass rather than
// λ_{k+1}/λ_k. Each direction's sign is fixed so that its largest entry is
// positive, so that the same points give the same picture.
func FitLeading(x *tensor.Mat, k int) (*Leading, error) {
	n, d := x.Rows, x.Cols
	if k < 1 || k > d || n < 2 {
		return nil, fmt.Errorf("pca: %d leading directions of %d points in %d dimensions", k, n, d)
	}
	l := &Leading{Mean: make([]float32, d)}
	sum := make([]float64, d)
	for i := range n {
		for j, v := range x.Row(i) {
			sum[j] += float64(v)
		}
	}
	for j := range d {
		l.Mean[j] = float32(sum[j] / float64(n))
	}
	xc := tensor.New(n, d)
	for i := range n {
		row, c := x.Row(i), xc.Row(i)
		for j, v := range row {
			c[j] = v - l.Mean[j]
			l.Total += float64(c[j]) * float64(c[j]) / float64(n-1)
		}
	}
	p := min(k+4, d)
	// Start from directions that mix every coordinate, so that none is
	// orthogonal to the leading directions by accident.
	v := tensor.New(p, d) // rows are directions
	for q := range p {
		for j := range d {
			v.Data[q*d+j] = float32(math.Sin(float64((q+1)*(j+1)) * 0.7071))
		}
	}
	orthonormalRows(v)
	xv := tensor.New(n, p) // X̃·Vᵀ
	vt := tensor.New(d, p)
	prev := tensor.New(k, d)
	var vals []float64
	for it := 0; ; it++ {
		transposeInto(vt, v)
		tensor.Mul(xv, xc, vt) // (N, D)·(D, p)
		vals = ritz(v, xv, n)
		if it > 0 && settled(prev, v, k) || it == leadingIters-1 {
			break
		}
		copy(prev.Data, v.Data[:k*d])
		tensor.MulTA(vt, xc, xv) // (N, D)ᵀ·(N, p): C·Vᵀ, up to 1/(N−1)
		transposeInto(v, vt)
		orthonormalRows(v)
	}
	l.Directions = tensor.FromSlice(k, d, slices.Clone(v.Data[:k*d]))
	l.Variances = vals[:k]
	for q := range k {
		row := l.Directions.Row(q)
		big := 0
		for j, c := range row {
			if math.Abs(float64(c)) > math.Abs(float64(row[big])) {
				big = j
			}
		}
		if row[big] < 0 {
			for j := range row {
				row[j] = -row[j]
			}
		}
	}
	return l, nil
}

// Project writes each row of x in the leading directions: row i of the
// answer (a new N×k matrix) is Wᵀ(xᵢ − m).
func (l *Leading) Project(x *tensor.Mat) *tensor.Mat {
	k, d := l.Directions.Rows, l.Directions.Cols
	if x.Cols != d {
		panic(fmt.Sprintf("pca: Project of %d-wide rows onto %d-wide directions", x.Cols, d))
	}
	out := tensor.New(x.Rows, k)
	for i := range x.Rows {
		row := x.Row(i)
		for q := range k {
			var s float64
			for j, c := range l.Directions.Row(q) {
				s += float64(c) * float64(row[j]-l.Mean[j])
			}
			out.Data[i*k+q] = float32(s)
		}
	}
	return out
}

// Explained is the fraction of the variance the k directions hold.
func (l *Leading) Explained() float64 {
	if !(l.Total > 0) {
		return 0
	}
	var s float64
	for _, v := range l.Variances {
		s += v
	}
	return s / l.Total
}

// ritz rotates the orthonormal rows of v (p×D) to the eigenvectors of
// V·C·Vᵀ, largest eigenvalue first, given xv = X̃·Vᵀ (N×p, rotated along),
// and returns those eigenvalues: the variances along the rotated rows.
func ritz(v, xv *tensor.Mat, n int) []float64 {
	p, d := v.Rows, v.Cols
	h := mat.NewSymDense(p, nil)
	for a := range p {
		for b := a; b < p; b++ {
			var s float64
			for i := range n {
				s += float64(xv.Data[i*p+a]) * float64(xv.Data[i*p+b])
			}
			h.SetSym(a, b, s/float64(n-1))
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(h, true) {
		return make([]float64, p) // left as it is; the next pass tries again
	}
	vals := eig.Values(nil) // ascending
	var u mat.Dense
	eig.VectorsTo(&u)
	rot := make([]float64, p*d)
	for q := range p { // the q-th largest
		col := p - 1 - q
		for a := range p {
			c := u.At(a, col)
			for j, x := range v.Row(a) {
				rot[q*d+j] += c * float64(x)
			}
		}
	}
	for i, r := range rot {
		v.Data[i] = float32(r)
	}
	row := make([]float64, p)
	for i := range n {
		in := xv.Row(i)
		for q := range p {
			var s float64
			for a, x := range in {
				s += u.At(a, p-1-q) * float64(x)
			}
			row[q] = s
		}
		for q, s := range row {
			in[q] = float32(s)
		}
	}
	out := make([]float64, p)
	for q := range p {
		out[q] = math.Max(vals[p-1-q], 0)
	}
	return out
}

// settled reports whether each of the first k rows of v points along the
// same row of prev (up to sign): they differ by less than 10⁻⁵ rad, near
// what float32 products can tell apart.
func settled(prev, v *tensor.Mat, k int) bool {
	for q := range k {
		var dot, diff float64
		for j, a := range prev.Row(q) {
			dot += float64(a) * float64(v.Row(q)[j])
		}
		s := math.Copysign(1, dot)
		for j, a := range prev.Row(q) {
			e := float64(v.Row(q)[j]) - s*float64(a)
			diff += e * e
		}
		if diff > 1e-10 {
			return false
		}
	}
	return true
}

// orthonormalRows makes the rows of v orthonormal, in order (modified
// Gram–Schmidt, in float64).
func orthonormalRows(v *tensor.Mat) {
	p, d := v.Rows, v.Cols
	rows := make([][]float64, p)
	for q := range p {
		r := make([]float64, d)
		for j, x := range v.Row(q) {
			r[j] = float64(x)
		}
		// Twice, for what the first pass leaves of the earlier rows
		// ("twice is enough": Giraud et al. 2005).
		before := orthogonalise(r, nil)
		orthogonalise(r, rows[:q])
		norm := orthogonalise(r, rows[:q])
		// A direction the data lacks (nothing but rounding left of it):
		// any unit vector orthogonal to the rest does.
		for axis := 0; !(norm > 1e-6*before) && axis < d; axis++ {
			clear(r)
			r[axis] = 1
			before = 1
			orthogonalise(r, rows[:q])
			norm = orthogonalise(r, rows[:q])
		}
		for j := range r {
			r[j] /= norm
		}
		rows[q] = r
		for j, x := range r {
			v.Data[q*d+j] = float32(x)
		}
	}
}

// orthogonalise removes from r its parts along the orthonormal rows and
// returns the norm of what is left.
func orthogonalise(r []float64, rows [][]float64) float64 {
	for _, prev := range rows {
		var dot float64
		for j := range r {
			dot += r[j] * prev[j]
		}
		for j := range r {
			r[j] -= dot * prev[j]
		}
	}
	var norm float64
	for _, x := range r {
		norm += x * x
	}
	return math.Sqrt(norm)
}

// transposeInto writes aᵀ into dst (a.Cols×a.Rows).
func transposeInto(dst, a *tensor.Mat) {
	for i := range a.Rows {
		for j, x := range a.Row(i) {
			dst.Data[j*a.Rows+i] = x
		}
	}
}
