package nn

import (
	"math/rand/v2"

	"latentplay/core/tensor"
)

// Curve is a unit of one input as the activation lab plots it: its output
// and its derivative at every value of a column of inputs.
type Curve struct {
	F func(z []float32) []float32 // f at each z (a new slice)
	D func(z []float32) []float32 // f′ at each z (a new slice)
}

// CurveOf is activation a as a curve.
func CurveOf(a Activation) Curve {
	act := NewAct(a)
	f := func(z []float32) []float32 { return act.Forward(column(z)).Clone().Data }
	return Curve{
		F: f,
		D: func(z []float32) []float32 {
			y := f(z)
			d := make([]float32, len(z))
			for i, x := range z {
				d[i] = a.D(x, y[i])
			}
			return d
		},
	}
}

// MaxoutCurve is a maxout unit of one input with k pieces: the tangents
// of z²/2 at k points evenly spaced over [−1, 1] (one piece: the line z),
// so that more pieces bend it closer to a curve, as training would shape
// it. Its derivative is the winning piece's slope (at a tie, the first
// piece's).
func MaxoutCurve(k int) Curve {
	m := NewMaxout("maxout", 1, 1, k, Xavier, rand.New(rand.NewPCG(1, 1)))
	ps := m.Params() // W: 1×k slopes, b: 1×k intercepts
	for p := range k {
		s := float32(1)
		if k > 1 {
			s = -1 + 2*float32(p)/float32(k-1)
		}
		ps[0].Value.Data[p] = s          // the tangent at s has slope s…
		ps[1].Value.Data[p] = -s * s / 2 // …and meets z²/2 there
	}
	if k == 1 {
		ps[1].Value.Data[0] = 0
	}
	return Curve{
		F: func(z []float32) []float32 { return m.Forward(column(z)).Clone().Data },
		D: func(z []float32) []float32 {
			// The backward pass of dy = 1 routes it to the winning piece.
			m.Forward(column(z))
			ones := tensor.New(len(z), 1)
			for i := range ones.Data {
				ones.Data[i] = 1
			}
			ZeroGrads(m.Params())
			return m.Backward(ones).Clone().Data
		},
	}
}

func column(z []float32) *tensor.Mat { return tensor.FromSlice(len(z), 1, z) }

// Sample is f and f′ at n ≥ 2 values of z evenly spaced over [lo, hi],
// both ends included.
func (c Curve) Sample(lo, hi float32, n int) (f, d []float32) {
	z := make([]float32, n)
	for i := range z {
		z[i] = lo + (hi-lo)*float32(i)/float32(n-1)
	}
	return c.F(z), c.D(z)
}

// Neuron is the output f(w₁x₁ + w₂x₂ + b) of a neuron of two inputs on an
// n×n raster of [−1, 1]², row by row from the top (x₂ near 1), x₁ rising
// along each row, every cell taken at its centre.
func (c Curve) Neuron(w1, w2, b float32, n int) []float32 {
	net := make([]float32, n*n)
	for i := range n {
		x2 := 1 - 2*(float32(i)+0.5)/float32(n)
		for j := range n {
			x1 := -1 + 2*(float32(j)+0.5)/float32(n)
			net[i*n+j] = w1*x1 + w2*x2 + b
		}
	}
	return c.F(net)
}
