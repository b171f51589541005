package nn

import (
	"math"

	"gonum.org/v1/gonum/diff/fd"
)

// GradCheck compares analytic gradients with central finite differences.
//
// loss evaluates the scalar loss at the current parameter values; grads
// must zero and then fill every p.Grad with ∂loss/∂p (one forward and
// backward pass). GradCheck perturbs every scalar of every parameter by ±h
// through gonum's fd.Gradient and returns the worst error
// |analytic − numeric| / max(1, |analytic|, |numeric|), with the name and
// index where it occurred.
func GradCheck(ps []*Param, loss func() float64, grads func(), h float64) (worst float64, name string, index int) {
	grads()
	for _, p := range ps {
		analytic := make([]float64, p.Value.Len())
		for i, g := range p.Grad.Data {
			analytic[i] = float64(g)
		}
		x0 := make([]float64, p.Value.Len())
		for i, v := range p.Value.Data {
			x0[i] = float64(v)
		}
		f := func(x []float64) float64 {
			for i, v := range x {
				p.Value.Data[i] = float32(v)
			}
			return loss()
		}
		numeric := fd.Gradient(nil, f, x0, &fd.Settings{Formula: fd.Central, Step: h})
		for i, v := range x0 {
			p.Value.Data[i] = float32(v) // restore
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
