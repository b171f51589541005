package engine

import (
	"math"
	"os"
	"testing"

	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

// The pathwise gradient of the reconstruction loss is right (against
// finite differences of the same draws' mean loss), the score-function
// estimate agrees with it on average, and scatters far more.
func TestReparamGradients(t *testing.T) {
	e, _ := mnistEngine(t)
	model, err := os.ReadFile("../../static/models/vae-20.lpm")
	if err != nil {
		t.Fatal(err)
	}
	load(t, e, "vae-20", model)
	const s = 2000
	r := must[protocol.ReparamEstimates](t)(Do(e, protocol.Reparam, protocol.ReparamArgs{Slot: "vae-20", Digit: 0, Draws: s, Seed: 1}))
	k := len(r.Mu)
	if k != 20 || len(r.Sigma) != k || len(r.Loss) != s || len(r.PathStd) != k || len(r.ScoreMean) != k {
		t.Fatalf("%d means, %d deviations, %d losses, %d and %d spreads", k, len(r.Sigma), len(r.Loss), len(r.PathStd), len(r.ScoreMean))
	}
	for _, b := range []protocol.Batch{r.Eps, r.Pathwise, r.Score} {
		if b.Rows != s || b.Cols != k {
			t.Fatalf("a %d×%d batch, want %d×%d", b.Rows, b.Cols, s, k)
		}
	}
	mu, sigma, eps, path, score := r.Mu, r.Sigma, r.Eps.Data, r.Pathwise.Data, r.Score.Data
	t.Logf("mean loss %.1f nats; std over %d draws, averaged over %d coordinates: pathwise %.2f, score function %.2f", r.MeanLoss, s, k, r.MeanPathStd, r.MeanScoreStd)
	if !(r.MeanPathStd*5 < r.MeanScoreStd) {
		t.Errorf("pathwise std %.2f, score-function std %.2f: want the pathwise far smaller", r.MeanPathStd, r.MeanScoreStd)
	}

	// f(μ) = mean over the same ε of L(μ + σ·ε): its derivative in μⱼ is
	// the mean of the pathwise estimates.
	v := e.slots["vae-20"].(*models.VAE)
	x, _ := e.testSet.First(1)
	target := tensor.New(s, x.Cols)
	for i := range s {
		copy(target.Row(i), x.Data)
	}
	f := func(j int, h float32) float64 {
		z := tensor.New(s, k)
		for i := range z.Data {
			m := mu[i%k]
			if i%k == j {
				m += h
			}
			z.Data[i] = m + sigma[i%k]*eps[i]
		}
		return nn.BCEWithLogits.Eval(v.Dec.Forward(z), target, nil)
	}
	const h = 0.02
	for _, j := range []int{0, 7, k - 1} {
		var mp, ms, vs float64
		for i := range s {
			mp += float64(path[i*k+j]) / s
			ms += float64(score[i*k+j]) / s
		}
		for i := range s {
			d := float64(score[i*k+j]) - ms
			vs += d * d / (s - 1)
		}
		if math.Abs(mp-r.PathMean[j]) > 1e-4*math.Abs(mp)+1e-6 || math.Abs(math.Sqrt(vs)-r.ScoreStd[j]) > 1e-4*math.Sqrt(vs) {
			t.Errorf("μ%d: the answer's pathwise mean %v and score std %v, the draws' %v and %v", j+1, r.PathMean[j], r.ScoreStd[j], mp, math.Sqrt(vs))
		}
		fd := (f(j, h) - f(j, -h)) / (2 * h)
		t.Logf("μ%d: finite difference %.3f, pathwise mean %.3f, score-function mean %.3f ± %.3f", j+1, fd, mp, ms, math.Sqrt(vs/s))
		if math.Abs(fd-mp) > 0.02*math.Abs(fd)+0.05 {
			t.Errorf("μ%d: finite difference %.4f, pathwise %.4f", j+1, fd, mp)
		}
		// Unbiased both: the score function's mean lies within five of its
		// standard errors of the gradient.
		if math.Abs(ms-fd) > 5*math.Sqrt(vs/s) {
			t.Errorf("μ%d: score-function mean %.3f ± %.3f, gradient %.3f", j+1, ms, math.Sqrt(vs/s), fd)
		}
	}
	for _, bad := range []protocol.ReparamArgs{
		{Slot: "vae-20", Digit: 0, Draws: 1},
		{Slot: "vae-20", Digit: -1, Draws: 10},
		{Slot: "nope", Digit: 0, Draws: 10},
	} {
		if _, err := Do(e, protocol.Reparam, bad); err == nil {
			t.Errorf("%+v gave no error", bad)
		}
	}
}
