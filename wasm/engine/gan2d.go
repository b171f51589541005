package engine

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"latentplay/core/gan2d"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.TrainGAN, (*Engine).gan2d)
}

// ganLab is the GAN lab's run and the settings it was built from.
type ganLab struct {
	key string
	gan *gan2d.GAN
}

// Per request: enough for a frame of animation or the lesson's whole
// budget, small enough to answer within a second or two.
const (
	maxGANSteps = 2000
	maxGANShow  = 1000
)

func ganKey(q protocol.GAN2D) string {
	q.Restart, q.Steps, q.Grid, q.Show = false, 0, 0, 0
	b, _ := json.Marshal(q)
	return string(b)
}

func (e *Engine) gan2d(q protocol.GAN2D) (protocol.GAN2DState, error) {
	switch {
	case q.Steps < 0 || q.Steps > maxGANSteps:
		return protocol.GAN2DState{}, fmt.Errorf("%d steps in one request, want 0..%d", q.Steps, maxGANSteps)
	case q.Grid < 2 || q.Grid > 128:
		return protocol.GAN2DState{}, fmt.Errorf("a heat map of %d cells a side, want 2..128", q.Grid)
	case q.Show < 1 || q.Show > maxGANShow:
		return protocol.GAN2DState{}, fmt.Errorf("%d points shown, want 1..%d", q.Show, maxGANShow)
	}
	if e.gan == nil || q.Restart || e.gan.key != ganKey(q) {
		cfg := gan2d.Config{
			Data: q.Data, Noise: q.Noise, Hidden: q.Hidden, Batch: q.Batch,
			LRG: float32(q.LRG), LRD: float32(q.LRD), Remedy: q.Remedy, Seed: q.Seed,
		}
		for _, p := range q.Points {
			cfg.Custom = append(cfg.Custom, [2]float64{float64(p[0]), float64(p[1])})
		}
		g, err := gan2d.New(cfg)
		if err != nil {
			return protocol.GAN2DState{}, err // the last run stays
		}
		e.gan = &ganLab{key: ganKey(q), gan: g}
	}
	g := e.gan.gan
	var sumD, sumG float64
	for range q.Steps {
		if err := g.Step(); err != nil {
			return protocol.GAN2DState{}, err
		}
		sumD, sumG = sumD+g.LossD, sumG+g.LossG
	}
	s := protocol.GAN2DState{Step: g.Steps, LossD: g.LossD, LossG: g.LossG}
	if q.Steps > 0 {
		s.LossD, s.LossG = sumD/float64(q.Steps), sumG/float64(q.Steps)
	}
	v := g.Look(q.Show, q.Grid, rand.New(rand.NewPCG(gan2d.CoverageSeed, 0)))
	s.Real = points(g.Real(q.Show, rand.New(rand.NewPCG(q.Seed, 0x5ea1))))
	s.Fake, s.Push = points(v.Fake), points(v.Push)
	s.Heat = protocol.RowsOf(q.Grid, v.Heat)
	if q.Data == "ring" {
		s.Modes = gan2d.RingModes
		covered, share := gan2d.Coverage(g.Generate(gan2d.CoverageSamples, rand.New(rand.NewPCG(gan2d.CoverageSeed, 0))))
		s.Covered, s.Share = covered, share[:]
	}
	return s, nil
}

func points(ps [][2]float64) protocol.Batch {
	d := make([]float32, 0, 2*len(ps))
	for _, p := range ps {
		d = append(d, float32(p[0]), float32(p[1]))
	}
	return protocol.RowsOf(2, d)
}
