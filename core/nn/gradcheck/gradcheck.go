// Package gradcheck compares analytic gradients with central finite
// differences through gonum's diff/fd. It lives apart from nn so that the
// browser's engine, which never checks gradients, does not carry gonum's
// linear algebra.
package gradcheck

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
)

// Param is a parameter's values and the gradient the code under test
// computed for them; both alias the model's own storage.
type Param struct {
	Name        string
	Value, Grad []float32
}

// Check compares analytic gradients with central finite differences.
//
// loss evaluates the scalar loss at the current parameter values; grads
// must zero and then fill every p.Grad with ∂loss/∂p (one forward and
// backward pass). Check perturbs every scalar of every parameter by ±h
// through gonum's fd.Gradient and returns the worst error
// |analytic − numeric| / max(1, |analytic|, |numeric|), with the name and
// index where it occurred.
func Check(ps []Param, loss func() float64, grads func(), h float64) (worst float64, name string, index int) {
	grads()
	for _, p := range ps {
		analytic := make([]float64, len(p.Value))
		for i, g := range p.Grad {
			analytic[i] = float64(g)
		}
		x0 := make([]float64, len(p.Value))
		for i, v := range p.Value {
			x0[i] = float64(v)
		}
		f := func(x []float64) float64 {
			for i, v := range x {
				p.Value[i] = float32(v)
			}
			return loss()
		}
		numeric := fd.Gradient(nil, f, x0, &fd.Settings{Formula: fd.Central, Step: h})
		for i, v := range x0 {
			p.Value[i] = float32(v) // restore
		}
		for i := range numeric {
			a, n := analytic[i], numeric[i]
			err := math.Abs(a-n) / math.Max(1, math.Max(math.Abs(a), math.Abs(n)))
			if err > worst || math.IsNaN(err) {
				worst, name, index = err, p.Name, i
				if math.IsNaN(err) {
					worst = math.Inf(1)
				}
			}
		}
	}
	return worst, name, index
}
