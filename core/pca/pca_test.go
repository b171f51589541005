package pca

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/data"
)

func TestPrincipalAnglesOfKnownSubspaces(t *testing.T) {
	for _, deg := range []float64{0, 10, 45, 90} {
		th := deg * math.Pi / 180
		// span{e1, e3} against span{cos θ e1 + sin θ e2, 2e3}: angles 0 and θ.
		a := mat.NewDense(3, 2, []float64{1, 0, 0, 0, 0, 1})
		b := mat.NewDense(3, 2, []float64{math.Cos(th), 0, math.Sin(th), 0, 0, 2})
		got, err := PrincipalAngles(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got[0]) > 1e-6 || math.Abs(got[1]-deg) > 1e-6 {
			t.Errorf("θ = %v°: angles %v", deg, got)
		}
	}
}

// A set whose pixels vary along two fixed directions (plus a little noise):
// PCA with k = 2 must find that plane and reconstruct almost perfectly.
func TestPCAFindsThePlane(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n, d = 400, 9
	u := []float64{1, 1, 1, 0, 0, 0, 0, 0, 0}
	v := []float64{0, 0, 0, 0, 1, -1, 0, 0, 0}
	set := &data.Set{N: n, Rows: 3, Cols: 3, Pixels: make([]float32, n*d)}
	for i := range n {
		a, b := rng.NormFloat64(), 0.5*rng.NormFloat64()
		for j := range d {
			set.Pixels[i*d+j] = float32(0.5 + 0.1*(a*u[j]+b*v[j]) + 1e-3*rng.NormFloat64())
		}
	}
	pca, err := Fit(set, 2)
	if err != nil {
		t.Fatal(err)
	}
	angles, err := PrincipalAngles(pca.Components, mat.NewDense(d, 2, interleave(u, v)))
	if err != nil {
		t.Fatal(err)
	}
	if angles[1] > 1 {
		t.Errorf("PCA's plane is %v° from the true one", angles)
	}
	if mse := pca.MSE(set); mse > 2e-6 {
		t.Errorf("reconstruction MSE %g, want noise level ~1e-6", mse)
	}
	if !(pca.Variances[0] > pca.Variances[1] && pca.Variances[1] > 100*pca.Variances[2]) {
		t.Errorf("variances %v", pca.Variances[:3])
	}
}

func interleave(u, v []float64) []float64 {
	out := make([]float64, 0, 2*len(u))
	for i := range u {
		out = append(out, u[i], v[i])
	}
	return out
}
