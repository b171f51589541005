package web

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

const (
	etaOwner    = "eta" // names the η lab's runs
	etaSampleN  = 4     // the sample grid's side
	etaSampleT  = 1     // samples at the prior's own spread
	etaSeed     = 1     // draws z for the measurements and the samples
	etaDigitPix = 48    // CSS pixels a rebuilt digit
)

// EtaLab trains the β lab's small VAE with the lecture's Gaussian
// observation model p(x|z) = N(x; G(z), η·I) at each of protocol.EtaValues
// in turn, and shows what η does: the same test digits rebuilt, digits
// sampled from the prior, and the KL and the test ELBO, in nats.
type EtaLab struct {
	app.Compo
	labRun
}

// etaPoint is one trained η, measured.
type etaPoint struct {
	eta, recon, kl  float64
	active, latent  int
	rebuilt, sample protocol.Batch
}

// etaState is the lab's state. It outlives the component: a run goes on
// while the person is on another page, and its points are still here when
// they come back.
var etaState struct {
	at      int // index into protocol.EtaValues of the run going
	handled int // the run whose end was measured last
	points  []etaPoint
	probes  protocol.Batch // the test digits rebuilt
	started time.Time      // the click
	secs    float64        // from the click to the last point
}

// OnMount takes up the lab's run if one went on meanwhile.
func (l *EtaLab) OnMount(ctx app.Context) {
	follow := func(p protocol.Progress) { ctx.Dispatch(func(ctx app.Context) { l.progress(ctx, p) }) }
	last, ok := Engine().Follow(etaOwner, follow)
	switch {
	case !ok:
	case !last.State.Ended():
		l.running, l.started, l.last = true, etaState.started, last
	case last.State == protocol.Done && last.Run != etaState.handled: // it ended while the page was away
		l.running, l.started = true, etaState.started
		l.progress(ctx, last)
	}
}

// OnDismount stops the events; the run goes on.
func (l *EtaLab) OnDismount() { Engine().Follow(etaOwner, nil) }

// train trains at every η, smallest first.
func (l *EtaLab) train(ctx app.Context, e app.Event) {
	if l.running {
		return
	}
	l.running, l.errMsg, l.started = true, "", time.Now()
	etaState.points, etaState.secs, etaState.started = nil, 0, l.started
	l.runAt(ctx, 0)
}

// runAt starts the run at the i-th η.
func (l *EtaLab) runAt(ctx app.Context, i int) {
	etaState.at, l.last = i, protocol.Progress{State: protocol.Loading}
	startRun(ctx, etaOwner, protocol.EtaLab(protocol.EtaValues[i]), l.progress, l.failed)
}

// progress takes one event of the current run; once it is done its VAE is
// measured and the next η starts.
func (l *EtaLab) progress(ctx app.Context, p protocol.Progress) {
	if !l.took(p) || p.Run == etaState.handled {
		return
	}
	etaState.handled = p.Run
	i := etaState.at
	eta := protocol.EtaValues[i]
	slot := protocol.EtaSlot(eta)
	ctx.Async(func() {
		f, err := Call(protocol.ELBOPoint, protocol.ELBOArgs{Slot: slot, N: elboTestDigits, Probes: elboProbes, Seed: etaSeed})
		var s protocol.Images
		if err == nil {
			s, err = Call(protocol.Sample, protocol.SampleArgs{Slot: slot, N: etaSampleN * etaSampleN, Temperature: etaSampleT, Seed: etaSeed})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil && (f.Rebuilt.Rows != elboProbes || s.Images.Rows != etaSampleN*etaSampleN) {
				err = fmt.Errorf("the engine's answer has the wrong size")
			}
			if err != nil {
				l.running, l.errMsg = false, err.Error()
				return
			}
			etaState.probes = f.Probes
			etaState.points = append(etaState.points, etaPoint{
				eta: eta, recon: f.Recon, kl: f.KL, active: f.Active, latent: len(f.PerDimKL),
				rebuilt: f.Rebuilt, sample: s.Images,
			})
			etaState.secs = time.Since(l.started).Seconds()
			if i+1 < len(protocol.EtaValues) {
				l.runAt(ctx, i+1)
				return
			}
			l.running = false
		})
	})
}

// mse is the rebuilds' mean squared error a pixel, |x − G(z)|²/D with z
// ~ q(z|x), read back from the reconstruction term −log p(x|z) =
// |x − G(z)|²/(2η) + (D/2)·log(2πη).
func (p etaPoint) mse() float64 {
	d := float64(data.Pixels)
	return (p.recon - d/2*math.Log(2*math.Pi*p.eta)) * 2 * p.eta / d
}

// etaList is the values of the points, for the page's data attributes.
func etaList(f func(etaPoint) float64) string {
	s := make([]string, len(etaState.points))
	for i, p := range etaState.points {
		s[i] = fmt.Sprintf("%.4f", f(p))
	}
	return strings.Join(s, " ")
}

// etaNames is "0.01, 0.1 and 1".
func etaNames() string {
	s := make([]string, len(protocol.EtaValues))
	for i, e := range protocol.EtaValues {
		s[i] = fmt.Sprintf("%g", e)
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// Render shows the button, one row of pictures and figures per η, the
// table and what the numbers say.
func (l *EtaLab) Render() app.UI {
	pts := etaState.points
	status := fmt.Sprintf("Train to see the same VAE at η = %s.", etaNames())
	bar := trainingBar(0)
	loadStatus, loadBar, loading := l.loading()
	switch {
	case loading:
		status, bar = loadStatus, loadBar
	case l.running:
		status = fmt.Sprintf("Training at η = %g (%d of %d): step %d of %d", protocol.EtaValues[etaState.at], etaState.at+1, len(protocol.EtaValues), l.last.Step, l.last.Steps)
		bar = trainingBar((float64(etaState.at) + float64(l.last.Step)/math.Max(float64(l.last.Steps), 1)) / float64(len(protocol.EtaValues)))
	case len(pts) == len(protocol.EtaValues):
		status = fmt.Sprintf("Trained and measured at η = %s (%.1f s from the click).", etaNames(), etaState.secs)
		bar = trainingBar(1)
	}
	return app.Article().Class("model").ID("eta-lab").Body(
		app.H3().Text("The observation model: p(x|z) = N(x; G(z), η·I)"),
		app.P().Class("caption").Text(fmt.Sprintf("Slide 24 writes the decoder as a noisy observation: a digit is G(z) plus Gaussian noise of variance η in each of its %d pixels. Then −log p(x|z) = |x − G(z)|²/(2η) + (%d/2)·log(2πη), so η is the price of a rebuild's squared error, measured against the KL. (The β lab uses a Bernoulli p(x|z) instead.) Each η trains the β lab's %d-128-10 VAE, at β = 1, for one epoch on 20,000 training digits from the same seed, with G(z) = σ(decoder output). The figures are on 1,000 test digits; the squared error is |x − G(z)|² a pixel for z drawn from q(z|x), read from the reconstruction term.", data.Pixels, data.Pixels, data.Pixels)),
		app.Div().Class("buttons").Body(
			app.Button().ID("eta-train").Text("Train at η = "+etaNames()).Disabled(l.running).OnClick(l.train),
		),
		bar,
		app.P().ID("eta-status").Class("status").Attr("role", "status").Attr("data-state", l.state()).
			Attr("data-points", len(pts)).Attr("data-eta", etaList(func(p etaPoint) float64 { return p.eta })).
			Attr("data-kl", etaList(func(p etaPoint) float64 { return p.kl })).
			Attr("data-elbo", etaList(func(p etaPoint) float64 { return -(p.recon + p.kl) })).
			Attr("data-mse", etaList(etaPoint.mse)).Text(status),
		app.If(l.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(l.errMsg) }),
		app.If(len(pts) > 0, func() app.UI {
			return app.Div().Class("eta-rows").Body(
				etaDigits("eta-probes", "Test digits", etaState.probes, "test digit"),
				app.Range(pts).Slice(func(i int) app.UI { return etaRow(i, pts[i]) }),
				app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table (scrolls sideways)").Body(etaTable(pts)),
			)
		}),
		app.If(len(pts) == len(protocol.EtaValues), func() app.UI {
			return app.P().Class("caption").ID("eta-says").Text(etaCaption(pts))
		}),
	)
}

// etaDigits is a strip of small digits, one a row of px.
func etaDigits(id, name string, px protocol.Batch, alt string) app.UI {
	digits := make([]app.UI, px.Rows)
	for i := range digits {
		var p []float32
		if px.Cols == data.Pixels {
			p = px.Row(i)
		}
		digits[i] = &Digit{IID: fmt.Sprintf("%s-%d", id, i), IPixels: p, IAlt: fmt.Sprintf("%s %d", alt, i+1), ISize: etaDigitPix}
	}
	return app.Figure().Class("strip eta-strip").ID(id).Body(
		app.Div().Class("grid").Body(digits...),
		app.FigCaption().Text(name),
	)
}

// etaRow is one η: its figures, its rebuilds and its samples.
func etaRow(i int, p etaPoint) app.UI {
	side := data.Side * etaSampleN
	return app.Section().Class("eta-row").ID(fmt.Sprintf("eta-row-%d", i)).Body(
		app.H4().Body(
			app.Text(fmt.Sprintf("η = %g", p.eta)),
			app.Span().Class("eta-figs").Text(fmt.Sprintf("KL %.1f nats · squared error %.3f a pixel · test ELBO %.1f nats", p.kl, p.mse(), -(p.recon+p.kl))),
		),
		app.Div().Class("eta-pics").Body(
			etaDigits(fmt.Sprintf("eta-rebuilt-%d", i), "The test digits above, rebuilt through μ", p.rebuilt, fmt.Sprintf("test digit rebuilt at η %g:", p.eta)),
			app.Figure().Class("eta-samples").Body(
				app.Img().Class("digit").ID(fmt.Sprintf("eta-samples-%d", i)).Src(digitDataURL(tile(p.sample, etaSampleN), side, side)).
					Width(2*side).Height(2*side).Alt(fmt.Sprintf("%d digits decoded from z drawn from the prior, at η %g", etaSampleN*etaSampleN, p.eta)),
				app.FigCaption().Text("Decoded from z ~ N(0, I)"),
			),
		),
	)
}

// etaTable lists every η's numbers.
func etaTable(pts []etaPoint) app.UI {
	return app.Table().ID("eta-table").Class("truth").Body(
		app.THead().Body(app.Tr().Body(
			app.Th().Text("η"), app.Th().Text("reconstruction −log p(x|z) (nats)"), app.Th().Text("squared error a pixel"),
			app.Th().Text("KL (nats)"), app.Th().Text("test ELBO (nats)"), app.Th().Text("active dimensions"),
		)),
		app.TBody().Body(app.Range(pts).Slice(func(i int) app.UI {
			p := pts[i]
			return app.Tr().Body(
				app.Td().Text(fmt.Sprintf("%g", p.eta)), app.Td().Text(fmt.Sprintf("%.1f", p.recon)), app.Td().Text(fmt.Sprintf("%.3f", p.mse())),
				app.Td().Text(fmt.Sprintf("%.1f", p.kl)), app.Td().Text(fmt.Sprintf("%.1f", -(p.recon+p.kl))), app.Td().Text(fmt.Sprintf("%d of %d", p.active, p.latent)),
			)
		})),
	)
}

// etaCaption says what the measured points show. The figures are the
// measurements; the pictures' description is what the lab's fixed runs
// show (it trains from a fixed seed, so every visit sees the same).
func etaCaption(pts []etaPoint) string {
	lo, hi := pts[0], pts[len(pts)-1]
	best := lo
	for _, p := range pts {
		if -(p.recon + p.kl) > -(best.recon + best.kl) {
			best = p
		}
	}
	dir := "falls"
	if hi.kl > lo.kl {
		dir = "rises"
	}
	err := "grows"
	if hi.mse() < lo.mse() {
		err = "shrinks"
	}
	return fmt.Sprintf("Measured here: as η grows from %g to %g the KL %s from %.1f to %.1f nats, and the rebuilds' squared error %s from %.3f to %.3f a pixel. "+
		"A small η makes the likelihood sharp (each unit of squared error costs 1/(2η) nats), so reconstruction dominates: z is made to say a lot about each digit, which the KL prices, and many samples are mottled blends: with q(z|x) far from N(0, I) (the high KL), a z drawn from the prior often falls where the decoder met no code. "+
		"A large η forgives errors, so the KL term wins: q(z|x) stays near the prior, the rebuilds blur and lose their details, and the samples are smooth, blurred digits, on the way to posterior collapse. "+
		"η works like 1/β, with a (D/2)·log(2πη) term that does not depend on z. "+
		"The test ELBO can be compared across η (the same digits, the same kind of density): of these it is best at η = %g, since for given rebuilds the best η is their squared error a pixel, %.3f here.",
		lo.eta, hi.eta, dir, lo.kl, hi.kl, err, lo.mse(), hi.mse(), best.eta, best.mse())
}
