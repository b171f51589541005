package web

import (
	"fmt"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// interpSteps is the number of images in each strip, ends included.
const interpSteps = 10

// Interpolate walks the VAE's latent space from one drawing to another,
// along a straight line and along the great circle.
type Interpolate struct {
	app.Compo

	a, b              []float32
	linear, spherical protocol.Batch
	status, errMsg    string
	version, shown    int // inputs received; the input the strips were made from
}

// OnMount loads the VAE.
func (v *Interpolate) OnMount(ctx app.Context) {
	v.status = "Loading the pretrained VAE…"
	ctx.Async(func() {
		err := Engine().Shipped("vae-20")
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				v.status = err.Error()
				return
			}
			v.status = "Draw a digit in each pad."
			v.walk(ctx)
		})
	})
}

func (v *Interpolate) drawnA(ctx app.Context, input []float32) { v.a = input; v.version++; v.walk(ctx) }
func (v *Interpolate) drawnB(ctx app.Context, input []float32) { v.b = input; v.version++; v.walk(ctx) }

// walk decodes both paths between the two drawings' codes.
func (v *Interpolate) walk(ctx app.Context) {
	if v.a == nil || v.b == nil {
		v.linear, v.spherical = protocol.Batch{}, protocol.Batch{}
		return
	}
	ends := protocol.RowsOf(data.Pixels, append(slices.Clone(v.a), v.b...))
	version := v.version
	ctx.Async(func() {
		lin, err := Call(protocol.Interpolate, protocol.InterpolateArgs{Slot: "vae-20", Ends: ends, Steps: interpSteps})
		var sph protocol.Images
		if err == nil {
			sph, err = Call(protocol.Interpolate, protocol.InterpolateArgs{Slot: "vae-20", Ends: ends, Steps: interpSteps, Spherical: true})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				v.errMsg = err.Error()
				return
			}
			if version < v.shown {
				return // an older walk finishing late
			}
			v.errMsg, v.status = "", ""
			v.linear, v.spherical, v.shown = lin.Images, sph.Images, version
		})
	})
}

// Render puts the instructions first, the two pads side by side, then the
// two strips, each frame labelled by its t.
func (v *Interpolate) Render() app.UI {
	return page("interpolate",
		app.Section().Class("walk").Body(
			app.H2().Text("From one digit to another"),
			app.P().Class("lead").Text("Draw a digit in each pad. The VAE encodes each drawing as a 20-number code z; the strips below decode the codes on the way from the first drawing (t = 0) to the second (t = 1)."),
			app.Div().Class("pads").Body(
				app.Figure().Body(
					app.FigCaption().Text("t = 0: from this digit…"),
					&DrawPad{IOnChange: v.drawnA, ILabel: "First drawing pad"},
				),
				app.Figure().Body(
					app.FigCaption().Text("t = 1: …to this one"),
					&DrawPad{IOnChange: v.drawnB, IState: "drawing.b", ILabel: "Second drawing pad"},
				),
			),
			app.P().Class("status").Attr("role", "status").Text(v.status),
			&InUse{ISlots: []string{"vae-20"}, IOnChange: v.walk},
			app.If(v.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(v.errMsg) }),
		),
		app.Section().Class("results").Attr("data-input", v.version).Attr("data-shown", v.shown).Body(
			app.Article().Class("model").ID("linear").Body(
				app.H3().Text("Straight line: z = (1 − t)·μ₁ + t·μ₂"),
				strip(v.linear, "a step on the straight path between the two codes"),
			),
			app.Article().Class("model").ID("spherical").Body(
				app.H3().Text("Great circle (slerp) from μ₁ to μ₂"),
				strip(v.spherical, "a step on the spherical path between the two codes"),
				app.P().Class("caption").Text("Most of a Gaussian's mass lies near a sphere, not at its centre: the straight path cuts through the low-density middle, where digits fade; the great circle stays where the codes of real digits live."),
			),
		),
	)
}

// strip lays out the interpolation's frames in one row, each captioned with
// its t, ends included.
func strip(batch protocol.Batch, alt string) app.UI {
	frames := make([]app.UI, 0, interpSteps)
	for i := range interpSteps {
		t := float64(i) / float64(interpSteps-1)
		var px []float32
		if i < batch.Rows {
			px = batch.Row(i)
		}
		frames = append(frames, app.Figure().Class("frame").Body(
			&Digit{IPixels: px, IAlt: fmt.Sprintf("%s, t = %.2f", alt, t), ISize: 42},
			app.FigCaption().Text(fmt.Sprintf("%.2g", t)),
		))
	}
	return app.Div().Class("strip").Body(
		app.Div().Class("frames").Body(frames...),
		app.P().Class("t-axis").Text("t →"),
	)
}
