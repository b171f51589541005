package engine

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

// The teaching labs' operations: small, stateless requests the page makes
// as a person moves a slider.

// festivalRows is the truth table's inputs, rows in binary order x₁x₂x₃.
func festivalRows() [][]float32 {
	var xs [][]float32
	for _, r := range data.FestivalInputs() {
		xs = append(xs, []float32{r[0], r[1], r[2]})
	}
	return xs
}

// finite reports whether every value is a number small enough to plot.
func finite(xs ...float32) bool {
	for _, v := range xs {
		if !(v >= -1e6 && v <= 1e6) {
			return false
		}
	}
	return true
}

// perceptron answers OpPerceptron.
func (e *Engine) perceptron(req protocol.Request) ([]float32, map[string]float64, error) {
	q := req.Perceptron
	if q == nil {
		return nil, nil, errors.New("no perceptron given")
	}
	if len(q.W) != 3 || len(q.Targets) != 8 {
		return nil, nil, fmt.Errorf("%d weights and %d targets, want 3 and 8", len(q.W), len(q.Targets))
	}
	for _, t := range q.Targets {
		if t != 0 && t != 1 {
			return nil, nil, fmt.Errorf("target %g, want 0 or 1", t)
		}
	}
	if !finite(append([]float32{q.B, q.LR}, q.W...)...) || q.LR < 0 {
		return nil, nil, errors.New("weights, bias and learning rate must be finite numbers (the rate ≥ 0)")
	}
	if q.Steps < 0 || q.Steps > 8000 || q.Row < 0 {
		return nil, nil, fmt.Errorf("%d steps from row %d, want 0..8000 from row ≥ 0", q.Steps, q.Row)
	}
	lr := q.LR
	if lr == 0 {
		lr = 1
	}
	xs := festivalRows()
	p := &models.Perceptron{W: append([]float32(nil), q.W...), B: q.B, Act: nn.Step}
	mistakes := 0
	for s := range q.Steps {
		r := (q.Row + s) % 8
		if p.RuleStep(xs[r], q.Targets[r], lr) {
			mistakes++
		}
	}
	if !finite(append([]float32{p.B}, p.W...)...) {
		return nil, nil, errors.New("the weights grew past ±10⁶: lower the learning rate")
	}
	out := append(append([]float32(nil), p.W...), p.B)
	correct := 0
	for r, x := range xs {
		net := p.Net(x)
		out = append(out, net)
		if nn.Step.F(net) == q.Targets[r] {
			correct++
		}
	}
	for _, x := range xs {
		out = append(out, nn.Sigmoid.F(p.Net(x)))
	}
	sep := 0.0
	if models.Separable(xs, q.Targets) {
		sep = 1
	}
	return out, map[string]float64{"mistakes": float64(mistakes), "correct": float64(correct), "separable": sep}, nil
}

// maxoutUnit is a maxout unit of one input with k pieces: the tangents of
// z²/2 at k points evenly spaced over [−1, 1] (one piece: the line z), so
// that more pieces bend it closer to a curve, as training would shape it.
func maxoutUnit(k int) *nn.Maxout {
	m := nn.NewMaxout("maxout", 1, 1, k, nn.Xavier, rand.New(rand.NewPCG(1, 1)))
	ps := m.Params() // W: 1×k slopes, b: 1×k intercepts
	for p := range k {
		s := float32(1)
		if k > 1 {
			s = -1 + 2*float32(p)/float32(k-1)
		}
		ps[0].Value.Data[p] = s          // the tangent at s has slope s…
		ps[1].Value.Data[p] = -s * s / 2 // …and meets z²/2 there
	}
	if k == 1 {
		ps[1].Value.Data[0] = 0
	}
	return m
}

// activation answers OpActivation.
func (e *Engine) activation(req protocol.Request) ([]float32, error) {
	q := req.Activation
	if q == nil {
		return nil, errors.New("no activation given")
	}
	if q.Points < 2 || q.Points > 2000 || q.Grid < 2 || q.Grid > 256 {
		return nil, fmt.Errorf("%d points and a %d×%d grid, want 2..2000 and 2..256", q.Points, q.Grid, q.Grid)
	}
	if len(q.W) != 2 || !finite(q.W[0], q.W[1], q.B, q.Lo, q.Hi) || !(q.Lo < q.Hi) {
		return nil, errors.New("want two finite weights, a finite bias and a range lo < hi")
	}
	// f maps a column of nets to outputs; fp to derivatives.
	var f, fp func(z *tensor.Mat) []float32
	switch q.Name {
	case "maxout":
		if q.Pieces < 1 || q.Pieces > 16 {
			return nil, fmt.Errorf("%d maxout pieces, want 1..16", q.Pieces)
		}
		m := maxoutUnit(q.Pieces)
		f = func(z *tensor.Mat) []float32 { return m.Forward(z).Clone().Data }
		fp = func(z *tensor.Mat) []float32 {
			// The derivative is the winning piece's slope: the backward pass of dy = 1.
			m.Forward(z)
			ones := tensor.New(z.Rows, 1)
			for i := range ones.Data {
				ones.Data[i] = 1
			}
			nn.ZeroGrads(m.Params())
			return m.Backward(ones).Clone().Data
		}
	default:
		name := q.Name
		if name == "leaky-relu" {
			if !(q.Alpha >= 0 && q.Alpha < 1) {
				return nil, fmt.Errorf("leaky ReLU slope %g, want 0 ≤ α < 1", q.Alpha)
			}
			name = fmt.Sprintf("leaky-relu:%g", q.Alpha)
		}
		a, err := nn.ActivationByName(name)
		if err != nil {
			return nil, err
		}
		act := nn.NewAct(a)
		f = func(z *tensor.Mat) []float32 { return act.Forward(z).Clone().Data }
		fp = func(z *tensor.Mat) []float32 {
			y := act.Forward(z)
			d := make([]float32, len(z.Data))
			for i, x := range z.Data {
				d[i] = a.D(x, y.Data[i])
			}
			return d
		}
	}
	z := tensor.New(q.Points, 1)
	for i := range z.Data {
		z.Data[i] = q.Lo + (q.Hi-q.Lo)*float32(i)/float32(q.Points-1)
	}
	out := append(f(z), fp(z)...)
	// The neuron y = f(w₁x₁ + w₂x₂ + b) over [−1, 1]².
	n := q.Grid
	net := tensor.New(n*n, 1)
	for i := range n {
		x2 := 1 - 2*(float32(i)+0.5)/float32(n)
		for j := range n {
			x1 := -1 + 2*(float32(j)+0.5)/float32(n)
			net.Data[i*n+j] = q.W[0]*x1 + q.W[1]*x2 + q.B
		}
	}
	return append(out, f(net)...), nil
}
