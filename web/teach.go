package web

import (
	"fmt"
	"math/rand/v2"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

const (
	priorSamples = 8 // digits a strip
	fewSeed      = 1 // draws the 100 labelled digits
	priorSeed    = 7 // draws the strips' z
)

// FewLabels shows that codes learnt without labels make a better start
// for a classifier given 100 labels than the pixels do.
type FewLabels struct {
	app.Compo

	codeAcc, pixelAcc float64
	heldOut           int
	fewDone           bool
	status, errMsg    string
}

// NotGenerative shows that only a VAE's prior makes its decoder a
// generator: the same z from N(0, I) decoded by a plain autoencoder and by
// a VAE, and where they fall on both latent maps.
type NotGenerative struct {
	app.Compo

	z      []float32                 // the prior samples, priorSamples×2
	strips map[string]protocol.Batch // each model's decoded z, a digit a row
	maps   map[string]teachMap
	status string
	errMsg string
}

// teachMap is one model's latent map: test digits' codes and the square shown.
type teachMap struct {
	codes  []float32
	labels []int
	lo, hi [2]float64
}

// OnInit draws the strips' z, the same on every visit (and on the server,
// which renders the page before the app starts).
func (t *NotGenerative) OnInit() {
	r := rand.New(rand.NewPCG(priorSeed, 0))
	t.z = make([]float32, 2*priorSamples)
	for i := range t.z {
		t.z[i] = float32(r.NormFloat64())
	}
}

// OnMount measures both ways of learning from 100 labels in the engine.
func (f *FewLabels) OnMount(ctx app.Context) {
	f.status = "Loading the VAE and the MNIST test set…"
	ctx.Async(func() {
		err := Engine().Shipped("vae-20")
		var few protocol.FewLabelScores
		if err == nil {
			few, err = Call(protocol.FewLabels, protocol.FewLabelsArgs{Slot: "vae-20", Seed: fewSeed})
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				f.status, f.errMsg = "", err.Error()
				return
			}
			f.codeAcc, f.pixelAcc = few.CodeAccuracy, few.PixelAccuracy
			f.heldOut, f.fewDone = few.HeldOut, true
			f.status = ""
		})
	})
}

// Render shows the two accuracies as bars.
func (f *FewLabels) Render() app.UI {
	return app.Article().Class("model").ID("few-labels").Body(
		app.H3().Text("Features from unlabelled data"),
		app.Raw(accuracyBars(f.codeAcc, f.pixelAcc, f.fewDone)),
		app.P().Class("caption").Text(fmt.Sprintf("The same softmax regression learns from 100 labelled digits, 10 of each, twice: once from the 20 numbers μ the VAE (vae-20, trained without labels) gives each digit, once from its %d pixels. The 100 come from the MNIST test set's second half; both are scored on the %s digits of its first half, which neither saw. The codes gather like digits together, so a few labels go further.", data.Pixels, thousands(max(f.heldOut, 5000)))),
		app.P().Class("status").Attr("role", "status").Text(f.status),
		app.If(f.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(f.errMsg) }),
	)
}

// OnMount decodes the strips' z with both models and maps their codes.
func (t *NotGenerative) OnMount(ctx app.Context) {
	t.status = "Loading the models and the MNIST test set…"
	t.strips, t.maps = map[string]protocol.Batch{}, map[string]teachMap{}
	z := t.z
	ctx.Async(func() {
		if err := Engine().Shipped("ae-2", "vae-2"); err != nil {
			ctx.Dispatch(func(ctx app.Context) { t.status, t.errMsg = "", err.Error() })
			return
		}
		for _, slot := range []string{"ae-2", "vae-2"} {
			dec, err := Call(protocol.Decode, protocol.DecodeArgs{Slot: slot, Codes: protocol.RowsOf(2, z)})
			var codes protocol.LabelledCodes
			if err == nil {
				codes, err = Call(protocol.TestCodes, protocol.CountArgs{Slot: slot, N: mapDigits})
			}
			if err == nil && codes.Codes.Cols != 2 {
				err = fmt.Errorf("%s has %d latent dimensions, not 2", slot, codes.Codes.Cols)
			}
			ctx.Dispatch(func(ctx app.Context) {
				t.status = ""
				if err != nil {
					t.errMsg = err.Error()
					return
				}
				m := teachMap{codes: codes.Codes.Data, labels: codes.Labels}
				m.lo, m.hi = mapRange(slot, m.codes)
				t.strips[slot], t.maps[slot] = dec.Images, m
			})
		}
	})
}

// plot is slot's map with the strips' z marked as white crosses.
func (t *NotGenerative) plot(slot string) string {
	m := t.maps[slot]
	rgb, toPx, set := scatter(m.codes, m.labels, m.lo, m.hi, slot != "ae-2")
	white := [3]byte{255, 255, 255}
	for i := range priorSamples {
		px, py := toPx(float64(t.z[2*i]), float64(t.z[2*i+1]))
		for d := -4; d <= 4; d++ {
			set(px+d, py, white)
			set(px, py+d, white)
		}
	}
	return rgbDataURL(rgb, mapSide, mapSide)
}

// accuracyBars charts the two accuracies as bars from 0 to 100%.
func accuracyBars(code, pixel float64, done bool) string {
	c := chart{
		ID: "few-bars", Title: "Test accuracy from 100 labels", W: 300, H: 220, Bars: true,
		X:     axis{Label: "features", Ticks: []string{"VAE codes (20)", fmt.Sprintf("pixels (%d)", data.Pixels)}, Lo: -0.5, Hi: 1.5},
		Y:     axis{Label: "test accuracy", Unit: "%", Lo: 0, Hi: 100},
		Empty: "Computing…",
		Data:  map[string]string{"data-done": fmt.Sprint(done), "data-code": fmt.Sprintf("%.4f", code), "data-pixel": fmt.Sprintf("%.4f", pixel)},
	}
	if done {
		c.Series = []series{{Points: [][2]float64{{0, 100 * code}, {1, 100 * pixel}}, Colours: []string{"#e69f00", "#56b4e9"}}}
	}
	return c.Render()
}

// thousands writes n with a comma between thousands, as the captions do.
func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%s,%03d", thousands(n/1000), n%1000)
}

// Render shows the two experiments.
func (t *NotGenerative) Render() app.UI {
	strip := func(slot, name string) app.UI {
		px := t.strips[slot]
		digits := make([]app.UI, priorSamples)
		for i := range digits {
			var p []float32
			if i < px.Rows && px.Cols == data.Pixels {
				p = px.Row(i)
			}
			digits[i] = &Digit{IPixels: p, IAlt: fmt.Sprintf("%s decodes z = (%.2f, %.2f)", name, t.z[2*i], t.z[2*i+1]), ISize: 56}
		}
		return app.Figure().Class("strip").ID("strip-"+slot).Body(
			app.Div().Class("grid").Body(digits...),
			app.FigCaption().Text(name),
		)
	}
	mapOf := func(slot, alt string) app.UI {
		_, ok := t.maps[slot]
		return app.Figure().Class("teach-map").ID("map-"+slot).Attr("data-points", len(t.maps[slot].labels)).Body(
			app.If(ok, func() app.UI {
				m := t.maps[slot]
				return framed(axis{Label: "z₁", Lo: m.lo[0], Hi: m.hi[0]}, axis{Label: "z₂", Lo: m.lo[1], Hi: m.hi[1]},
					app.Img().Class("map").Src(t.plot(slot)).Alt(alt).Width(mapSide).Height(mapSide))
			}),
			app.FigCaption().Text(alt),
		)
	}
	return app.Article().Class("model").ID("not-generative").Body(
		app.H3().Text("Why a plain autoencoder is not generative"),
		strip("ae-2", "Autoencoder (ae-2)"),
		strip("vae-2", "VAE (vae-2)"),
		app.P().Class("caption").Text("The same eight z drawn from N(0, I), decoded by each model. The VAE was trained to fill that prior, so each z lands among digits. The autoencoder was only trained to rebuild: nothing ties its codes to N(0, I), so the prior's samples crowd into a small patch of its code space (the crosses below), where classes overlap and digits blur into one another, and the gaps between its arms, where no digit was encoded, are never filled."),
		app.Div().Class("map-row").Body(
			mapOf("ae-2", "Autoencoder: codes of 2,000 test digits, coloured by digit; white crosses are the eight z"),
			mapOf("vae-2", "VAE: codes (μ) of 2,000 test digits, coloured by digit; white crosses are the eight z"),
		),
		legend(),
		app.P().Class("caption").Text("The autoencoder's codes spread into arms with empty space between them: holes a sample can fall into. The VAE's KL term pulls its codes into one round cloud around 0, the prior's own shape."),
		app.P().Class("status").Attr("role", "status").Text(t.status),
		app.If(t.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(t.errMsg) }),
	)
}
