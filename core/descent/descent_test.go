package descent

import (
	"math"
	"testing"
)

// Every surface's gradient matches central differences of its loss.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, name := range Names {
		s := Surfaces[name]
		for _, p := range [][2]float64{{0.3, -0.7}, {-1.2, 0.9}, {1.5, 1.1}, {-0.4, -1.6}} {
			gx, gy := s.Grad(p[0], p[1])
			const h = 1e-6
			nx := (s.F(p[0]+h, p[1]) - s.F(p[0]-h, p[1])) / (2 * h)
			ny := (s.F(p[0], p[1]+h) - s.F(p[0], p[1]-h)) / (2 * h)
			if math.Abs(gx-nx) > 1e-4*(1+math.Abs(nx)) || math.Abs(gy-ny) > 1e-4*(1+math.Abs(ny)) {
				t.Errorf("%s at %v: gradient (%g, %g), finite differences (%g, %g)", name, p, gx, gy, nx, ny)
			}
		}
	}
}

// The neuron's lowest point is where its gradient vanishes, inside the box.
func TestNeuronMinimum(t *testing.T) {
	s := Surfaces["neuron"]
	// No point of a fine grid is lower than Min.
	for _, v := range Grid(s, 200) {
		if v < s.Min-1e-12 {
			t.Fatalf("a grid point has loss %g below the minimum %g", v, s.Min)
		}
	}
	if !(s.Min > 0.1 && s.Min < math.Log(2)) {
		t.Errorf("minimum %g: the clouds should overlap (loss > 0) and the weights help (loss < log 2)", s.Min)
	}
}

// On the bowl, every method reaches the tolerance within the budget; the
// gradient methods spend one loss and one gradient evaluation a step, the
// searches one loss evaluation a step; paths start at the start and their
// losses never rise for the searches.
func TestMethodsOnTheBowl(t *testing.T) {
	s := Surfaces["bowl"]
	st := Settings{Start: [2]float64{-2.5, 2}, LR: 0.1, Momentum: 0.9, Radius: 0.3, Budget: 3000, Tol: 1e-3, Seed: 1}
	if err := st.Check(s); err != nil {
		t.Fatal(err)
	}
	for _, r := range Run(s, st) {
		if !r.Reached {
			t.Errorf("%s did not reach the tolerance in %d steps (best %g)", r.Method, st.Budget, r.Best)
		}
		if r.Path[0].X != st.Start[0] || r.Path[0].Y != st.Start[1] {
			t.Errorf("%s starts at (%g, %g)", r.Method, r.Path[0].X, r.Path[0].Y)
		}
		switch r.Method {
		case "gd", "momentum", "adam":
			if r.Grads != r.Steps || r.Evals != r.Steps+1 {
				t.Errorf("%s: %d steps cost %d losses and %d gradients", r.Method, r.Steps, r.Evals, r.Grads)
			}
		default:
			if r.Grads != 0 || r.Evals != r.Steps+1 {
				t.Errorf("%s: %d steps cost %d losses and %d gradients", r.Method, r.Steps, r.Evals, r.Grads)
			}
		}
		if r.Method == "hill" {
			for i := 1; i < len(r.Path); i++ {
				if r.Path[i].Loss >= r.Path[i-1].Loss {
					t.Errorf("hill climbing moved uphill at point %d", i)
				}
			}
		}
		t.Logf("%-9s steps %5d losses %5d gradients %5d reached %v", r.Method, r.Steps, r.Evals, r.Grads, r.Reached)
	}
}

// A learning rate too large for the bowl's steep direction blows gradient
// descent up; a tiny budget leaves every method short.
func TestDivergenceAndBudget(t *testing.T) {
	s := Surfaces["bowl"]
	st := Settings{Start: [2]float64{1, 1}, LR: 0.5, Momentum: 0.5, Radius: 0.2, Budget: 2000, Tol: 1e-3, Seed: 1}
	gd := Run(s, st)[0]
	if !gd.Diverged || gd.Reached {
		t.Errorf("gradient descent with η = 0.5 on curvature 10: diverged %v, reached %v", gd.Diverged, gd.Reached)
	}
	st.LR, st.Budget = 0.05, 3
	for _, r := range Run(s, st) {
		if r.Reached || r.Steps != 3 {
			t.Errorf("%s with 3 steps: reached %v after %d steps", r.Method, r.Reached, r.Steps)
		}
	}
}

// On the saddle, gradient descent started on x = 0 stops at the saddle
// point; random restarts find a minimum.
func TestSaddleTrapsGradientDescent(t *testing.T) {
	s := Surfaces["saddle"]
	st := Settings{Start: [2]float64{0, 1.5}, LR: 0.1, Momentum: 0.9, Radius: 0.2, Budget: 2000, Tol: 1e-3, Seed: 1}
	rs := Run(s, st)
	if rs[0].Reached || math.Abs(rs[0].Best-1) > 1e-3 {
		t.Errorf("gradient descent from x = 0: reached %v, best %g (the saddle's loss is 1)", rs[0].Reached, rs[0].Best)
	}
	if !rs[4].Reached {
		t.Errorf("random restarts did not reach a minimum (best %g)", rs[4].Best)
	}
}

func TestCheckRefusesAbsurdSettings(t *testing.T) {
	s := Surfaces["bowl"]
	good := Settings{Start: [2]float64{1, 1}, LR: 0.1, Momentum: 0.9, Radius: 0.2, Budget: 100, Tol: 1e-3}
	if err := good.Check(s); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []func(*Settings){
		func(st *Settings) { st.LR = 0 },
		func(st *Settings) { st.LR = math.NaN() },
		func(st *Settings) { st.Momentum = 1 },
		func(st *Settings) { st.Radius = -1 },
		func(st *Settings) { st.Budget = 0 },
		func(st *Settings) { st.Budget = MaxBudget + 1 },
		func(st *Settings) { st.Tol = 0 },
		func(st *Settings) { st.Start = [2]float64{9, 0} },
	} {
		st := good
		bad(&st)
		if st.Check(s) == nil {
			t.Errorf("%+v passed the check", st)
		}
	}
}
