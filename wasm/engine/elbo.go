package engine

import (
	"errors"
	"fmt"

	"latentplay/core/analysis"
	"latentplay/wasm/engine/protocol"
)

// elboPoint measures where a VAE trained at some β sits on the trade-off
// between rebuilding digits and keeping q(z|x) near the prior, and which
// of its latent dimensions still carry anything (analysis.ELBOOf).
func (e *Engine) elboPoint(q protocol.ELBOArgs) (protocol.ELBOFigures, error) {
	v, err := e.vae(q.Slot)
	if err != nil {
		return protocol.ELBOFigures{}, err
	}
	if v.Conditional() {
		return protocol.ELBOFigures{}, errors.New("a conditional VAE needs labels; use an unconditional one")
	}
	if q.N < 1 || q.N > 10000 || q.Probes < 0 || q.Probes > 32 {
		return protocol.ELBOFigures{}, fmt.Errorf("%d test digits and %d probes, want 1..10000 and 0..32", q.N, q.Probes)
	}
	test, err := e.test()
	if err != nil {
		return protocol.ELBOFigures{}, err
	}
	x, _ := test.First(q.N)
	f := analysis.ELBOOf(v, x, q.Seed)
	out := protocol.ELBOFigures{
		Recon: f.Recon, KL: f.KL, PerDimKL: f.PerDim, Active: f.Active(protocol.ActiveKL),
		Beta: float64(v.Beta), N: x.Rows,
	}
	if q.Probes > 0 {
		probes, _ := test.Probes(q.Probes)
		out.Probes, out.Rebuilt = protocol.BatchOf(probes), protocol.BatchOf(v.Reconstruct(probes, nil, nil))
	}
	return out, nil
}
