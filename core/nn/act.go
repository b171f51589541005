package nn

import "latentplay/core/tensor"

// Act applies an activation elementwise: y = f(x).
type Act struct {
	A Activation

	x, y, dx *tensor.Mat
}

// NewAct returns a layer applying a.
func NewAct(a Activation) *Act { return &Act{A: a} }

// Forward computes y = f(x).
func (l *Act) Forward(x *tensor.Mat) *tensor.Mat {
	l.x = x
	l.y = tensor.Ensure(l.y, x.Rows, x.Cols)
	f, y := l.A.F, l.y.Data
	if l.A.Apply != nil {
		l.A.Apply(y, x.Data[:len(y)])
		return l.y
	}
	for i, v := range x.Data[:len(y)] {
		y[i] = f(v)
	}
	return l.y
}

// Backward returns ∂L/∂x = dy ⊙ f′(x).
func (l *Act) Backward(dy *tensor.Mat) *tensor.Mat {
	l.dx = tensor.Ensure(l.dx, dy.Rows, dy.Cols)
	dx := l.dx.Data
	if l.A.Backprop != nil {
		l.A.Backprop(dx, dy.Data[:len(dx)], l.x.Data[:len(dx)])
		return l.dx
	}
	d, x, y := l.A.D, l.x.Data[:len(dx)], l.y.Data[:len(dx)]
	for i, g := range dy.Data[:len(dx)] {
		dx[i] = g * d(x[i], y[i])
	}
	return l.dx
}

// Params is empty: an activation has nothing to learn.
func (l *Act) Params() []*Param { return nil }
