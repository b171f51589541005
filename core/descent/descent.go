// Package descent compares ways of finding the lowest point of a loss
// surface over two parameters: gradient descent, momentum and Adam, which
// follow the slope, beside stochastic hill climbing and random-restart
// search, which only compare losses.
package descent

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Surface is a loss over two parameters (x, y) with its gradient, drawn
// over the box [Lo, Hi]², whose lowest value is Min.
type Surface struct {
	Name, Title string
	F           func(x, y float64) float64
	Grad        func(x, y float64) (gx, gy float64)
	Lo, Hi      [2]float64 // the box: Lo[0] ≤ x ≤ Hi[0], Lo[1] ≤ y ≤ Hi[1]
	Min         float64
}

// Surfaces are the lab's surfaces by name.
var Surfaces = map[string]*Surface{
	// An elongated bowl: the slope is steep across and gentle along, so
	// plain descent zigzags and momentum helps.
	"bowl": {
		Name: "bowl", Title: "Bowl x²/2 + 5y²",
		F:    func(x, y float64) float64 { return x*x/2 + 5*y*y },
		Grad: func(x, y float64) (float64, float64) { return x, 10 * y },
		Lo:   [2]float64{-3, -3}, Hi: [2]float64{3, 3},
	},
	// A long curved valley: easy to find, slow to follow to (1, 1).
	"rosenbrock": {
		Name: "rosenbrock", Title: "Rosenbrock (1 − x)² + 100(y − x²)²",
		F: func(x, y float64) float64 { return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x) },
		Grad: func(x, y float64) (float64, float64) {
			return -2*(1-x) - 400*x*(y-x*x), 200 * (y - x*x)
		},
		Lo: [2]float64{-2, -1}, Hi: [2]float64{2, 3},
	},
	// Four minima, all 0: where a method ends depends on where it starts.
	"himmelblau": {
		Name: "himmelblau", Title: "Himmelblau (x² + y − 11)² + (x + y² − 7)²",
		F: func(x, y float64) float64 {
			a, b := x*x+y-11, x+y*y-7
			return a*a + b*b
		},
		Grad: func(x, y float64) (float64, float64) {
			a, b := x*x+y-11, x+y*y-7
			return 4*x*a + 2*b, 2*a + 4*y*b
		},
		Lo: [2]float64{-5, -5}, Hi: [2]float64{5, 5},
	},
	// A saddle at the origin between two minima at (±1, 0): started on
	// the line x = 0 the gradient never leaves it.
	"saddle": {
		Name: "saddle", Title: "Saddle (x² − 1)² + y²",
		F:    func(x, y float64) float64 { return (x*x-1)*(x*x-1) + y*y },
		Grad: func(x, y float64) (float64, float64) { return 4 * x * (x*x - 1), 2 * y },
		Lo:   [2]float64{-2, -2}, Hi: [2]float64{2, 2},
	},
	"neuron": neuronSurface(),
}

// Names lists the surfaces in the order the page offers them.
var Names = []string{"neuron", "bowl", "rosenbrock", "himmelblau", "saddle"}

// NeuronData is the neuron surface's data set: points (x₁, x₂) and their
// class t ∈ {0, 1}, two overlapping clouds, so no weights fit it exactly
// and the loss has a lowest point.
func NeuronData() (xs [][2]float64, ts []float64) {
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 24 {
		t := float64(i % 2)
		c := [2]float64{-0.6, 0.3}
		if t == 1 {
			c = [2]float64{0.6, -0.3}
		}
		xs = append(xs, [2]float64{c[0] + 0.7*r.NormFloat64(), c[1] + 0.7*r.NormFloat64()})
		ts = append(ts, t)
	}
	return xs, ts
}

// neuronSurface is the mean cross-entropy of a sigmoid neuron
// σ(w₁x₁ + w₂x₂) over NeuronData, as a function of its two weights.
func neuronSurface() *Surface {
	xs, ts := NeuronData()
	n := float64(len(xs))
	f := func(w1, w2 float64) float64 {
		var l float64
		for i, x := range xs {
			z := w1*x[0] + w2*x[1]
			// −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t·z, computed stably.
			l += softplus(z) - ts[i]*z
		}
		return l / n
	}
	grad := func(w1, w2 float64) (float64, float64) {
		var g1, g2 float64
		for i, x := range xs {
			e := sigmoid(w1*x[0]+w2*x[1]) - ts[i] // ∂loss/∂z = σ(z) − t
			g1 += e * x[0]
			g2 += e * x[1]
		}
		return g1 / n, g2 / n
	}
	s := &Surface{Name: "neuron", Title: "Sigmoid neuron: cross-entropy over its two weights",
		F: f, Grad: grad, Lo: [2]float64{-6, -6}, Hi: [2]float64{6, 6}}
	// The lowest point by Newton's method: the loss is convex, with
	// Hessian the mean of σ(1 − σ)·x xᵀ.
	w := [2]float64{}
	for range 50 {
		g1, g2 := grad(w[0], w[1])
		var h11, h12, h22 float64
		for _, x := range xs {
			p := sigmoid(w[0]*x[0] + w[1]*x[1])
			v := p * (1 - p) / n
			h11 += v * x[0] * x[0]
			h12 += v * x[0] * x[1]
			h22 += v * x[1] * x[1]
		}
		det := h11*h22 - h12*h12
		w[0] -= (h22*g1 - h12*g2) / det
		w[1] -= (h11*g2 - h12*g1) / det
	}
	s.Min = f(w[0], w[1])
	return s
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// Settings are a comparison's shared start, budget and tolerance, and each
// method's knobs.
type Settings struct {
	Start    [2]float64
	LR       float64 // the gradient methods' learning rate
	Momentum float64 // momentum's μ (Adam keeps β₁ = 0.9, β₂ = 0.999)
	Radius   float64 // the searches' neighbourhood: a neighbour is x + Radius·N(0, I)
	Budget   int     // steps each method may take
	Tol      float64 // reached when loss − Min ≤ Tol
	Seed     uint64
}

// Check says what is wrong with settings for surface s, if anything.
func (st Settings) Check(s *Surface) error {
	switch {
	case !(st.LR > 0 && st.LR <= 10):
		return fmt.Errorf("learning rate %g, want 0 < rate ≤ 10", st.LR)
	case !(st.Momentum >= 0 && st.Momentum < 1):
		return fmt.Errorf("momentum %g, want 0 ≤ μ < 1", st.Momentum)
	case !(st.Radius > 0 && st.Radius <= s.Hi[0]-s.Lo[0]):
		return fmt.Errorf("search radius %g, want 0 < r ≤ %g (the width of the plot)", st.Radius, s.Hi[0]-s.Lo[0])
	case st.Budget < 1 || st.Budget > MaxBudget:
		return fmt.Errorf("budget %d steps, want 1..%d", st.Budget, MaxBudget)
	case !(st.Tol > 0 && st.Tol <= 10):
		return fmt.Errorf("tolerance %g, want 0 < tolerance ≤ 10", st.Tol)
	}
	for i, v := range st.Start {
		if !(v >= s.Lo[i] && v <= s.Hi[i]) {
			return fmt.Errorf("start (%g, %g) is outside the plot [%g, %g] × [%g, %g]", st.Start[0], st.Start[1], s.Lo[0], s.Hi[0], s.Lo[1], s.Hi[1])
		}
	}
	return nil
}

// MaxBudget bounds the steps a method may take.
const MaxBudget = 5000

// Point is a place a method visited and its loss; Jump marks the start of
// a new restart, where the path lifts its pen.
type Point struct {
	X, Y, Loss float64
	Jump       bool
}

// Result is one method's run.
type Result struct {
	Method string
	Path   []Point
	// Steps taken until the tolerance was reached (or the budget ran out),
	// and the loss and gradient evaluations they cost.
	Steps, Evals, Grads int
	Reached             bool
	Diverged            bool    // the parameters left every finite bound
	Best                float64 // the lowest loss seen
}

// Methods names the methods in the order Run returns them.
var Methods = []string{"gd", "momentum", "adam", "hill", "restarts"}

// Run runs every method from the same start on s.
func Run(s *Surface, st Settings) []Result {
	return []Result{
		gradientMethod(s, st, "gd"),
		gradientMethod(s, st, "momentum"),
		gradientMethod(s, st, "adam"),
		search(s, st, false),
		search(s, st, true),
	}
}

// farAway is where a gradient method is called diverged.
const farAway = 1e6

// gradientMethod follows the slope: each step evaluates the loss (to see
// whether the tolerance is reached) and the gradient at the current point.
func gradientMethod(s *Surface, st Settings, method string) Result {
	x, y := st.Start[0], st.Start[1]
	r := Result{Method: method, Best: math.Inf(1)}
	var vx, vy float64         // momentum's velocity
	var m1, m2, v1, v2 float64 // Adam's moment estimates
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for {
		f := s.F(x, y)
		r.Evals++
		r.Path = append(r.Path, Point{X: x, Y: y, Loss: f})
		r.Best = math.Min(r.Best, f)
		if f-s.Min <= st.Tol {
			r.Reached = true
			return r
		}
		if !(math.Abs(x) < farAway && math.Abs(y) < farAway && f < math.MaxFloat64) {
			r.Diverged = true
			return r
		}
		if r.Steps == st.Budget {
			return r
		}
		gx, gy := s.Grad(x, y)
		r.Grads++
		r.Steps++
		switch method {
		case "gd": // w ← w − η∇f
			x, y = x-st.LR*gx, y-st.LR*gy
		case "momentum": // v ← μv − η∇f; w ← w + v
			vx, vy = st.Momentum*vx-st.LR*gx, st.Momentum*vy-st.LR*gy
			x, y = x+vx, y+vy
		case "adam": // steps of η·m̂/(√v̂ + ε) from bias-corrected moment estimates
			m1, m2 = b1*m1+(1-b1)*gx, b1*m2+(1-b1)*gy
			v1, v2 = b2*v1+(1-b2)*gx*gx, b2*v2+(1-b2)*gy*gy
			c1, c2 := 1-math.Pow(b1, float64(r.Steps)), 1-math.Pow(b2, float64(r.Steps))
			x -= st.LR * (m1 / c1) / (math.Sqrt(v1/c2) + eps)
			y -= st.LR * (m2 / c1) / (math.Sqrt(v2/c2) + eps)
		}
	}
}

// Patience is how many worse neighbours in a row send random-restart
// search to a new random point.
const Patience = 30

// search is stochastic hill climbing: each step samples one neighbour,
// evaluates its loss and moves there if it is lower. With restarts, after
// Patience failures in a row it starts again from a random point of the
// plot, keeping the best point found so far. The first climb starts at
// the shared start.
func search(s *Surface, st Settings, restarts bool) Result {
	method, stream := "hill", uint64(1)
	if restarts {
		method, stream = "restarts", 2 // its own draws, so its path is not the other's
	}
	rng := rand.New(rand.NewPCG(st.Seed, stream))
	r := Result{Method: method}
	x, y := st.Start[0], st.Start[1]
	f := s.F(x, y)
	r.Evals++
	r.Best = f
	r.Path = append(r.Path, Point{X: x, Y: y, Loss: f})
	failed := 0
	for r.Best-s.Min > st.Tol && r.Steps < st.Budget {
		r.Steps++
		if restarts && failed >= Patience {
			x = s.Lo[0] + rng.Float64()*(s.Hi[0]-s.Lo[0])
			y = s.Lo[1] + rng.Float64()*(s.Hi[1]-s.Lo[1])
			f = s.F(x, y)
			r.Evals++
			failed = 0
			r.Path = append(r.Path, Point{X: x, Y: y, Loss: f, Jump: true})
			r.Best = math.Min(r.Best, f)
			continue
		}
		nx, ny := x+st.Radius*rng.NormFloat64(), y+st.Radius*rng.NormFloat64()
		nf := s.F(nx, ny)
		r.Evals++
		if nf < f {
			x, y, f, failed = nx, ny, nf, 0
			r.Path = append(r.Path, Point{X: x, Y: y, Loss: f})
			r.Best = math.Min(r.Best, f)
		} else {
			failed++
		}
	}
	r.Reached = r.Best-s.Min <= st.Tol
	return r
}

// Grid evaluates s on an n×n raster of its box, rows from the top
// (y = Hi[1]), each cell at its centre.
func Grid(s *Surface, n int) []float64 {
	out := make([]float64, 0, n*n)
	for i := range n {
		y := s.Hi[1] - (s.Hi[1]-s.Lo[1])*(float64(i)+0.5)/float64(n)
		for j := range n {
			x := s.Lo[0] + (s.Hi[0]-s.Lo[0])*(float64(j)+0.5)/float64(n)
			out = append(out, s.F(x, y))
		}
	}
	return out
}
