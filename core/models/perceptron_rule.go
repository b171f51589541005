package models

import "latentplay/core/nn"

// RuleSteps applies the perceptron rule steps times, to one example each:
// example from first, then the next, wrapping round the examples (as a
// person steps through a truth table row by row). It returns how many of
// those examples the perceptron got wrong, each of which moved it.
func (p *Perceptron) RuleSteps(xs [][]float32, ts []float32, from, steps int, lr float32) (mistakes int) {
	for s := range steps {
		r := (from + s) % len(xs)
		if p.RuleStep(xs[r], ts[r], lr) {
			mistakes++
		}
	}
	return mistakes
}

// Reading is a perceptron's answer for each example of a table.
type Reading struct {
	Net     []float32 // x·w + b, one per example
	Sigmoid []float32 // σ(x·w + b), in (0, 1)
	Correct int       // examples whose step output step(x·w + b) is the target
}

// Read gives the perceptron's net and sigmoid output for each example, and
// how many examples its step output gets right.
func (p *Perceptron) Read(xs [][]float32, ts []float32) Reading {
	r := Reading{Net: make([]float32, len(xs)), Sigmoid: make([]float32, len(xs))}
	for k, x := range xs {
		net := p.Net(x)
		r.Net[k], r.Sigmoid[k] = net, nn.Sigmoid.F(net)
		if nn.Step.F(net) == ts[k] {
			r.Correct++
		}
	}
	return r
}
