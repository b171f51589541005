package web

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// gridSide is the side of the sample grids.
const gridSide = 8

// Generate shows digits nobody drew: samples from the VAE's prior, a chosen
// class from the conditional VAE, and the style of your drawing written as
// every digit.
type Generate struct {
	app.Compo

	// IPage is the page id it shows under: a lesson's, or "" for its own
	// view in the playground.
	IPage string

	status      string
	temperature float64
	seed        uint64
	class       int
	prior       protocol.Batch // gridSide² samples from vae-20
	classed     protocol.Batch // gridSide² samples of class from cvae-20
	style       protocol.Batch // the drawing's style as 0…9, from cvae-20
	input       []float32
	errMsg      string
}

// OnMount loads the models and draws the first samples.
func (g *Generate) OnMount(ctx app.Context) {
	g.temperature, g.seed, g.class = 1, 1, 3
	g.status = "Loading the pretrained models…"
	ctx.Async(func() {
		err := Engine().Shipped("mlp", "vae-20", "cvae-20")
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				g.status = err.Error()
				return
			}
			g.status = ""
			g.sample(ctx)
		})
	})
}

// sample redraws both grids with the current temperature, seed and class.
func (g *Generate) sample(ctx app.Context) {
	t, seed, class := float32(g.temperature), g.seed, g.class
	ctx.Async(func() {
		prior, err := Call(protocol.Sample, protocol.SampleArgs{Slot: "vae-20", N: gridSide * gridSide, Temperature: t, Seed: seed})
		var classed protocol.Images
		if err == nil {
			labels := make([]int, gridSide*gridSide)
			for i := range labels {
				labels[i] = class
			}
			classed, err = Call(protocol.Sample, protocol.SampleArgs{Slot: "cvae-20", N: len(labels), Labels: labels, Temperature: t, Seed: seed})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				g.errMsg = err.Error()
				return
			}
			g.errMsg, g.prior, g.classed = "", prior.Images, classed.Images
		})
	})
}

// resample draws the grids and the style again, after a model has changed.
func (g *Generate) resample(ctx app.Context) {
	g.sample(ctx)
	if g.input != nil {
		g.drawn(ctx, g.input)
	}
}

// drawn writes the drawing's style as every digit: encode it with the
// class the classifier reads, then decode the same z with each label.
func (g *Generate) drawn(ctx app.Context, input []float32) {
	g.input = input
	if input == nil {
		g.style = protocol.Batch{}
		return
	}
	ctx.Async(func() {
		style, err := styleAsEveryDigit(input)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				g.errMsg = err.Error()
				return
			}
			if g.input != nil {
				g.style = style
			}
		})
	})
}

// styleAsEveryDigit encodes the drawing with the conditional VAE, told
// the class the classifier reads, and decodes its z with every label.
func styleAsEveryDigit(input []float32) (protocol.Batch, error) {
	img := protocol.RowsOf(data.Pixels, slices.Clone(input))
	cls, err := Call(protocol.Classify, protocol.ImagesArgs{Slot: "mlp", Images: img})
	if err != nil {
		return protocol.Batch{}, err
	}
	enc, err := Call(protocol.Encode, protocol.ImagesArgs{Slot: "cvae-20", Images: img, Labels: []int{models.Argmax(cls.Probs.Row(0))}})
	if err != nil {
		return protocol.Batch{}, err
	}
	mu := enc.Mu.Row(0)
	z := make([]float32, 0, data.Classes*len(mu))
	labels := make([]int, data.Classes)
	for d := range labels {
		z = append(z, mu...)
		labels[d] = d
	}
	dec, err := Call(protocol.Decode, protocol.DecodeArgs{Slot: "cvae-20", Codes: protocol.RowsOf(len(mu), z), Labels: labels})
	return dec.Images, err
}

// Render shows the controls and the three results.
func (g *Generate) Render() app.UI {
	return page(cmp.Or(g.IPage, "generate"),
		app.Section().Class("controls").Body(
			&InUse{ISlots: []string{"mlp", "vae-20", "cvae-20"}, IOnChange: g.resample},
			app.H2().Text("Sample new digits"),
			app.Label().For("temperature").Text(fmt.Sprintf("Temperature t = %.2f (z ~ N(0, t²I))", g.temperature)),
			app.Input().ID("temperature").Type("range").Min(0).Max(2).Step(0.05).
				Value(strconv.FormatFloat(g.temperature, 'f', 2, 64)).
				OnInput(func(ctx app.Context, e app.Event) {
					g.temperature, _ = strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
					g.sample(ctx)
				}),
			app.Button().ID("resample").Text("New samples").OnClick(func(ctx app.Context, e app.Event) {
				g.seed++
				g.sample(ctx)
			}),
			app.Label().For("class").Text("Digit for the conditional VAE"),
			app.Select().ID("class").OnChange(func(ctx app.Context, e app.Event) {
				g.class, _ = strconv.Atoi(ctx.JSSrc().Get("value").String())
				g.sample(ctx)
			}).Body(app.Range(digitsList).Slice(func(i int) app.UI {
				return app.Option().Value(strconv.Itoa(i)).Text(strconv.Itoa(i)).Selected(i == g.class)
			})),
			app.P().Class("status").Attr("role", "status").Text(g.status),
			app.If(g.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(g.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").ID("prior").Body(
				app.H3().Text("From the VAE's prior"),
				grid(g.prior, gridSide, gridSide*gridSide, "a digit sampled from the VAE's prior"),
				app.P().Class("caption").Text("Each image decodes a z drawn from N(0, t²I): digits nobody drew. Low temperature gives clean, typical digits; high temperature gives variety and nonsense."),
			),
			app.Article().Class("model").ID("classed").Body(
				app.H3().Text(fmt.Sprintf("From the conditional VAE, told %d", g.class)),
				grid(g.classed, gridSide, gridSide*gridSide, fmt.Sprintf("a %d sampled from the conditional VAE", g.class)),
				app.P().Class("caption").Text("The label fixes the digit; z chooses the handwriting."),
			),
		),
		// The pad and what it makes, side by side: a drawing's result is
		// never below the fold.
		app.Section().Class("pair").Body(
			app.Div().Body(
				app.H2().Text("Your style, every digit"),
				&DrawPad{IOnChange: g.drawn},
			),
			app.Article().Class("model").ID("style").Body(
				app.H3().Text("Your drawing's z, decoded with every label"),
				grid(g.style, 10, data.Classes, "your handwriting style decoded as a digit"),
				app.P().Class("caption").Text("The conditional VAE encodes your drawing's style in z; decoding that z with each label writes every digit in your hand."),
			),
		),
	)
}

var digitsList = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}

// grid lays out a batch of n images, cols per row. Until the batch
// arrives its frames stand empty, so the page does not jump when it does.
func grid(batch protocol.Batch, cols, n int, alt string) app.UI {
	cells := make([]app.UI, 0, max(n, batch.Rows))
	for i := range max(n, batch.Rows) {
		var px []float32
		if i < batch.Rows {
			px = batch.Row(i)
		}
		cells = append(cells, &Digit{IPixels: px, IAlt: alt, ISize: 42})
	}
	return app.Div().Class("grid").Style("grid-template-columns", fmt.Sprintf("repeat(%d, minmax(0, 42px))", cols)).Body(cells...)
}
