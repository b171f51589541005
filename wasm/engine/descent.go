package engine

import (
	"errors"
	"fmt"

	"latentplay/core/descent"
	"latentplay/wasm/engine/protocol"
)

// maxDescentGrid bounds the surface's raster, cells per side.
const maxDescentGrid = 512

// descent answers OpDescent.
func (e *Engine) descent(req protocol.Request) ([]float32, map[string]float64, error) {
	q := req.Descent
	if q == nil {
		return nil, nil, errors.New("no descent given")
	}
	s, ok := descent.Surfaces[q.Surface]
	if !ok {
		return nil, nil, fmt.Errorf("no surface %q", q.Surface)
	}
	if q.Grid < 0 || q.Grid > maxDescentGrid {
		return nil, nil, fmt.Errorf("a %d×%d grid, want 0..%d", q.Grid, q.Grid, maxDescentGrid)
	}
	st := descent.Settings{Start: q.Start, LR: q.LR, Momentum: q.Momentum, Radius: q.Radius, Budget: q.Budget, Tol: q.Tol, Seed: q.Seed}
	if err := st.Check(s); err != nil {
		return nil, nil, err
	}
	figs := map[string]float64{"lo_x": s.Lo[0], "hi_x": s.Hi[0], "lo_y": s.Lo[1], "hi_y": s.Hi[1], "min": s.Min}
	var out []float32
	if q.Grid > 0 {
		for _, v := range descent.Grid(s, q.Grid) {
			out = append(out, float32(v))
		}
	}
	b2f := map[bool]float64{false: 0, true: 1}
	for _, r := range descent.Run(s, st) {
		m := r.Method
		figs[m+"_points"] = float64(len(r.Path))
		figs[m+"_steps"] = float64(r.Steps)
		figs[m+"_evals"] = float64(r.Evals)
		figs[m+"_grads"] = float64(r.Grads)
		figs[m+"_reached"] = b2f[r.Reached]
		figs[m+"_diverged"] = b2f[r.Diverged]
		figs[m+"_best"] = r.Best
		for _, p := range r.Path {
			// A path that blew up still crosses as floats; the page draws
			// only what lies near its box.
			out = append(out, clampF(p.X), clampF(p.Y), clampF(p.Loss), float32(b2f[p.Jump]))
		}
	}
	return out, figs, nil
}

// clampF keeps a diverging value a float32 can hold.
func clampF(v float64) float32 {
	const big = 1e30
	switch {
	case v > big || v != v:
		return big
	case v < -big:
		return -big
	}
	return float32(v)
}
