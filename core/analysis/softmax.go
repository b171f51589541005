package analysis

import (
	"fmt"
	"math"

	"latentplay/core/tensor"
)

// Softmax is multinomial logistic regression, the linear probe that asks
// how much of the class a set of features says:
//
//	p(y = c | x) = softmax(Wᵀx̃ + b)_c,   x̃ⱼ = (xⱼ − mⱼ)·sⱼ,
//
// where mⱼ is feature j's mean over the training rows and sⱼ one over its
// standard deviation, floored at the features' mean deviation, so that one
// step size suits pixels and codes alike and a pixel that is almost always
// blank is not blown up.
type Softmax struct {
	Classes     int
	Mean, Scale []float64 // mⱼ and sⱼ, one per feature
	W           []float64 // features×Classes, row-major
	B           []float64 // Classes
}

// SoftmaxSettings are how FitSoftmax descends.
type SoftmaxSettings struct {
	Steps int     // full-batch gradient steps
	LR    float64 // step size
	Decay float64 // λ of the penalty (λ/2)‖W‖²
}

// ProbeSettings fit a probe on a hundred examples: a little weight decay,
// as 100 examples overfit an MNIST digit's pixels.
var ProbeSettings = SoftmaxSettings{Steps: 300, LR: 0.5, Decay: 1e-2}

// FitSoftmax fits softmax regression to the rows of x and their labels y
// (each below classes) by full-batch gradient descent on the mean
// cross-entropy plus the weight penalty,
//
//	J(W, b) = −(1/n) Σᵢ log p(yᵢ | xᵢ) + (λ/2)‖W‖²,
//	∂J/∂W = (1/n) Σᵢ x̃ᵢ (pᵢ − onehot(yᵢ))ᵀ + λW,   ∂J/∂b = (1/n) Σᵢ (pᵢ − onehot(yᵢ)),
//
// starting from W = 0, b = 0.
func FitSoftmax(x *tensor.Mat, y []uint8, classes int, s SoftmaxSettings) (*Softmax, error) {
	n, d := x.Rows, x.Cols
	if n == 0 || len(y) != n || classes < 2 {
		return nil, fmt.Errorf("analysis: softmax regression on %d rows with %d labels and %d classes", n, len(y), classes)
	}
	for _, l := range y {
		if int(l) >= classes {
			return nil, fmt.Errorf("analysis: label %d of %d classes", l, classes)
		}
	}
	m := &Softmax{Classes: classes, Mean: make([]float64, d), Scale: make([]float64, d), W: make([]float64, d*classes), B: make([]float64, classes)}
	for i := range n {
		for j, v := range x.Row(i) {
			m.Mean[j] += float64(v) / float64(n)
		}
	}
	for i := range n {
		for j, v := range x.Row(i) {
			dv := float64(v) - m.Mean[j]
			m.Scale[j] += dv * dv / float64(n)
		}
	}
	var avg float64
	for j := range m.Scale {
		m.Scale[j] = math.Sqrt(m.Scale[j])
		avg += m.Scale[j] / float64(d)
	}
	for j := range m.Scale {
		if sd := max(m.Scale[j], avg); sd > 0 {
			m.Scale[j] = 1 / sd
		} else {
			m.Scale[j] = 1 // every feature constant: nothing to scale
		}
	}

	gw := make([]float64, d*classes)
	gb := make([]float64, classes)
	p := make([]float64, classes)
	f := make([]float64, d)
	for range s.Steps {
		clear(gw)
		clear(gb)
		for i := range n {
			m.features(x.Row(i), f)
			m.probabilities(f, p)
			p[y[i]]-- // p − onehot(y)
			for j, fj := range f {
				fj /= float64(n)
				for c := range classes {
					gw[j*classes+c] += fj * p[c]
				}
			}
			for c := range classes {
				gb[c] += p[c] / float64(n)
			}
		}
		for k := range m.W {
			m.W[k] -= s.LR * (gw[k] + s.Decay*m.W[k])
		}
		for c := range m.B {
			m.B[c] -= s.LR * gb[c]
		}
	}
	return m, nil
}

// features writes x̃, the standardised row, into f.
func (m *Softmax) features(row []float32, f []float64) {
	for j, v := range row {
		f[j] = (float64(v) - m.Mean[j]) * m.Scale[j]
	}
}

// probabilities writes softmax(Wᵀx̃ + b) into p, subtracting the largest
// logit first so that no exponential overflows.
func (m *Softmax) probabilities(f, p []float64) {
	copy(p, m.B)
	for j, fj := range f {
		for c := range p {
			p[c] += fj * m.W[j*m.Classes+c]
		}
	}
	top := p[0]
	for _, l := range p {
		top = max(top, l)
	}
	var sum float64
	for c := range p {
		p[c] = math.Exp(p[c] - top)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}

// Probabilities is p(y | x) for each row of x (rows×Classes).
func (m *Softmax) Probabilities(x *tensor.Mat) [][]float64 {
	out := make([][]float64, x.Rows)
	f := make([]float64, x.Cols)
	for i := range x.Rows {
		out[i] = make([]float64, m.Classes)
		m.features(x.Row(i), f)
		m.probabilities(f, out[i])
	}
	return out
}

// Accuracy is the fraction of the rows of x whose most probable class is
// their label.
func (m *Softmax) Accuracy(x *tensor.Mat, y []uint8) float64 {
	right := 0
	for i, p := range m.Probabilities(x) {
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		if best == int(y[i]) {
			right++
		}
	}
	return float64(right) / float64(x.Rows)
}

// Loss is J(W, b) on the rows of x: the mean cross-entropy plus the
// weight penalty FitSoftmax minimises with decay λ.
func (m *Softmax) Loss(x *tensor.Mat, y []uint8, decay float64) float64 {
	var j float64
	for i, p := range m.Probabilities(x) {
		j -= math.Log(max(p[y[i]], 1e-300)) / float64(x.Rows)
	}
	var w2 float64
	for _, w := range m.W {
		w2 += w * w
	}
	return j + decay/2*w2
}
