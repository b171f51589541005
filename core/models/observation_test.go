package models

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"latentplay/core/modelfile"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

func gaussianVAE(t *testing.T, eta float64, classes int) *VAE {
	t.Helper()
	v, err := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2, Classes: classes, Obs: ObsGaussian, Eta: eta}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The Gaussian negative log-likelihood by hand: |x − σ(l)|²/(2η) +
// (D/2)·log(2πη), a row's, averaged over rows.
func TestGaussianNLLByHand(t *testing.T) {
	logits := tensor.FromSlice(2, 2, []float32{0, float32(math.Log(3)), 0, 0}) // σ: 0.5, 0.75; 0.5, 0.5
	x := tensor.FromSlice(2, 2, []float32{1, 0.75, 0.5, 0})
	const eta = 0.1
	sq := []float64{0.25 + 0, 0 + 0.25}
	want := 0.0
	for _, s := range sq {
		want += (s/(2*eta) + math.Log(2*math.Pi*eta)) / 2 // D/2 = 1
	}
	if got := gaussianNLL(logits, x, nil, eta); math.Abs(got-want) > 1e-6 {
		t.Errorf("NLL %v, want %v", got, want)
	}
	// A perfect mean leaves the normaliser alone, negative for a small η:
	// a density, not a probability, can exceed 1.
	perfect := tensor.FromSlice(1, 2, []float32{0, 0})
	half := tensor.FromSlice(1, 2, []float32{0.5, 0.5})
	if got, want := gaussianNLL(perfect, half, nil, 0.01), math.Log(2*math.Pi*0.01); math.Abs(got-want) > 1e-9 || got >= 0 {
		t.Errorf("NLL at the mean %v, want %v", got, want)
	}
}

// The Gaussian VAE's gradient, by the gradient checker, at a sharp and a
// broad η, plain and conditional.
func TestGaussianVAEGradient(t *testing.T) {
	for _, eta := range []float64{0.05, 1} {
		for _, classes := range []int{0, 3} {
			v := gaussianVAE(t, eta, classes)
			v.Beta = 1
			x := images(4, 6, 2)
			noise := func() *rand.Rand { return rand.New(rand.NewPCG(42, 42)) }
			loss := func() float64 { return v.Loss(x, fourLabels, noise()).Total }
			grads := func() {
				nn.ZeroGrads(v.Params())
				v.Noise = noise()
				v.Gradient(x, fourLabels)
			}
			checkModelGradient(t, v, loss, grads)
		}
	}
}

// Training steps on a fixed batch lower the Gaussian VAE's loss.
func TestGaussianVAELossFalls(t *testing.T) {
	for _, eta := range []float64{0.01, 0.1, 1} {
		rng := rand.New(rand.NewPCG(4, 4))
		v, err := NewVAE(VAEConfig{Inputs: 16, Hidden: []int{12}, Latent: 2, Obs: ObsGaussian, Eta: eta}, rng)
		if err != nil {
			t.Fatal(err)
		}
		x := images(4, 16, 5)
		opt := nn.NewAdam(0.01)
		first := v.Gradient(x, nil)
		opt.Step(v.Params())
		var last Losses
		for range 100 {
			last = v.Gradient(x, nil)
			opt.Step(v.Params())
		}
		if !(last.Total < first.Total) {
			t.Errorf("η = %g: loss %.4f → %.4f did not fall", eta, first.Total, last.Total)
		}
	}
}

// The observation model is checked like the rest of the configuration.
func TestObservationModelValidates(t *testing.T) {
	base := VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}
	for _, tc := range []struct {
		obs  string
		eta  float64
		want string // in the error; "" for none
	}{
		{"", 0, ""},
		{ObsBernoulli, 0, ""},
		{ObsGaussian, 0.1, ""},
		{ObsGaussian, EtaMin, ""},
		{ObsGaussian, EtaMax, ""},
		{ObsGaussian, 0, "η = 0, want 0.001..10"},
		{ObsGaussian, 1e-4, "want 0.001..10"},
		{ObsGaussian, 1000, "want 0.001..10"},
		{ObsGaussian, math.NaN(), "want 0.001..10"},
		{ObsBernoulli, 0.5, "no variance"},
		{"", 0.5, "no variance"},
		{"poisson", 0, `observation model "poisson"`},
	} {
		c := base
		c.Obs, c.Eta = tc.obs, tc.eta
		err := c.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q, η %g: %v", tc.obs, tc.eta, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q, η %g: error %v, want one saying %q", tc.obs, tc.eta, err, tc.want)
		}
	}
}

// A Gaussian VAE's file keeps its observation model, and the model read
// back measures the same loss; a Bernoulli VAE's file says nothing of it,
// as files did before the setting.
func TestObservationModelFile(t *testing.T) {
	v := gaussianVAE(t, 0.05, 0)
	b, err := Marshal(v, nil, modelfile.Float32)
	if err != nil {
		t.Fatal(err)
	}
	m, f, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	back := m.(*VAE)
	if back.Cfg.Obs != ObsGaussian || back.Cfg.Eta != 0.05 {
		t.Fatalf("read back as %q, η %g (config %s)", back.Cfg.Obs, back.Cfg.Eta, f.Config)
	}
	x := images(4, 6, 7)
	a, c := v.Loss(x, nil, rand.New(rand.NewPCG(1, 1))), back.Loss(x, nil, rand.New(rand.NewPCG(1, 1)))
	if a != c {
		t.Errorf("losses %+v before the file, %+v after", a, c)
	}
	clone, err := Clone(v)
	if err != nil || clone.(*VAE).Cfg.Eta != 0.05 {
		t.Errorf("a clone has η %v (%v)", clone.(*VAE).Cfg.Eta, err)
	}

	plain, err := NewVAE(VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	pf, err := ToFile(plain, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(pf.Config); strings.Contains(s, "obs") || strings.Contains(s, "eta") {
		t.Errorf("a Bernoulli VAE's config %s names the observation model", s)
	}

	// A config with an unknown observation model or a bad η is refused.
	for _, cfg := range []string{
		`{"inputs":6,"hidden":[5],"latent":2,"obs":"gaussian"}`,
		`{"inputs":6,"hidden":[5],"latent":2,"obs":"gaussian","eta":-1}`,
		`{"inputs":6,"hidden":[5],"latent":2,"obs":"laplace","eta":0.1}`,
	} {
		bad := *pf
		bad.Config = json.RawMessage(cfg)
		var ce *ConfigError
		if _, err := FromFile(&bad); !errors.As(err, &ce) {
			t.Errorf("%s: error %v, want a configuration error", cfg, err)
		}
	}
}

// The shipped VAEs, written before the setting, load as Bernoulli.
func TestShippedVAEsAreBernoulli(t *testing.T) {
	for _, name := range []string{"vae-2", "vae-20", "cvae-20"} {
		b, err := os.ReadFile("../../static/models/" + name + ".lpm")
		if err != nil {
			t.Fatal(err)
		}
		m, f, err := Unmarshal(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if v := m.(*VAE); v.Cfg.Gaussian() || v.Cfg.ObsName() != "Bernoulli" || strings.Contains(string(f.Config), "obs") {
			t.Errorf("%s: %s, config %s", name, v.Cfg.ObsName(), f.Config)
		}
	}
}

// The importance-sampled log-likelihood uses the model's own p(x|z): for
// a Gaussian VAE each log weight moves with η's normaliser as the model's
// reconstruction loss does.
func TestLogLikelihoodUsesTheObservationModel(t *testing.T) {
	v := gaussianVAE(t, 0.05, 0)
	x := images(3, 6, 9)
	seed := func() *rand.Rand { return rand.New(rand.NewPCG(3, 3)) }
	lp := v.LogLikelihood(x, nil, 1, seed())
	// The same weights read through a Bernoulli likelihood give another
	// bound; through the Gaussian one with η doubled, each log weight
	// changes by exactly what the reconstruction loss of its z does.
	loose := *v
	loose.Cfg.Eta = 0.1
	lp2 := loose.LogLikelihood(x, nil, 1, seed())
	mu, sigma := v.Encode(x, nil)
	r := seed()
	z := tensor.New(3, 2)
	for i := range z.Data {
		z.Data[i] = mu.Data[i] + sigma.Data[i]*float32(r.NormFloat64())
	}
	logits := v.decode(z, nil).Clone()
	for i := range 3 {
		row, xi := tensor.FromSlice(1, 6, logits.Row(i)), tensor.FromSlice(1, 6, x.Row(i))
		d := gaussianNLL(row, xi, nil, 0.05) - gaussianNLL(row, xi, nil, 0.1)
		if got := lp2[i] - lp[i]; math.Abs(got-d) > 1e-6*math.Max(1, math.Abs(d)) {
			t.Errorf("digit %d: η 0.05 → 0.1 moved log p(x) by %v, the likelihood by %v", i, got, d)
		}
	}
}
