package tensor

import "fmt"

// AddRowVector adds the vector v (len Cols) to every row of m: m[i,:] += v.
// It is the bias add of a dense layer.
func (m *Mat) AddRowVector(v []float32) {
	if len(v) != m.Cols {
		panic(fmt.Sprintf("tensor: AddRowVector: %d values for %d columns", len(v), m.Cols))
	}
	for i := 0; i < m.Rows; i++ {
		axpy1(m.Data[i*m.Cols:(i+1)*m.Cols], v, 1) // 1·b is b exactly
	}
}

// SumRowsInto adds the column sums of m to dst: dst[j] += Σᵢ m[i,j].
// It is the bias gradient of a dense layer.
func (m *Mat) SumRowsInto(dst []float32) {
	if len(dst) != m.Cols {
		panic(fmt.Sprintf("tensor: SumRowsInto: %d values for %d columns", len(dst), m.Cols))
	}
	for i := 0; i < m.Rows; i++ {
		axpy1(dst, m.Data[i*m.Cols:(i+1)*m.Cols], 1)
	}
}

// Scale multiplies every element by s.
func (m *Mat) Scale(s float32) {
	for i := range m.Data {
		m.Data[i] *= s
	}
}

// Add sets m = m + b elementwise.
func (m *Mat) Add(b *Mat) {
	mustSameShape("Add", m, b)
	for i, x := range b.Data[:len(m.Data)] {
		m.Data[i] += x
	}
}

// AddScaled sets m = m + s·b elementwise.
func (m *Mat) AddScaled(s float32, b *Mat) {
	mustSameShape("AddScaled", m, b)
	for i, x := range b.Data[:len(m.Data)] {
		m.Data[i] += s * x
	}
}

// ArgmaxRow returns the column index of the largest value in row i.
func (m *Mat) ArgmaxRow(i int) int {
	row := m.Row(i)
	best := 0
	for j, v := range row {
		if v > row[best] {
			best = j
		}
	}
	return best
}

// Transpose returns mᵀ as a new matrix.
func (m *Mat) Transpose() *Mat {
	t := New(m.Cols, m.Rows)
	for i := 0; i < m.Rows; i++ {
		for j := 0; j < m.Cols; j++ {
			t.Data[j*m.Rows+i] = m.Data[i*m.Cols+j]
		}
	}
	return t
}

// AddScaled sets dst = dst + a·src, element by element; src must be at
// least as long as dst.
func AddScaled(dst, src []float32, a float32) { axpy1(dst, src, a) }

// Scale sets x = a·x, element by element.
func Scale(x []float32, a float32) { scale1(x, a) }
