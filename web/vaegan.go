package web

import (
	"fmt"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// vaeGANModels are the four generative models the VAE-against-GAN view
// sets side by side: each family plain and told the class.
var vaeGANModels = []struct {
	slot, title, about string
	conditional        bool
}{
	{"vae-20", "VAE", "Decodes z ~ N(0, I) with the decoder it learnt beside its encoder, by maximising the ELBO.", false},
	{"gan", "GAN", "Draws G(z) from z ~ N(0, I) with the generator it learnt against a discriminator; it has no encoder.", false},
	{"cvae-20", "Conditional VAE", "Told the digit to draw; z carries the style.", true},
	{"cgan", "Conditional GAN", "Its generator and discriminator are both told the digit, and the discriminator also sees real digits under a wrong label as fakes, so it checks the label too.", true},
}

// vaeGANSamples is how many samples each model shows: two of each digit
// for the conditional ones.
const vaeGANSamples = 20

// VAEvsGAN sets the shipped VAEs and GANs side by side on MNIST: samples
// from each, the figures the classifier reads in 10,000 samples of each,
// and a drawing rebuilt by the VAE, which the GAN, having no encoder,
// cannot do.
type VAEvsGAN struct {
	app.Compo

	ready          bool
	seed           uint64
	samples        map[string]protocol.Batch
	shipped        map[string]shippedModel
	input          []float32
	rebuilt        protocol.Batch
	version, shown int // inputs received; the input the rebuild was made from
	status, errMsg string

	// The GAN's nearest image to the drawing, found by searching z
	// (SearchZ), and its and the VAE's rebuild's squared error a pixel.
	searching        bool
	found            protocol.Batch
	foundFor         int // the input the search was made for
	foundMSE, vaeMSE float64
}

// searchSteps is how many steps of Adam the GAN's search for z takes.
const searchSteps = 300

// vaeGANSlots are the view's slots, for InUse.
func vaeGANSlots() []string {
	slots := make([]string, len(vaeGANModels))
	for i, m := range vaeGANModels {
		slots[i] = m.slot
	}
	return slots
}

// OnMount loads the four models (the GANs only here, not with the
// playground) and the manifest's figures.
func (v *VAEvsGAN) OnMount(ctx app.Context) {
	v.status, v.seed = "Loading the pretrained VAEs and GANs…", 1
	ctx.Async(func() {
		err := Engine().Shipped(vaeGANSlots()...)
		shipped := shippedModels()
		ctx.Dispatch(func(ctx app.Context) {
			v.shipped = shipped
			if err != nil {
				v.status = err.Error()
				return
			}
			v.ready, v.status = true, "Draw a digit for the VAE to rebuild."
			v.draw(ctx)
			if v.input != nil {
				v.rebuild(ctx)
			}
		})
	})
}

// draw samples every model from the same seed.
func (v *VAEvsGAN) draw(ctx app.Context) {
	seed := v.seed
	ctx.Async(func() {
		out := map[string]protocol.Batch{}
		var err error
		for _, m := range vaeGANModels {
			q := protocol.SampleArgs{Slot: m.slot, N: vaeGANSamples, Temperature: 1, Seed: seed}
			if m.conditional {
				q.Labels = make([]int, vaeGANSamples)
				for i := range q.Labels {
					q.Labels[i] = i % data.Classes
				}
			}
			var r protocol.Images
			if r, err = Call(protocol.Sample, q); err != nil {
				break
			}
			out[m.slot] = r.Images
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				v.errMsg = err.Error()
				return
			}
			v.samples = out
		})
	})
}

func (v *VAEvsGAN) newSamples(ctx app.Context, e app.Event) {
	v.seed++
	v.draw(ctx)
}

// redraw follows a change of model in a slot (the person's own, or the
// shipped one back).
func (v *VAEvsGAN) redraw(ctx app.Context) {
	v.draw(ctx)
	if v.input != nil {
		v.rebuild(ctx)
	}
}

func (v *VAEvsGAN) drawn(ctx app.Context, input []float32) {
	v.input = input
	v.version++
	if input == nil {
		v.rebuilt = protocol.Batch{}
		return
	}
	if v.ready {
		v.rebuild(ctx)
	}
}

// rebuild asks the VAE for its rebuild of the drawing through μ.
func (v *VAEvsGAN) rebuild(ctx app.Context) {
	version := v.version
	q := protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "vae-20", Images: protocol.RowsOf(data.Pixels, slices.Clone(v.input))}}
	ctx.Async(func() {
		r, err := Call(protocol.Reconstruct, q)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				v.errMsg = err.Error()
				return
			}
			if version < v.shown || v.input == nil {
				return // an older drawing's answer, or the pad was cleared
			}
			v.errMsg, v.rebuilt, v.shown = "", r.Mean, version
			v.vaeMSE = mse(r.Mean.Row(0), v.input)
		})
	})
}

// search asks the GAN for the z whose image is nearest the drawing.
func (v *VAEvsGAN) search(ctx app.Context, e app.Event) {
	if v.input == nil || v.searching {
		return
	}
	v.searching = true
	version := v.version
	q := protocol.SearchArgs{ImagesArgs: protocol.ImagesArgs{Slot: "gan", Images: protocol.RowsOf(data.Pixels, slices.Clone(v.input))}, Steps: searchSteps}
	ctx.Async(func() {
		r, err := Call(protocol.SearchZ, q)
		ctx.Dispatch(func(ctx app.Context) {
			v.searching = false
			if err != nil {
				v.errMsg = err.Error()
				return
			}
			v.found, v.foundFor, v.foundMSE = r.Images, version, r.Loss[0]
		})
	})
}

// mse is the mean squared difference per pixel between a and b.
func mse(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i] - b[i])
		s += d * d
	}
	return s / float64(max(len(a), 1))
}

// Render puts the samples first, then the figures, then the drawing.
func (v *VAEvsGAN) Render() app.UI {
	cards := make([]app.UI, len(vaeGANModels))
	filled := 0
	for i, m := range vaeGANModels {
		b := v.samples[m.slot]
		if b.Rows == vaeGANSamples {
			filled++
		}
		caption := m.about
		if m.conditional {
			caption += " Each column asks for one digit, 0 to 9."
		}
		cards[i] = app.Article().Class("model").ID("samples-"+m.slot).Attr("data-filled", b.Rows == vaeGANSamples).Body(
			app.H3().Text(m.title+" ("+m.slot+")"),
			app.P().Class("note").Text(caption),
			grid(b, data.Classes, vaeGANSamples, m.title+" sample"),
		)
	}
	return page("vae-vs-gan",
		app.Section().Class("vaegan-intro").Body(
			app.H2().Text("VAE against GAN on MNIST"),
			app.P().Class("lead").Text("Two ways to learn a generator X = G(z) of digits. The VAE learns G as the decoder of an autoencoder whose codes are pulled towards N(0, I); the GAN learns G by playing against a discriminator that tells its images from real ones. Both are sampled here from the same z seed, twenty images each."),
			app.P().Class("status").Attr("role", "status").Text(v.status),
			app.Button().ID("new-samples").Text("New samples").Disabled(!v.ready).OnClick(v.newSamples),
			&InUse{ISlots: vaeGANSlots(), IOnChange: v.redraw},
			app.If(v.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(v.errMsg) }),
		),
		app.Section().Class("vaegan-samples").Aria("label", "Samples").Attr("data-filled", filled).Body(cards...),
		app.Section().Class("vaegan-figures").Body(
			app.H2().Text("What a classifier reads in 10,000 samples of each"),
			app.P().Class("note").Text("The shipped MLP classifier reads 10,000 samples of each shipped model (latentplay eval). Confidence is its mean top probability: a sample it is sure of looks like some digit. The smallest class share is the rarest digit's part of the samples: 10% if every digit is drawn as often, near 0 if the model misses one (mode collapse). The Fréchet distance compares the classifier's last hidden layer on the samples with that on the 10,000 test digits, as Gaussians: lower is closer to real digits. Label accuracy, for the conditional models, is how often the classifier reads the digit that was asked for."),
			v.figures(),
		),
		app.Section().Class("vaegan-rebuild").Body(
			app.H2().Text("Rebuild your drawing"),
			app.Div().Class("vaegan-pair").Body(
				app.Article().Class("model").ID("vae-rebuild").Body(
					app.H3().Text("VAE: encode, then decode"),
					&DrawPad{IOnChange: v.drawn, ILabel: "Drawing pad: draw a digit for the VAE to rebuild"},
					app.P().Class("note").Text("The encoder gives your drawing's code μ; the decoder turns μ back into a digit."),
					app.Div().Class("rebuild").Attr("data-shown", v.shown).Body(
						&Digit{IID: "vaegan-rebuilt", IPixels: rowOrNil(v.rebuilt), IAlt: "the VAE's rebuild of your drawing"},
					),
				),
				app.Article().Class("model no-encoder").ID("gan-rebuild").Body(
					app.H3().Text("GAN: no encoder"),
					app.P().Text("A GAN has no encoder, so it cannot rebuild your drawing. Its generator only goes one way, from z to an image: nothing in it was trained to find the z of a given image, and the discriminator only says whether an image looks real."),
					app.P().Class("note").Text("The VAE pays for its way back: it is judged on rebuilding every training digit, which blurs what it draws where it is unsure. The GAN is judged only on whether its images pass for real ones, and learns no way back."),
					app.P().Class("note").Text(fmt.Sprintf("The nearest a GAN comes is a search: start at z = 0 and move z downhill with Adam, %d steps through G and back, until G(z) is as near your drawing as it gets. It is an optimisation for every image, not a pass through an encoder, and it finds only an image G can draw.", searchSteps)),
					app.Button().ID("search-z").Text("Search z for the drawing").Disabled(v.input == nil || !v.ready || v.searching).OnClick(v.search),
					app.Div().Class("rebuild").Attr("data-found", v.found.Rows > 0 && v.foundFor == v.version).Body(
						&Digit{IID: "gan-found", IPixels: v.foundPixels(), IAlt: "the GAN's image nearest your drawing, found by searching z"},
						app.P().Class("caption").ID("search-result").Text(v.searchResult()),
					),
				),
			),
		),
	)
}

// figures is the table of the manifest's sample figures, one row a model.
func (v *VAEvsGAN) figures() app.UI {
	if v.shipped == nil {
		return app.P().Class("note").ID("figures-missing").Text("The figures load with the models.")
	}
	pct := func(m shippedModel, key string) string {
		x, ok := m.Eval[key]
		if !ok {
			return "—"
		}
		return fmt.Sprintf("%.1f%%", 100*x)
	}
	rows := make([]app.UI, len(vaeGANModels))
	for i, s := range vaeGANModels {
		m := v.shipped[s.slot]
		frechet := "—"
		if x, ok := m.Eval["mlp_frechet"]; ok {
			frechet = fmt.Sprintf("%.1f", x)
		}
		label := "—"
		if s.conditional {
			label = pct(m, "label_accuracy")
		}
		rows[i] = app.Tr().Attr("data-model", s.slot).Body(
			app.Th().Scope("row").Text(s.title+" ("+s.slot+")"),
			app.Td().Text(pct(m, "sample_confidence")),
			app.Td().Text(pct(m, "class_min_share")),
			app.Td().Text(frechet),
			app.Td().Text(label),
		)
	}
	return app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table of the models' figures (scrolls sideways)").Body(
		app.Table().ID("vaegan-figures").Body(
			app.Caption().Text("Sample figures of the shipped models, from static/models/index.json"),
			app.THead().Body(app.Tr().Body(
				app.Th().Scope("col").Text("Model"),
				app.Th().Scope("col").Text("Confidence ↑"),
				app.Th().Scope("col").Text("Smallest class share (10% even)"),
				app.Th().Scope("col").Text("Fréchet distance ↓"),
				app.Th().Scope("col").Text("Label accuracy ↑"),
			)),
			app.TBody().Body(rows...),
		),
	)
}

// foundPixels is the search's image while it is of the drawing on the pad.
func (v *VAEvsGAN) foundPixels() []float32 {
	if v.foundFor != v.version {
		return nil
	}
	return rowOrNil(v.found)
}

func (v *VAEvsGAN) searchResult() string {
	switch {
	case v.searching:
		return "Searching…"
	case v.found.Rows == 0 || v.foundFor != v.version:
		return "Draw a digit, then press Search for the GAN's nearest image."
	}
	s := fmt.Sprintf("Squared error a pixel: the GAN's nearest image %.4f", v.foundMSE)
	if v.shown == v.version && v.rebuilt.Rows > 0 {
		s += fmt.Sprintf(", the VAE's rebuild %.4f", v.vaeMSE)
	}
	return s + "."
}

// rowOrNil is a batch's first row, or nil for an empty one.
func rowOrNil(b protocol.Batch) []float32 {
	if b.Rows == 0 {
		return nil
	}
	return b.Row(0)
}
