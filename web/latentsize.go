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
	latentTestDigits = 1000 // test digits both curves are measured on
	latentShown      = 0    // the test digit rebuilt at each K
)

// LatentSize is the latent-size lab: the test error of an autoencoder
// against its latent size K, each K trained with the same small budget,
// beside PCA's with K components; and one test digit rebuilt by both at
// every K.
type LatentSize struct {
	app.Compo

	labRun
	at   int     // index into protocol.LatentSizes of the run going
	secs float64 // the five trainings, MNIST's loading included

	ae, pca []float64 // test MSE at each K
	// digit is the test digit, aePics and pcaPics its rebuilds at each K
	// (a row each).
	digit, aePics, pcaPics protocol.Batch
	pcaSecs                float64
}

// train trains the five autoencoders in turn in the engine, then measures
// them beside PCA.
func (l *LatentSize) train(ctx app.Context, e app.Event) {
	if l.running {
		return
	}
	l.running, l.errMsg, l.started = true, "", time.Now()
	l.ae, l.pca = nil, nil
	l.digit, l.aePics, l.pcaPics = protocol.Batch{}, protocol.Batch{}, protocol.Batch{}
	l.runAt(ctx, 0)
}

// runAt starts the run of the i-th latent size.
func (l *LatentSize) runAt(ctx app.Context, i int) {
	l.at, l.last = i, protocol.Progress{State: protocol.Loading}
	startRun(ctx, "latent-size", protocol.LatentSizeLab(protocol.LatentSizes[i]), func(ctx app.Context, p protocol.Progress) { l.progress(ctx, p, i) }, l.failed)
}

// progress takes one event of the i-th run: when it is done, the next
// starts, and after the last the engine compares them with PCA.
func (l *LatentSize) progress(ctx app.Context, p protocol.Progress, i int) {
	if !l.took(p) {
		return
	}
	if i+1 < len(protocol.LatentSizes) {
		l.runAt(ctx, i+1)
		return
	}
	l.secs = time.Since(l.started).Seconds()
	slots := make([]string, len(protocol.LatentSizes))
	for j, k := range protocol.LatentSizes {
		slots[j] = protocol.LatentSizeSlot(k)
	}
	ctx.Async(func() {
		c, err := Call(protocol.LatentSize, protocol.LatentSizeArgs{Slots: slots, N: latentTestDigits, Show: latentShown})
		ctx.Dispatch(func(ctx app.Context) {
			l.running = false
			if err != nil {
				l.errMsg = err.Error()
				return
			}
			if len(c.AutoencoderMSE) != len(slots) || len(c.PCAMSE) != len(slots) || c.AutoencoderRebuilt.Rows != len(slots) || c.PCARebuilt.Rows != len(slots) {
				l.errMsg = "the engine's answer has the wrong size"
				return
			}
			l.ae, l.pca = c.AutoencoderMSE, c.PCAMSE
			l.digit, l.aePics, l.pcaPics, l.pcaSecs = c.Digit, c.AutoencoderRebuilt, c.PCARebuilt, c.PCASeconds
		})
	})
}

// curves charts both test errors against K on a log axis.
func (l *LatentSize) curves() string {
	ks := protocol.LatentSizes
	done := len(l.ae) == len(ks)
	list := func(xs []float64) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = fmt.Sprintf("%.5f", x)
		}
		return strings.Join(s, ",")
	}
	c := chart{
		ID: "latent-curve", Title: "Mean squared error per pixel on 1,000 test digits against the latent size",
		X:     axis{Label: "latent size K", Unit: "log scale", Lo: float64(ks[0]) / 1.2, Hi: float64(ks[len(ks)-1]) * 1.2, Log: true},
		Y:     axis{Label: "test MSE per pixel"},
		Empty: "The curves appear once the five autoencoders are trained.", Dots: true,
		Data: map[string]string{"data-done": fmt.Sprint(done), "data-ae": list(l.ae), "data-pca": list(l.pca)},
	}
	if done {
		ae := series{Name: fmt.Sprintf("autoencoder %d-128-K-128-%d", data.Pixels, data.Pixels), Colour: "#e69f00"}
		pca := series{Name: "PCA, K components", Colour: "#56b4e9"}
		for i, k := range ks {
			ae.Points = append(ae.Points, [2]float64{float64(k), l.ae[i]})
			pca.Points = append(pca.Points, [2]float64{float64(k), l.pca[i]})
		}
		c.Series = []series{ae, pca}
	}
	return c.Render()
}

// rebuilds shows the test digit's rebuilds at each K by one model (pics,
// a row a K), named name, captioned caption.
func (l *LatentSize) rebuilds(id, name, caption string, pics protocol.Batch) app.UI {
	ks := protocol.LatentSizes
	digits := make([]app.UI, len(ks))
	for i, k := range ks {
		var px []float32
		if i < pics.Rows && pics.Cols == data.Pixels {
			px = pics.Row(i)
		}
		digits[i] = app.Figure().Class("k-digit").Body(
			&Digit{IID: fmt.Sprintf("%s-%d", id, k), IPixels: px, IAlt: fmt.Sprintf("the test digit rebuilt by %s from %d numbers", name, k), ISize: 56},
			app.FigCaption().Text(fmt.Sprintf("K = %d", k)),
		)
	}
	return app.Div().Class("strip").ID(id).Body(
		app.Div().Class("grid").Body(digits...),
		app.P().Class("caption").Text(caption),
	)
}

// Render shows the button, the progress, the curves and the rebuilds.
func (l *LatentSize) Render() app.UI {
	ks := protocol.LatentSizes
	done := len(l.ae) == len(ks)
	status := "Train to draw the curves: five small autoencoders, about half a minute in all."
	bar := trainingBar(0)
	loadStatus, loadBar, loading := l.loading()
	switch {
	case loading:
		status, bar = loadStatus, loadBar
	case l.running:
		frac := (float64(l.at) + float64(l.last.Step)/math.Max(float64(l.last.Steps), 1)) / float64(len(ks))
		status = fmt.Sprintf("Training the autoencoder with K = %d (%d of %d): step %d of %d", ks[l.at], l.at+1, len(ks), l.last.Step, l.last.Steps)
		bar = trainingBar(frac)
	case done:
		status = fmt.Sprintf("Trained the five in %.1f s (MNIST's loading included); PCA fit in %.1f s.", l.secs, l.pcaSecs)
		bar = trainingBar(1)
	}
	state := l.state()
	var orig []float32
	if l.digit.Rows == 1 && l.digit.Cols == data.Pixels {
		orig = l.digit.Row(0)
	}
	return app.Article().Class("model").ID("latent-size").Body(
		app.H3().Text("Choosing the latent size"),
		app.P().Class("caption").Text("How many numbers does a digit need? For each K an autoencoder "+fmt.Sprintf("%d-128-K-128-%d", data.Pixels, data.Pixels)+" trains with the same budget: one epoch over the first 20,000 training digits, from the same seed. PCA keeps K principal components, fit on the first 5,000 training digits: the best any linear code of K numbers can do. Both are scored by the mean squared error per pixel on the first 1,000 test digits, which neither saw."),
		app.Div().Class("buttons").Body(
			app.Button().ID("latent-train").Text("Train the five autoencoders").Disabled(l.running).OnClick(l.train),
		),
		bar,
		app.P().ID("latent-status").Class("status").Attr("role", "status").Attr("data-state", state).Text(status),
		app.If(l.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(l.errMsg) }),
		app.Raw(l.curves()),
		app.If(done, func() app.UI {
			return app.Div().Body(
				app.Figure().Class("strip").Body(
					&Digit{IID: "latent-original", IPixels: orig, IAlt: "the test digit", ISize: 56},
					app.FigCaption().Text("Test digit"),
				),
				l.rebuilds("latent-ae", "the autoencoder", "Rebuilt by the autoencoder with K latents", l.aePics),
				l.rebuilds("latent-pca", "PCA", "Rebuilt by PCA from K components", l.pcaPics),
				app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table (scrolls sideways)").Body(l.table()),
			)
		}),
		app.P().Class("caption").Text("Both errors fall as K grows, ever more slowly: the first few numbers say which digit and how it leans, later ones only fine detail."+l.reading()),
	)
}

// reading says what the measured curves show about the two codes.
func (l *LatentSize) reading() string {
	n := len(protocol.LatentSizes)
	if len(l.ae) != n {
		return ""
	}
	small, large := l.ae[0] < l.pca[0], l.ae[n-1] < l.pca[n-1]
	switch {
	case small && !large:
		return " With few numbers the autoencoder's curved code beats PCA's flat subspace; with many, PCA, solved exactly, beats an autoencoder given only one epoch."
	case small && large:
		return " At every K here the autoencoder's curved code beats PCA's flat subspace."
	case !small && !large:
		return " With this budget PCA, solved exactly, beats the autoencoder at every K."
	}
	return " With few numbers PCA wins here; with many, the autoencoder."
}

// table lists both errors at each K.
func (l *LatentSize) table() app.UI {
	ks := protocol.LatentSizes
	return app.Table().ID("latent-table").Class("truth").Body(
		app.THead().Body(app.Tr().Body(app.Th().Text("K"), app.Th().Text("autoencoder MSE"), app.Th().Text("PCA MSE"))),
		app.TBody().Body(app.Range(ks).Slice(func(i int) app.UI {
			return app.Tr().Body(
				app.Td().Text(fmt.Sprint(ks[i])), app.Td().Text(fmt.Sprintf("%.4f", l.ae[i])), app.Td().Text(fmt.Sprintf("%.4f", l.pca[i])),
			)
		})),
	)
}
