package pca

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/data"
	"latentplay/core/tensor"
)

// Points m + aᵢ·u + bᵢ·w, with u and w orthonormal and a spread wider
// than b: the projection onto the two leading directions gives back each
// (aᵢ, bᵢ), up to the directions' signs, and the two hold all the
// variance.
func TestLeadingProjectsAKnownPlane(t *testing.T) {
	const n, d = 300, 5
	u := []float64{0.6, 0.8, 0, 0, 0}
	w := []float64{0, 0, 0.6, 0, -0.8}
	m := []float64{1, -2, 3, 0.5, 0}
	rng := rand.New(rand.NewPCG(1, 2))
	x := tensor.New(n, d)
	// a and b centred and uncorrelated, so that u and w are exactly the
	// principal directions.
	ab := make([][2]float64, n)
	var meanA, meanB, aa, abSum float64
	for i := range n {
		ab[i] = [2]float64{3 * rng.NormFloat64(), rng.NormFloat64()}
		meanA += ab[i][0] / n
		meanB += ab[i][1] / n
	}
	for i := range ab {
		ab[i][0] -= meanA
		ab[i][1] -= meanB
		aa += ab[i][0] * ab[i][0]
		abSum += ab[i][0] * ab[i][1]
	}
	for i := range ab {
		ab[i][1] -= abSum / aa * ab[i][0]
	}
	for i := range n {
		for j := range d {
			x.Set(i, j, float32(m[j]+ab[i][0]*u[j]+ab[i][1]*w[j]))
		}
	}
	l, err := FitLeading(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	if e := l.Explained(); math.Abs(e-1) > 1e-5 {
		t.Errorf("the plane's two directions hold %.6f of the variance, want 1", e)
	}
	p := l.Project(x)
	// Each coordinate is ±a or ±b, one sign for all points.
	for q, want := range []func(i int) float64{
		func(i int) float64 { return ab[i][0] },
		func(i int) float64 { return ab[i][1] },
	} {
		sign := math.Copysign(1, float64(p.At(0, q))*want(0))
		for i := range n {
			if got := float64(p.At(i, q)); math.Abs(got-sign*want(i)) > 1e-4 {
				t.Fatalf("point %d, coordinate %d: %.5f, want %.5f", i, q, got, sign*want(i))
			}
		}
	}
	// The largest entry of each direction is positive: 0.8 of u, 0.6 of w
	// (−0.8 is the largest in size, so w comes out as −w).
	if d := l.Directions; math.Abs(float64(d.At(0, 1))-0.8) > 1e-4 || math.Abs(float64(d.At(1, 4))-0.8) > 1e-4 {
		t.Errorf("directions %v and %v", d.Row(0), d.Row(1))
	}
	if _, err := FitLeading(x, 0); err == nil {
		t.Error("0 directions gave no error")
	}
	if _, err := FitLeading(tensor.New(1, 3), 1); err == nil {
		t.Error("one point gave no error")
	}
}

// On data with many directions of similar variance, the leading ones are
// those stat.PC finds (Fit), with its variances.
func TestLeadingMatchesFit(t *testing.T) {
	for _, k := range []int{1, 2, 5} {
		set := blobs(400, 30)
		ref, err := Fit(set, k)
		if err != nil {
			t.Fatal(err)
		}
		l, err := FitLeading(tensor.FromSlice(set.N, set.Dim(), set.Pixels), k)
		if err != nil {
			t.Fatal(err)
		}
		dirs := mat.NewDense(set.Dim(), k, nil)
		for q := range k {
			for j := range set.Dim() {
				dirs.Set(j, q, float64(l.Directions.At(q, j)))
			}
		}
		angles, err := PrincipalAngles(ref.Components, dirs)
		if err != nil {
			t.Fatal(err)
		}
		if worst := angles[len(angles)-1]; worst > 0.05 {
			t.Errorf("k = %d: the subspaces differ by %g°", k, worst)
		}
		var total float64
		for q, v := range ref.Variances {
			if q < k && math.Abs(v-l.Variances[q]) > 1e-4*ref.Variances[0] {
				t.Errorf("k = %d: variance %d is %g, stat.PC's %g", k, q, l.Variances[q], v)
			}
			total += v
		}
		if math.Abs(total-l.Total) > 1e-4*total {
			t.Errorf("total variance %g, stat.PC's %g", l.Total, total)
		}
	}
}

// Two leading directions of 2,000 MNIST test digits: stat.PC's.
func TestLeadingOnDigits(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Skip(err)
	}
	_, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	set := test.Head(2000)
	ref, err := FitCovariance(set, 2)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := set.First(set.N)
	l, err := FitLeading(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	dirs := mat.NewDense(set.Dim(), 2, nil)
	for q := range 2 {
		for j := range set.Dim() {
			dirs.Set(j, q, float64(l.Directions.At(q, j)))
		}
	}
	angles, err := PrincipalAngles(ref.Components, dirs)
	if err != nil {
		t.Fatal(err)
	}
	if angles[1] > 0.1 {
		t.Errorf("the planes differ by %v°", angles)
	}
	for q := range 2 {
		if math.Abs(ref.Variances[q]-l.Variances[q]) > 1e-3*ref.Variances[0] {
			t.Errorf("variance %d: %g, the covariance's %g", q, l.Variances[q], ref.Variances[q])
		}
	}
}
