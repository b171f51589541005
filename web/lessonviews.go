package web

import (
	"fmt"
	"math"
	"slices"
	"strings"

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
				a.code, a.rebuilt, a.errMsg, a.status = c.Mu.Row(0), r.Mean.Row(0), "", ""
			}
		})
	})
}

// Render lays the pad beside the code and the rebuild.
func (a *AutoencodersLesson) Render() app.UI {
	return page("autoencoders",
		app.Section().Class("controls").Body(
			app.H2().Text("Your digit, 784 pixels"),
			&DrawPad{IOnChange: a.drawn},
			app.P().Class("status").Attr("role", "status").Text(a.status),
			app.If(a.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(a.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").ID("bottleneck").Attr("data-code", len(a.code)).Body(
				app.H3().Text("The bottleneck: 20 numbers"),
				app.Raw(codeBars(a.code)),
				app.P().Class("caption").Text("The encoder (784 → 300 → 300 → 20) turns your 784 pixels into these 20 numbers. Nothing else reaches the decoder."),
			),
			app.Article().Class("model").ID("rebuilt").Body(
				app.H3().Text("Rebuilt from the 20 alone"),
				app.Div().Class("images").Body(
					&Digit{IID: "ae-input", IPixels: a.input, IAlt: "your drawing, as the autoencoder sees it", ISize: 112},
					&Digit{IID: "ae-rebuilt", IPixels: a.rebuilt, IAlt: "the autoencoder's rebuild from 20 numbers", ISize: 112},
				),
				app.P().Class("caption").Text("Like a photograph, which keeps a 3-D scene in 2-D, and a 3-D print made from the photograph: what the 20 numbers kept comes back, what they dropped is guessed from the digits the autoencoder has seen."),
			),
		),
	)
}

// codeBars draws a code as bars about a zero line, labelled z₁…z_K.
func codeBars(code []float32) string {
	const w, h, pad = 420.0, 150.0, 22.0
	var b strings.Builder
	label := "The 20-number code: draw a digit first"
	if len(code) > 0 {
		vals := make([]string, len(code))
		for i, v := range code {
			vals[i] = fmt.Sprintf("%.2f", v)
		}
		label = "The code, z₁ to z" + fmt.Sprint(len(code)) + ": " + strings.Join(vals, ", ")
	}
	fmt.Fprintf(&b, `<svg id="code-bars" class="plot" viewBox="0 0 %g %g" role="img" aria-label="%s">`, w, h, label)
	top := 1.0
	for _, v := range code {
		top = math.Max(top, math.Abs(float64(v)))
	}
	mid := h / 2
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#777"/>`, pad, mid, w-pad/2, mid)
	fmt.Fprintf(&b, `<text x="2" y="%g" font-size="11" fill="currentColor">+%.1f</text><text x="2" y="%g" font-size="11" fill="currentColor">−%.1f</text>`, pad, top, h-pad/2, top)
	if n := len(code); n > 0 {
		bw := (w - 1.5*pad) / float64(n)
		for i, v := range code {
			bh := float64(v) / top * (mid - pad)
			y := mid - math.Max(bh, 0)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#e69f00"/>`, pad+float64(i)*bw+1, y, bw-2, math.Abs(bh))
			if i%4 == 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="11" fill="currentColor" text-anchor="middle">z%d</text>`, pad+(float64(i)+0.5)*bw, h-4, i+1)
			}
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
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
				app.Li().Body(app.Text("Compression: 784 pixels kept as 20 numbers (lesson 6).")),
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
	return page("elbo", app.Section().Class("results wide").Body(&ELBOLab{}))
}

// ReparamLesson is lesson 13: the reparameterisation trick.
type ReparamLesson struct{ app.Compo }

// Render shows the trick's lab.
func (*ReparamLesson) Render() app.UI {
	return page("reparam", app.Section().Class("results wide").Body(&Reparam{}))
}
