package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

const (
	reparamDraws = 500 // ε drawn for each pair of estimates
	reparamDigit = 0   // the MNIST test digit encoded
	reparamSlot  = "vae-20"
	reparamBins  = 41
)

// Reparam is the reparameterisation-trick lab: the VAE's computation
// graph with and without the trick, with the gradient's path marked; and
// the two gradient estimates the engine computes on a real digit, drawn
// from the same draws, to show how much each scatters.
type Reparam struct {
	app.Compo

	trick bool
	seed  uint64
	dim   int // the coordinate of μ shown, from 0

	k      int
	est    protocol.ReparamEstimates // the draws and both estimates
	drawn  uint64                    // the seed est was drawn with
	digit  []float32
	busy   bool
	errMsg string

	narrow bool // the graph in its portrait layout
}

// OnInit shows the trick, and the first draws.
func (r *Reparam) OnInit() { r.trick, r.seed, r.dim, r.narrow = true, 1, -1, narrowScreen() }

// OnResize turns the graph when the screen crosses from wide to narrow
// or back, and otherwise leaves the view as it is.
func (r *Reparam) OnResize(ctx app.Context) {
	if n := narrowScreen(); n != r.narrow {
		r.narrow = n
		return
	}
	ctx.PreventUpdate()
}

// OnMount asks the engine for the estimates.
func (r *Reparam) OnMount(ctx app.Context) { r.fetch(ctx) }

func (r *Reparam) fetch(ctx app.Context) {
	if r.busy {
		return
	}
	r.busy = true
	seed := r.seed
	ctx.Async(func() {
		err := Engine().Shipped(reparamSlot)
		var est protocol.ReparamEstimates
		var dig protocol.LabelledImages
		if err == nil {
			est, err = Call(protocol.Reparam, protocol.ReparamArgs{Slot: reparamSlot, Digit: reparamDigit, Draws: reparamDraws, Seed: seed})
		}
		if err == nil {
			dig, err = Call(protocol.TestDigits, protocol.IndexArgs{Index: []int{reparamDigit}})
		}
		ctx.Dispatch(func(ctx app.Context) {
			r.busy = false
			if err != nil {
				r.errMsg = err.Error()
				return
			}
			k := len(est.Mu)
			if k == 0 || len(est.Sigma) != k || est.Pathwise.Rows != reparamDraws || est.Pathwise.Cols != k || est.Score.Rows != reparamDraws || est.Score.Cols != k ||
				len(est.PathMean) != k || len(est.PathStd) != k || len(est.ScoreMean) != k || len(est.ScoreStd) != k || dig.Images.Rows != 1 {
				r.errMsg = "the engine's answer has the wrong size"
				return
			}
			r.k, r.est, r.drawn = k, est, seed
			r.digit, r.errMsg = dig.Images.Row(0), ""
			if r.dim < 0 || r.dim >= k {
				r.dim = r.steepest()
			}
		})
	})
}

// steepest is the coordinate whose gradient is largest on average: the
// one where the comparison is fairest to the score function.
func (r *Reparam) steepest() int {
	best, bestG := 0, -1.0
	for j, m := range r.est.PathMean {
		if g := math.Abs(m); g > bestG {
			best, bestG = j, g
		}
	}
	return best
}

// column is coordinate j of every draw's estimate: the histogram's
// samples.
func column(b protocol.Batch, j int) []float64 {
	out := make([]float64, b.Rows)
	for i := range out {
		out[i] = float64(b.Row(i)[j])
	}
	return out
}

func (r *Reparam) onTrick(ctx app.Context, e app.Event) {
	r.trick = ctx.JSSrc().Get("checked").Bool()
}

func (r *Reparam) onDim(ctx app.Context, e app.Event) {
	j, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	if err != nil || j < 0 || j >= r.k {
		return
	}
	r.dim = j
}

// reparamLayout places the graph's nodes: landscape in one row on a wide
// screen, portrait in one column on a narrow one, where the landscape
// drawing, scaled down to the width, would leave its text too small.
type reparamLayout struct {
	w, h  float64
	at    map[string][2]float64 // each node's centre
	cross [2]float64            // where the ✕ sits, on the cut way back to μ and σ
	note  []string              // "the gradient stops…", a line each
	noteX float64               // the note's centre
	noteY float64               // its last line's baseline
}

const gradientStops = "the gradient stops: a sample has no derivative in μ or σ"

var (
	reparamWide = reparamLayout{
		w: 680, h: 230,
		at: map[string][2]float64{
			"x": {32, 100}, "enc": {120, 100}, "mu": {220, 55}, "sigma": {220, 145},
			"z": {345, 100}, "eps": {345, 190}, "dec": {480, 100}, "xhat": {572, 100}, "loss": {645, 100},
		},
		cross: [2]float64{260, 109}, note: []string{gradientStops}, noteX: 345, noteY: 216,
	}
	// In the column the legend keeps its top-left corner, ε sits beside z
	// and μ, σ side by side; 340 wide, so that 12 units are 11 px or more
	// at the 319 px a 375 px phone gives the drawing.
	reparamNarrow = reparamLayout{
		w: 340, h: 520,
		at: map[string][2]float64{
			"x": {140, 50}, "enc": {140, 118}, "mu": {80, 186}, "sigma": {200, 186},
			"z": {140, 254}, "eps": {270, 254}, "dec": {140, 322}, "xhat": {140, 390}, "loss": {140, 458},
		},
		cross: [2]float64{140, 232}, note: []string{"the gradient stops: a sample has", "no derivative in μ or σ"}, noteX: 170, noteY: 508,
	}
)

// graph draws the VAE's computation graph, forward in grey and the
// gradient's way back in orange; without the trick the way back stops at
// the sampling node. narrow asks for the portrait layout.
func (r *Reparam) graph(narrow bool) string {
	lay := reparamWide
	if narrow {
		lay = reparamNarrow
	}
	w, h := lay.w, lay.h
	type node struct {
		x, y   float64
		label  string
		random bool
	}
	zLabel := "z ~ N(μ, σ²)"
	if r.trick {
		zLabel = "z = μ + σ·ε"
	}
	labels := map[string]string{"x": "x", "enc": "encoder", "mu": "μ", "sigma": "σ", "z": zLabel, "dec": "decoder", "xhat": "x̂", "loss": "L"}
	if r.trick {
		labels["eps"] = "ε ~ N(0, I)"
	}
	nodes := map[string]node{}
	for id, l := range labels {
		p := lay.at[id]
		nodes[id] = node{p[0], p[1], l, id == "eps" || id == "z" && !r.trick}
	}
	forward := [][2]string{{"x", "enc"}, {"enc", "mu"}, {"enc", "sigma"}, {"mu", "z"}, {"sigma", "z"}, {"z", "dec"}, {"dec", "xhat"}, {"xhat", "loss"}}
	back := [][2]string{{"loss", "xhat"}, {"xhat", "dec"}, {"dec", "z"}}
	if r.trick {
		forward = append(forward, [2]string{"eps", "z"})
		back = append(back, [2]string{"z", "mu"}, [2]string{"z", "sigma"}, [2]string{"mu", "enc"}, [2]string{"sigma", "enc"})
	}
	label := "The VAE's computation graph without the reparameterisation trick: x, encoder, μ and σ, z sampled from N(μ, σ²), decoder, x̂, loss L. The gradient flows back from L through the decoder to z and stops there: sampling has no derivative, so μ, σ and the encoder get none."
	if r.trick {
		label = "The VAE's computation graph with the reparameterisation trick: x, encoder, μ and σ, z = μ + σ·ε with ε ~ N(0, I) entering from the side, decoder, x̂, loss L. The gradient flows back from L through the decoder and z to μ, σ and the encoder."
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="reparam-graph" class="plot" viewBox="0 0 %g %g" role="img" aria-label="%s" data-trick="%t" data-grad-edges="%d">`, w, h, label, r.trick, len(back))
	b.WriteString(`<defs><marker id="fwd-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a8f9c"/></marker><marker id="grad-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#f2a93b"/></marker></defs>`)
	half := func(n node) (float64, float64) { return math.Max(44, 8*float64(len([]rune(n.label)))+12) / 2, 16 }
	// edge draws a line between the two nodes' borders, shifted sideways
	// by off so the forward and backward arrows lie side by side.
	edge := func(a, c node, off float64, colour, marker, dash string) {
		dx, dy := c.x-a.x, c.y-a.y
		n := math.Hypot(dx, dy)
		ux, uy := dx/n, dy/n
		px, py := -uy*off, ux*off
		// How far along the line each node's box reaches, plus a gap.
		reach := func(m node) float64 {
			hw, hh := half(m)
			t := math.Inf(1)
			if ux != 0 {
				t = hw / math.Abs(ux)
			}
			if uy != 0 {
				t = math.Min(t, hh/math.Abs(uy))
			}
			return t + 4
		}
		ra, rc := reach(a), reach(c)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" stroke-dasharray="%s" marker-end="url(#%s)"/>`,
			a.x+ux*ra+px, a.y+uy*ra+py, c.x-ux*rc+px, c.y-uy*rc+py, colour, dash, marker)
	}
	for _, e := range forward {
		edge(nodes[e[0]], nodes[e[1]], 0, "#8a8f9c", "fwd-head", "none")
	}
	for _, e := range back {
		edge(nodes[e[0]], nodes[e[1]], 7, "#f2a93b", "grad-head", "6 3")
	}
	for _, id := range []string{"x", "enc", "mu", "sigma", "z", "eps", "dec", "xhat", "loss"} {
		n, ok := nodes[id]
		if !ok {
			continue
		}
		hw, _ := half(n)
		wd := 2 * hw
		if n.random {
			fmt.Fprintf(&b, `<ellipse cx="%.1f" cy="%.1f" rx="%.1f" ry="17" fill="#1d212b" stroke="#6bb7ff" stroke-width="2" stroke-dasharray="4 3"/>`, n.x, n.y, wd/2)
		} else {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="30" rx="5" fill="#1d212b" stroke="#8a8f9c"/>`, n.x-wd/2, n.y-15, wd)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#e8e8ea" font-size="13" text-anchor="middle">%s</text>`, n.x, n.y+5, n.label)
	}
	if !r.trick {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#ff6b6b" font-size="26" text-anchor="middle">✕</text>`, lay.cross[0], lay.cross[1])
		for i, line := range lay.note {
			fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#ff6b6b" font-size="12" text-anchor="middle">%s</text>`, lay.noteX, lay.noteY-16*float64(len(lay.note)-1-i), line)
		}
	}
	fmt.Fprintf(&b, `<text x="12" y="18" fill="#8a8f9c" font-size="12">forward</text><text x="72" y="18" fill="#f2a93b" font-size="12">gradient ∂L/∂·</text></svg>`)
	return b.String()
}

// strips draws, for the chosen coordinate, each estimate's draws as a
// histogram over the same axis, pathwise above and score function below,
// with the pathwise draws' mean as a line through both.
func (r *Reparam) strips(have bool, alt string) app.UI {
	div := app.Div().ID("reparam-strips").Class("reparam-strips").Attr("role", "group").Aria("label", alt)
	if !have {
		return div.Body(app.Raw(chart{Title: "Pathwise estimates", X: axis{Label: "estimate of ∂E[L]/∂μ"}, Y: axis{Label: "draws"}, Empty: "Drawing ε…", H: 150}.Render()))
	}
	e, j := r.est, r.dim
	p, s := column(e.Pathwise, j), column(e.Score, j)
	lo := math.Min(e.ScoreMean[j]-3*e.ScoreStd[j], e.PathMean[j]-3*e.PathStd[j])
	hi := math.Max(e.ScoreMean[j]+3*e.ScoreStd[j], e.PathMean[j]+3*e.PathStd[j])
	bin := (hi - lo) / reparamBins
	x := axis{Label: fmt.Sprintf("estimate of ∂E[L]/∂μ%s", subscript(j+1)), Unit: "nats", Lo: lo, Hi: hi}
	mean := refLine{Name: "pathwise mean", Colour: "#d55e00", At: e.PathMean[j], Vertical: true}
	var charts []app.UI
	for _, est := range []struct {
		xs     []float64
		std    float64
		colour string
		name   string
	}{{p, e.PathStd[j], "#e69f00", "pathwise ∂L/∂z"}, {s, e.ScoreStd[j], "#56b4e9", "score function L·(z−μ)/σ²"}} {
		counts := make([]int, reparamBins)
		for _, v := range est.xs {
			counts[max(0, min(reparamBins-1, int((v-lo)/bin)))]++
		}
		bars := series{Name: fmt.Sprintf("%s: std %.3g", est.name, est.std), Colour: est.colour}
		for i, c := range counts {
			bars.Points = append(bars.Points, [2]float64{lo + (float64(i)+0.5)*bin, float64(c)})
		}
		charts = append(charts, app.Raw(chart{
			Title:    fmt.Sprintf("%d %s estimates", len(est.xs), est.name),
			X:        x,
			Y:        axis{Label: "draws"},
			Series:   []series{bars},
			Bars:     true,
			BinWidth: bin,
			H:        170,
			Marks:    []refLine{mean},
		}.Render()))
	}
	return div.Attr("data-dim", r.dim).Attr("data-path-std", fmt.Sprintf("%.6g", e.PathStd[j])).
		Attr("data-score-std", fmt.Sprintf("%.6g", e.ScoreStd[j])).Attr("data-seed", r.drawn).Body(charts...)
}

// Render shows the toggle, the graph, and the two estimates.
func (r *Reparam) Render() app.UI {
	have := r.k > 0 && r.dim >= 0 && r.dim < r.k
	alt, summary := "Histograms of the pathwise and score-function estimates of ∂E[L]/∂μ, once the engine has drawn them", ""
	if have {
		e, j := r.est, r.dim
		alt = fmt.Sprintf("Histograms of %d estimates of ∂E[L]/∂μ%d on one axis: pathwise, mean %.3g, std %.3g; score function, mean %.3g, std %.3g", reparamDraws, j+1, e.PathMean[j], e.PathStd[j], e.ScoreMean[j], e.ScoreStd[j])
		summary = fmt.Sprintf("μ%d = %.2f, σ%d = %.2f. Over %d draws of ε the pathwise estimates of ∂E[L]/∂μ%d scatter with standard deviation %.3g, the score function's with %.3g: %.0f times as much. Averaged over all %d coordinates: %.3g against %.3g. The mean reconstruction loss is %.1f nats.",
			j+1, e.Mu[j], j+1, e.Sigma[j], reparamDraws, j+1, e.PathStd[j], e.ScoreStd[j], e.ScoreStd[j]/e.PathStd[j], r.k, e.MeanPathStd, e.MeanScoreStd, e.MeanLoss)
	}
	dims := make([]struct{ id, label string }, r.k)
	for j := range dims {
		dims[j].id, dims[j].label = strconv.Itoa(j), fmt.Sprintf("μ%d", j+1)
	}
	return app.Article().Class("model").ID("reparam").Body(
		app.H3().Text("The reparameterisation trick"),
		app.P().Class("caption").Text("Training needs ∂L/∂μ and ∂L/∂σ, but z is drawn at random from N(μ, σ²), and a draw has no derivative. The trick draws ε ~ N(0, I) instead, from outside the network, and computes z = μ + σ·ε: now z is a plain function of μ and σ, and the gradient flows back through it to the encoder."),
		app.Label().Class("field check").For("reparam-trick").Body(
			app.Input().ID("reparam-trick").Type("checkbox").Checked(r.trick).OnChange(r.onTrick),
			app.Span().Text(" Use the reparameterisation trick"),
		),
		app.Raw(r.graph(r.narrow)),
		app.H3().Text("Two estimates of the same gradient"),
		app.P().Class("caption").Text(fmt.Sprintf("The shipped vae-20 encodes one test digit. For %d draws of ε, each gives an estimate of ∂E[L]/∂μ: with the trick, ∂L/∂z by the decoder's backward pass (pathwise); without it, only L(z)·(z − μ)/σ², the score function (REINFORCE), which needs L but not its gradient. Both are right on average; the dashed line is the pathwise mean.", reparamDraws)),
		app.Div().Class("weight-editor").Body(
			&Digit{IID: "reparam-digit", IPixels: r.digit, IAlt: "the test digit encoded", ISize: 56},
			app.If(r.k > 0, func() app.UI { return selectField("reparam-dim", "Coordinate", strconv.Itoa(r.dim), dims, r.onDim) }),
			app.Button().ID("reparam-again").Text("Draw again").Disabled(r.busy).OnClick(func(ctx app.Context, e app.Event) {
				r.seed++
				r.fetch(ctx)
			}),
		),
		r.strips(have, alt),
		app.P().ID("reparam-status").Class("status").Attr("role", "status").Text(summary),
		app.If(r.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(r.errMsg) }),
	)
}
