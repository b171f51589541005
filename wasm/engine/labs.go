package engine

import (
	"errors"
	"fmt"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/wasm/engine/protocol"
)

// The teaching labs' operations: small, stateless requests the page makes
// as a person moves a slider.

func init() {
	handle(protocol.EvalPerceptron, (*Engine).perceptron)
	handle(protocol.PlotActivation, (*Engine).activation)
}

// festivalRows is the truth table's inputs, rows in binary order x₁x₂x₃.
func festivalRows() [][]float32 {
	var xs [][]float32
	for _, r := range data.FestivalInputs() {
		xs = append(xs, []float32{r[0], r[1], r[2]})
	}
	return xs
}

// finite reports whether every value is a number small enough to plot.
func finite(xs ...float32) bool { return models.Finite(xs) }

func (e *Engine) perceptron(q protocol.Perceptron) (protocol.PerceptronTable, error) {
	var out protocol.PerceptronTable
	xs := festivalRows()
	if len(q.W) != len(out.W) || len(q.Targets) != len(xs) {
		return out, fmt.Errorf("%d weights and %d targets, want %d and %d", len(q.W), len(q.Targets), len(out.W), len(xs))
	}
	for _, t := range q.Targets {
		if t != 0 && t != 1 {
			return out, fmt.Errorf("target %g, want 0 or 1", t)
		}
	}
	if !finite(append([]float32{q.B, q.LR}, q.W...)...) || q.LR < 0 {
		return out, errors.New("weights, bias and learning rate must be finite numbers (the rate ≥ 0)")
	}
	if q.Steps < 0 || q.Steps > 8000 || q.Row < 0 {
		return out, fmt.Errorf("%d steps from row %d, want 0..8000 from row ≥ 0", q.Steps, q.Row)
	}
	lr := q.LR
	if lr == 0 {
		lr = 1
	}
	p := &models.Perceptron{W: append([]float32(nil), q.W...), B: q.B, Act: nn.Step}
	out.Mistakes = p.RuleSteps(xs, q.Targets, q.Row, q.Steps, lr)
	if !finite(append([]float32{p.B}, p.W...)...) {
		return protocol.PerceptronTable{}, errors.New("the weights grew past ±10⁶: lower the learning rate")
	}
	r := p.Read(xs, q.Targets)
	copy(out.W[:], p.W)
	out.B = p.B
	copy(out.Net[:], r.Net)
	copy(out.Sigmoid[:], r.Sigmoid)
	out.Correct, out.Separable = r.Correct, models.Separable(xs, q.Targets)
	return out, nil
}

func (e *Engine) activation(q protocol.Activation) (protocol.ActivationPlot, error) {
	if q.Points < 2 || q.Points > 2000 || q.Grid < 2 || q.Grid > 256 {
		return protocol.ActivationPlot{}, fmt.Errorf("%d points and a %d×%d grid, want 2..2000 and 2..256", q.Points, q.Grid, q.Grid)
	}
	if len(q.W) != 2 || !finite(q.W[0], q.W[1], q.B, q.Lo, q.Hi) || !(q.Lo < q.Hi) {
		return protocol.ActivationPlot{}, errors.New("want two finite weights, a finite bias and a range lo < hi")
	}
	var c nn.Curve
	switch q.Name {
	case "maxout":
		if q.Pieces < 1 || q.Pieces > 16 {
			return protocol.ActivationPlot{}, fmt.Errorf("%d maxout pieces, want 1..16", q.Pieces)
		}
		c = nn.MaxoutCurve(q.Pieces)
	default:
		name := q.Name
		if name == "leaky-relu" {
			if !(q.Alpha >= 0 && q.Alpha < 1) {
				return protocol.ActivationPlot{}, fmt.Errorf("leaky ReLU slope %g, want 0 ≤ α < 1", q.Alpha)
			}
			name = fmt.Sprintf("leaky-relu:%g", q.Alpha)
		}
		a, err := nn.ActivationByName(name)
		if err != nil {
			return protocol.ActivationPlot{}, err
		}
		c = nn.CurveOf(a)
	}
	f, d := c.Sample(q.Lo, q.Hi, q.Points)
	heat := c.Neuron(q.W[0], q.W[1], q.B, q.Grid)
	return protocol.ActivationPlot{F: f, D: d, Neuron: protocol.RowsOf(q.Grid, heat)}, nil
}
