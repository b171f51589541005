package linearae

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/pca"
)

// images is n images of d values varying mostly along a few directions.
func images(n, d int, seed uint64) *data.Set {
	rng := rand.New(rand.NewPCG(seed, 9))
	s := &data.Set{N: n, Rows: 1, Cols: d, Pixels: make([]float32, n*d), Labels: make([]uint8, n)}
	for i := range n {
		a, b, c := rng.NormFloat64(), 0.6*rng.NormFloat64(), 0.3*rng.NormFloat64()
		for j := range d {
			s.Pixels[i*d+j] = float32(0.5 + 0.1*(a*math.Sin(float64(j))+b*math.Cos(float64(j)/3)+c*float64(j%4-2)) + 0.01*rng.NormFloat64())
		}
	}
	return s
}

func coders(t *testing.T, d, k int) (linear, deep *models.Autoencoder) {
	t.Helper()
	rng := rand.New(rand.NewPCG(2, 2))
	linear, err := models.NewAutoencoder(models.AEConfig{Inputs: d, Latent: k, Linear: true}, rng)
	if err != nil {
		t.Fatal(err)
	}
	deep, err = models.NewAutoencoder(models.AEConfig{Inputs: d, Hidden: []int{8}, Latent: k}, rng)
	if err != nil {
		t.Fatal(err)
	}
	return linear, deep
}

// U's columns are the decoder's, PCA's components are orthonormal rows,
// and a linear autoencoder whose U and V are PCA's components (mixed by
// any invertible matrix) has PCA's subspace and PCA's rebuilds.
func TestBasesAndRebuilds(t *testing.T) {
	const d, k = 24, 3
	set := images(300, d, 1)
	p, err := pca.FitCovariance(set, 5)
	if err != nil {
		t.Fatal(err)
	}
	comps, err := Components(p, k)
	if err != nil || comps.Rows != k || comps.Cols != d {
		t.Fatalf("components %v, %v", comps, err)
	}
	for a := range k {
		for b := range k {
			var s float64
			for j := range d {
				s += float64(comps.Row(a)[j]) * float64(comps.Row(b)[j])
			}
			if want := map[bool]float64{true: 1, false: 0}[a == b]; math.Abs(s-want) > 1e-5 {
				t.Errorf("component %d · component %d = %g", a, b, s)
			}
		}
	}
	linear, deep := coders(t, d, k)
	u, err := Columns(linear)
	if err != nil || u.Rows != k || u.Cols != d {
		t.Fatalf("columns %v, %v", u, err)
	}
	dec := linear.Decoder()
	for q := range k {
		for j := range d {
			if u.Row(q)[j] != dec.Row(j)[q] {
				t.Fatalf("column %d, value %d: %g, U has %g", q, j, u.Row(q)[j], dec.Row(j)[q])
			}
		}
	}
	if a, err := SubspaceAngles(linear, p); err != nil || len(a) != k || a[k-1] < 10 {
		t.Errorf("a random U: angles %v (%v), want far from PCA's", a, err)
	}
	// U = W·A and V = A⁻¹·Wᵀ for A = [[2,1,0],[0,1,0],[0,0,−1]]: the
	// same subspace and the same x̂, through another basis.
	mix := [3][3]float64{{2, 1, 0}, {0, 1, 0}, {0, 0, -1}}
	inv := [3][3]float64{{0.5, -0.5, 0}, {0, 1, 0}, {0, 0, -1}}
	uT := linear.Dec.Layers[0].(*nn.Dense).W.Value // Uᵀ, K×D
	vT := linear.Enc.Layers[0].(*nn.Dense).W.Value // Vᵀ, D×K
	for j := range d {
		for q := range k {
			var uu, vv float64
			for r := range k {
				uu += float64(comps.Row(r)[j]) * mix[r][q]
				vv += inv[q][r] * float64(comps.Row(r)[j])
			}
			uT.Row(q)[j] = float32(uu)
			vT.Row(j)[q] = float32(vv)
		}
	}
	mean := make([]float32, d)
	for j := range d {
		mean[j] = float32(p.Mean[j])
	}
	linear.StartFromMean(mean)
	angles, err := SubspaceAngles(linear, p)
	if err != nil || angles[k-1] > 0.01 {
		t.Errorf("U from PCA's components: angles %v (%v)", angles, err)
	}
	x := set.Image(11)
	r, err := RebuildThree(linear, deep, p, x)
	if err != nil {
		t.Fatal(err)
	}
	if r.Images.Rows != 3 || r.Images.Cols != d {
		t.Fatalf("rebuilds %d×%d", r.Images.Rows, r.Images.Cols)
	}
	want := make([]float32, d)
	p.Reconstruct(x, k, want)
	for j := range d {
		if r.Images.Row(1)[j] != want[j] || math.Abs(float64(r.Images.Row(0)[j]-want[j])) > 1e-4 {
			t.Fatalf("value %d: linear %g, PCA %g, want %g", j, r.Images.Row(0)[j], r.Images.Row(1)[j], want[j])
		}
	}
	for i := range 3 {
		if got := pca.MSE(r.Images.Row(i), x); got != r.MSE[i] {
			t.Errorf("rebuild %d: error %g, recomputed %g", i, r.MSE[i], got)
		}
	}
	if math.Abs(r.MSE[0]-r.MSE[1]) > 1e-6 {
		t.Errorf("the linear autoencoder's error %g, PCA's %g", r.MSE[0], r.MSE[1])
	}
	if _, err := RebuildThree(deep, linear, p, x); err == nil {
		t.Error("the models swapped: no error")
	}
	if _, err := RebuildThree(linear, deep, p, x[:5]); err == nil {
		t.Error("a short image: no error")
	}
	if _, err := Columns(deep); err == nil {
		t.Error("the deep autoencoder's U: no error")
	}
	if _, err := Components(p, 6); err == nil {
		t.Error("6 of 5 components: no error")
	}
}
