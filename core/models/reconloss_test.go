package models

import (
	"math/rand/v2"
	"testing"

	"latentplay/core/nn"
	"latentplay/core/nn/gradcheck"
	"latentplay/core/tensor"
)

// ReconLoss's gradient is its loss's (finite differences in z), each
// row's loss is −log p(x|z) of that row alone, and the decoder's weight
// gradients stay zero.
func TestReconLossGradient(t *testing.T) {
	v, err := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 3}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	x := images(1, 6, 4).Data
	z := images(4, 3, 5)
	for i := range z.Data {
		z.Data[i] = 2*z.Data[i] - 0.5
	}
	f := v.ReconLoss(x)
	total := func() float64 { // Σ over rows: its gradient stacks the rows'
		loss, _ := f(z)
		var s float64
		for _, l := range loss {
			s += float64(l)
		}
		return s
	}
	_, grad := f(z)
	ps := []gradcheck.Param{{Name: "z", Value: z.Data, Grad: grad.Data}}
	if worst, _, i := gradcheck.Check(ps, total, func() { _, g := f(z); copy(grad.Data, g.Data) }, 1e-3); worst > 3e-3 {
		t.Errorf("∂L/∂z[%d] off by %.3g", i, worst)
	}
	loss, _ := f(z)
	for i := range z.Rows {
		one := v.Dec.Forward(tensor.FromSlice(1, 3, z.Row(i)))
		if want := nn.BCEWithLogits.Eval(one, tensor.FromSlice(1, 6, x), nil); float32(want) != loss[i] {
			t.Errorf("row %d: loss %v, −log p(x|z) alone %v", i, loss[i], want)
		}
	}
	for _, p := range v.Dec.Params() {
		for _, g := range p.Grad.Data {
			if g != 0 {
				t.Fatalf("the decoder's %s kept a gradient", p.Name)
			}
		}
	}
}
