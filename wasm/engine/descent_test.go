package engine

import (
	"strings"
	"testing"

	"latentplay/wasm/engine/protocol"
)

func descentReq(d protocol.Descent) protocol.Request {
	return protocol.Request{Op: protocol.OpDescent, Descent: &d}
}

// The op lays out the raster then each method's path as its figures say,
// every path starting at the start; the neuron's loss falls along
// gradient descent's path.
func TestDescentOp(t *testing.T) {
	e := New()
	d := protocol.Descent{Surface: "neuron", Start: [2]float64{-5, 4}, LR: 1, Momentum: 0.9, Radius: 0.3, Budget: 500, Tol: 1e-3, Seed: 1, Grid: 32}
	r := mustOK(t, e.Handle(descentReq(d)))
	at := 32 * 32
	for _, m := range []string{"gd", "momentum", "adam", "hill", "restarts"} {
		n := int(r.Figures[m+"_points"])
		if n < 1 {
			t.Fatalf("%s has no path", m)
		}
		path := r.Floats[at : at+4*n]
		if path[0] != -5 || path[1] != 4 {
			t.Errorf("%s starts at (%g, %g)", m, path[0], path[1])
		}
		if last := path[4*(n-1)+2]; !(last < path[2]) {
			t.Errorf("%s: loss %g at the end, %g at the start", m, last, path[2])
		}
		if m == "gd" {
			for i := 1; i < n; i++ {
				if path[4*i+2] > path[4*(i-1)+2] {
					t.Errorf("gradient descent's loss rose at step %d", i)
					break
				}
			}
		}
		at += 4 * n
		t.Logf("%-9s steps %4.0f losses %4.0f gradients %4.0f reached %v best %.4f (min %.4f)", m, r.Figures[m+"_steps"], r.Figures[m+"_evals"], r.Figures[m+"_grads"], r.Figures[m+"_reached"] == 1, r.Figures[m+"_best"], r.Figures["min"])
	}
	if at != len(r.Floats) {
		t.Errorf("%d floats, the figures account for %d", len(r.Floats), at)
	}
	// Without a grid only the paths come back.
	d.Grid = 0
	if r2 := mustOK(t, e.Handle(descentReq(d))); len(r2.Floats) != len(r.Floats)-32*32 {
		t.Errorf("without a grid: %d floats, want %d", len(r2.Floats), len(r.Floats)-32*32)
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
		r := e.Handle(descentReq(d))
		if !strings.Contains(r.Error, want) {
			t.Errorf("error %q does not mention %q", r.Error, want)
		}
	}
}
