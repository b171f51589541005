package nn

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// Maxout is a layer whose every unit is the largest of k affine pieces
// (Goodfellow et al. 2013): yⱼ = maxₚ (x·W + b)ⱼₖ₊ₚ. It learns its own
// convex piecewise-linear activation.
type Maxout struct {
	Pieces int
	lin    *Dense

	y, dz *tensor.Mat
	arg   []int32 // index into z of the winning piece of each output
}

// NewMaxout returns an in→out maxout layer with k pieces per unit.
func NewMaxout(name string, in, out, k int, init Init, rng *rand.Rand) *Maxout {
	if k < 1 {
		panic(fmt.Sprintf("nn: maxout layer %s: %d pieces", name, k))
	}
	return &Maxout{Pieces: k, lin: NewDense(name, in, out*k, init, rng)}
}

// Out is the number of units.
func (m *Maxout) Out() int { return m.lin.Out() / m.Pieces }

// Forward computes the affine pieces and keeps the largest of each group.
func (m *Maxout) Forward(x *tensor.Mat) *tensor.Mat {
	z := m.lin.Forward(x) // (B, out·k)
	out, k := m.Out(), m.Pieces
	m.y = tensor.Ensure(m.y, x.Rows, out)
	if cap(m.arg) < len(m.y.Data) {
		m.arg = make([]int32, len(m.y.Data))
	}
	m.arg = m.arg[:len(m.y.Data)]
	for i := range m.y.Data {
		base := i * k
		best := base
		for p := base + 1; p < base+k; p++ {
			if z.Data[p] > z.Data[best] {
				best = p
			}
		}
		m.y.Data[i] = z.Data[best]
		m.arg[i] = int32(best)
	}
	return m.y
}

// Backward routes each output's gradient to its winning piece.
func (m *Maxout) Backward(dy *tensor.Mat) *tensor.Mat {
	m.dz = tensor.Ensure(m.dz, dy.Rows, dy.Cols*m.Pieces)
	m.dz.Zero()
	for i, g := range dy.Data {
		m.dz.Data[m.arg[i]] = g
	}
	return m.lin.Backward(m.dz)
}

// Params returns the pieces' weights and biases.
func (m *Maxout) Params() []*Param { return m.lin.Params() }
