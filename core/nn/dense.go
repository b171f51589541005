package nn

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// Dense is a fully connected layer y = x·W + b, with W in×out and b 1×out,
// or y = x·W when it has no bias (B is nil).
type Dense struct {
	W, B *Param

	x, y, dx *tensor.Mat
}

// NewDense returns an in→out dense layer initialised by init, or left at
// zero when rng is nil (a layer whose weights are about to be loaded).
func NewDense(name string, in, out int, init Init, rng *rand.Rand) *Dense {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: dense layer %s: shape %d→%d", name, in, out))
	}
	d := &Dense{W: newParam(name+".W", in, out), B: newParam(name+".b", 1, out)}
	if rng != nil {
		init(d.W.Value, in, out, rng)
	}
	return d
}

// InitBiasFanIn draws the bias from U(−1/√in, 1/√in), as PyTorch does
// (with a nil rng, it leaves the bias at zero).
func (d *Dense) InitBiasFanIn(rng *rand.Rand) {
	if rng != nil {
		FanIn(d.B.Value, d.In(), 1, rng)
	}
}

// NewLinear returns an in→out layer y = x·W with no bias, as in the linear
// autoencoder x̂ = U·V·x.
func NewLinear(name string, in, out int, init Init, rng *rand.Rand) *Dense {
	d := NewDense(name, in, out, init, rng)
	d.B = nil
	return d
}

// In and Out are the layer's input and output widths.
func (d *Dense) In() int  { return d.W.Value.Rows }
func (d *Dense) Out() int { return d.W.Value.Cols }

// Forward computes y = x·W + b.
func (d *Dense) Forward(x *tensor.Mat) *tensor.Mat {
	d.x = x
	d.y = tensor.Ensure(d.y, x.Rows, d.Out())
	tensor.Mul(d.y, x, d.W.Value) // (B, in)·(in, out) -> (B, out)
	if d.B != nil {
		d.y.AddRowVector(d.B.Value.Data)
	}
	return d.y
}

// Backward adds ∂L/∂W = xᵀ·dy and ∂L/∂b = Σ dy, and returns ∂L/∂x = dy·Wᵀ.
func (d *Dense) Backward(dy *tensor.Mat) *tensor.Mat {
	d.BackwardParams(dy)
	return d.BackwardInput(dy)
}

// BackwardInput returns ∂L/∂x = dy·Wᵀ and leaves the parameters'
// gradients alone.
func (d *Dense) BackwardInput(dy *tensor.Mat) *tensor.Mat {
	d.dx = tensor.Ensure(d.dx, dy.Rows, d.In())
	tensor.MulTB(d.dx, dy, d.W.Value) // (B, out)·(in, out)ᵀ -> (B, in)
	return d.dx
}

// BackwardParams adds ∂L/∂W = xᵀ·dy and ∂L/∂b = Σ dy, for a layer whose
// ∂L/∂x nobody needs.
func (d *Dense) BackwardParams(dy *tensor.Mat) {
	tensor.MulTAAdd(d.W.Grad, d.x, dy) // (B, in)ᵀ·(B, out) -> (in, out)
	if d.B != nil {
		dy.SumRowsInto(d.B.Grad.Data)
	}
}

// Params returns W and b (or W alone).
func (d *Dense) Params() []*Param {
	if d.B == nil {
		return []*Param{d.W}
	}
	return []*Param{d.W, d.B}
}
