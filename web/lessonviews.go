package web

import (
	"fmt"
	"math"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// The lecture's lessons that are made of the labs' parts. (The perceptron,
// activation, network, descent and classifier labs are lessons by their
// own page ids; the latent map and the sampler are lessons 11 and 10 under
// their lesson's id.)

// AutoencodersLesson is lesson 6: draw a digit and see the 20 numbers the
// autoencoder squeezes it into, and what it rebuilds from them alone.
type AutoencodersLesson struct {
	app.Compo

	code    []float32 // the drawing's 20-number code
	rebuilt []float32
	input   []float32
	status  string
	errMsg  string
}

// OnMount loads the autoencoder.
func (a *AutoencodersLesson) OnMount(ctx app.Context) {
	a.status = "Loading the autoencoder…"
	ctx.Async(func() {
		err := Engine().Shipped("ae-20")
		ctx.Dispatch(func(ctx app.Context) {
			a.status = "Draw a digit."
			if err != nil {
				a.status, a.errMsg = "", err.Error()
				return
			}
			if a.input != nil {
				a.encode(ctx)
			}
		})
	})
}

func (a *AutoencodersLesson) drawn(ctx app.Context, input []float32) {
	a.input = input
	if input == nil {
		a.code, a.rebuilt = nil, nil
		return
	}
	a.encode(ctx)
}

// encode asks for the drawing's code and its rebuild.
func (a *AutoencodersLesson) encode(ctx app.Context) {
	img := protocol.RowsOf(data.Pixels, slices.Clone(a.input))
	ctx.Async(func() {
		c, err := Call(protocol.Encode, protocol.ImagesArgs{Slot: "ae-20", Images: img})
		var r protocol.Rebuilds
		if err == nil {
			r, err = Call(protocol.Reconstruct, protocol.ReconstructArgs{ImagesArgs: protocol.ImagesArgs{Slot: "ae-20", Images: img}})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				a.errMsg = err.Error()
				return
			}
			if a.input != nil {
				a.code, a.rebuilt, a.errMsg = c.Mu.Row(0), r.Mean.Row(0), ""
			}
		})
	})
}

// Render lays the pad beside the code and the rebuild.
func (a *AutoencodersLesson) Render() app.UI {
	return page("autoencoders",
		app.Section().Class("controls").Body(
			app.H2().Text(fmt.Sprintf("Your digit, %d pixels", data.Pixels)),
			&DrawPad{IOnChange: a.drawn},
			app.P().Class("status").Attr("role", "status").Text(a.status),
			app.If(a.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(a.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").ID("rebuilt").Body(
				app.H3().Text("Rebuilt from the 20 alone"),
				app.Div().Class("images").Body(
					&Digit{IID: "ae-input", IPixels: a.input, IAlt: "your drawing, as the autoencoder sees it", ISize: 112},
					&Digit{IID: "ae-rebuilt", IPixels: a.rebuilt, IAlt: "the autoencoder's rebuild from 20 numbers", ISize: 112},
				),
				app.P().Class("caption").Text("Like a photograph, which keeps a 3-D scene in 2-D, and a 3-D print made from the photograph: what the 20 numbers kept comes back, what they dropped is guessed from the digits the autoencoder has seen."),
			),
			app.Article().Class("model").ID("bottleneck").Attr("data-code", len(a.code)).Body(
				app.H3().Text("The bottleneck: 20 numbers"),
				app.Raw(codeBars(a.code)),
				app.P().Class("caption").Text(fmt.Sprintf("The encoder (%d → 300 → 300 → 20) turns your %d pixels into these 20 numbers. Nothing else reaches the decoder.", data.Pixels, data.Pixels)),
			),
		),
	)
}

// codeBars charts a code, one bar a number, z₁ to z_K.
func codeBars(code []float32) string {
	c := chart{
		ID: "code-bars", Title: "The code", H: 200, Bars: true,
		X:     axis{Label: "code number k", Lo: 0.5, Hi: 20.5},
		Y:     axis{Label: "z_k"},
		Empty: "Draw a digit first.",
	}
	if len(code) > 0 {
		top := 1.0
		s := series{Colour: "#e69f00"}
		for i, v := range code {
			s.Points = append(s.Points, [2]float64{float64(i + 1), float64(v)})
			top = math.Max(top, math.Abs(float64(v)))
		}
		c.X.Hi = float64(len(code)) + 0.5
		c.Y.Lo, c.Y.Hi = -top, top
		c.Series = []series{s}
	}
	return c.Render()
}

// WhyAELesson is lesson 8: codes learnt without labels, put to use.
type WhyAELesson struct{ app.Compo }

// Render shows the few-labels experiment, with the maps and walks the
// playground offers.
func (*WhyAELesson) Render() app.UI {
	return page("why-ae",
		app.Section().Class("controls").Body(
			app.H2().Text("What the codes are good for"),
			app.Ul().Class("uses").Body(
				app.Li().Body(app.Text("A map in two dimensions: "), app.A().Href("/latent").Text("the latent map"), app.Text(" puts 2,000 test digits at their 2-D codes.")),
				app.Li().Body(app.Text(fmt.Sprintf("Compression: %d pixels kept as 20 numbers (lesson 6).", data.Pixels))),
				app.Li().Body(app.Text("Features from unlabelled data: the bars here.")),
				app.Li().Body(app.Text("Meaningful in-betweens: "), app.A().Href("/interpolate").Text("interpolate"), app.Text(" walks from one drawing's code to another's.")),
			),
		),
		app.Section().Class("results").Body(&FewLabels{}),
	)
}

// LimitsLesson is lesson 9: not generative, and the latent size a choice.
type LimitsLesson struct{ app.Compo }

// Render shows both limits.
func (*LimitsLesson) Render() app.UI {
	return page("limits", app.Section().Class("results wide").Body(&NotGenerative{}, &LatentSize{}))
}

// ELBOLesson is lesson 12: the ELBO and its β.
type ELBOLesson struct{ app.Compo }

// Render shows the β lab.
func (*ELBOLesson) Render() app.UI {
	return page("elbo", app.Section().Class("results wide").Body(&ELBOLab{}, &EtaLab{}))
}

// ReparamLesson is lesson 13: the reparameterisation trick.
type ReparamLesson struct{ app.Compo }

// Render shows the trick's lab.
func (*ReparamLesson) Render() app.UI {
	return page("reparam", app.Section().Class("results wide").Body(&Reparam{}))
}
