package tensor

import "fmt"

// Mat is a dense row-major float32 matrix: element (i, j) is Data[i*Cols+j].
type Mat struct {
	Rows, Cols int
	Data       []float32
}

// New returns a zeroed r×c matrix.
func New(r, c int) *Mat {
	if r < 0 || c < 0 {
		panic(fmt.Sprintf("tensor: negative shape %d×%d", r, c))
	}
	return &Mat{Rows: r, Cols: c, Data: make([]float32, r*c)}
}

// FromSlice wraps data as an r×c matrix without copying.
// It panics if len(data) != r*c.
func FromSlice(r, c int, data []float32) *Mat {
	if len(data) != r*c {
		panic(fmt.Sprintf("tensor: %d values for a %d×%d matrix", len(data), r, c))
	}
	return &Mat{Rows: r, Cols: c, Data: data}
}

// At returns element (i, j).
func (m *Mat) At(i, j int) float32 { return m.Data[i*m.Cols+j] }

// Set sets element (i, j) to v.
func (m *Mat) Set(i, j int, v float32) { m.Data[i*m.Cols+j] = v }

// Row returns row i as a slice sharing m's storage.
func (m *Mat) Row(i int) []float32 { return m.Data[i*m.Cols : (i+1)*m.Cols] }

// Len is the number of elements.
func (m *Mat) Len() int { return len(m.Data) }

// Clone returns a deep copy of m.
func (m *Mat) Clone() *Mat {
	c := New(m.Rows, m.Cols)
	copy(c.Data, m.Data)
	return c
}

// CopyFrom copies src into m; shapes must match.
func (m *Mat) CopyFrom(src *Mat) {
	mustSameShape("CopyFrom", m, src)
	copy(m.Data, src.Data)
}

// Zero sets every element to 0.
func (m *Mat) Zero() { clear(m.Data) }

// Reshape resizes m to r×c, reusing its storage when it is large enough.
// The contents are unspecified afterwards. It lets a layer keep one buffer
// across batches of different sizes without allocating.
func (m *Mat) Reshape(r, c int) {
	if cap(m.Data) < r*c {
		m.Data = make([]float32, r*c)
	}
	m.Rows, m.Cols, m.Data = r, c, m.Data[:r*c]
}

// Ensure returns m resized to r×c, allocating it when m is nil.
func Ensure(m *Mat, r, c int) *Mat {
	if m == nil {
		return New(r, c)
	}
	m.Reshape(r, c)
	return m
}

// SameShape reports whether a and b have the same shape.
func SameShape(a, b *Mat) bool { return a.Rows == b.Rows && a.Cols == b.Cols }

func mustSameShape(op string, a, b *Mat) {
	if !SameShape(a, b) {
		panic(fmt.Sprintf("tensor: %s: shapes %d×%d and %d×%d differ", op, a.Rows, a.Cols, b.Rows, b.Cols))
	}
}

// AllFinite reports whether m holds no NaN or ±Inf. Training checks all
// of a model's parameters after each step (627,000 values for the Train
// view's VAE), so the loop is a kernel: allFinite, in axpy.go and, on
// WebAssembly's lanes, axpy_simd.go.
func (m *Mat) AllFinite() bool { return allFinite(m.Data) }

func (m *Mat) String() string { return fmt.Sprintf("Mat(%d×%d)", m.Rows, m.Cols) }
