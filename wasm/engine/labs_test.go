package engine

import (
	"math"
	"testing"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

func perceptronReq(w []float32, b float32, targets []float32, steps, row int) protocol.Request {
	return protocol.Request{Op: protocol.OpPerceptron, Perceptron: &protocol.Perceptron{W: w, B: b, Targets: targets, Steps: steps, Row: row}}
}

// The rule, run an epoch at a time as the page's Run button does, learns
// Y = x₁ and then makes no more mistakes; on x₁ XOR x₂ it never settles.
func TestPerceptronOp(t *testing.T) {
	e := New()
	w, b := []float32{0, 0, 0}, float32(0)
	weather := data.FestivalWeather()
	settled := -1
	for epoch := range 50 {
		r := mustOK(t, e.Handle(perceptronReq(w, b, weather, 8, 0)))
		w, b = r.Floats[:3], r.Floats[3]
		if r.Figures["mistakes"] == 0 {
			settled = epoch
			if r.Figures["correct"] != 8 || r.Figures["separable"] != 1 {
				t.Fatalf("settled with figures %v", r.Figures)
			}
			break
		}
	}
	if settled < 0 {
		t.Fatal("the rule did not settle on Y = x1 in 50 epochs")
	}
	// The answer's nets and sigmoids are those of the weights it returns.
	r := mustOK(t, e.Handle(perceptronReq(w, b, weather, 0, 0)))
	for row, x := range festivalRows() {
		net := w[0]*x[0] + w[1]*x[1] + w[2]*x[2] + b
		if got := r.Floats[4+row]; math.Abs(float64(got-net)) > 1e-5 {
			t.Errorf("row %d: net %v, want %v", row, got, net)
		}
		if s := r.Floats[12+row]; (s >= 0.5) != (net >= 0) {
			t.Errorf("row %d: σ = %v on the wrong side of ½ for net %v", row, s, net)
		}
	}

	xor := make([]float32, 8)
	for row, x := range festivalRows() {
		if x[0] != x[1] {
			xor[row] = 1
		}
	}
	w, b = []float32{0, 0, 0}, 0
	for epoch := range 200 {
		r := mustOK(t, e.Handle(perceptronReq(w, b, xor, 8, 0)))
		w, b = r.Floats[:3], r.Floats[3]
		if r.Figures["separable"] != 0 {
			t.Fatal("XOR reported separable")
		}
		if r.Figures["mistakes"] == 0 || r.Figures["correct"] == 8 {
			t.Fatalf("the rule settled on XOR at epoch %d: %v", epoch, r.Figures)
		}
	}

	// One step updates one row only: row 4 (x = 100, target 1) from zero
	// weights is already output 1 (step(0) = 1), row 0 (target 0) is not.
	r = mustOK(t, e.Handle(perceptronReq([]float32{0, 0, 0}, 0, weather, 1, 0)))
	if r.Figures["mistakes"] != 1 || r.Floats[3] != -1 {
		t.Errorf("one step on row 0: figures %v, b = %v; want one mistake and b = −1", r.Figures, r.Floats[3])
	}
	for _, bad := range []protocol.Request{
		perceptronReq([]float32{0, 0}, 0, weather, 0, 0),
		perceptronReq([]float32{0, 0, float32(math.NaN())}, 0, weather, 0, 0),
		perceptronReq([]float32{0, 0, 0}, 0, []float32{0, 1, 2, 0, 0, 0, 0, 0}, 0, 0),
		perceptronReq([]float32{0, 0, 0}, 0, weather, -1, 0),
		{Op: protocol.OpPerceptron},
	} {
		if r := e.Handle(bad); r.Error == "" {
			t.Errorf("%+v was accepted", bad.Perceptron)
		}
	}
}

func activationReq(name string, alpha float32, pieces int) protocol.Request {
	return protocol.Request{Op: protocol.OpActivation, Activation: &protocol.Activation{
		Name: name, Alpha: alpha, Pieces: pieces, Lo: -2, Hi: 2, Points: 5, W: []float32{1, 0}, B: 0, Grid: 4,
	}}
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
		r := mustOK(t, e.Handle(activationReq(tc.name, tc.alpha, tc.pieces)))
		if len(r.Floats) != 5+5+16 {
			t.Fatalf("%s: %d values, want 26", tc.name, len(r.Floats))
		}
		for i := range 5 {
			if math.Abs(float64(r.Floats[i]-tc.f[i])) > 1e-3 || math.Abs(float64(r.Floats[5+i]-tc.d[i])) > 1e-3 {
				t.Errorf("%s/%d at z = %d: f = %v, f′ = %v; want %v, %v", tc.name, tc.pieces, i-2, r.Floats[i], r.Floats[5+i], tc.f[i], tc.d[i])
			}
		}
		// The neuron f(x₁) over the grid: each row the same, rising left to right
		// where f rises.
		heat := r.Floats[10:]
		for row := range 4 {
			for col := range 4 {
				if heat[row*4+col] != heat[col] {
					t.Fatalf("%s: the heatmap changes with x₂ though w₂ = 0", tc.name)
				}
			}
		}
	}
	for _, bad := range []protocol.Request{
		activationReq("softsign", 0, 0),
		activationReq("leaky-relu", 1.5, 0),
		activationReq("maxout", 0, 0),
		activationReq("maxout", 0, 99),
		{Op: protocol.OpActivation},
	} {
		if r := e.Handle(bad); r.Error == "" {
			t.Errorf("%+v was accepted", bad.Activation)
		}
	}
}
