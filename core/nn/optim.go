package nn

import (
	"fmt"
	"math"

	"latentplay/core/tensor"
)

// Optimizer moves parameters against their gradients and clears the
// gradients for the next batch. It keeps its per-parameter state in the
// order of ps, so it must always be given the same list.
type Optimizer interface {
	Step(ps []*Param)
	// SetLR changes the learning rate, for schedules that decay it.
	SetLR(lr float32)
}

// NewOptimizer returns the optimiser called name ("sgd", "momentum" with
// μ = 0.9, or "adam") at learning rate lr.
func NewOptimizer(name string, lr float32) (Optimizer, error) {
	if !(lr > 0 && lr <= 10) {
		return nil, fmt.Errorf("nn: learning rate %g, want a number in (0, 10]", lr)
	}
	switch name {
	case "sgd":
		return &SGD{LR: lr}, nil
	case "momentum":
		return &Momentum{LR: lr, Mu: 0.9}, nil
	case "adam":
		return NewAdam(lr), nil
	}
	return nil, fmt.Errorf("nn: unknown optimiser %q (have sgd, momentum, adam)", name)
}

// Optimizers names the optimisers NewOptimizer knows.
var Optimizers = []string{"sgd", "momentum", "adam"}

// SGD is plain gradient descent: θ ← θ − η·g.
type SGD struct {
	LR float32
}

// Step applies one update.
func (o *SGD) Step(ps []*Param) {
	for _, p := range ps {
		p.Value.AddScaled(-o.LR, p.Grad)
		p.Grad.Zero()
	}
}

// SetLR sets the learning rate.
func (o *SGD) SetLR(lr float32) { o.LR = lr }

// Momentum is gradient descent with a velocity (Polyak 1964), in the form
// used by PyTorch: v ← μ·v + g; θ ← θ − η·v.
type Momentum struct {
	LR, Mu float32

	v []*tensor.Mat
}

// Step applies one update.
func (o *Momentum) Step(ps []*Param) {
	o.v = ensureState(o.v, ps)
	for i, p := range ps {
		v := o.v[i]
		v.Scale(o.Mu)
		v.Add(p.Grad)
		p.Value.AddScaled(-o.LR, v)
		p.Grad.Zero()
	}
}

// SetLR sets the learning rate.
func (o *Momentum) SetLR(lr float32) { o.LR = lr }

// Adam keeps running means of the gradient and its square and steps by
// their bias-corrected ratio (Kingma & Ba 2015, Algorithm 1):
//
//	m ← β₁m + (1−β₁)g        v ← β₂v + (1−β₂)g²
//	m̂ = m/(1−β₁ᵗ)            v̂ = v/(1−β₂ᵗ)
//	θ ← θ − α·m̂/(√v̂ + ε)
type Adam struct {
	LR, Beta1, Beta2, Eps float32

	t    int
	m, v []*tensor.Mat
}

// NewAdam returns Adam with the paper's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8.
func NewAdam(lr float32) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Step applies one update.
func (o *Adam) Step(ps []*Param) {
	o.m = ensureState(o.m, ps)
	o.v = ensureState(o.v, ps)
	o.t++
	b1, b2 := float64(o.Beta1), float64(o.Beta2)
	c1 := float32(1 - math.Pow(b1, float64(o.t))) // bias corrections: divide, not multiply
	c2 := float32(1 - math.Pow(b2, float64(o.t)))
	for i, p := range ps {
		adamUpdate(p.Value.Data, p.Grad.Data, o.m[i].Data, o.v[i].Data, o.Beta1, o.Beta2, c1, c2, o.LR, o.Eps)
		p.Grad.Zero()
	}
}

// adamScalar is Adam's update of the weights w with gradient g and
// moments m and v, c1 and c2 the bias corrections; adamUpdate runs it,
// four at a time where SIMD is built in.
func adamScalar(w, g, m, v []float32, b1, b2, c1, c2, lr, eps float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	for j := range w {
		gj := g[j]
		mj := b1*m[j] + (1-b1)*gj
		vj := b2*v[j] + (1-b2)*gj*gj
		if mj > -adamFloor && mj < adamFloor {
			mj = 0
		}
		if vj < adamFloor {
			vj = 0
		}
		m[j], v[j] = mj, vj
		mHat := mj / c1
		vHat := vj / c2
		w[j] -= lr * mHat / (sqrt32(vHat) + eps)
	}
}

// adamFloor is where Adam's moments stop: a moment smaller than it is
// set to 0. A weight whose gradient falls to 0 (a unit ReLU has switched
// off, a pixel no digit inks) sees its m shrink by β₁ each step, and
// after some 700 steps m reaches the subnormal floats (below 2⁻¹²⁶) and
// stays there, since at the smallest of them β₁·m rounds back to m. x86
// cores, and so WebAssembly, compute on those about a hundred times
// slower: the Train view's VAE spent 6–7 ms a step in Adam, not 1, from
// its 700th step on. At 2⁻¹⁰⁰ no product of the update is
// subnormal, and a moment that small moves no weight (α·m/ε < 10⁻²³).
const adamFloor = 0x1p-100

// SetLR sets the step size α.
func (o *Adam) SetLR(lr float32) { o.LR = lr }

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// ensureState gives an optimiser one zeroed buffer per parameter, the first
// time it sees them.
func ensureState(s []*tensor.Mat, ps []*Param) []*tensor.Mat {
	if len(s) == len(ps) {
		return s
	}
	if len(s) != 0 {
		panic(fmt.Sprintf("nn: optimiser given %d parameters, had %d", len(ps), len(s)))
	}
	s = make([]*tensor.Mat, len(ps))
	for i, p := range ps {
		s[i] = tensor.New(p.Value.Rows, p.Value.Cols)
	}
	return s
}

// AddWeightPenalty adds the gradient of l1·Σ|θ| + (l2/2)·Σθ² to every
// parameter whose name ends in ".W" (biases are not penalised).
func AddWeightPenalty(ps []*Param, l1, l2 float32) {
	if l1 == 0 && l2 == 0 {
		return
	}
	for _, p := range ps {
		if n := p.Name; len(n) < 2 || n[len(n)-2:] != ".W" {
			continue
		}
		for j, w := range p.Value.Data {
			g := l2 * w
			switch {
			case w > 0:
				g += l1
			case w < 0:
				g -= l1
			}
			p.Grad.Data[j] += g
		}
	}
}
