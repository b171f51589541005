package models

import (
	"math"

	"latentplay/core/nn"
)

// Perceptron is one neuron: Y = f(x·w + b), with f the step function in
// Rosenblatt's perceptron (1958), or a sigmoid when it is to learn by
// gradient descent. Its decision boundary x·w + b = 0 is a hyperplane.
type Perceptron struct {
	W   []float32
	B   float32
	Act nn.Activation
}

// NewPerceptron returns a step-output perceptron with n zero weights.
func NewPerceptron(n int) *Perceptron {
	return &Perceptron{W: make([]float32, n), Act: nn.Step}
}

// Net is the weighted sum x·w + b (the signed distance to the plane,
// scaled by |w|).
func (p *Perceptron) Net(x []float32) float32 {
	s := p.B
	for i, w := range p.W {
		s += w * x[i]
	}
	return s
}

// Output is f(x·w + b).
func (p *Perceptron) Output(x []float32) float32 { return p.Act.F(p.Net(x)) }

// RuleEpoch runs the perceptron learning rule once over the examples:
// for each x with target t and step output y,
//
//	w ← w + η(t − y)x,  b ← b + η(t − y).
//
// It returns the number of examples it got wrong on the way. On linearly
// separable data the rule stops making mistakes after finitely many epochs
// (Novikoff 1962); otherwise it never settles.
func (p *Perceptron) RuleEpoch(xs [][]float32, ts []float32, lr float32) (mistakes int) {
	for k, x := range xs {
		if p.RuleStep(x, ts[k], lr) {
			mistakes++
		}
	}
	return mistakes
}

// RuleStep applies the perceptron rule to one example and reports whether
// the perceptron got it wrong (and so moved).
func (p *Perceptron) RuleStep(x []float32, t, lr float32) (wrong bool) {
	y := nn.Step.F(p.Net(x))
	d := t - y
	if d == 0 {
		return false
	}
	for i := range p.W {
		p.W[i] += lr * d * x[i]
	}
	p.B += lr * d
	return true
}

// MaxRuleEpochs bounds Separable's search. On separable data the rule
// makes at most (R/γ)² mistakes (Novikoff), R the largest input and γ the
// best plane's margin; with three binary inputs both are fixed and the rule
// settles within a few dozen epochs, so 1000 epochs only fail a table no
// plane separates (the tests count the 104 that some plane does).
const MaxRuleEpochs = 1000

// Separable reports whether some plane x·w + b = 0 puts every example with
// target 1 on its non-negative side and the rest strictly below: it runs
// the perceptron rule from zero weights until an epoch without mistakes,
// for at most MaxRuleEpochs epochs (enough for up to three binary inputs).
func Separable(xs [][]float32, ts []float32) bool {
	if len(xs) == 0 {
		return true
	}
	p := NewPerceptron(len(xs[0]))
	for range MaxRuleEpochs {
		if p.RuleEpoch(xs, ts, 1) == 0 {
			return true
		}
	}
	return false
}

// GradientStep takes one full-batch gradient descent step on the sigmoid
// neuron y = σ(x·w + b) with binary cross-entropy, whose gradient is
// ∂L/∂w = (1/n) Σ (y − t)x. It returns the loss before the step.
func (p *Perceptron) GradientStep(xs [][]float32, ts []float32, lr float32) float64 {
	gw := make([]float64, len(p.W))
	var gb, loss float64
	n := float64(len(xs))
	for k, x := range xs {
		y := float64(nn.Sigmoid.F(p.Net(x)))
		t := float64(ts[k])
		y = math.Min(math.Max(y, 1e-7), 1-1e-7)
		loss -= t*math.Log(y) + (1-t)*math.Log(1-y)
		for i := range p.W {
			gw[i] += (y - t) * float64(x[i])
		}
		gb += y - t
	}
	for i := range p.W {
		p.W[i] -= lr * float32(gw[i]/n)
	}
	p.B -= lr * float32(gb/n)
	return loss / n
}

// Accuracy is the fraction of examples whose output, thresholded at ½,
// matches the target.
func (p *Perceptron) Accuracy(xs [][]float32, ts []float32) float64 {
	right := 0
	for k, x := range xs {
		if (p.Net(x) >= 0) == (ts[k] >= 0.5) {
			right++
		}
	}
	return float64(right) / float64(len(xs))
}
