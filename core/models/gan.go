package models

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// GANConfig describes a generative adversarial network (Goodfellow et al.
// 2014) of fully connected layers or, with Classes > 0, a conditional GAN
// (Mirza & Osindero 2014) whose generator and discriminator both see the
// label one-hot, as the cvae's encoder and decoder do.
type GANConfig struct {
	Inputs int `json:"inputs"`
	// Hidden are the generator's widths from z up; the discriminator
	// mirrors them from the image down to its one logit.
	Hidden  []int `json:"hidden"`
	Latent  int   `json:"latent"`
	Classes int   `json:"classes,omitempty"`
	// Slope is the leaky ReLUs' α below zero, in both networks.
	Slope float32 `json:"slope"`
	// Dropout follows each of the discriminator's hidden layers while
	// training.
	Dropout float32 `json:"dropout"`
	// Mismatch, for a conditional GAN, also shows the discriminator real
	// images under a wrong label as fakes (the matching-aware
	// discriminator of Reed et al. 2016): D must then check that an image
	// is of its label, not only that it looks real, which pushes G to draw
	// the class it is asked for.
	Mismatch bool `json:"mismatch,omitempty"`
}

// MNISTGAN is the GAN the playground ships: z of 64 → 256 → 512 → 784
// with a tanh read-out, judged by 784 → 512 → 256 → 1 with leaky ReLUs of
// slope 0.2 and dropout 0.3.
var MNISTGAN = GANConfig{Inputs: 784, Hidden: []int{256, 512}, Latent: 64, Slope: 0.2, Dropout: 0.3}

// MNISTCGAN is the conditional GAN the playground ships: MNISTGAN told the
// digit, with the matching-aware discriminator.
var MNISTCGAN = GANConfig{Inputs: 784, Hidden: []int{256, 512}, Latent: 64, Classes: 10, Slope: 0.2, Dropout: 0.3, Mismatch: true}

func (c GANConfig) kind() string {
	if c.Classes > 0 {
		return KindCGAN
	}
	return KindGAN
}

// Validate reports a configuration no GAN should be built from.
func (c GANConfig) Validate() error {
	kind := c.kind()
	if err := validateCoder(kind, c.Inputs, c.Hidden, c.Latent); err != nil {
		return err
	}
	if c.Classes < 0 || c.Classes > 1000 {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("classes = %d, want 0..1000", c.Classes)}
	}
	if c.Mismatch && c.Classes < 2 {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("mismatched labels need 2 classes or more, not %d", c.Classes)}
	}
	if !(c.Slope >= 0 && c.Slope < 1) {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("leaky ReLU slope = %g, want [0, 1)", c.Slope)}
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("dropout = %g, want [0, 1)", c.Dropout)}
	}
	return nil
}

// GAN is a generator G(z) that draws images from z ~ N(0, I) and a
// discriminator D(x) = σ(logit) that tells real images from drawn ones.
// The two play against each other: D minimises
//
//	L_D = −E_x[log D(x)] − E_z[log(1 − D(G(z)))]
//
// and G the non-saturating −E_z[log D(G(z))], which, unlike
// E_z[log(1 − D(G(z)))], gives G a strong gradient while D still rejects
// its images easily (Goodfellow et al. 2014, §3).
//
// G ends in tanh and D sees pixels scaled to [−1, 1]: the model takes and
// gives images in [0, 1] and maps them. There is no encoder: a GAN cannot
// say which z an image came from.
type GAN struct {
	Cfg GANConfig
	Gen *nn.Network // z (and label) → tanh pixels in [−1, 1]
	Dis *nn.Network // pixels in [−1, 1] (and label) → logit of "real"
	// Noise draws z while training.
	Noise *rand.Rand

	zin, din, dlogit, target, dfake *tensor.Mat
}

// NewGAN builds a GAN with weights, noise and dropout masks drawn from
// rng's seed. Every layer starts as PyTorch's nn.Linear does.
func NewGAN(cfg GANConfig, rng *rand.Rand) (*GAN, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	leaky := nn.LeakyReLU(cfg.Slope)
	s := seeds(rng)
	g := &GAN{Cfg: cfg, Noise: rand.New(rand.NewPCG(s.Uint64(), s.Uint64()))}
	masks := rand.New(rand.NewPCG(s.Uint64(), s.Uint64()))

	g.Gen = &nn.Network{}
	in := cfg.Latent + cfg.Classes
	for i, w := range cfg.Hidden {
		g.Gen.Layers = append(g.Gen.Layers, fanInDense(fmt.Sprintf("gen%d", i), in, w, rng), nn.NewAct(leaky))
		in = w
	}
	g.Gen.Layers = append(g.Gen.Layers, fanInDense(fmt.Sprintf("gen%d", len(cfg.Hidden)), in, cfg.Inputs, rng), nn.NewAct(nn.Tanh))

	g.Dis = &nn.Network{}
	in = cfg.Inputs + cfg.Classes
	for i, w := range reversed(cfg.Hidden) {
		g.Dis.Layers = append(g.Dis.Layers, fanInDense(fmt.Sprintf("dis%d", i), in, w, rng), nn.NewAct(leaky))
		if cfg.Dropout > 0 {
			g.Dis.Layers = append(g.Dis.Layers, nn.NewDropout(cfg.Dropout, masks))
		}
		in = w
	}
	g.Dis.Layers = append(g.Dis.Layers, fanInDense(fmt.Sprintf("dis%d", len(cfg.Hidden)), in, 1, rng))
	return g, nil
}

func fanInDense(name string, in, out int, rng *rand.Rand) *nn.Dense {
	d := nn.NewDense(name, in, out, nn.FanIn, rng)
	d.InitBiasFanIn(rng)
	return d
}

// Kind is "cgan" when conditional, else "gan".
func (g *GAN) Kind() string { return g.Cfg.kind() }

// Config is what the model file records.
func (g *GAN) Config() any { return g.Cfg }

// Params are the generator's, then the discriminator's.
func (g *GAN) Params() []*nn.Param { return append(g.Gen.Params(), g.Dis.Params()...) }

// Inputs is the width of the images the model draws and judges.
func (g *GAN) Inputs() int { return g.Cfg.Inputs }

// Latent is the size of z.
func (g *GAN) Latent() int { return g.Cfg.Latent }

// Conditional reports whether the model takes a label.
func (g *GAN) Conditional() bool { return g.Cfg.Classes > 0 }

// withLabels returns [x | onehot(labels)] in rows [at, at+x.Rows) of buf
// (resized to rows×(x.Cols+C) when at is 0), or x itself when the model
// is not conditional and buf is not needed.
func (g *GAN) withLabels(buf *tensor.Mat, rows, at int, x *tensor.Mat, labels []uint8, scale, shift float32) {
	c := g.Cfg.Classes
	if c > 0 && len(labels) != x.Rows {
		panic(fmt.Sprintf("models: conditional GAN given %d labels for %d rows", len(labels), x.Rows))
	}
	if at == 0 {
		buf.Reshape(rows, x.Cols+c)
	}
	for i := range x.Rows {
		row := buf.Row(at + i)
		for j, v := range x.Row(i) {
			row[j] = scale*v + shift
		}
		if c > 0 {
			clear(row[x.Cols:])
			row[x.Cols+int(labels[i])%c] = 1
		}
	}
}

// generate runs G on z and returns its tanh pixels in [−1, 1] (B×Inputs,
// the generator's own buffer).
func (g *GAN) generate(z *tensor.Mat, labels []uint8) *tensor.Mat {
	if z.Cols != g.Cfg.Latent {
		panic(fmt.Sprintf("models: Generate: z has %d columns, the model %d latents", z.Cols, g.Cfg.Latent))
	}
	if g.Cfg.Classes == 0 {
		return g.Gen.Forward(z)
	}
	g.zin = tensor.Ensure(g.zin, z.Rows, z.Cols+g.Cfg.Classes)
	g.withLabels(g.zin, z.Rows, 0, z, labels, 1, 0)
	return g.Gen.Forward(g.zin)
}

// Generate draws the image of each row of z: G(z) mapped from [−1, 1] to
// pixels in [0, 1] (a new B×Inputs matrix).
func (g *GAN) Generate(z *tensor.Mat, labels []uint8) *tensor.Mat {
	y := g.generate(z, labels)
	out := tensor.New(y.Rows, y.Cols)
	for i, v := range y.Data {
		out.Data[i] = 0.5 * (v + 1)
	}
	return out
}

// Codes panics with a NoEncoderError: a GAN has no encoder.
func (g *GAN) Codes(x *tensor.Mat, labels []uint8) (mu, sigma *tensor.Mat) {
	panic(&NoEncoderError{Kind: g.Kind()})
}

// Sample draws n images from z ~ N(0, t²I) (see VAE.Sample).
func (g *GAN) Sample(n int, labels []uint8, temperature float32, rng *rand.Rand) *tensor.Mat {
	z := tensor.New(n, g.Cfg.Latent)
	for i := range z.Data {
		z.Data[i] = temperature * float32(rng.NormFloat64())
	}
	return g.Generate(z, labels)
}

// Real returns D's probability that each row of x (pixels in [0, 1]) is
// a real image, with dropout off (a new B×1 matrix).
func (g *GAN) Real(x *tensor.Mat, labels []uint8) *tensor.Mat {
	if x.Cols != g.Cfg.Inputs {
		panic(fmt.Sprintf("models: Real: images of %d pixels, the model takes %d", x.Cols, g.Cfg.Inputs))
	}
	g.Dis.SetTraining(false)
	g.din = tensor.Ensure(g.din, x.Rows, x.Cols+g.Cfg.Classes)
	g.withLabels(g.din, x.Rows, 0, x, labels, 2, -1)
	return sigmoidOf(g.Dis.Forward(g.din))
}

// drawZ fills a B×K matrix with z ~ N(0, I) from g.Noise.
func (g *GAN) drawZ(rows int) *tensor.Mat {
	z := tensor.New(rows, g.Cfg.Latent)
	for i := range z.Data {
		z.Data[i] = float32(g.Noise.NormFloat64())
	}
	return z
}

// discGradient adds ∂L_D/∂θ_D for the real images x (pixels in [0, 1])
// against the drawn images fake (G's tanh pixels), both labelled by
// labels, and returns L_D: the mean over the real rows of −log D(x) plus
// the mean over the drawn rows of −log(1 − D(G(z))). With wrong labels
// (a matching-aware discriminator, GANConfig.Mismatch) the real images
// under them are fakes too, and the two kinds of fake weigh half each:
//
//	L_D = −E log D(x, y) − ½ E log(1 − D(G(z), y)) − ½ E log(1 − D(x, ŷ))
//
// D sees every group as one batch. It leaves G's gradients alone.
func (g *GAN) discGradient(x, fake *tensor.Mat, labels, wrong []uint8, grad bool) float64 {
	B := x.Rows
	type group struct {
		target float32 // 1 for real, 0 for fake
		weight float64 // of the group's mean in L_D
	}
	groups := []group{{1, 1}, {0, 1}} // real, drawn
	if wrong != nil {
		groups = []group{{1, 1}, {0, 0.5}, {0, 0.5}} // real, drawn, mislabelled
	}
	rows := len(groups) * B
	g.din = tensor.Ensure(g.din, rows, x.Cols+g.Cfg.Classes)
	g.withLabels(g.din, rows, 0, x, labels, 2, -1) // [0, 1] → [−1, 1]
	g.withLabels(g.din, rows, B, fake, labels, 1, 0)
	if wrong != nil {
		g.withLabels(g.din, rows, 2*B, x, wrong, 2, -1)
	}
	logit := g.Dis.Forward(g.din)
	g.target = tensor.Ensure(g.target, rows, 1)
	if grad {
		g.dlogit = tensor.Ensure(g.dlogit, rows, 1)
	}
	var loss float64
	for k, grp := range groups {
		at := func(m *tensor.Mat) *tensor.Mat { return tensor.FromSlice(B, 1, m.Data[k*B:(k+1)*B]) }
		t := at(g.target)
		for i := range t.Data {
			t.Data[i] = grp.target
		}
		var d *tensor.Mat
		if grad {
			d = at(g.dlogit)
		}
		loss += grp.weight * nn.BCEWithLogits.Eval(at(logit), t, d)
		if grad {
			d.Scale(float32(grp.weight))
		}
	}
	if grad {
		g.Dis.BackwardParams(g.dlogit)
	}
	return loss
}

// wrongLabels gives each label another class, drawn evenly from the
// other C − 1 by g.Noise.
func (g *GAN) wrongLabels(labels []uint8) []uint8 {
	c := g.Cfg.Classes
	out := make([]uint8, len(labels))
	for i, y := range labels {
		out[i] = uint8((int(y)%c + 1 + g.Noise.IntN(c-1)) % c)
	}
	return out
}

// genGradient adds ∂L_G/∂θ_G for the images fake, which G has just drawn
// (its layers still hold that forward pass), and returns the
// non-saturating L_G = −mean log D(G(z)). The gradient passes through D
// and leaves D's own gradients alone.
func (g *GAN) genGradient(fake *tensor.Mat, labels []uint8, grad bool) float64 {
	B, D := fake.Rows, fake.Cols
	g.din = tensor.Ensure(g.din, B, D+g.Cfg.Classes)
	g.withLabels(g.din, B, 0, fake, labels, 1, 0)
	logit := g.Dis.Forward(g.din)
	g.target = tensor.Ensure(g.target, B, 1)
	for i := range B {
		g.target.Data[i] = 1
	}
	if !grad {
		return nn.BCEWithLogits.Eval(logit, g.target, nil)
	}
	g.dlogit = tensor.Ensure(g.dlogit, B, 1)
	loss := nn.BCEWithLogits.Eval(logit, g.target, g.dlogit)
	din := g.Dis.BackwardInput(g.dlogit)
	g.dfake = tensor.Ensure(g.dfake, B, D)
	for i := range B {
		copy(g.dfake.Row(i), din.Row(i)[:D])
	}
	g.Gen.BackwardParams(g.dfake) // z and the label are given, not learnt
	return loss
}

// Step is one round of the game on the batch x (pixels in [0, 1]) with
// its labels (used by a conditional GAN): G draws len(x) images from fresh
// z; D takes a step of dOpt on telling x from them; then G takes a step of
// gOpt against the updated D on the same images. The optimisers each
// keep to their own network's parameters (DisParams, GenParams). It
// returns L_D and L_G before their updates.
func (g *GAN) Step(x *tensor.Mat, labels []uint8, dOpt, gOpt nn.Optimizer) GANLosses {
	if x.Cols != g.Cfg.Inputs {
		panic(fmt.Sprintf("models: GAN step: images of %d pixels, the model takes %d", x.Cols, g.Cfg.Inputs))
	}
	g.Dis.SetTraining(true)
	defer g.Dis.SetTraining(false)
	fake := g.generate(g.drawZ(x.Rows), labels)
	var wrong []uint8
	if g.Cfg.Mismatch && g.Cfg.Classes >= 2 {
		wrong = g.wrongLabels(labels)
	}
	ld := g.discGradient(x, fake, labels, wrong, true)
	dOpt.Step(g.DisParams())
	lg := g.genGradient(fake, labels, true)
	gOpt.Step(g.GenParams())
	return GANLosses{D: ld, G: lg}
}

// GANLosses are a GAN step's two players' losses: the discriminator's
// L_D and the generator's L_G, each a mean over the batch.
type GANLosses struct {
	D float64 `json:"d"`
	G float64 `json:"g"`
}

// Losses is how a training loop sees a GAN step: Total = L_D + L_G, a sum
// that is NaN or infinite when either player's loss is.
func (l GANLosses) Losses() Losses { return Losses{Total: l.D + l.G} }

// GenParams are the generator's parameters.
func (g *GAN) GenParams() []*nn.Param { return g.Gen.Params() }

// DisParams are the discriminator's parameters.
func (g *GAN) DisParams() []*nn.Param { return g.Dis.Params() }

// NoEncoderError is what asking a model without an encoder (a GAN) for
// the code of an image gives: it can draw images from z, not find the z
// of an image, so it can neither encode nor rebuild one.
type NoEncoderError struct{ Kind string }

func (e *NoEncoderError) Error() string {
	return fmt.Sprintf("models: a %s has no encoder: it draws images from z but cannot find the z of an image, so it cannot encode or rebuild one", e.Kind)
}

// Encodes reports whether m can give an image's code: autoencoders and
// VAEs can; a GAN cannot.
func Encodes(m Model) bool {
	_, gan := m.(*GAN)
	_, gen := m.(Generative)
	return gen && !gan
}
