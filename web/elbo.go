package web

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

const (
	betaLo, betaHi = 0.1, 30.0 // the β control's range
	elboProbes     = 8         // test digits rebuilt at each β
	elboTestDigits = 1000      // test digits each point is measured on
	elboSeed       = 1         // draws z when measuring
)

// ELBOLab is the β lab: a small VAE trained at one β at a time, each β a
// point on two curves, reconstruction and KL, that move against each
// other; the same test digits rebuilt at that β; and, at large β, the
// posterior collapsing onto the prior.
type ELBOLab struct {
	app.Compo

	beta    float64
	points  []elboPoint    // sorted by β
	current int            // index of the point shown, −1 for none
	probes  protocol.Batch // the test digits rebuilt, one a row

	labRun
	runBeta float64 // the β being trained
}

// elboPoint is one trained β: its two terms and what it rebuilds.
type elboPoint struct {
	beta, recon, kl float64
	active, latent  int
	perDim          []float64      // mean KL of each latent dimension
	rebuilt         protocol.Batch // the probes, rebuilt through μ, one a row
	secs            float64        // from the click to the trained model, MNIST's loading included
}

// OnInit starts at the ELBO's own β = 1.
func (l *ELBOLab) OnInit() { l.beta, l.current = 1, -1 }

// elboOwner names the β lab's runs.
const elboOwner = "elbo"

// OnMount takes up a run the lab started before the person left the page:
// its events come here again, and a run that ended meanwhile is measured.
func (l *ELBOLab) OnMount(ctx app.Context) {
	follow := func(p protocol.Progress) { ctx.Dispatch(func(ctx app.Context) { l.progress(ctx, p, -1) }) }
	if last, ok := Engine().Follow(elboOwner, follow); ok {
		l.running, l.started = true, time.Now()
		l.progress(ctx, last, -1)
	}
}

// OnDismount stops the events; the run goes on.
func (l *ELBOLab) OnDismount() { Engine().Follow(elboOwner, nil) }

// setBeta takes a β typed or slid, keeping the last good one on bad input.
func (l *ELBOLab) setBeta(text string) {
	b, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || !(b >= betaLo && b <= betaHi) {
		l.errMsg = fmt.Sprintf("β must be a number from %g to %g; it stays %s.", betaLo, betaHi, fmtBeta(l.beta))
		return
	}
	l.beta, l.errMsg = b, ""
}

func (l *ELBOLab) onBeta(ctx app.Context, e app.Event) { l.setBeta(ctx.JSSrc().Get("value").String()) }

// onSlide maps the slider's log₁₀ β to β, two significant figures.
func (l *ELBOLab) onSlide(ctx app.Context, e app.Event) {
	v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		return
	}
	l.setBeta(strconv.FormatFloat(math.Pow(10, v), 'g', 2, 64))
}

func fmtBeta(b float64) string { return strconv.FormatFloat(b, 'g', 3, 64) }

// train trains the lab's VAE at the chosen β in the engine.
func (l *ELBOLab) train(ctx app.Context, e app.Event) {
	if l.running {
		return
	}
	beta := l.beta
	l.running, l.runBeta, l.errMsg, l.started = true, beta, "", time.Now()
	l.last = protocol.Progress{State: protocol.Loading}
	startRun(ctx, elboOwner, protocol.ELBOLab(beta), func(ctx app.Context, p protocol.Progress) { l.progress(ctx, p, beta) }, l.failed)
}

// progress takes one event of the run at beta (−1: the β the model was
// trained at, as the measurement reports it); once it is done, the
// trained VAE is measured.
func (l *ELBOLab) progress(ctx app.Context, p protocol.Progress, beta float64) {
	if !l.took(p) {
		return
	}
	secs := time.Since(l.started).Seconds()
	ctx.Async(func() {
		f, err := Call(protocol.ELBOPoint, protocol.ELBOArgs{Slot: protocol.ELBOSlot, N: elboTestDigits, Probes: elboProbes, Seed: elboSeed})
		ctx.Dispatch(func(ctx app.Context) {
			l.running = false
			if err != nil {
				l.errMsg = err.Error()
				return
			}
			if beta < 0 {
				beta = f.Beta
			}
			l.add(f, beta, secs)
		})
	})
}

// add records the measured point, replacing an earlier one at the same β.
func (l *ELBOLab) add(f protocol.ELBOFigures, beta, secs float64) {
	if f.Probes.Rows != elboProbes || f.Rebuilt.Rows != elboProbes {
		l.errMsg = "the engine's answer has the wrong size"
		return
	}
	pt := elboPoint{
		beta: beta, recon: f.Recon, kl: f.KL, active: f.Active, latent: len(f.PerDimKL),
		perDim: f.PerDimKL, rebuilt: f.Rebuilt, secs: secs,
	}
	l.probes = f.Probes
	l.points = slices.DeleteFunc(l.points, func(q elboPoint) bool { return q.beta == beta })
	l.points = append(l.points, pt)
	slices.SortFunc(l.points, func(a, b elboPoint) int { return cmp.Compare(a.beta, b.beta) })
	l.current = slices.IndexFunc(l.points, func(q elboPoint) bool { return q.beta == beta })
}

// curves draws reconstruction and KL against β on a log axis, one point
// for each β trained, the one shown ringed.
func (l *ELBOLab) curves() string {
	c := chart{
		ID: "elbo-curve", Title: "The ELBO's two terms against β",
		X:     axis{Label: "β", Unit: "log scale", Lo: betaLo, Hi: betaHi, Log: true},
		Y:     axis{Label: "a digit's term", Unit: "nats"},
		Empty: "Each β you train becomes a point here.", Dots: true, Ring: l.current + 1,
		Data: map[string]string{"data-points": fmt.Sprint(len(l.points))},
	}
	if len(l.points) > 0 {
		recon, kl := series{Name: "reconstruction", Colour: "#f4f1ea"}, series{Name: "KL", Colour: "#e69f00"}
		for _, p := range l.points {
			recon.Points = append(recon.Points, [2]float64{p.beta, p.recon})
			kl.Points = append(kl.Points, [2]float64{p.beta, p.kl})
		}
		c.Series = []series{recon, kl}
	}
	return c.Render()
}

// dims draws the shown point's KL in each latent dimension as a bar, on a
// log scale so that 0.001 nats shows beside 5, with the line above which
// a dimension counts as active.
func (l *ELBOLab) dims(p elboPoint) string {
	bars := series{Name: "", Colour: "#e69f00"}
	ticks := make([]string, len(p.perDim))
	for j, v := range p.perDim {
		ticks[j] = "z" + subscript(j+1)
		bars.Points = append(bars.Points, [2]float64{float64(j), math.Max(v, 1e-6)})
		colour := "#7a7f8c"
		if v > protocol.ActiveKL {
			colour = "#e69f00"
		}
		bars.Colours = append(bars.Colours, colour)
	}
	// The axis reaches down to the quietest dimension (or 0.001 nats), so
	// a collapsed one still shows as a bar below the line.
	top, low := 4*protocol.ActiveKL, 1e-3
	for _, v := range p.perDim {
		top, low = math.Max(top, v), math.Min(low, math.Max(v, 1e-6))
	}
	c := chart{
		ID:     "elbo-dims",
		Title:  fmt.Sprintf("KL of each of the %d latent dimensions at β %s, %d above %g nats (active)", p.latent, fmtBeta(p.beta), p.active, protocol.ActiveKL),
		X:      axis{Label: "latent dimension", Ticks: ticks},
		Y:      axis{Label: "KL", Unit: "nats", Log: true, Lo: low / 2, Hi: top * 1.2},
		Series: []series{bars},
		Bars:   true,
		H:      200,
		Marks:  []refLine{{Name: fmt.Sprintf("active: KL above %g nats", protocol.ActiveKL), Colour: "#56b4e9", At: protocol.ActiveKL}},
		Data:   map[string]string{"data-active": strconv.Itoa(p.active)},
	}
	return c.Render()
}

// digitRow shows eight digits, one a row of px.
func digitRow(id, name string, px protocol.Batch, alt func(i int) string) app.UI {
	digits := make([]app.UI, elboProbes)
	for i := range digits {
		var p []float32
		if i < px.Rows && px.Cols == data.Pixels {
			p = px.Row(i)
		}
		digits[i] = &Digit{IID: fmt.Sprintf("%s-%d", id, i), IPixels: p, IAlt: alt(i), ISize: 56}
	}
	return app.Figure().Class("strip").ID(id).Body(
		app.Div().Class("grid").Body(digits...),
		app.FigCaption().Text(name),
	)
}

// Render shows the control, the curves, and the shown β's pictures.
func (l *ELBOLab) Render() app.UI {
	var cur elboPoint
	have := l.current >= 0 && l.current < len(l.points)
	if have {
		cur = l.points[l.current]
	}
	status := "Train at a β to add a point."
	bar := trainingBar(0)
	loadStatus, loadBar, loading := l.loading()
	switch {
	case loading:
		status, bar = loadStatus, loadBar
	case l.running:
		status = fmt.Sprintf("Training at β = %s: step %d of %d", fmtBeta(l.runBeta), l.last.Step, l.last.Steps)
		bar = trainingBar(float64(l.last.Step) / math.Max(float64(l.last.Steps), 1))
	case have:
		status = fmt.Sprintf("β = %s: reconstruction %.1f nats, KL %.2f nats, %d of %d latent dimensions active (%.1f s from the click).", fmtBeta(cur.beta), cur.recon, cur.kl, cur.active, cur.latent, cur.secs)
		bar = trainingBar(1)
	}
	state := l.state()
	return app.Article().Class("model").ID("elbo-lab").Body(
		app.H3().Text("The ELBO trade-off"),
		app.P().Class("caption").Text("A VAE minimises reconstruction + β·KL. The reconstruction term (−log p(x|z), nats a digit) asks z to describe the digit; the KL term asks q(z|x) to stay the prior N(0, I), which describes nothing. β sets the price of information. Each β trains a fresh "+fmt.Sprintf("%d-128-10", data.Pixels)+" VAE for one epoch on 20,000 training digits from the same seed (a few seconds); both terms are measured on 1,000 test digits."),
		app.Div().Class("weight-editor").Body(
			app.Label().Class("field").For("elbo-beta-slider").Body(
				app.Span().Text("β, log scale"),
				app.Input().ID("elbo-beta-slider").Type("range").Min(math.Log10(betaLo)).Max(math.Log10(betaHi)).Step(0.01).Value(fmt.Sprintf("%.2f", math.Log10(l.beta))).OnInput(l.onSlide),
			),
			app.Label().Class("field").For("elbo-beta").Body(
				app.Span().Text(fmt.Sprintf("β (%g to %g)", betaLo, betaHi)),
				app.Input().ID("elbo-beta").Type("number").Step(0.1).Min(betaLo).Max(betaHi).Value(fmtBeta(l.beta)).OnChange(l.onBeta),
			),
			app.Button().ID("elbo-train").Text("Train at β = "+fmtBeta(l.beta)).Disabled(l.running).OnClick(l.train),
		),
		bar,
		app.P().ID("elbo-status").Class("status").Attr("role", "status").Attr("data-state", state).
			Attr("data-beta", fmtBeta(cur.beta)).Attr("data-recon", fmt.Sprintf("%.4f", cur.recon)).Attr("data-kl", fmt.Sprintf("%.4f", cur.kl)).Attr("data-active", cur.active).Text(status),
		app.If(l.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(l.errMsg) }),
		app.Raw(l.curves()),
		app.If(have, func() app.UI {
			return app.Div().Body(
				digitRow("elbo-probes", "Test digits", l.probes, func(i int) string { return fmt.Sprintf("test digit %d", i+1) }),
				digitRow("elbo-rebuilt", "Rebuilt through μ at β = "+fmtBeta(cur.beta), cur.rebuilt, func(i int) string {
					return fmt.Sprintf("test digit %d rebuilt at β %s", i+1, fmtBeta(cur.beta))
				}),
				app.Raw(l.dims(cur)),
			)
		}),
		app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table (scrolls sideways)").Body(l.table()),
		app.P().Class("caption").Text("As β grows, KL falls and reconstruction rises. Past some β the cheapest code is no code: every dimension's posterior becomes the prior (KL ≈ 0 in each, none above the dashed line), the decoder ignores z, and every digit is rebuilt as the same average blur. That is posterior collapse."),
	)
}

// table lists every point's numbers.
func (l *ELBOLab) table() app.UI {
	return app.Table().ID("elbo-table").Class("truth").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("β"), app.Th().Text("reconstruction (nats)"), app.Th().Text("KL (nats)"),
			app.Th().Text("−ELBO at β = 1"), app.Th().Text("active dimensions"),
		)),
		app.TBody().Body(app.Range(l.points).Slice(func(i int) app.UI {
			p := l.points[i]
			return app.Tr().Body(
				app.Td().Text(fmtBeta(p.beta)), app.Td().Text(fmt.Sprintf("%.1f", p.recon)), app.Td().Text(fmt.Sprintf("%.2f", p.kl)),
				app.Td().Text(fmt.Sprintf("%.1f", p.recon+p.kl)), app.Td().Text(fmt.Sprintf("%d of %d", p.active, p.latent)),
			)
		})),
	)
}
