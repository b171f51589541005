package engine

import (
	"fmt"
	"math"

	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// elboPoint answers OpELBOPoint: where a VAE trained at some β sits on
// the trade-off between rebuilding digits and keeping q(z|x) near the
// prior, and which of its latent dimensions still carry anything.
func (e *Engine) elboPoint(req protocol.Request) ([]float32, map[string]float64, error) {
	v, err := e.vae(req.Slot)
	if err != nil {
		return nil, nil, err
	}
	if req.N < 1 || req.N > 10000 || req.Samples < 0 || req.Samples > 32 {
		return nil, nil, fmt.Errorf("%d test digits and %d probes, want 1..10000 and 0..32", req.N, req.Samples)
	}
	testSet, err := e.test()
	if err != nil {
		return nil, nil, err
	}
	x, _ := testSet.First(req.N)
	loss := v.Loss(x, nil, models.SampleRNG(req.Seed))

	// KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²), one latent at a
	// time, averaged over the digits.
	mu, sigma := v.Encode(x, nil)
	k := v.Cfg.Latent
	perDim := make([]float64, k)
	for i, m := range mu.Data {
		s2 := float64(sigma.Data[i]) * float64(sigma.Data[i])
		perDim[i%k] += 0.5 * (float64(m)*float64(m) + s2 - 1 - math.Log(s2)) / float64(x.Rows)
	}
	out := make([]float32, 0, k+2*784*req.Samples)
	active := 0
	for _, kl := range perDim {
		out = append(out, float32(kl))
		if kl > protocol.ActiveKL {
			active++
		}
	}
	if req.Samples > 0 {
		probe, _ := testSet.Probes(req.Samples)
		out = append(out, v.Reconstruct(probe, nil, nil).Data...)
		out = append(out, probe.Data...)
	}
	figs := map[string]float64{
		"recon": loss.Recon, "kl": loss.KL, "active": float64(active),
		"latent": float64(k), "beta": float64(v.Beta), "n": float64(x.Rows),
	}
	return out, figs, nil
}
