package gan2d

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// Config is one run of the lab: the data, the two networks and how they
// train. The same Config (seed included) gives the same run.
type Config struct {
	Data   string       // ring, moons, line, spiral or custom
	Custom [][2]float64 // custom: the points placed
	Noise  int          // dimensions of the generator's input z ~ N(0, I)
	Hidden int          // units in each of G's and D's two hidden layers
	Batch  int          // real and generated points per step
	LRG    float32      // Adam's step size for G
	LRD    float32      // Adam's step size for D
	// Remedy is "" (none) or "minibatch-std": D also sees how spread out
	// the batch is (see mbstd.go).
	Remedy string
	Seed   uint64
}

// Defaults: two small leaky-ReLU MLPs and Adam with β₁ = 0.5, as in DCGAN
// (Radford et al. 2016). With these the ring collapses within Budget steps
// (gan2d_test.go measures it).
func Defaults() Config {
	return Config{Data: "ring", Noise: 2, Hidden: 32, Batch: 64, LRG: 1e-3, LRD: 1e-3, Seed: 1}
}

// Budget is the number of steps the lesson's claim about the ring is
// measured after.
const Budget = 1000

// Remedies names the remedies Config.Remedy may hold.
var Remedies = []string{"", RemedyMinibatchStd}

// RemedyMinibatchStd gives D the batch's spread as an extra input.
const RemedyMinibatchStd = "minibatch-std"

// leak is the slope of the leaky ReLUs below zero.
const leak = 0.2

func (c Config) check() error {
	switch {
	case c.Noise < 1 || c.Noise > 16:
		return fmt.Errorf("gan2d: noise of %d dimensions, want 1..16", c.Noise)
	case c.Hidden < 2 || c.Hidden > 128:
		return fmt.Errorf("gan2d: %d hidden units, want 2..128", c.Hidden)
	case c.Batch < 2 || c.Batch > 1024:
		return fmt.Errorf("gan2d: batch of %d, want 2..1024", c.Batch)
	case !(c.LRG > 0 && c.LRG <= 0.1 && c.LRD > 0 && c.LRD <= 0.1):
		return fmt.Errorf("gan2d: learning rates %g (G) and %g (D), want each in (0, 0.1]", c.LRG, c.LRD)
	case c.Remedy != "" && c.Remedy != RemedyMinibatchStd:
		return fmt.Errorf("gan2d: unknown remedy %q (have none, %s)", c.Remedy, RemedyMinibatchStd)
	}
	return nil
}

// GAN is a generator G: z ↦ x and a discriminator D: x ↦ logit, trained
// against each other (Goodfellow et al. 2014):
//
//	D maximises  E log σ(D(x)) + E log(1 − σ(D(G(z))))
//	G minimises  −E log σ(D(G(z)))      (the non-saturating loss)
type GAN struct {
	Cfg   Config
	G, D  *nn.Network
	Steps int     // training steps taken
	LossD float64 // the last step's D loss (real and fake terms summed)
	LossG float64 // the last step's G loss

	data       Dataset
	rng        *rand.Rand
	optG, optD *nn.Adam
	mb         *mbstd // nil without the remedy
	ones, zero *tensor.Mat
	grad       *tensor.Mat
	real, z    *tensor.Mat
	fake       *tensor.Mat
	good       [][]float32 // the weights before the step, kept until it proves finite
}

// ErrDiverged reports a step whose losses or weights stopped being finite;
// the GAN keeps its weights from before that step.
var ErrDiverged = errors.New("gan2d: the losses stopped being finite; weights kept from the step before")

// New builds a GAN from cfg, its weights drawn from cfg.Seed.
func New(cfg Config) (*GAN, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	var data Dataset
	var err error
	if cfg.Data == "custom" {
		data, err = Custom(cfg.Custom)
	} else {
		data, err = DatasetByName(cfg.Data)
	}
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9a2d))
	in := 2
	g := &GAN{Cfg: cfg, data: data, rng: rng}
	if cfg.Remedy == RemedyMinibatchStd {
		in = 3
		g.mb = &mbstd{}
	}
	act := nn.LeakyReLU(leak)
	g.G = nn.NewMLP("G", []int{cfg.Noise, cfg.Hidden, cfg.Hidden, 2}, act, rng)
	g.D = nn.NewMLP("D", []int{in, cfg.Hidden, cfg.Hidden, 1}, act, rng)
	g.optG, g.optD = nn.NewAdam(cfg.LRG), nn.NewAdam(cfg.LRD)
	g.optG.Beta1, g.optD.Beta1 = 0.5, 0.5
	b := cfg.Batch
	g.ones, g.zero = tensor.New(b, 1), tensor.New(b, 1)
	for i := range g.ones.Data {
		g.ones.Data[i] = 1
	}
	g.grad = tensor.New(b, 1)
	g.real, g.z, g.fake = tensor.New(b, 2), tensor.New(b, cfg.Noise), tensor.New(b, 2)
	return g, nil
}

// Noise fills z with draws from N(0, I).
func Noise(z *tensor.Mat, rng *rand.Rand) {
	for i := range z.Data {
		z.Data[i] = float32(rng.NormFloat64())
	}
}

// discriminate returns D's logits for the batch x (B×2), seen through the
// remedy when there is one.
func (g *GAN) discriminate(x *tensor.Mat) *tensor.Mat {
	if g.mb != nil {
		return g.D.Forward(g.mb.Forward(x))
	}
	return g.D.Forward(x)
}

// discriminateBack takes ∂L/∂logits back through D and returns ∂L/∂x.
func (g *GAN) discriminateBack(dy *tensor.Mat) *tensor.Mat {
	dx := g.D.Backward(dy)
	if g.mb != nil {
		return g.mb.Backward(dx)
	}
	return dx
}

// Step trains D once and then G once, each on a fresh batch:
//
//	L_D = BCE(D(x), 1) + BCE(D(G(z)), 0)    x ~ data, z ~ N(0, I)
//	L_G = BCE(D(G(z)), 1) = −mean log σ(D(G(z)))
//
// If either loss or any weight stops being finite, Step puts the weights
// back as they were and returns ErrDiverged.
func (g *GAN) Step() error {
	g.keep()
	for i := range g.real.Rows {
		p := g.data.Draw(g.rng)
		g.real.Data[2*i], g.real.Data[2*i+1] = float32(p[0]), float32(p[1])
	}
	bce := nn.BCEWithLogits.Eval

	// D: real points toward 1, generated points toward 0.
	Noise(g.z, g.rng)
	g.fake.CopyFrom(g.G.Forward(g.z)) // G's buffer is reused below
	lossReal := bce(g.discriminate(g.real), g.ones, g.grad)
	g.discriminateBack(g.grad)
	lossFake := bce(g.discriminate(g.fake), g.zero, g.grad)
	g.discriminateBack(g.grad)
	g.optD.Step(g.D.Params())

	// G: its points toward D's 1; D's gradients from this pass are
	// discarded, not applied.
	Noise(g.z, g.rng)
	lossG := bce(g.discriminate(g.G.Forward(g.z)), g.ones, g.grad)
	g.G.BackwardParams(g.discriminateBack(g.grad))
	nn.ZeroGrads(g.D.Params())
	g.optG.Step(g.G.Params())

	if !finite(lossReal+lossFake) || !finite(lossG) || !nn.AllFinite(g.G.Params()) || !nn.AllFinite(g.D.Params()) {
		g.restore()
		return ErrDiverged
	}
	g.Steps++
	g.LossD, g.LossG = lossReal+lossFake, lossG
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (g *GAN) params() []*nn.Param { return append(g.G.Params(), g.D.Params()...) }

func (g *GAN) keep() {
	ps := g.params()
	if g.good == nil {
		g.good = make([][]float32, len(ps))
	}
	for i, p := range ps {
		g.good[i] = append(g.good[i][:0], p.Value.Data...)
	}
}

func (g *GAN) restore() {
	for i, p := range g.params() {
		copy(p.Value.Data, g.good[i])
	}
}

// Generate returns G's points for n draws of z from rng.
func (g *GAN) Generate(n int, rng *rand.Rand) [][2]float64 {
	z := tensor.New(n, g.Cfg.Noise)
	Noise(z, rng)
	x := g.G.Forward(z)
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{float64(x.Data[2*i]), float64(x.Data[2*i+1])}
	}
	return pts
}

// Real returns n points drawn from the data.
func (g *GAN) Real(n int, rng *rand.Rand) [][2]float64 {
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = g.data.Draw(rng)
	}
	return pts
}

// View is what the lab draws of the GAN at one moment.
type View struct {
	// Heat is σ(D(x)) on a grid×grid raster of [−Extent, Extent]², rows
	// from the top (y near Extent), x rising along each row, each cell at
	// its centre. With the remedy, D sees each cell with the spread of
	// the generated points below.
	Heat []float32
	// Fake are G's points for the n draws of z; Push is, for each, the
	// direction G's loss moves it: −∂L_G/∂x, with L_G summed over the
	// points (so each arrow is that point's own gradient).
	Fake, Push [][2]float64
}

// Look draws n points from G (with z from rng) and evaluates D on a grid.
func (g *GAN) Look(n, grid int, rng *rand.Rand) View {
	v := View{Fake: g.Generate(n, rng)}
	x := tensor.New(n, 2)
	for i, p := range v.Fake {
		x.Data[2*i], x.Data[2*i+1] = float32(p[0]), float32(p[1])
	}
	logits := g.discriminate(x)
	dy := tensor.New(n, 1)
	for i := range dy.Data {
		// ∂(−log σ(ℓ))/∂ℓ = σ(ℓ) − 1, per point (a sum, not a mean)
		dy.Data[i] = sigmoid(logits.Data[i]) - 1
	}
	dx := g.discriminateBack(dy)
	nn.ZeroGrads(g.D.Params())
	v.Push = make([][2]float64, n)
	for i := range v.Push {
		v.Push[i] = [2]float64{-float64(dx.Data[2*i]), -float64(dx.Data[2*i+1])}
	}

	var s float32
	if g.mb != nil {
		s = g.mb.spread(x)
	}
	cells := tensor.New(grid*grid, 2)
	step := 2 * float32(Extent) / float32(grid)
	for r := range grid {
		for c := range grid {
			i := r*grid + c
			cells.Data[2*i] = -Extent + (float32(c)+0.5)*step
			cells.Data[2*i+1] = Extent - (float32(r)+0.5)*step
		}
	}
	var out *tensor.Mat
	if g.mb != nil {
		out = g.D.Forward(withSpread(cells, s))
	} else {
		out = g.D.Forward(cells)
	}
	v.Heat = make([]float32, grid*grid)
	for i := range v.Heat {
		v.Heat[i] = sigmoid(out.Data[i])
	}
	return v
}

func sigmoid(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }
