package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/nn"
	"latentplay/core/nn/gradcheck"
	"latentplay/core/tensor"
)

// images returns n random "images" of d pixels in [0, 1], half background.
func images(n, d int, seed uint64) *tensor.Mat {
	rng := rand.New(rand.NewPCG(seed, 5))
	x := tensor.New(n, d)
	for i := range x.Data {
		if rng.Float64() < 0.5 {
			x.Data[i] = rng.Float32()
		}
	}
	return x
}

var fourLabels = []uint8{0, 2, 1, 2}

// checkModelGradient gradient-checks m.Gradient against loss, which must
// evaluate the same objective at the current weights.
func checkModelGradient(t *testing.T, m Trainable, loss func() float64, grads func()) {
	t.Helper()
	if worst, name, i := gradcheck.Check(checked(m.Params()), loss, grads, 1e-3); worst > 3e-3 {
		t.Errorf("%s: gradient of %s[%d] off by %.3g", m.Kind(), name, i, worst)
	}
}

func TestVAEGradient(t *testing.T) {
	for _, classes := range []int{0, 3} {
		v, err := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2, Classes: classes}, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		v.Beta = 1
		x := images(4, 6, 2)
		noise := func() *rand.Rand { return rand.New(rand.NewPCG(42, 42)) } // the same ε every pass
		loss := func() float64 { return v.Loss(x, fourLabels, noise()).Total }
		grads := func() {
			nn.ZeroGrads(v.Params())
			v.Noise = noise()
			v.Gradient(x, fourLabels)
		}
		checkModelGradient(t, v, loss, grads)
	}
}

func TestVAEBetaWeighsKL(t *testing.T) {
	v, _ := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 3}, rand.New(rand.NewPCG(2, 1)))
	x := images(4, 6, 3)
	v.Beta = 0.25
	v.Noise = rand.New(rand.NewPCG(1, 1))
	l := v.Gradient(x, nil)
	if math.Abs(l.Total-(l.Recon+0.25*l.KL)) > 1e-9 || l.KL <= 0 {
		t.Fatalf("losses %+v: want total = recon + β·KL with KL > 0", l)
	}
	// With β weighting, the gradient must still match the objective.
	noise := func() *rand.Rand { return rand.New(rand.NewPCG(7, 7)) }
	loss := func() float64 { l := v.Loss(x, nil, noise()); return l.Recon + 0.25*l.KL }
	grads := func() { nn.ZeroGrads(v.Params()); v.Noise = noise(); v.Gradient(x, nil) }
	checkModelGradient(t, v, loss, grads)
}

func TestAutoencoderGradients(t *testing.T) {
	for _, cfg := range []AEConfig{{Inputs: 6, Hidden: []int{5}, Latent: 2}, {Inputs: 6, Latent: 2, Linear: true}} {
		a, err := NewAutoencoder(cfg, rand.New(rand.NewPCG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		x := images(4, 6, 4)
		if cfg.Linear {
			a.StartFromMean([]float32{0.1, 0.2, 0.3, 0.4, 0.5, 0.6})
		}
		loss := func() float64 {
			r := a.Dec.Forward(a.Enc.Forward(a.input(x)))
			if cfg.Linear {
				return nn.MSE.Eval(r, a.centred, nil)
			}
			return nn.BCEWithLogits.Eval(r, x, nil)
		}
		grads := func() { nn.ZeroGrads(a.Params()); a.Gradient(x, nil) }
		checkModelGradient(t, a, loss, grads)
	}
}

// Each model's loss falls after training steps on a fixed batch.
func TestLossFalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	vae, _ := NewVAE(VAEConfig{Inputs: 16, Hidden: []int{12}, Latent: 2}, rng)
	cvae, _ := NewVAE(VAEConfig{Inputs: 16, Hidden: []int{12}, Latent: 2, Classes: 3}, rng)
	ae, _ := NewAutoencoder(AEConfig{Inputs: 16, Hidden: []int{12}, Latent: 2}, rng)
	lin, _ := NewAutoencoder(AEConfig{Inputs: 16, Latent: 2, Linear: true}, rng)
	mlp, _ := NewClassifier(ClassifierConfig{Inputs: 16, Hidden: []int{12}, Classes: 3, Activation: "relu"}, rng)
	x := images(4, 16, 5)
	for _, m := range []Trainable{vae, cvae, ae, lin, mlp} {
		opt := nn.NewAdam(0.01)
		first := m.Gradient(x, fourLabels)
		opt.Step(m.Params())
		var last Losses
		for range 50 {
			last = m.Gradient(x, fourLabels)
			opt.Step(m.Params())
		}
		if !(last.Total < first.Total) {
			t.Errorf("%s: loss %.4f → %.4f did not fall", m.Kind(), first.Total, last.Total)
		}
	}
}

func TestVAEOperations(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	v, _ := NewVAE(VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2, Classes: 3}, rng)
	x := images(4, 16, 6)

	mu, sigma := v.Encode(x, fourLabels)
	if mu.Rows != 4 || mu.Cols != 2 || sigma.Rows != 4 || sigma.Cols != 2 {
		t.Fatalf("Encode shapes %v %v", mu, sigma)
	}
	for _, s := range sigma.Data {
		if !(s > 0) {
			t.Fatalf("σ = %v, want positive", s)
		}
	}
	a, b := v.Reconstruct(x, fourLabels, nil), v.Reconstruct(x, fourLabels, nil)
	for i := range a.Data {
		if a.Data[i] != b.Data[i] || a.Data[i] < 0 || a.Data[i] > 1 {
			t.Fatalf("deterministic reconstruction: %v vs %v", a.Data[i], b.Data[i])
		}
	}
	s1 := v.Reconstruct(x, fourLabels, rand.New(rand.NewPCG(1, 0)))
	s2 := v.Reconstruct(x, fourLabels, rand.New(rand.NewPCG(2, 0)))
	if equal(s1.Data, s2.Data) {
		t.Fatal("stochastic reconstructions with different noise are identical")
	}
	samples := v.Sample(3, []uint8{0, 1, 2}, 1, rng)
	if samples.Rows != 3 || samples.Cols != 16 {
		t.Fatalf("Sample shape %v", samples)
	}
	// The label changes what a CVAE draws from the same z.
	z := tensor.New(2, 2)
	d := v.Decode(z, []uint8{0, 1})
	if equal(d.Row(0), d.Row(1)) {
		t.Fatal("a CVAE decodes one z identically for two labels")
	}
}

func TestInterpolate(t *testing.T) {
	z1, z2 := []float32{1, 0, 0}, []float32{0, 2, 0}
	for _, spherical := range []bool{false, true} {
		path := Interpolate(z1, z2, 5, spherical)
		if !equal(path.Row(0), z1) || !close(path.Row(4), z2, 1e-6) {
			t.Fatalf("spherical=%v: ends %v, %v", spherical, path.Row(0), path.Row(4))
		}
		mid := path.Row(2)
		norm := math.Hypot(float64(mid[0]), float64(mid[1]))
		if !spherical && !close(mid, []float32{0.5, 1, 0}, 1e-6) {
			t.Fatalf("linear midpoint %v", mid)
		}
		// slerp at a right angle weighs both ends by sin(π/4)/sin(π/2) = 1/√2
		// at the middle, which lies outside the chord (norm 1.58 > 1.12).
		if spherical && (!close(mid, []float32{math.Sqrt2 / 2, math.Sqrt2, 0}, 1e-6) || norm < 1.5) {
			t.Fatalf("spherical midpoint %v, norm %v", mid, norm)
		}
	}
}

func TestLatentGrid(t *testing.T) {
	g := LatentGrid(4)
	if g.Rows != 16 || g.Cols != 2 {
		t.Fatalf("shape %v", g)
	}
	// Symmetric about 0, x rising along a row, y falling down the rows.
	if g.At(0, 0) != -g.At(3, 0) || g.At(0, 1) != -g.At(15, 1) || !(g.At(0, 0) < g.At(1, 0)) || !(g.At(0, 1) > g.At(4, 1)) {
		t.Fatalf("grid %v", g.Data)
	}
	// The outer points sit at the 1/8 quantile: Φ⁻¹(0.125) ≈ −1.1503.
	if math.Abs(float64(g.At(0, 0))+1.1503494) > 1e-5 {
		t.Fatalf("corner %v", g.At(0, 0))
	}
}

// The importance-weighted bound is at least the ELBO (Burda et al. 2015,
// Theorem 1), and equals it in expectation for k = 1.
func TestImportanceWeightedBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	v, _ := NewVAE(VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2}, rng)
	x := images(50, 16, 7)
	var elbo float64
	for range 20 {
		elbo -= v.Loss(x, nil, rng).Total / 20
	}
	mean := func(k int) float64 {
		var s float64
		for _, lp := range v.LogLikelihood(x, nil, k, rng) {
			s += lp
		}
		return s / float64(x.Rows)
	}
	iw1, iw50 := mean(1), mean(50)
	if math.Abs(iw1-elbo) > 0.05*math.Abs(elbo) {
		t.Errorf("k=1 estimate %.3f, ELBO %.3f", iw1, elbo)
	}
	if !(iw50 > elbo) {
		t.Errorf("k=50 estimate %.3f not above the ELBO %.3f", iw50, elbo)
	}
}

func equal(a, b []float32) bool {
	return close(a, b, 0)
}

func close(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > tol {
			return false
		}
	}
	return true
}

func checked(ps []*nn.Param) []gradcheck.Param {
	out := make([]gradcheck.Param, len(ps))
	for i, p := range ps {
		out[i] = gradcheck.Param{Name: p.Name, Value: p.Value.Data, Grad: p.Grad.Data}
	}
	return out
}
