package engine

import (
	"strings"
	"testing"

	"latentplay/core/descent"
	"latentplay/wasm/engine/protocol"
)

// The op answers the raster and each method's path, every path starting
// at the start; the neuron's loss falls along gradient descent's path.
func TestDescentOp(t *testing.T) {
	e := New()
	d := protocol.Descent{Surface: "neuron", Start: [2]float64{-5, 4}, LR: 1, Momentum: 0.9, Radius: 0.3, Budget: 500, Tol: 1e-3, Seed: 1, Grid: 32}
	r, err := Do(e, protocol.CompareDescent, d)
	if err != nil {
		t.Fatal(err)
	}
	if r.Surface.Rows != 32 || r.Surface.Cols != 32 {
		t.Fatalf("a %d×%d raster, want 32×32", r.Surface.Rows, r.Surface.Cols)
	}
	if s := descent.Surfaces["neuron"]; r.Lo != s.Lo || r.Hi != s.Hi || r.Min != s.Min {
		t.Errorf("box %v..%v, minimum %v; the surface's are %v..%v, %v", r.Lo, r.Hi, r.Min, s.Lo, s.Hi, s.Min)
	}
	if len(r.Methods) != len(descent.Methods) {
		t.Fatalf("%d methods, want %d", len(r.Methods), len(descent.Methods))
	}
	for i, m := range r.Methods {
		if m.Method != descent.Methods[i] {
			t.Errorf("method %d is %q, want %q", i, m.Method, descent.Methods[i])
		}
		n := m.Path.Rows
		if n < 1 || m.Path.Cols != 3 {
			t.Fatalf("%s has a path of %d×%d", m.Method, n, m.Path.Cols)
		}
		if x, y, _ := m.At(0); x != -5 || y != 4 {
			t.Errorf("%s starts at (%g, %g)", m.Method, x, y)
		}
		_, _, first := m.At(0)
		if _, _, last := m.At(n - 1); !(last < first) {
			t.Errorf("%s: loss %g at the end, %g at the start", m.Method, last, first)
		}
		if m.Method == "gd" {
			for i := 1; i < n; i++ {
				_, _, now := m.At(i)
				if _, _, was := m.At(i - 1); now > was {
					t.Errorf("gradient descent's loss rose at step %d", i)
					break
				}
			}
		}
		for _, j := range m.Jumps {
			if m.Method != "restarts" || j < 1 || j >= n {
				t.Errorf("%s jumps at point %d of %d", m.Method, j, n)
			}
		}
		t.Logf("%-9s steps %4d losses %4d gradients %4d reached %v best %.4f (min %.4f)", m.Method, m.Steps, m.Evals, m.Grads, m.Reached, m.Best, r.Min)
	}
	// Without a grid only the paths come back.
	d.Grid = 0
	r2, err := Do(e, protocol.CompareDescent, d)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Surface.Empty() || len(r2.Methods) != len(r.Methods) {
		t.Fatalf("without a grid: a %d×%d raster and %d methods", r2.Surface.Rows, r2.Surface.Cols, len(r2.Methods))
	}
	for i, m := range r2.Methods {
		if m.Path.Rows != r.Methods[i].Path.Rows {
			t.Errorf("without a grid %s's path has %d points, with one %d", m.Method, m.Path.Rows, r.Methods[i].Path.Rows)
		}
	}
}

// Absurd settings are refused with a message saying what is wrong.
func TestDescentOpRefuses(t *testing.T) {
	e := New()
	good := protocol.Descent{Surface: "bowl", Start: [2]float64{1, 1}, LR: 0.1, Momentum: 0.9, Radius: 0.3, Budget: 100, Tol: 1e-3}
	for want, bad := range map[string]func(*protocol.Descent){
		"surface":       func(d *protocol.Descent) { d.Surface = "moon" },
		"learning rate": func(d *protocol.Descent) { d.LR = -1 },
		"budget":        func(d *protocol.Descent) { d.Budget = 1e6 },
		"outside":       func(d *protocol.Descent) { d.Start = [2]float64{100, 0} },
		"grid":          func(d *protocol.Descent) { d.Grid = 1e5 },
	} {
		d := good
		bad(&d)
		_, err := Do(e, protocol.CompareDescent, d)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %q", err, want)
		}
	}
}
