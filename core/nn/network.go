package nn

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// Layer is one stage of a network; see the package comment for the protocol.
type Layer interface {
	Forward(x *tensor.Mat) *tensor.Mat
	Backward(dy *tensor.Mat) *tensor.Mat
	Params() []*Param
}

// Network is a stack of layers applied in order.
type Network struct {
	Layers []Layer
}

// Forward runs x through every layer.
func (n *Network) Forward(x *tensor.Mat) *tensor.Mat {
	for _, l := range n.Layers {
		x = l.Forward(x)
	}
	return x
}

// Backward runs ∂L/∂y back through every layer and returns ∂L/∂x.
func (n *Network) Backward(dy *tensor.Mat) *tensor.Mat {
	for i := len(n.Layers) - 1; i >= 0; i-- {
		dy = n.Layers[i].Backward(dy)
	}
	return dy
}

// BackwardParams runs ∂L/∂y back through every layer for the parameters'
// gradients alone: the first layer reads the data, so nothing needs its
// ∂L/∂x, and a dense layer skips that product (a third of its backward
// work; a sixth of a VAE step).
func (n *Network) BackwardParams(dy *tensor.Mat) {
	for i := len(n.Layers) - 1; i > 0; i-- {
		dy = n.Layers[i].Backward(dy)
	}
	if len(n.Layers) == 0 {
		return
	}
	if d, ok := n.Layers[0].(interface{ BackwardParams(*tensor.Mat) }); ok {
		d.BackwardParams(dy)
		return
	}
	n.Layers[0].Backward(dy)
}

// BackwardInput runs ∂L/∂y back through every layer for ∂L/∂x alone,
// adding nothing to the parameters' gradients: how a loss reaches what
// feeds a network that is not being trained by it (a GAN's generator
// learns through its discriminator this way). Dense layers skip their
// parameters' products; other layers run their Backward.
func (n *Network) BackwardInput(dy *tensor.Mat) *tensor.Mat {
	for i := len(n.Layers) - 1; i >= 0; i-- {
		if d, ok := n.Layers[i].(interface{ BackwardInput(*tensor.Mat) *tensor.Mat }); ok {
			dy = d.BackwardInput(dy)
			continue
		}
		dy = n.Layers[i].Backward(dy)
	}
	return dy
}

// Params gathers every layer's parameters, in layer order.
func (n *Network) Params() []*Param {
	var ps []*Param
	for _, l := range n.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// SetTraining switches layers that behave differently while training
// (dropout) between training and inference.
func (n *Network) SetTraining(on bool) {
	for _, l := range n.Layers {
		if t, ok := l.(interface{ SetTraining(bool) }); ok {
			t.SetTraining(on)
		}
	}
}

// NewMLP stacks dense layers of the given widths, with act after every
// hidden layer and none after the last (its output is logits or a linear
// read-out, for the loss to interpret).
func NewMLP(name string, widths []int, act Activation, rng *rand.Rand) *Network {
	n := &Network{}
	for i := 0; i+1 < len(widths); i++ {
		last := i+2 == len(widths)
		init := InitFor(act)
		if last {
			init = Xavier
		}
		n.Layers = append(n.Layers, NewDense(layerName(name, i), widths[i], widths[i+1], init, rng))
		if !last {
			n.Layers = append(n.Layers, NewAct(act))
		}
	}
	return n
}

func layerName(prefix string, i int) string {
	return fmt.Sprintf("%s.%d", prefix, i)
}
