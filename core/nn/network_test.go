package nn

import (
	"math/rand/v2"
	"testing"

	"latentplay/core/tensor"
)

// TestBackwardInputIsBackwardWithoutParams: BackwardInput gives the ∂L/∂x
// Backward gives and adds nothing to any parameter's gradient.
func TestBackwardInputIsBackwardWithoutParams(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	n := NewMLP("n", []int{5, 7, 3}, LeakyReLU(0.2), rng)
	x, dy := tensor.New(4, 5), tensor.New(4, 3)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	for i := range dy.Data {
		dy.Data[i] = float32(rng.NormFloat64())
	}
	n.Forward(x)
	want := n.Backward(dy).Clone()
	ZeroGrads(n.Params())
	n.Forward(x)
	got := n.BackwardInput(dy)
	for i := range want.Data {
		if got.Data[i] != want.Data[i] {
			t.Fatalf("∂L/∂x[%d] = %g, Backward gives %g", i, got.Data[i], want.Data[i])
		}
	}
	for _, p := range n.Params() {
		for _, g := range p.Grad.Data {
			if g != 0 {
				t.Fatalf("BackwardInput left a gradient in %s", p.Name)
			}
		}
	}
}
