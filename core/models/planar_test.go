package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/nn"
	"latentplay/core/nn/gradcheck"
	"latentplay/core/tensor"
)

// The lab's objective, data loss plus the L1 and L2 penalties, has the
// gradient Gradients computes, for both losses and mixed activations.
func TestPlanarGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	pts := data.Blobs(12, 3, 0.3, rng)
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	for _, loss := range []string{"ce", "mse"} {
		p, err := NewPlanar(PlanarConfig{Hidden: []int{4, 3}, Acts: []string{"tanh", "sigmoid"}, Classes: 3, Loss: loss, L1: 0.01, L2: 0.03}, rng)
		if err != nil {
			t.Fatal(err)
		}
		objective := func() float64 {
			l, _ := p.Evaluate(pts)
			return l + p.Penalty()
		}
		if worst, name, i := gradcheck.Check(checked(p.Net.Params()), objective, func() { p.Gradients(pts, idx) }, 1e-3); worst > 3e-3 {
			t.Errorf("%s: gradient of %s[%d] off by %.3g", loss, name, i, worst)
		}
	}
}

// Two hidden layers of 8 tanh units learn the two spirals from x₁ and x₂
// alone: at least 95% of the held-out half right (the network lab's
// defaults for this set).
func TestPlanarLearnsSpirals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	train, test := data.Spirals(500, 0, rng).Split(0.5, rng)
	p, err := NewPlanar(PlanarConfig{Hidden: []int{8, 8}, Acts: []string{"tanh", "tanh"}, Classes: 2, Loss: "ce"}, rng)
	if err != nil {
		t.Fatal(err)
	}
	opt := nn.NewAdam(0.01)
	first, _ := p.Evaluate(train)
	for range 1000 {
		perm := rng.Perm(train.Len())
		for i := 0; i < len(perm); i += 32 {
			p.Step(train, perm[i:min(i+32, len(perm))], opt)
		}
	}
	last, _ := p.Evaluate(train)
	_, acc := p.Evaluate(test)
	t.Logf("spirals, 2×8 tanh: train loss %.3f → %.3f, test accuracy %.3f", first, last, acc)
	if acc < 0.95 {
		t.Errorf("test accuracy %.3f, want ≥ 0.95", acc)
	}
}

func TestPlanarRefusesBadConfigs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, cfg := range []PlanarConfig{
		{Hidden: []int{8}, Acts: nil, Classes: 2, Loss: "ce"},
		{Hidden: []int{0}, Acts: []string{"tanh"}, Classes: 2, Loss: "ce"},
		{Hidden: []int{MaxPlanarUnits + 1}, Acts: []string{"tanh"}, Classes: 2, Loss: "ce"},
		{Hidden: []int{8}, Acts: []string{"tanh"}, Classes: 1, Loss: "ce"},
		{Hidden: []int{8}, Acts: []string{"softsign"}, Classes: 2, Loss: "ce"},
		{Hidden: []int{8}, Acts: []string{"tanh"}, Classes: 2, Loss: "hinge"},
		{Hidden: []int{8}, Acts: []string{"tanh"}, Classes: 2, Loss: "ce", L2: -1},
		{Hidden: []int{8}, Acts: []string{"tanh"}, Classes: 2, Loss: "ce", Features: []string{"x1", "cosx1"}},
		{Hidden: []int{8}, Acts: []string{"tanh"}, Classes: 2, Loss: "ce", Features: []string{"x1sq", "x1sq"}},
	} {
		if _, err := NewPlanar(cfg, rng); err == nil {
			t.Errorf("%+v was accepted", cfg)
		}
	}
}

// With x₁² and x₂² among its inputs a network with no hidden layer draws
// the circle it cannot draw from x₁ and x₂: the squared features make the
// two circles linearly separable.
func TestPlanarFeatures(t *testing.T) {
	accuracy := func(features []string) float64 {
		rng := rand.New(rand.NewPCG(3, 3))
		train, test := data.Circles(400, 0, rng).Split(0.5, rng)
		p, err := NewPlanar(PlanarConfig{Classes: 2, Loss: "ce", Features: features}, rng)
		if err != nil {
			t.Fatal(err)
		}
		opt := nn.NewAdam(0.05)
		for range 300 {
			perm := rng.Perm(train.Len())
			for i := 0; i < len(perm); i += 16 {
				p.Step(train, perm[i:min(i+16, len(perm))], opt)
			}
		}
		_, acc := p.Evaluate(test)
		return acc
	}
	plain, squares := accuracy(nil), accuracy([]string{"x1sq", "x2sq"})
	t.Logf("circles, no hidden layer: %.3f from x₁, x₂; %.3f from x₁², x₂²", plain, squares)
	if !(squares > 0.97) || !(plain < 0.8) {
		t.Errorf("test accuracy %.3f from x₁, x₂ and %.3f from their squares", plain, squares)
	}
	p, err := NewPlanar(PlanarConfig{Classes: 2, Loss: "ce", Features: PlanarFeatures}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	x := p.Inputs(tensor.FromSlice(1, 2, []float32{0.5, -2}))
	want := []float32{0.5, -2, 0.25, 4, -1, 1, float32(math.Sin(-2 * math.Pi))}
	for j, w := range want {
		if math.Abs(float64(x.Data[j]-w)) > 1e-6 {
			t.Errorf("feature %s of (0.5, −2) = %g, want %g", PlanarFeatures[j], x.Data[j], w)
		}
	}
}
