package pca

import (
	"math"
	"testing"

	"latentplay/core/data"
)

// The covariance route finds the subspace the SVD finds.
func TestFitCovarianceMatchesFit(t *testing.T) {
	set := blobs(400, 30)
	a, err := Fit(set, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitCovariance(set, 5)
	if err != nil {
		t.Fatal(err)
	}
	if ma, mb := a.MSE(set), b.MSE(set); math.Abs(ma-mb) > 1e-9*math.Max(1, ma) {
		t.Errorf("MSE %g by SVD, %g by the covariance", ma, mb)
	}
	angles, err := PrincipalAngles(a.Components, b.Components)
	if err != nil {
		t.Fatal(err)
	}
	if worst := angles[len(angles)-1]; worst > 1e-3 {
		t.Errorf("the subspaces differ by %g°", worst)
	}
	for q := range 5 {
		if math.Abs(a.Variances[q]-b.Variances[q]) > 1e-9*a.Variances[0] {
			t.Errorf("variance %d: %g and %g", q, a.Variances[q], b.Variances[q])
		}
	}
	if _, err := FitCovariance(set, 0); err == nil {
		t.Error("0 components gave no error")
	}
}

// blobs is n images of d pixels with a few strong directions and noise.
func blobs(n, d int) *data.Set {
	s := &data.Set{N: n, Rows: 1, Cols: d, Pixels: make([]float32, n*d), Labels: make([]uint8, n)}
	seed := uint32(1)
	next := func() float32 { seed = seed*1664525 + 1013904223; return float32(seed>>8)/float32(1<<24) - 0.5 }
	for i := range n {
		a, b, c := next(), next(), next()
		for j := range d {
			s.Pixels[i*d+j] = 3*a*float32(math.Sin(float64(j))) + 2*b*float32(math.Cos(float64(j)/3)) + c*float32(j%4) + 0.05*next()
		}
	}
	return s
}

// Reconstruct from all the fitted components gives MSE's figure.
func TestReconstructMatchesMSE(t *testing.T) {
	set := blobs(200, 30)
	p, err := FitCovariance(set, 3)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, 30)
	var sum float64
	for i := range set.N {
		img := set.Image(i)
		p.Reconstruct(img, 3, out)
		for j := range out {
			e := float64(out[j] - img[j])
			sum += e * e
		}
	}
	if got, want := sum/float64(set.N*30), p.MSE(set); math.Abs(got-want) > 1e-6*want {
		t.Errorf("MSE %g from Reconstruct, %g from MSE", got, want)
	}
}
