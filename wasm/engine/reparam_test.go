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
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: "vae-20", Bytes: model}))
	const s = 2000
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpReparam, Slot: "vae-20", Index: []int{0}, Samples: s, Seed: 1}))
	k := int(r.Figures["latent"])
	if want := 2*k + s*k + s + 2*s*k; len(r.Floats) != want {
		t.Fatalf("%d floats, want %d", len(r.Floats), want)
	}
	mu, sigma := r.Floats[:k], r.Floats[k:2*k]
	eps := r.Floats[2*k : 2*k+s*k]
	path := r.Floats[2*k+s*k+s : 2*k+2*s*k+s]
	score := r.Floats[2*k+2*s*k+s:]
	t.Logf("mean loss %.1f nats; std over %d draws, averaged over %d coordinates: pathwise %.2f, score function %.2f", r.Figures["loss"], s, k, r.Figures["path_std"], r.Figures["score_std"])
	if !(r.Figures["path_std"]*5 < r.Figures["score_std"]) {
		t.Errorf("pathwise std %.2f, score-function std %.2f: want the pathwise far smaller", r.Figures["path_std"], r.Figures["score_std"])
	}

	// f(μ) = mean over the same ε of L(μ + σ·ε): its derivative in μⱼ is
	// the mean of the pathwise estimates.
	v := e.slots["vae-20"].(*models.VAE)
	x, _ := pixels(e.testSet, []int{0})
	target := tensor.New(s, 784)
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
	for _, bad := range []protocol.Request{
		{Op: protocol.OpReparam, Slot: "vae-20", Index: []int{0}, Samples: 1},
		{Op: protocol.OpReparam, Slot: "vae-20", Index: []int{-1}, Samples: 10},
		{Op: protocol.OpReparam, Slot: "nope", Index: []int{0}, Samples: 10},
	} {
		if r := e.Handle(bad); r.Error == "" {
			t.Errorf("%+v gave no error", bad)
		}
	}
}
