package engine

import (
	"fmt"
	"math"

	"latentplay/core/descent"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.CompareDescent, (*Engine).descent)
}

// maxDescentGrid bounds the surface's raster, cells per side.
const maxDescentGrid = 512

func (e *Engine) descent(q protocol.Descent) (protocol.DescentComparison, error) {
	s, ok := descent.Surfaces[q.Surface]
	if !ok {
		return protocol.DescentComparison{}, fmt.Errorf("no surface %q", q.Surface)
	}
	if q.Grid < 0 || q.Grid > maxDescentGrid {
		return protocol.DescentComparison{}, fmt.Errorf("a %d×%d grid, want 0..%d", q.Grid, q.Grid, maxDescentGrid)
	}
	st := descent.Settings{Start: q.Start, LR: q.LR, Momentum: q.Momentum, Radius: q.Radius, Budget: q.Budget, Tol: q.Tol, Seed: q.Seed}
	if err := st.Check(s); err != nil {
		return protocol.DescentComparison{}, err
	}
	out := protocol.DescentComparison{Lo: s.Lo, Hi: s.Hi, Min: s.Min}
	if q.Grid > 0 {
		out.Surface = protocol.RowsOf(q.Grid, float32s(descent.Grid(s, q.Grid)))
	}
	for _, r := range descent.Run(s, st) {
		m := protocol.DescentRun{
			Method: r.Method, Steps: r.Steps, Evals: r.Evals, Grads: r.Grads,
			Reached: r.Reached, Diverged: r.Diverged, Best: finite64(r.Best),
		}
		path := make([]float32, 0, 3*len(r.Path))
		for i, p := range r.Path {
			// A path that blew up still crosses as floats; the page draws
			// only what lies near its box.
			path = append(path, clampF(p.X), clampF(p.Y), clampF(p.Loss))
			if p.Jump {
				m.Jumps = append(m.Jumps, i)
			}
		}
		m.Path = protocol.RowsOf(3, path)
		out.Methods = append(out.Methods, m)
	}
	return out, nil
}

func float32s(xs []float64) []float32 {
	out := make([]float32, len(xs))
	for i, v := range xs {
		out[i] = float32(v)
	}
	return out
}

// finite64 is v, or ±math.MaxFloat64 for the infinities and NaN, which
// JSON cannot carry.
func finite64(v float64) float64 {
	switch {
	case v > math.MaxFloat64 || v != v:
		return math.MaxFloat64
	case v < -math.MaxFloat64:
		return -math.MaxFloat64
	}
	return v
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
