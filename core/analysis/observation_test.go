package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/models"
	"latentplay/core/tensor"
)

// EvaluateVAE and ELBOOf measure a Gaussian VAE by its own likelihood:
// the same weights and the same draws of z at three η give
// reconstruction terms S/(2η) + (D/2)·log(2πη) for one squared error S,
// so the first fixes S and predicts the others. (The KL, which η does not
// enter, stays put.)
func TestVAEFiguresUseTheObservationModel(t *testing.T) {
	s := set(evalChunk + 37)
	at := func(eta float64) (VAEFigures, ELBOFigures) {
		v, err := models.NewVAE(models.VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2, Obs: models.ObsGaussian, Eta: eta}, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		x := tensor.FromSlice(s.N, s.Dim(), s.Pixels)
		return EvaluateVAE(v, s, 0, 0, 1), ELBOOf(v, x, 1)
	}
	etas := []float64{0.01, 0.1, 1}
	var ev [3]VAEFigures
	var el [3]ELBOFigures
	for i, eta := range etas {
		ev[i], el[i] = at(eta)
	}
	const d = 16
	for name, recon := range map[string][3]float64{
		"EvaluateVAE": {ev[0].Recon, ev[1].Recon, ev[2].Recon},
		"ELBOOf":      {el[0].Recon, el[1].Recon, el[2].Recon},
	} {
		norm := func(i int) float64 { return d / 2 * math.Log(2*math.Pi*etas[i]) }
		sq := (recon[0] - norm(0)) * 2 * etas[0]
		for i := 1; i < 3; i++ {
			want := sq/(2*etas[i]) + norm(i)
			if math.Abs(recon[i]-want) > 1e-4*math.Max(1, math.Abs(want)) || !(sq > 0) {
				t.Errorf("%s: reconstruction %v at η %v; η %g predicts %v at η %g", name, recon, etas, etas[0], want, etas[i])
			}
		}
	}
	if ev[0].KL != ev[2].KL || math.Abs(ev[0].Loss-(ev[0].Recon+ev[0].KL)) > 1e-9 {
		t.Errorf("figures %+v and %+v", ev[0], ev[2])
	}
}
