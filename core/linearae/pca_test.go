package linearae

import (
	"math"
	"os"
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/core/pca"
)

// FitPCA finds the subspace, the directions and the variances
// pca.FitCovariance finds, to float32's precision (about a hundredth of
// a degree).
func TestFitPCAMatchesFitCovariance(t *testing.T) {
	set := images(600, 40, 3)
	// More directions than the three strong ones: give the rest some
	// spread of their own, falling off.
	for i := range set.N {
		for j := range 40 {
			set.Pixels[i*40+j] += float32(0.02 * math.Sin(float64(i*(j+3))) / float64(1+j%7))
		}
	}
	for _, k := range []int{1, 3, 6} {
		want, err := pca.FitCovariance(set, k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := FitPCA(set, k)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, got, want, k, 0.05)
	}
	if _, err := FitPCA(set, 0); err == nil {
		t.Error("0 components: no error")
	}
}

// compare checks two fits of k components: the same mean, variances and
// subspace, and each direction the same up to its sign (within tol°).
func compare(t *testing.T, got, want *pca.PCA, k int, tol float64) {
	t.Helper()
	d, _ := want.Components.Dims()
	for j := range d {
		if math.Abs(got.Mean[j]-want.Mean[j]) > 1e-9 {
			t.Fatalf("mean %d: %g, want %g", j, got.Mean[j], want.Mean[j])
		}
	}
	angles, err := pca.PrincipalAngles(got.Components, want.Components)
	if err != nil {
		t.Fatal(err)
	}
	if a := angles[len(angles)-1]; a > tol {
		t.Errorf("k = %d: the subspaces are %g° apart", k, a)
	}
	for q := range k {
		var dot float64
		for j := range d {
			dot += got.Components.At(j, q) * want.Components.At(j, q)
		}
		if a := math.Acos(math.Min(1, math.Abs(dot))) * 180 / math.Pi; a > 10*tol {
			t.Errorf("k = %d, direction %d: %g° from FitCovariance's", k, q, a)
		}
		if math.Abs(got.Variances[q]-want.Variances[q]) > 1e-4*want.Variances[0] {
			t.Errorf("k = %d, variance %d: %g, want %g", k, q, got.Variances[q], want.Variances[q])
		}
	}
}

// On 5,000 MNIST training digits, as the lesson fits it: the same 20
// components as FitCovariance, in a fraction of its time.
func TestFitPCAOnMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		if os.Getenv("LATENTPLAY_MNIST_DIR") == "" {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	train, _, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	set := train.Head(5000)
	begin := time.Now()
	got, err := FitPCA(set, 20)
	if err != nil {
		t.Fatal(err)
	}
	fast := time.Since(begin)
	begin = time.Now()
	want, err := pca.FitCovariance(set, 20)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("FitPCA %v, FitCovariance %v", fast.Round(time.Millisecond), time.Since(begin).Round(time.Millisecond))
	compare(t, got, want, 20, 0.05)
}
