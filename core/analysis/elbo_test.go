package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/models"
	"latentplay/core/tensor"
)

// Hand-computed KLs: the prior itself costs nothing; a mean of 2 costs
// ½·2² = 2 nats; σ = e⁻¹ costs ½(e⁻² − 1 + 2); each dimension is averaged
// over the rows on its own.
func TestKLPerDim(t *testing.T) {
	e1 := float32(math.Exp(-1))
	mu := tensor.FromSlice(2, 3, []float32{0, 2, 0, 0, 0, 0})
	sigma := tensor.FromSlice(2, 3, []float32{1, 1, e1, 1, 1, 1})
	got := KLPerDim(mu, sigma)
	want := []float64{0, 1, 0.25 * (math.Exp(-2) + 1)}
	for j := range want {
		if math.Abs(got[j]-want[j]) > 1e-6 {
			t.Errorf("dimension %d: KL %.7f, want %.7f", j, got[j], want[j])
		}
	}
	f := ELBOFigures{PerDim: []float64{0.5, 0.01, 0.011, 0}}
	if n := f.Active(0.01); n != 2 {
		t.Errorf("%d active above 0.01 in %v, want 2", n, f.PerDim)
	}
}

// The dimensions' KLs make the VAE's own KL term, and the figures are
// the loss's.
func TestELBOOfAddsUp(t *testing.T) {
	v, err := models.NewVAE(models.VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 3}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.FromSlice(40, 16, set(40).Pixels)
	f := ELBOOf(v, x, 1)
	var sum float64
	for _, kl := range f.PerDim {
		sum += kl
	}
	if len(f.PerDim) != 3 || math.Abs(sum-f.KL) > 1e-5*f.KL || f.KL <= 0 {
		t.Errorf("per-dimension KL %v sums to %.6f, the loss's KL is %.6f", f.PerDim, sum, f.KL)
	}
	l := v.Loss(x, nil, models.SampleRNG(1))
	if f.Recon != l.Recon || f.KL != l.KL {
		t.Errorf("figures %+v, the loss with the same seed %+v", f, l)
	}
}
