package web

import (
	"fmt"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// The shipped models the playground opens with: its classifier, then the
// autoencoder, the VAE and the conditional VAE it rebuilds with.
var openingModels = protocol.PlaygroundSlots

// vaeSamples is how many stochastic reconstructions the VAE shows: each
// decodes a different z ~ q(z|x), so they differ where the model is unsure.
const vaeSamples = 3

// Playground is the first view: draw a digit and watch an autoencoder, a
// VAE and a conditional VAE rebuild it as you draw.
type Playground struct {
	app.Compo

	status string // what the engine is doing, or what went wrong
	ready  bool

	input     []float32
	eventTime float64   // timestamp of the newest pointer event
	version   int       // counts inputs; results carry the version they rebuilt
	pending   []float32 // the newest input waiting while a request runs
	busy      bool
	shown     int // the version the rebuilds on screen were made from

	label  int       // the classifier's reading of the drawing
	probs  []float32 // its class probabilities
	ae     protocol.Batch
	vae    protocol.Batch // through μ, then vaeSamples through sampled z
	cvae   protocol.Batch
	errMsg string
}

// OnMount loads the shipped models into the engine.
func (p *Playground) OnMount(ctx app.Context) {
	p.status = "Loading the pretrained models…"
	perfMark("playground mounted")
	ctx.Async(func() {
		// All four at once; the page could rebuild a drawing with the VAE
		// alone, so the benchmarks mark when it is in.
		err := Engine().ShippedEach(func(name string) {
			if name == "vae-20" {
				mark("vaeReadyAt", now())
			}
		}, openingModels...)
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) {
				p.status = "Not ready: a pretrained model is missing."
				p.errMsg = "The pretrained models could not all be loaded (" + err.Error() + "). Reloading the page fetches them again."
			})
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.ready, p.status = true, "Ready: draw a digit."
			mark("readyAt", now())
			cacheRest()
			if p.input != nil {
				p.reconstruct(ctx, p.input)
			}
		})
	})
}

// redo rebuilds the drawing again, after a model has changed.
func (p *Playground) redo(ctx app.Context) {
	if p.ready && p.input != nil {
		p.reconstruct(ctx, p.input)
	}
}

// drawn receives each new model input from the pad.
func (p *Playground) drawn(ctx app.Context, input []float32) {
	p.input = input
	p.version++
	if input == nil {
		p.ae, p.vae, p.cvae, p.probs = protocol.Batch{}, protocol.Batch{}, protocol.Batch{}, nil
		if p.ready {
			p.status = "Ready: draw a digit."
		}
		return
	}
	if p.ready {
		p.reconstruct(ctx, input)
	}
}

// reconstruct asks the engine for every model's rebuild of input; inputs
// arriving meanwhile replace each other, so the page is never more than
// one request behind the pen. The request leaves at once, from the pointer
// handler, and the answer is painted from the worker's message event: the
// pixels reach the screen at the browser's next frame, not after a
// goroutine switch and go-app's next render.
func (p *Playground) reconstruct(ctx app.Context, input []float32) {
	if p.busy {
		p.pending = input
		return
	}
	p.busy = true
	version, eventTime := p.version, p.eventTime
	Post(Engine(), protocol.Rebuild, rebuildArgs(input), func(r protocol.Rebuilt, err error) {
		var res rebuilds
		if err == nil {
			res, err = readRebuilds(r)
		}
		// The page's Go runs on one thread, so reading p.version is safe.
		if err == nil && version == p.version {
			res.paint()
			recordLatency(eventTime)
		}
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err != nil {
				p.errMsg = err.Error()
			} else if p.input != nil {
				p.errMsg = ""
				p.label, p.probs, p.ae, p.vae, p.cvae = res.label, res.probs, res.ae, res.vae, res.cvae
				p.status = fmt.Sprintf("Reads %d, %.0f%% sure.", res.label, 100*res.probs[res.label])
				p.shown = version
			}
			if next := p.pending; next != nil {
				p.pending = nil
				p.reconstruct(ctx, next)
			}
		})
	})
}

type rebuilds struct {
	label         int
	probs         []float32
	ae, vae, cvae protocol.Batch
}

// rebuildArgs asks for the classifier's reading and the three models'
// rebuilds in one call.
func rebuildArgs(input []float32) protocol.RebuildArgs {
	return protocol.RebuildArgs{
		Slots: openingModels, Image: protocol.RowsOf(data.Pixels, slices.Clone(input)), Samples: vaeSamples, Seed: 1,
	}
}

// readRebuilds names the parts of the engine's answer to rebuildArgs.
func readRebuilds(r protocol.Rebuilt) (rebuilds, error) {
	if len(r.Images) != 3 || len(r.Probs) != data.Classes || r.Images[1].Rows != 1+vaeSamples {
		return rebuilds{}, fmt.Errorf("the engine answered %d sets of images", len(r.Images))
	}
	return rebuilds{label: r.Class, probs: r.Probs, ae: r.Images[0], vae: r.Images[1], cvae: r.Images[2]}, nil
}

// paint puts the rebuilds into their canvases.
func (r rebuilds) paint() {
	paintByID("rebuild-ae", r.ae.Row(0))
	for i := range 1 + vaeSamples {
		paintByID(fmt.Sprintf("rebuild-vae-%d", i), r.vae.Row(i))
	}
	paintByID("rebuild-cvae", r.cvae.Row(0))
}

// Render lays out the pad beside the three models' rebuilds.
func (p *Playground) Render() app.UI {
	return page("playground",
		app.Section().Class("draw").Body(
			app.H2().Text("Draw a digit"),
			&DrawPad{IShare: true, IOnChange: p.drawn, IOnEvent: func(t float64) { p.eventTime = t }},
			app.P().Class("status").Attr("role", "status").Text(p.status),
			&InUse{ISlots: openingModels, IOnChange: p.redo},
			app.If(p.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(p.errMsg) }),
		),
		app.Section().Class("rebuilds").Aria("label", "Reconstructions").
			Attr("data-input", p.version).Attr("data-shown", p.shown).Body(
			p.model("Autoencoder", "ae-20",
				"Squeezes your digit through a bottleneck of 20 numbers and rebuilds it from them alone.",
				one(p.ae, 0, "rebuild-ae", "autoencoder reconstruction")),
			p.model("Variational autoencoder", "vae-20",
				"Encodes a distribution q(z|x) = N(μ, σ²); the first image decodes μ, the others decode samples z = μ + σ·ε.",
				one(p.vae, 0, "rebuild-vae-0", "VAE reconstruction through μ"),
				one(p.vae, 1, "rebuild-vae-1", "VAE reconstruction from a sampled z"),
				one(p.vae, 2, "rebuild-vae-2", "VAE reconstruction from a sampled z"),
				one(p.vae, 3, "rebuild-vae-3", "VAE reconstruction from a sampled z")),
			p.model("Conditional VAE", "cvae-20",
				p.cvaeCaption(),
				one(p.cvae, 0, "rebuild-cvae", "conditional VAE reconstruction")),
		),
	)
}

func (p *Playground) cvaeCaption() string {
	if p.probs == nil {
		return "Also told the digit's class, so z only has to carry its style. The class comes from the MLP classifier."
	}
	return fmt.Sprintf("Told the class the MLP classifier reads: %d (%.0f%% sure), so z only carries the style.", p.label, 100*p.probs[p.label])
}

func (p *Playground) model(title, id, caption string, images ...app.UI) app.UI {
	return app.Article().Class("model").ID(id).Body(
		app.H3().Text(title),
		app.Div().Class("images").Body(images...),
		app.P().Class("caption").Text(caption),
	)
}

// one shows image i of a batch of images, or an empty frame, on the
// canvas called id.
func one(batch protocol.Batch, i int, id, alt string) app.UI {
	var px []float32
	if i < batch.Rows {
		px = batch.Row(i)
	}
	return &Digit{IID: id, IPixels: px, IAlt: alt}
}
