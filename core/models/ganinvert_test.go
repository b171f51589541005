package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/tensor"
)

// The gradient Invert follows is InvertLoss's, checked against central
// finite differences (a step large enough for float32's rounding).
func TestInvertGradient(t *testing.T) {
	for _, classes := range []int{0, 3} {
		rng := rand.New(rand.NewPCG(1, 2))
		g, err := NewGAN(GANConfig{Inputs: 12, Hidden: []int{8, 10}, Latent: 4, Classes: classes, Slope: 0.2}, rng)
		if err != nil {
			t.Fatal(err)
		}
		x, z := tensor.New(3, 12), tensor.New(3, 4)
		for i := range x.Data {
			x.Data[i] = rng.Float32()
		}
		for i := range z.Data {
			z.Data[i] = float32(rng.NormFloat64())
		}
		var labels []uint8
		if classes > 0 {
			labels = []uint8{0, 2, 1}
		}
		grad := g.invertGradient(z, x, labels)
		const h = 1e-2
		for i := range z.Data {
			row := i / z.Cols
			was := z.Data[i]
			z.Data[i] = was + h
			up := g.InvertLoss(z, x, labels)[row]
			z.Data[i] = was - h
			down := g.InvertLoss(z, x, labels)[row]
			z.Data[i] = was
			num := (up - down) / (2 * h)
			if got := float64(grad.Data[i]); math.Abs(got-num) > 1e-3*math.Max(math.Abs(num), 1e-2) {
				t.Errorf("classes %d: ∂L/∂z[%d] = %g, finite differences %g", classes, i, got, num)
			}
		}
	}
}

// Invert finds a z whose image is an image G drew: given G(z*) for a z*
// from the prior, it lowers the loss from z = 0's far below, and leaves
// the generator's weights and gradients as they were.
func TestInvertFindsADrawnImage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	g, err := NewGAN(GANConfig{Inputs: 16, Hidden: []int{12, 16}, Latent: 3, Slope: 0.2}, rng)
	if err != nil {
		t.Fatal(err)
	}
	want := tensor.New(2, 3)
	for i := range want.Data {
		want.Data[i] = float32(rng.NormFloat64())
	}
	x := g.Generate(want, nil)
	before := g.Gen.Params()[0].Value.Clone()
	start := g.InvertLoss(tensor.New(2, 3), x, nil)
	z, img := g.Invert(x, nil, 400, 0.05)
	end := g.InvertLoss(z, x, nil)
	for i := range start {
		if !(end[i] < 0.01*start[i]) {
			t.Errorf("row %d: loss %g from z = 0, %g after the search", i, start[i], end[i])
		}
	}
	if img.Rows != 2 || img.Cols != 16 {
		t.Fatalf("image %d×%d", img.Rows, img.Cols)
	}
	for i, v := range g.Gen.Params()[0].Value.Data {
		if v != before.Data[i] {
			t.Fatal("the search changed the generator's weights")
		}
	}
	for _, p := range g.Gen.Params() {
		for _, v := range p.Grad.Data {
			if v != 0 {
				t.Fatalf("the search left a gradient in %s", p.Name)
			}
		}
	}
}
