package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// PlanarConfig describes a classifier of 2-D points, as in the network lab:
// hidden layers of any width, each with its own activation.
type PlanarConfig struct {
	Hidden  []int
	Acts    []string // one per hidden layer (nn.ActivationByName)
	Classes int
	Loss    string // "ce" (softmax cross-entropy) or "mse" (on one-hot targets)
	L1, L2  float64
	// Features are the inputs computed from each point, from
	// PlanarFeatures; none means x₁ and x₂.
	Features []string
}

// Planar is a small MLP 2 → hidden… → Classes trained on labelled points.
type Planar struct {
	Cfg    PlanarConfig
	Net    *nn.Network
	Dense  []*nn.Dense // the weight layers, input side first
	Hidden []*nn.Act   // the activation after each hidden layer

	loss  nn.Loss
	feats []func(x1, x2 float64) float64
}

// MaxPlanarUnits bounds the lab's networks: at most 8 hidden layers of
// 64 units.
const MaxPlanarUnits = 64

// NewPlanar builds the network, with weights drawn from rng.
func NewPlanar(cfg PlanarConfig, rng *rand.Rand) (*Planar, error) {
	if len(cfg.Hidden) > 8 || len(cfg.Acts) != len(cfg.Hidden) {
		return nil, fmt.Errorf("models: %d hidden layers with %d activations, want up to 8, one each", len(cfg.Hidden), len(cfg.Acts))
	}
	if cfg.Classes < 2 || cfg.Classes > 8 {
		return nil, fmt.Errorf("models: %d classes, want 2..8", cfg.Classes)
	}
	if !(cfg.L1 >= 0 && cfg.L1 <= 1 && cfg.L2 >= 0 && cfg.L2 <= 1) {
		return nil, fmt.Errorf("models: L1 %g and L2 %g, want each in [0, 1]", cfg.L1, cfg.L2)
	}
	feats, err := planarFeatures(cfg.Features)
	if err != nil {
		return nil, err
	}
	p := &Planar{Cfg: cfg, Net: &nn.Network{}, feats: feats}
	switch cfg.Loss {
	case "ce":
		p.loss = nn.SoftmaxCrossEntropy
	case "mse":
		p.loss = nn.MSE
	default:
		return nil, fmt.Errorf("models: loss %q, want ce or mse", cfg.Loss)
	}
	in := len(feats)
	for i, width := range cfg.Hidden {
		if width < 1 || width > MaxPlanarUnits {
			return nil, fmt.Errorf("models: layer %d has %d units, want 1..%d", i+1, width, MaxPlanarUnits)
		}
		a, err := nn.ActivationByName(cfg.Acts[i])
		if err != nil {
			return nil, err
		}
		d := nn.NewDense(fmt.Sprintf("planar.%d", i), in, width, nn.InitFor(a), rng)
		act := nn.NewAct(a)
		p.Dense, p.Hidden = append(p.Dense, d), append(p.Hidden, act)
		p.Net.Layers = append(p.Net.Layers, d, act)
		in = width
	}
	out := nn.NewDense(fmt.Sprintf("planar.%d", len(cfg.Hidden)), in, cfg.Classes, nn.Xavier, rng)
	p.Dense = append(p.Dense, out)
	p.Net.Layers = append(p.Net.Layers, out)
	return p, nil
}

// batch puts the points idx into a matrix of their features, with their
// one-hot targets.
func (p *Planar) batch(pts *data.Points, idx []int) (x, t *tensor.Mat) {
	x, t = tensor.New(len(idx), len(p.feats)), tensor.New(len(idx), p.Cfg.Classes)
	for r, i := range idx {
		p.features(x.Row(r), pts.X[2*i], pts.X[2*i+1])
		t.Set(r, pts.Label[i], 1)
	}
	return x, t
}

// features writes a point's input features into row.
func (p *Planar) features(row []float32, x1, x2 float32) {
	for j, f := range p.feats {
		row[j] = float32(f(float64(x1), float64(x2)))
	}
}

// Inputs turns points (rows of x₁, x₂) into the rows of features the
// network reads.
func (p *Planar) Inputs(points *tensor.Mat) *tensor.Mat {
	x := tensor.New(points.Rows, len(p.feats))
	for r := range points.Rows {
		p.features(x.Row(r), points.At(r, 0), points.At(r, 1))
	}
	return x
}

// Gradients computes, for the points idx, the gradient of the objective
// data loss + λ₁Σ|w| + ½λ₂Σw² (the penalties on the weights, not the
// biases) into every parameter's Grad, and returns the data loss.
func (p *Planar) Gradients(pts *data.Points, idx []int) float64 {
	x, t := p.batch(pts, idx)
	nn.ZeroGrads(p.Net.Params())
	out := p.Net.Forward(x)
	grad := tensor.New(out.Rows, out.Cols)
	loss := p.loss.Eval(out, t, grad)
	p.Net.Backward(grad)
	l1, l2 := float32(p.Cfg.L1), float32(p.Cfg.L2)
	if l1 == 0 && l2 == 0 {
		return loss
	}
	for _, d := range p.Dense {
		for i, w := range d.W.Value.Data {
			g := l2 * w // ∂(½λ₂w²)/∂w
			if w > 0 {  // ∂(λ₁|w|)/∂w, taken as 0 at w = 0
				g += l1
			} else if w < 0 {
				g -= l1
			}
			d.W.Grad.Data[i] += g
		}
	}
	return loss
}

// Penalty is λ₁Σ|w| + ½λ₂Σw² over the weights.
func (p *Planar) Penalty() float64 {
	var s float64
	for _, d := range p.Dense {
		for _, w := range d.W.Value.Data {
			s += p.Cfg.L1*math.Abs(float64(w)) + p.Cfg.L2/2*float64(w)*float64(w)
		}
	}
	return s
}

// Step takes one optimiser step on the points idx and returns their data
// loss before it.
func (p *Planar) Step(pts *data.Points, idx []int, opt nn.Optimizer) float64 {
	loss := p.Gradients(pts, idx)
	opt.Step(p.Net.Params())
	return loss
}

// Evaluate is the mean data loss and the accuracy over every point.
func (p *Planar) Evaluate(pts *data.Points) (loss, accuracy float64) {
	if pts.Len() == 0 {
		return 0, 0
	}
	idx := make([]int, pts.Len())
	for i := range idx {
		idx[i] = i
	}
	x, t := p.batch(pts, idx)
	out := p.Net.Forward(x)
	loss = p.loss.Eval(out, t, nil)
	right := 0
	for i := range idx {
		row := out.Row(i)
		best := 0
		for k, v := range row {
			if v > row[best] {
				best = k
			}
		}
		if best == pts.Label[i] {
			right++
		}
	}
	return loss, float64(right) / float64(len(idx))
}

// Probabilities gives each point (a row of x₁, x₂) its class
// probabilities: the softmax of the outputs for cross-entropy; for MSE,
// the outputs clipped to [0, 1].
func (p *Planar) Probabilities(points *tensor.Mat) *tensor.Mat {
	out := p.Net.Forward(p.Inputs(points))
	probs := tensor.New(out.Rows, out.Cols)
	if p.Cfg.Loss == "ce" {
		nn.Softmax(probs, out)
		return probs
	}
	for i, v := range out.Data {
		probs.Data[i] = float32(math.Min(math.Max(float64(v), 0), 1))
	}
	return probs
}
