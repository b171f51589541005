package linearae

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// The lab's default cloud and budget (protocol.LinearPresets[0],
// protocol.LinearLR, protocol.LinearBudget).
var (
	tilted = Shape{Tilt: 30, Width: 0.6, Noise: 0.08}
)

const (
	labPoints = 200
	labLR     = 0.05
	labBudget = 500
)

func cloud(t *testing.T, s Shape, n int, seed uint64) *Cloud {
	t.Helper()
	c, err := MakeCloud(s, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The analytic gradient of L = (1/N) Σ |U·V·x − x|² matches central
// finite differences (gonum's diff/fd) in every weight.
func TestGradient(t *testing.T) {
	c := cloud(t, Shape{Tilt: 40, Width: 0.5, Noise: 0.3}, 17, 3)
	for seed := range uint64(4) {
		a := NewAE(seed, 0.7)
		g, loss := a.Gradient(c)
		if l := a.Loss(c); math.Abs(l-loss) > 1e-12*l {
			t.Errorf("Gradient's loss %g, Loss's %g", loss, l)
		}
		flat := func(a *AE) []float64 {
			return []float64{a.U[0][0], a.U[0][1], a.U[1][0], a.U[1][1], a.U[2][0], a.U[2][1],
				a.V[0][0], a.V[0][1], a.V[0][2], a.V[1][0], a.V[1][1], a.V[1][2]}
		}
		unflat := func(w []float64) AE {
			return AE{U: [3][2]float64{{w[0], w[1]}, {w[2], w[3]}, {w[4], w[5]}}, V: [2][3]float64{{w[6], w[7], w[8]}, {w[9], w[10], w[11]}}}
		}
		numeric := fd.Gradient(nil, func(w []float64) float64 { b := unflat(w); return b.Loss(c) }, flat(&a), &fd.Settings{Formula: fd.Central, Step: 1e-5})
		for i, want := range numeric {
			if got := flat(&g)[i]; math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("seed %d, weight %d: ∂L %.9f, finite differences %.9f", seed, i, got, want)
			}
		}
	}
}

// A cloud is centred, drawn again the same from its seed, and lies about
// the plane its shape names, with the spreads it names.
func TestMakeCloud(t *testing.T) {
	s := Shape{Tilt: 50, Width: 0.5, Noise: 0.1}
	c := cloud(t, s, 4000, 7)
	again := cloud(t, s, 4000, 7)
	var mean [3]float64
	for i := range c.N {
		for j, v := range c.Point(i) {
			mean[j] += v / float64(c.N)
		}
	}
	if norm(mean) > 1e-6 {
		t.Errorf("mean %v, want the origin", mean)
	}
	for i := range c.X {
		if c.X[i] != again.X[i] {
			t.Fatal("the same seed drew another cloud")
		}
	}
	first, second, normal := s.Axes()
	for _, v := range [][3]float64{first, second, normal} {
		if math.Abs(norm(v)-1) > 1e-12 {
			t.Errorf("axis %v is not a unit vector", v)
		}
	}
	if dot(first, second) > 1e-12 || dot(first, normal) > 1e-12 || dot(second, normal) > 1e-12 {
		t.Error("the axes are not at right angles")
	}
	if math.Abs(math.Acos(normal[2])*180/math.Pi-s.Tilt) > 1e-9 {
		t.Errorf("the normal %v is not tilted %g° from upright", normal, s.Tilt)
	}
	pl, err := FitPlane(c)
	if err != nil {
		t.Fatal(err)
	}
	want := [3][2]float64{{first[0], second[0]}, {first[1], second[1]}, {first[2], second[2]}}
	if a, _ := Angle(pl.Basis, want); a > 2 {
		t.Errorf("PCA's plane is %.2f° from the shape's", a)
	}
	for i, v := range []float64{1, s.Width * s.Width, s.Noise * s.Noise} {
		if math.Abs(pl.Variances[i]-v) > 0.1*v {
			t.Errorf("variance %d: %.4f, want about %.4f", i, pl.Variances[i], v)
		}
	}
	if math.Abs(pl.Loss-pl.Variances[2]) > 0.01*pl.Variances[2] {
		t.Errorf("PCA's loss %.5f, its smallest variance %.5f", pl.Loss, pl.Variances[2])
	}
	for _, bad := range []Shape{{Tilt: -1}, {Tilt: 91}, {Width: 2}, {Noise: -0.1}, {Noise: math.NaN()}} {
		if _, err := MakeCloud(bad, 10, 1); err == nil {
			t.Errorf("shape %+v: no error", bad)
		}
	}
	if _, err := MakeCloud(s, 2, 1); err == nil {
		t.Error("2 points: no error")
	}
}

func dot(a, b [3]float64) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// The principal angle between two planes is the angle between their
// normals; a plane is 0° from itself whatever basis spans it; columns in
// one line span no plane.
func TestAngle(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	rnd := func() [3][2]float64 {
		var m [3][2]float64
		for i := range 3 {
			m[i] = [2]float64{rng.NormFloat64(), rng.NormFloat64()}
		}
		return m
	}
	col := func(m [3][2]float64, k int) [3]float64 { return [3]float64{m[0][k], m[1][k], m[2][k]} }
	for range 20 {
		a, b := rnd(), rnd()
		na, nb := cross(col(a, 0), col(a, 1)), cross(col(b, 0), col(b, 1))
		want := math.Acos(math.Min(1, math.Abs(dot(na, nb))/(norm(na)*norm(nb)))) * 180 / math.Pi
		got, err := Angle(a, b)
		if err != nil || math.Abs(got-want) > 1e-6 {
			t.Errorf("angle %.6f° (%v), the normals' %.6f°", got, err, want)
		}
		// The same plane through another basis: a mix of its columns.
		var mixed [3][2]float64
		for i := range 3 {
			mixed[i] = [2]float64{2*a[i][0] - a[i][1], 0.5*a[i][0] + 3*a[i][1]}
		}
		if got, _ := Angle(a, mixed); got > 1e-5 {
			t.Errorf("a plane is %g° from itself", got)
		}
	}
	line := [3][2]float64{{1, 2}, {0, 0}, {1, 2}}
	if got, _ := Angle(line, rnd()); got != 90 {
		t.Errorf("parallel columns: %g°, want 90", got)
	}
}

// Gradient descent lowers the loss at every step and ends near PCA's
// floor (never below it), and x̂ = U·V·x gives back each point of PCA's
// plane. (Off the plane U·V settles far more slowly: the points hardly
// reach there, so the loss hardly cares.)
func TestLossFalls(t *testing.T) {
	c := cloud(t, tilted, labPoints, 1)
	pl, err := FitPlane(c)
	if err != nil {
		t.Fatal(err)
	}
	a := NewAE(1, 0.5)
	start := a.Loss(c)
	cv, err := Train(&a, c, labLR, 2000, pl.Basis)
	if err != nil || cv.Diverged || len(cv.Loss) != 2000 || len(cv.Angle) != 2000 {
		t.Fatalf("%d losses, %d angles, diverged %v, %v", len(cv.Loss), len(cv.Angle), cv.Diverged, err)
	}
	prev := start
	for i, l := range cv.Loss {
		if l > prev*(1+1e-12) {
			t.Fatalf("step %d: the loss rose from %g to %g", i+1, prev, l)
		}
		prev = l
	}
	end := cv.Loss[len(cv.Loss)-1]
	t.Logf("loss %.4f → %.6f; PCA's %.6f; angle %.1f° → %.4f°", start, end, pl.Loss, cv.Angle[0], cv.Angle[len(cv.Angle)-1])
	if end > pl.Loss*1.1 || end < pl.Loss*(1-1e-9) {
		t.Errorf("loss %g → %g; PCA's floor %g", start, end, pl.Loss)
	}
	for k := range 2 {
		w := [3]float64{pl.Basis[0][k], pl.Basis[1][k], pl.Basis[2][k]}
		r := a.Rebuild(w)
		if d := norm([3]float64{r[0] - w[0], r[1] - w[1], r[2] - w[2]}); d > 0.01 {
			t.Errorf("PCA's direction %d %v rebuilt as %v", k, w, r)
		}
	}
}

// On the lab's default cloud, from any of ten starts, the lab's budget
// brings the learnt plane within 2° of PCA's.
func TestDefaultCloudFindsPCAsPlane(t *testing.T) {
	c := cloud(t, tilted, labPoints, 1)
	pl, err := FitPlane(c)
	if err != nil {
		t.Fatal(err)
	}
	for start := uint64(1); start <= 10; start++ {
		a := NewAE(start, 0.5)
		first, _ := Angle(a.U, pl.Basis)
		cv, err := Train(&a, c, labLR, labBudget, pl.Basis)
		if err != nil {
			t.Fatal(err)
		}
		end := cv.Angle[len(cv.Angle)-1]
		t.Logf("start %d: %.1f° → %.2f° after %d steps", start, first, end, labBudget)
		if !(end <= 2) {
			t.Errorf("start %d: the planes are %.2f° apart after %d steps", start, end, labBudget)
		}
	}
}

// Too large a rate blows the weights up: the run stops at the last finite
// weights and says so.
func TestTrainDiverges(t *testing.T) {
	c := cloud(t, tilted, labPoints, 1)
	pl, _ := FitPlane(c)
	a := NewAE(1, 0.5)
	cv, err := Train(&a, c, 5, 200, pl.Basis)
	if err != nil {
		t.Fatal(err)
	}
	if !cv.Diverged || len(cv.Loss) == 200 || !a.Finite() {
		t.Errorf("diverged %v after %d steps; weights finite %v", cv.Diverged, len(cv.Loss), a.Finite())
	}
	if _, err := Train(&a, c, 0, 10, pl.Basis); err == nil {
		t.Error("a rate of 0: no error")
	}
}
