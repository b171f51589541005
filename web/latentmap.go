package web

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

const (
	mapSide    = 360  // scatter plot, pixels
	mapDigits  = 2000 // test digits on the map
	manifoldN  = 15   // manifold grid side
	mapEllipse = 2    // the drawing's ellipse is ±2σ
)

// classColours tell the ten digits apart, also for people with the common
// colour-vision deficiencies: the Okabe–Ito set's seven colours and three
// more chosen to stay apart from them as those deficiencies see them
// (TestClassColoursSurviveColourBlindness).
var classColours = [10][3]byte{
	{0xe6, 0x9f, 0x00}, {0x56, 0xb4, 0xe9}, {0x00, 0x9e, 0x73}, {0xf0, 0xe4, 0x42}, {0x00, 0x72, 0xb2},
	{0xd5, 0x5e, 0x00}, {0xcc, 0x79, 0xa7}, {0x00, 0xdd, 0x66}, {0x00, 0xff, 0xee}, {0x66, 0x99, 0x55},
}

// LatentMap shows a 2-D latent space: where the test digits land, coloured
// by their digit; where your drawing lands, with the VAE's uncertainty as
// an ellipse; the decoded manifold; and the digit under the pointer.
type LatentMap struct {
	app.Compo

	// IPage is the page id it shows under: a lesson's, or "" for its own
	// view in the playground.
	IPage string

	slot           string
	codes          []float32 // N×2
	labels         []int
	lo, hi         [2]float64
	mu, sigma      []float32 // the drawing's code
	manifold       []float32
	hover          []float32
	hoverBusy      bool
	hoverNext      []float32
	input          []float32
	status, errMsg string
}

// OnMount loads the 2-D models and shows the VAE's map.
func (m *LatentMap) OnMount(ctx app.Context) {
	m.slot = "vae-2"
	m.show(ctx)
}

// show fetches the map of m.slot: the test digits' codes and the manifold.
func (m *LatentMap) show(ctx app.Context) {
	slot := m.slot
	m.status = "Encoding 2,000 MNIST test digits…"
	ctx.Async(func() {
		err := Engine().Shipped(slot)
		var codes protocol.LabelledCodes
		var grid protocol.Images
		if err == nil {
			codes, err = Call(protocol.TestCodes, protocol.CountArgs{Slot: slot, N: mapDigits})
		}
		if err == nil && codes.Codes.Cols != 2 {
			err = fmt.Errorf("%s has %d latent dimensions, not 2", slot, codes.Codes.Cols)
		}
		var lo, hi [2]float64
		if err == nil {
			lo, hi = mapRange(slot, codes.Codes.Data)
			q := protocol.LatentGridArgs{Slot: slot, N: manifoldN}
			if slot == "ae-2" { // no prior: lay the grid over the codes themselves
				q.Lo = &[2]float32{float32(lo[0]), float32(lo[1])}
				q.Hi = &[2]float32{float32(hi[0]), float32(hi[1])}
			}
			grid, err = Call(protocol.LatentGrid, q)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				m.status, m.errMsg = "", err.Error()
				return
			}
			m.codes, m.labels = codes.Codes.Data, codes.Labels
			m.lo, m.hi = lo, hi
			m.manifold = tile(grid.Images, manifoldN)
			m.status, m.errMsg = "", ""
			if m.input != nil {
				m.locate(ctx)
			}
		})
	})
}

// mapRange is the plotted square: the prior's ±3.5σ for a VAE, the codes'
// extent for an autoencoder (which has no prior).
func mapRange(slot string, codes []float32) (lo, hi [2]float64) {
	if slot != "ae-2" {
		return [2]float64{-3.5, -3.5}, [2]float64{3.5, 3.5}
	}
	lo = [2]float64{math.Inf(1), math.Inf(1)}
	hi = [2]float64{math.Inf(-1), math.Inf(-1)}
	for i, v := range codes {
		lo[i%2] = math.Min(lo[i%2], float64(v))
		hi[i%2] = math.Max(hi[i%2], float64(v))
	}
	for d := range 2 {
		pad := 0.05 * (hi[d] - lo[d])
		lo[d], hi[d] = lo[d]-pad, hi[d]+pad
	}
	return lo, hi
}

func (m *LatentMap) drawn(ctx app.Context, input []float32) {
	m.input = input
	m.mu, m.sigma = nil, nil
	if input != nil && m.codes != nil {
		m.locate(ctx)
	}
}

// locate encodes the drawing onto the map.
func (m *LatentMap) locate(ctx app.Context) {
	slot, input := m.slot, slices.Clone(m.input)
	ctx.Async(func() {
		r, err := Call(protocol.Encode, protocol.ImagesArgs{Slot: slot, Images: protocol.RowsOf(data.Pixels, input)})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				m.errMsg = err.Error()
				return
			}
			m.mu, m.sigma = r.Mu.Row(0), r.Sigma.Row(0)
		})
	})
}

// pointer decodes the point of the map under the pointer.
func (m *LatentMap) pointer(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	el := ctx.JSSrc()
	w, h := el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
	if w == 0 || h == 0 || m.codes == nil {
		return
	}
	fx, fy := e.Get("offsetX").Float()/w, e.Get("offsetY").Float()/h
	z := []float32{
		float32(m.lo[0] + fx*(m.hi[0]-m.lo[0])),
		float32(m.hi[1] - fy*(m.hi[1]-m.lo[1])),
	}
	m.decodeAt(ctx, z)
}

func (m *LatentMap) decodeAt(ctx app.Context, z []float32) {
	if m.hoverBusy {
		m.hoverNext = z
		return
	}
	m.hoverBusy = true
	slot := m.slot
	ctx.Async(func() {
		r, err := Call(protocol.Decode, protocol.DecodeArgs{Slot: slot, Codes: protocol.RowsOf(2, z)})
		ctx.Dispatch(func(ctx app.Context) {
			m.hoverBusy = false
			if err == nil {
				m.hover = r.Images.Row(0)
			}
			if next := m.hoverNext; next != nil {
				m.hoverNext = nil
				m.decodeAt(ctx, next)
			}
		})
	})
}

// plot draws the scatter, the drawing's code and its ellipse.
func (m *LatentMap) plot() string {
	rgb, toPx, set := scatter(m.codes, m.labels, m.lo, m.hi, m.slot != "ae-2")
	if m.mu != nil {
		white := [3]byte{255, 255, 255}
		cx, cy := float64(m.mu[0]), float64(m.mu[1])
		for a := 0.0; a < 2*math.Pi; a += 0.01 {
			px, py := toPx(cx+mapEllipse*float64(m.sigma[0])*math.Cos(a), cy+mapEllipse*float64(m.sigma[1])*math.Sin(a))
			set(px, py, white)
		}
		px, py := toPx(cx, cy)
		for d := -5; d <= 5; d++ {
			set(px+d, py, white)
			set(px, py+d, white)
		}
	}
	return rgbDataURL(rgb, mapSide, mapSide)
}

// scatter draws 2-D codes coloured by their digits on a mapSide square
// spanning [lo, hi], with axes through 0 if asked; it returns the pixels
// and how to draw more on them.
func scatter(codes []float32, labels []int, lo, hi [2]float64, axes bool) (rgb []byte, toPx func(x, y float64) (int, int), set func(px, py int, c [3]byte)) {
	rgb = make([]byte, 3*mapSide*mapSide)
	for i := range mapSide * mapSide {
		rgb[3*i], rgb[3*i+1], rgb[3*i+2] = 13, 15, 19
	}
	toPx = func(x, y float64) (int, int) {
		return int((x - lo[0]) / (hi[0] - lo[0]) * mapSide), int((hi[1] - y) / (hi[1] - lo[1]) * mapSide)
	}
	set = func(px, py int, c [3]byte) {
		if px >= 0 && py >= 0 && px < mapSide && py < mapSide {
			copy(rgb[3*(py*mapSide+px):], c[:])
		}
	}
	if ox, oy := toPx(0, 0); axes { // through the prior's centre
		for i := range mapSide {
			set(ox, i, [3]byte{50, 54, 64})
			set(i, oy, [3]byte{50, 54, 64})
		}
	}
	for i, l := range labels {
		px, py := toPx(float64(codes[2*i]), float64(codes[2*i+1]))
		for dy := range 2 {
			for dx := range 2 {
				set(px+dx, py+dy, classColours[l%10])
			}
		}
	}
	return rgb, toPx, set
}

// Render shows the map, the legend, the manifold and the decoded point.
func (m *LatentMap) Render() app.UI {
	caption := "z ~ q(z|x) for 2,000 test digits (their μ), coloured by digit. The VAE's prior N(0, I) pulls the codes into one round cloud with no gaps, so every point decodes to something digit-like."
	if m.slot == "ae-2" {
		caption = "Codes of 2,000 test digits, coloured by digit. A plain autoencoder has no prior: its codes spread into arms with empty space between them, and points in the gaps decode to nothing a person would call a digit."
	}
	var locateText string
	if m.mu != nil {
		locateText = fmt.Sprintf("Your drawing: μ = (%.2f, %.2f), σ = (%.2f, %.2f); the ellipse is ±2σ.", m.mu[0], m.mu[1], m.sigma[0], m.sigma[1])
		if m.slot == "ae-2" {
			locateText = fmt.Sprintf("Your drawing's code: (%.2f, %.2f).", m.mu[0], m.mu[1])
		}
	}
	return page(cmp.Or(m.IPage, "latent"),
		app.Section().Class("controls").Body(
			app.H2().Text("A latent space you can see"),
			app.Label().For("map-model").Text("Model (2-D latent space)"),
			app.Select().ID("map-model").OnChange(func(ctx app.Context, e app.Event) {
				m.slot = ctx.JSSrc().Get("value").String()
				m.codes, m.mu, m.sigma, m.hover, m.manifold = nil, nil, nil, nil, nil
				m.show(ctx)
			}).Body(
				app.Option().Value("vae-2").Text("VAE, K = 2").Selected(m.slot == "vae-2"),
				app.Option().Value("ae-2").Text("Autoencoder, K = 2").Selected(m.slot == "ae-2"),
			),
			&DrawPad{IOnChange: m.drawn},
			app.P().Class("status").Attr("role", "status").Text(m.status),
			app.If(m.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(m.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").ID("map").Attr("data-points", len(m.labels)).Body(
				app.H3().Text("Where digits land"),
				app.Div().Class("map-row").Body(
					app.If(m.codes != nil, func() app.UI {
						return framed(axis{Label: "z₁", Lo: m.lo[0], Hi: m.hi[0]}, axis{Label: "z₂", Lo: m.lo[1], Hi: m.hi[1]},
							app.Img().Class("map").Src(m.plot()).Alt("Scatter plot of the test digits' latent codes, coloured by digit").
								Width(mapSide).Height(mapSide).
								On("pointermove", m.pointer).On("pointerdown", m.pointer))
					}),
					app.Div().Class("hover").Body(
						&Digit{IPixels: m.hover, IAlt: "the digit decoded at the pointer", ISize: 112},
						app.P().Class("caption").Text("Move over the map (or tap it) to decode that point."),
					),
				),
				legend(),
				app.P().Class("caption").Text(caption),
				app.If(locateText != "", func() app.UI { return app.P().ID("locate").Text(locateText) }),
			),
			app.Article().Class("model").ID("manifold").Body(
				app.H3().Text("The decoded manifold"),
				app.If(m.manifold != nil, func() app.UI {
					return app.Img().Class("digit manifold").Src(digitDataURL(m.manifold, 28*manifoldN, 28*manifoldN)).
						Alt("A 15×15 grid of digits decoded from evenly spaced latent points").Width(420).Height(420)
				}),
				app.P().Class("caption").Text(manifoldCaption(m.slot)),
			),
		),
	)
}

func legend() app.UI {
	items := make([]app.UI, 10)
	for d := range 10 {
		c := classColours[d]
		items[d] = app.Li().Body(
			app.Span().Class("swatch").Style("background", fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2])),
			app.Text(fmt.Sprint(d)),
		)
	}
	return app.Ul().Class("legend").Aria("label", "Colours of the digits").Body(items...)
}

func manifoldCaption(slot string) string {
	if slot == "ae-2" {
		return "z laid evenly over the square the codes fill, and decoded: where the map above has gaps, so does this grid of digits."
	}
	return "z laid on the prior's quantiles, Φ⁻¹ of evenly spaced probabilities, and decoded (Kingma & Welling 2013, figure 4): each step holds the same probability mass."
}
