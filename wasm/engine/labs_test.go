package engine

import (
	"math"
	"testing"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

func perceptron(t *testing.T, e *Engine, q protocol.Perceptron) protocol.PerceptronTable {
	t.Helper()
	r, err := Do(e, protocol.EvalPerceptron, q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func perceptronArgs(w [3]float32, b float32, targets []float32, steps, row int) protocol.Perceptron {
	return protocol.Perceptron{W: w[:], B: b, Targets: targets, Steps: steps, Row: row}
}

// The rule, run an epoch at a time as the page's Run button does, learns
// Y = x₁ and then makes no more mistakes; on x₁ XOR x₂ it never settles.
func TestPerceptronOp(t *testing.T) {
	e := New()
	var w [3]float32
	var b float32
	weather := data.FestivalWeather()
	settled := -1
	for epoch := range 50 {
		r := perceptron(t, e, perceptronArgs(w, b, weather, 8, 0))
		w, b = r.W, r.B
		if r.Mistakes == 0 {
			settled = epoch
			if r.Correct != 8 || !r.Separable {
				t.Fatalf("settled with %+v", r)
			}
			break
		}
	}
	if settled < 0 {
		t.Fatal("the rule did not settle on Y = x1 in 50 epochs")
	}
	// The answer's nets and sigmoids are those of the weights it returns.
	r := perceptron(t, e, perceptronArgs(w, b, weather, 0, 0))
	for row, x := range festivalRows() {
		net := w[0]*x[0] + w[1]*x[1] + w[2]*x[2] + b
		if got := r.Net[row]; math.Abs(float64(got-net)) > 1e-5 {
			t.Errorf("row %d: net %v, want %v", row, got, net)
		}
		if s := r.Sigmoid[row]; (s >= 0.5) != (net >= 0) {
			t.Errorf("row %d: σ = %v on the wrong side of ½ for net %v", row, s, net)
		}
	}

	xor := make([]float32, 8)
	for row, x := range festivalRows() {
		if x[0] != x[1] {
			xor[row] = 1
		}
	}
	w, b = [3]float32{}, 0
	for epoch := range 200 {
		r := perceptron(t, e, perceptronArgs(w, b, xor, 8, 0))
		w, b = r.W, r.B
		if r.Separable {
			t.Fatal("XOR reported separable")
		}
		if r.Mistakes == 0 || r.Correct == 8 {
			t.Fatalf("the rule settled on XOR at epoch %d: %+v", epoch, r)
		}
	}

	// One step updates one row only: row 4 (x = 100, target 1) from zero
	// weights is already output 1 (step(0) = 1), row 0 (target 0) is not.
	r = perceptron(t, e, perceptronArgs([3]float32{}, 0, weather, 1, 0))
	if r.Mistakes != 1 || r.B != -1 {
		t.Errorf("one step on row 0: %d mistakes, b = %v; want one mistake and b = −1", r.Mistakes, r.B)
	}
	for _, bad := range []protocol.Perceptron{
		{W: []float32{0, 0}, Targets: weather},
		perceptronArgs([3]float32{0, 0, float32(math.NaN())}, 0, weather, 0, 0),
		perceptronArgs([3]float32{}, 0, []float32{0, 1, 2, 0, 0, 0, 0, 0}, 0, 0),
		perceptronArgs([3]float32{}, 0, weather, -1, 0),
		{},
	} {
		if _, err := Do(e, protocol.EvalPerceptron, bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
}

func activationArgs(name string, alpha float32, pieces int) protocol.Activation {
	return protocol.Activation{Name: name, Alpha: alpha, Pieces: pieces, Lo: -2, Hi: 2, Points: 5, W: []float32{1, 0}, B: 0, Grid: 4}
}

func TestActivationOp(t *testing.T) {
	e := New()
	// At z = −2, −1, 0, 1, 2.
	for _, tc := range []struct {
		name   string
		alpha  float32
		pieces int
		f, d   []float32
	}{
		{"step", 0, 0, []float32{0, 0, 1, 1, 1}, []float32{0, 0, 0, 0, 0}},
		{"relu", 0, 0, []float32{0, 0, 0, 1, 2}, []float32{0, 0, 0, 1, 1}},
		{"leaky-relu", 0.25, 0, []float32{-0.5, -0.25, 0, 1, 2}, []float32{0.25, 0.25, 0.25, 1, 1}},
		{"sigmoid", 0, 0, []float32{0.1192, 0.2689, 0.5, 0.7311, 0.8808}, []float32{0.105, 0.1966, 0.25, 0.1966, 0.105}},
		{"tanh", 0, 0, []float32{-0.9640, -0.7616, 0, 0.7616, 0.9640}, []float32{0.0707, 0.42, 1, 0.42, 0.0707}},
		// One piece is the line z; two are |z| − ½ (at the kink the first
		// piece wins the tie); three add the flat 0.
		{"maxout", 0, 1, []float32{-2, -1, 0, 1, 2}, []float32{1, 1, 1, 1, 1}},
		{"maxout", 0, 2, []float32{1.5, 0.5, -0.5, 0.5, 1.5}, []float32{-1, -1, -1, 1, 1}},
		{"maxout", 0, 3, []float32{1.5, 0.5, 0, 0.5, 1.5}, []float32{-1, -1, 0, 1, 1}},
	} {
		r, err := Do(e, protocol.PlotActivation, activationArgs(tc.name, tc.alpha, tc.pieces))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.F) != 5 || len(r.D) != 5 || r.Neuron.Rows != 4 || r.Neuron.Cols != 4 {
			t.Fatalf("%s: %d values of f, %d of f′ and a %d×%d neuron; want 5, 5 and 4×4", tc.name, len(r.F), len(r.D), r.Neuron.Rows, r.Neuron.Cols)
		}
		for i := range 5 {
			if math.Abs(float64(r.F[i]-tc.f[i])) > 1e-3 || math.Abs(float64(r.D[i]-tc.d[i])) > 1e-3 {
				t.Errorf("%s/%d at z = %d: f = %v, f′ = %v; want %v, %v", tc.name, tc.pieces, i-2, r.F[i], r.D[i], tc.f[i], tc.d[i])
			}
		}
		// The neuron f(x₁) over the grid: each row the same, as w₂ = 0.
		for row := range 4 {
			for col := range 4 {
				if r.Neuron.Row(row)[col] != r.Neuron.Row(0)[col] {
					t.Fatalf("%s: the heatmap changes with x₂ though w₂ = 0", tc.name)
				}
			}
		}
	}
	for _, bad := range []protocol.Activation{
		activationArgs("softsign", 0, 0),
		activationArgs("leaky-relu", 1.5, 0),
		activationArgs("maxout", 0, 0),
		activationArgs("maxout", 0, 99),
		{},
	} {
		if _, err := Do(e, protocol.PlotActivation, bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
}
