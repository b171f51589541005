package frechet

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/tensor"
)

// correlated draws n vectors x = A·e + m with e ~ N(0, I).
func correlated(n int, a [][]float64, m []float64, seed uint64) *tensor.Mat {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := len(m)
	x := tensor.New(n, d)
	e := make([]float64, len(a[0]))
	for i := range n {
		for k := range e {
			e[k] = rng.NormFloat64()
		}
		for j := range d {
			v := m[j]
			for k, ak := range a[j] {
				v += ak * e[k]
			}
			x.Set(i, j, float32(v))
		}
	}
	return x
}

var mix = [][]float64{{1, 0.5, 0}, {0.2, 2, 0.3}, {0, -0.7, 0.6}}

func TestDistanceOfASetToItselfIsZero(t *testing.T) {
	x := correlated(500, mix, []float64{1, -2, 0.5}, 1)
	d, err := Between(x, x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d) > 1e-9 {
		t.Fatalf("d² of a set with itself = %g", d)
	}
}

// A set and the same set moved by δ have the same covariance: d² = ‖δ‖².
func TestDistanceOfAShiftedSetIsTheShift(t *testing.T) {
	x := correlated(400, mix, []float64{0, 0, 0}, 2)
	delta := []float32{0.5, -1, 2}
	y := x.Clone()
	for i := range y.Rows {
		for j, dj := range delta {
			y.Set(i, j, y.At(i, j)+dj)
		}
	}
	d, err := Between(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.25 + 1 + 4.0; math.Abs(d-want) > 1e-4 {
		t.Fatalf("d² = %g, want ‖δ‖² = %g", d, want)
	}
}

// Closed forms: for diagonal covariances d² = ‖Δμ‖² + Σ(σa − σb)²; for
// 2×2 covariances Tr((ΣaΣb)^½) = √(Tr ΣaΣb + 2√(det Σa det Σb)), since a
// 2×2 matrix M with real non-negative eigenvalues has Tr M^½ = √(Tr M + 2√det M).
func TestDistanceMatchesClosedForms(t *testing.T) {
	a := Gaussian{Mean: []float64{1, 2, 3}, Cov: mat.NewSymDense(3, []float64{4, 0, 0, 0, 1, 0, 0, 0, 9})}
	b := Gaussian{Mean: []float64{0, 2, 5}, Cov: mat.NewSymDense(3, []float64{1, 0, 0, 0, 0.25, 0, 0, 0, 16})}
	d, err := Distance(a, b)
	if err != nil {
		t.Fatal(err)
	}
	want := 1 + 0 + 4 + (2-1)*(2-1) + (1-0.5)*(1-0.5) + (3-4)*(3-4.0)
	if math.Abs(d-want) > 1e-9 {
		t.Errorf("diagonal: d² = %.12g, want %.12g", d, want)
	}

	sa := mat.NewSymDense(2, []float64{2, 0.8, 0.8, 1})
	sb := mat.NewSymDense(2, []float64{1, -0.3, -0.3, 3})
	var ab mat.Dense
	ab.Mul(sa, sb)
	trRoot := math.Sqrt(mat.Trace(&ab) + 2*math.Sqrt(mat.Det(sa)*mat.Det(sb)))
	want = 1*1 + 0.5*0.5 + mat.Trace(sa) + mat.Trace(sb) - 2*trRoot
	d, err = Distance(Gaussian{Mean: []float64{1, 0}, Cov: sa}, Gaussian{Mean: []float64{0, 0.5}, Cov: sb})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(d-want) > 1e-9 {
		t.Errorf("2×2: d² = %.12g, want %.12g", d, want)
	}
}

// Fit recovers the mean and covariance A·Aᵀ of the vectors it is given.
func TestFitRecoversTheGaussian(t *testing.T) {
	m := []float64{1, -2, 0.5}
	g, err := Fit(correlated(40000, mix, m, 3))
	if err != nil {
		t.Fatal(err)
	}
	a := mat.NewDense(3, 3, nil)
	for i, row := range mix {
		a.SetRow(i, row)
	}
	var want mat.Dense
	want.Mul(a, a.T())
	for i := range 3 {
		if math.Abs(g.Mean[i]-m[i]) > 0.05 {
			t.Errorf("mean[%d] = %g, want %g", i, g.Mean[i], m[i])
		}
		for j := range 3 {
			if w := want.At(i, j); math.Abs(g.Cov.At(i, j)-w) > 0.05*math.Max(1, math.Abs(w)) {
				t.Errorf("cov[%d][%d] = %g, want %g", i, j, g.Cov.At(i, j), w)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	if _, err := Fit(tensor.New(1, 3)); err == nil {
		t.Error("one vector fitted a covariance")
	}
	a := Gaussian{Mean: []float64{0}, Cov: mat.NewSymDense(1, []float64{1})}
	b := Gaussian{Mean: []float64{0, 0}, Cov: mat.NewSymDense(2, nil)}
	if _, err := Distance(a, b); err == nil {
		t.Error("Gaussians of different dimensions gave a distance")
	}
}
