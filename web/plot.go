package web

import (
	"fmt"
	"math"
	"strings"
)

// lossPlot draws the loss history as an inline SVG line chart: training
// loss (for a VAE its reconstruction and KL parts apart) and the loss on a
// fixed test batch, against images seen.
func lossPlot(h []lossPoint, vae bool) string {
	const w, ht, pad = 560.0, 220.0, 36.0
	type series struct {
		name, colour string
		y            func(lossPoint) float64
	}
	lines := []series{{"train", "#f4f1ea", func(p lossPoint) float64 { return p.total }}}
	if vae {
		lines = []series{
			{"reconstruction", "#f4f1ea", func(p lossPoint) float64 { return p.recon }},
			{"KL", "#f2a93b", func(p lossPoint) float64 { return p.kl }},
		}
	}
	lines = append(lines, series{"test batch", "#6bb7ff", func(p lossPoint) float64 { return p.test }})

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="plot" viewBox="0 0 %g %g" role="img" aria-label="Loss curves: %s, against images seen">`, w, ht, names(lines, func(s series) string { return s.name }))
	if len(h) < 2 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#a7a9b0" text-anchor="middle">The curves appear once training starts.</text></svg>`, w/2, ht/2)
		return b.String()
	}
	x0, x1 := h[0].samples, h[len(h)-1].samples
	y0, y1 := math.Inf(1), math.Inf(-1)
	for _, p := range h {
		for _, s := range lines {
			if v := s.y(p); math.Abs(v) < 1e300 { // beyond: a blow-up, off the chart
				y0, y1 = math.Min(y0, v), math.Max(y1, v)
			}
		}
	}
	y0 = math.Min(y0, 0)
	if y1 <= y0 || x1 <= x0 {
		y1, x1 = y0+1, x0+1
	}
	sx := func(x float64) float64 { return pad + (x-x0)/(x1-x0)*(w-2*pad) }
	sy := func(y float64) float64 { return ht - pad + (y0-y)/(y1-y0)*(ht-2*pad) }
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#555"/>`, pad, ht-pad, w-pad, ht-pad)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#555"/>`, pad, pad, pad, ht-pad)
	fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#a7a9b0" font-size="11" text-anchor="end">%.3g</text>`, pad-4, pad+4, y1)
	fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#a7a9b0" font-size="11" text-anchor="end">%.3g</text>`, pad-4, ht-pad, y0)
	fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#a7a9b0" font-size="11" text-anchor="end">%.0f images</text>`, w-pad, ht-pad+16, x1)
	for i, s := range lines {
		var pts strings.Builder
		for _, p := range h {
			if v := s.y(p); math.Abs(v) < 1e300 {
				fmt.Fprintf(&pts, "%.1f,%.1f ", sx(p.samples), sy(v))
			}
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, s.colour, pts.String())
		fmt.Fprintf(&b, `<text x="%g" y="%g" fill="%s" font-size="12">%s</text>`, pad+8+float64(i)*120, pad-12, s.colour, s.name)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func names[T any](xs []T, f func(T) string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return strings.Join(out, ", ")
}
