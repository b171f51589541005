package models

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/nn"
	"latentplay/core/nn/gradcheck"
	"latentplay/core/tensor"
)

func tinyGAN(t *testing.T, classes int, seed uint64) *GAN {
	t.Helper()
	g, err := NewGAN(GANConfig{Inputs: 6, Hidden: []int{5, 4}, Latent: 3, Classes: classes, Slope: 0.2, Dropout: 0.3}, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func gaussian(rows, cols int, seed uint64) *tensor.Mat {
	rng := rand.New(rand.NewPCG(seed, 3))
	z := tensor.New(rows, cols)
	for i := range z.Data {
		z.Data[i] = float32(rng.NormFloat64())
	}
	return z
}

func allZero(ps []*nn.Param) bool {
	for _, p := range ps {
		for _, g := range p.Grad.Data {
			if g != 0 {
				return false
			}
		}
	}
	return true
}

// TestGANGradients checks both players' gradients against finite
// differences, with dropout off (it is on only inside Step): the
// discriminator's L_D in its own weights for fixed drawn images, and the
// generator's L_G in its weights through the discriminator.
func TestGANGradients(t *testing.T) {
	for _, classes := range []int{0, 3} {
		g := tinyGAN(t, classes, 7)
		x, z := images(4, 6, 2), gaussian(4, 3, 5)
		var labels []uint8
		if classes > 0 {
			labels = fourLabels
		}
		fake := g.generate(z, labels).Clone()

		dLoss := func() float64 { return g.discGradient(x, fake, labels, nil, false) }
		dGrads := func() { nn.ZeroGrads(g.Params()); g.discGradient(x, fake, labels, nil, true) }
		if worst, name, i := gradcheck.Check(checked(g.DisParams()), dLoss, dGrads, 1e-3); worst > 3e-3 {
			t.Errorf("%s: L_D's gradient of %s[%d] off by %.3g", g.Kind(), name, i, worst)
		}
		dGrads()
		if !allZero(g.GenParams()) {
			t.Errorf("%s: the discriminator's loss changed the generator's gradients", g.Kind())
		}

		gLoss := func() float64 { return g.genGradient(g.generate(z, labels), labels, false) }
		gGrads := func() { nn.ZeroGrads(g.Params()); g.genGradient(g.generate(z, labels), labels, true) }
		if worst, name, i := gradcheck.Check(checked(g.GenParams()), gLoss, gGrads, 1e-3); worst > 3e-3 {
			t.Errorf("%s: L_G's gradient of %s[%d] off by %.3g", g.Kind(), name, i, worst)
		}
		gGrads()
		if !allZero(g.DisParams()) {
			t.Errorf("%s: the generator's loss left gradients in the discriminator", g.Kind())
		}
	}
}

// TestGANLossesAreTheirDefinitions: L_D and L_G match −log D and
// −log(1 − D) computed from Real, D's probabilities.
func TestGANLossesAreTheirDefinitions(t *testing.T) {
	g := tinyGAN(t, 3, 8)
	x, z := images(4, 6, 4), gaussian(4, 3, 6)
	img := g.Generate(z, fourLabels)
	pReal, pFake := g.Real(x, fourLabels), g.Real(img, fourLabels)
	var wantD, wantG float64
	for i := range 4 {
		wantD += (-math.Log(float64(pReal.Data[i])) - math.Log(1-float64(pFake.Data[i]))) / 4
		wantG += -math.Log(float64(pFake.Data[i])) / 4
	}
	fake := g.generate(z, fourLabels).Clone()
	if d := g.discGradient(x, fake, fourLabels, nil, false); math.Abs(d-wantD) > 1e-4 {
		t.Errorf("L_D = %g, want %g", d, wantD)
	}
	if l := g.genGradient(fake, fourLabels, false); math.Abs(l-wantG) > 1e-4 {
		t.Errorf("L_G = %g, want %g", l, wantG)
	}
}

// TestGANStepMovesBothPlayers: a step updates the generator and the
// discriminator, leaves no gradient behind and dropout off.
func TestGANStepMovesBothPlayers(t *testing.T) {
	g := tinyGAN(t, 0, 9)
	before, _ := Clone(g)
	l := g.Step(images(8, 6, 3), nil, nn.NewAdam(1e-2), nn.NewAdam(1e-2))
	if !(l.D > 0 && l.G > 0) || math.IsNaN(l.Losses().Total) {
		t.Fatalf("losses %+v", l)
	}
	b := before.(*GAN)
	if equal(b.GenParams()[0].Value.Data, g.GenParams()[0].Value.Data) || equal(b.DisParams()[0].Value.Data, g.DisParams()[0].Value.Data) {
		t.Fatal("a step left a player's weights as they were")
	}
	if !allZero(g.Params()) {
		t.Fatal("a step left gradients behind")
	}
	x := images(3, 6, 1)
	if a, b := g.Real(x, nil).Clone(), g.Real(x, nil); !equal(a.Data, b.Data) {
		t.Fatal("the discriminator is not deterministic after a step: dropout left on")
	}
}

// TestGANLearnsAToyDistribution: a few hundred steps on images that are
// all one pattern bring the generator's samples near it.
func TestGANLearnsAToyDistribution(t *testing.T) {
	g, err := NewGAN(GANConfig{Inputs: 4, Hidden: []int{16}, Latent: 2, Slope: 0.2}, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	pattern := []float32{1, 0, 0.8, 0.1}
	x := tensor.New(16, 4)
	for i := range 16 {
		copy(x.Row(i), pattern)
	}
	dist := func() float64 {
		s := g.Sample(64, nil, 1, rand.New(rand.NewPCG(1, 1)))
		var d float64
		for i, v := range s.Data {
			d += math.Abs(float64(v - pattern[i%4]))
		}
		return d / float64(len(s.Data))
	}
	start := dist()
	dOpt, gOpt := &nn.Adam{LR: 2e-3, Beta1: 0.5, Beta2: 0.999, Eps: 1e-8}, &nn.Adam{LR: 2e-3, Beta1: 0.5, Beta2: 0.999, Eps: 1e-8}
	for range 500 {
		g.Step(x, nil, dOpt, gOpt)
	}
	if end := dist(); end > 0.1 || end > start/3 {
		t.Fatalf("mean distance of samples to the pattern %.3f → %.3f", start, end)
	}
}

func TestGANGeneratesPixels(t *testing.T) {
	g := tinyGAN(t, 3, 10)
	z := gaussian(4, 3, 1)
	for i := range z.Data {
		z.Data[i] *= 50 // saturate tanh
	}
	img := g.Generate(z, fourLabels)
	raw := g.generate(z, fourLabels)
	for i, v := range img.Data {
		if v < 0 || v > 1 || math.Abs(float64(v)-0.5*(float64(raw.Data[i])+1)) > 1e-6 {
			t.Fatalf("pixel %d = %g from tanh %g", i, v, raw.Data[i])
		}
	}
	if got := Conditions(g); got != 3 {
		t.Fatalf("Conditions = %d, want 3", got)
	}
}

func TestGANHasNoEncoder(t *testing.T) {
	g := tinyGAN(t, 0, 11)
	if Encodes(g) {
		t.Fatal("Encodes says a GAN has an encoder")
	}
	v, _ := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}, rand.New(rand.NewPCG(1, 1)))
	if !Encodes(v) {
		t.Fatal("Encodes says a VAE has none")
	}
	for name, f := range map[string]func(){
		"Codes":           func() { g.Codes(images(2, 6, 1), nil) },
		"Reconstructions": func() { Reconstructions(g, images(2, 6, 1), nil, 0, 1) },
	} {
		func() {
			defer func() {
				err, _ := recover().(error)
				var ne *NoEncoderError
				if !errors.As(err, &ne) || ne.Kind != KindGAN {
					t.Errorf("%s on a GAN: %v, want a NoEncoderError", name, err)
				}
			}()
			f()
		}()
	}
	if _, err := Rebuild([]Model{g}, make([]float32, 6), 0, 1); err == nil {
		t.Error("Rebuild through a GAN gave no error")
	}
}

func TestGANRejectsBadConfigurations(t *testing.T) {
	good := GANConfig{Inputs: 6, Hidden: []int{5}, Latent: 3, Slope: 0.2, Dropout: 0.3}
	for _, bad := range []func(c *GANConfig){
		func(c *GANConfig) { c.Slope = -0.1 },
		func(c *GANConfig) { c.Slope = 1 },
		func(c *GANConfig) { c.Slope = float32(math.NaN()) },
		func(c *GANConfig) { c.Dropout = 1 },
		func(c *GANConfig) { c.Dropout = float32(math.NaN()) },
		func(c *GANConfig) { c.Latent = 0 },
		func(c *GANConfig) { c.Hidden = nil },
		func(c *GANConfig) { c.Classes = -1 },
		func(c *GANConfig) { c.Inputs = 0 },
		func(c *GANConfig) { c.Mismatch = true },
		func(c *GANConfig) { c.Mismatch, c.Classes = true, 1 },
	} {
		c := good
		c.Hidden = []int{5}
		bad(&c)
		_, err := NewGAN(c, rand.New(rand.NewPCG(1, 1)))
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%+v: got %v, want a ConfigError", c, err)
		}
	}
	if _, err := NewGAN(good, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
}

// The matching-aware discriminator (GANConfig.Mismatch): its L_D, with
// real images under wrong labels as a second kind of fake, is its
// definition from Real's probabilities and its gradient matches finite
// differences; the wrong labels are never the right ones and cover the
// other classes.
func TestGANMismatchedLabels(t *testing.T) {
	g := tinyGAN(t, 3, 11)
	g.Cfg.Mismatch = true
	x, z := images(4, 6, 4), gaussian(4, 3, 6)
	wrong := g.wrongLabels(fourLabels)
	img := g.Generate(z, fourLabels)
	pReal, pFake, pWrong := g.Real(x, fourLabels), g.Real(img, fourLabels), g.Real(x, wrong)
	var want float64
	for i := range 4 {
		want += (-math.Log(float64(pReal.Data[i])) - 0.5*math.Log(1-float64(pFake.Data[i])) - 0.5*math.Log(1-float64(pWrong.Data[i]))) / 4
	}
	fake := g.generate(z, fourLabels).Clone()
	if d := g.discGradient(x, fake, fourLabels, wrong, false); math.Abs(d-want) > 1e-4 {
		t.Errorf("L_D = %g, want %g", d, want)
	}
	dLoss := func() float64 { return g.discGradient(x, fake, fourLabels, wrong, false) }
	dGrads := func() { nn.ZeroGrads(g.Params()); g.discGradient(x, fake, fourLabels, wrong, true) }
	if worst, name, i := gradcheck.Check(checked(g.DisParams()), dLoss, dGrads, 1e-3); worst > 3e-3 {
		t.Errorf("L_D's gradient of %s[%d] off by %.3g", name, i, worst)
	}

	seen := map[[2]uint8]int{}
	for range 200 {
		for i, y := range g.wrongLabels(fourLabels) {
			if y == fourLabels[i] || y >= 3 {
				t.Fatalf("label %d made %d", fourLabels[i], y)
			}
			seen[[2]uint8{fourLabels[i], y}]++
		}
	}
	for _, y := range []uint8{0, 1, 2} {
		for _, w := range []uint8{0, 1, 2} {
			if y != w && seen[[2]uint8{y, w}] == 0 {
				t.Errorf("label %d never made %d", y, w)
			}
		}
	}
	// A step with it moves both players and leaves finite weights.
	l := g.Step(images(4, 6, 3), fourLabels, nn.NewAdam(1e-2), nn.NewAdam(1e-2))
	if !(l.D > 0 && l.G > 0) || !nn.AllFinite(g.Params()) {
		t.Fatalf("losses %+v", l)
	}
}
