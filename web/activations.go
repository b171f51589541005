package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

const (
	actLo, actHi = -4, 4 // the curves' range of z
	actPoints    = 161
	heatGrid     = 64 // the neuron's heatmap, cells per side
)

// activationsShown are the lab's activations, in the order of the page.
var activationsShown = []struct{ name, title, about string }{
	{"step", "Step", "1 if z ≥ 0, else 0: the perceptron's yes or no. Its derivative is 0 everywhere it exists, so gradient descent cannot move it."},
	{"sigmoid", "Sigmoid σ", "1/(1 + e^−z): a smooth step, read as a probability. σ′ = σ(1 − σ) is at most ¼ and vanishes far from 0."},
	{"tanh", "tanh", "2σ(2z) − 1: a sigmoid centred on 0, from −1 to 1; tanh′ = 1 − tanh² peaks at 1."},
	{"relu", "ReLU", "max(0, z): cheap, and its gradient is 1 wherever the unit is on; a unit stuck below 0 learns nothing."},
	{"leaky-relu", "Leaky ReLU", "z for z > 0, αz below: a small slope keeps a gradient flowing through units that are off."},
	{"maxout", "Maxout", "the largest of k affine pieces: here the tangents of z²/2, so more pieces bend it closer to a curve. Training picks the pieces."},
}

// Activations is the activation-functions lab: f and f′ for each, and a
// single neuron's output over two inputs as a heatmap.
type Activations struct {
	app.Compo

	alpha     float64
	pieces    int
	w1, w2, b float64
	curves    map[string]protocol.ActivationPlot
	shown     string // the settings the curves were computed for
	busy      bool
	again     bool
	errMsg    string
}

// OnInit sets the neuron y = f(x₁ + x₂) with a 0.1 leak and 3 pieces.
func (a *Activations) OnInit() {
	a.alpha, a.pieces, a.w1, a.w2, a.b = 0.1, 3, 1, 1, 0
}

// OnMount asks for the curves.
func (a *Activations) OnMount(ctx app.Context) { a.fetch(ctx) }

func (a *Activations) fetch(ctx app.Context) {
	if a.busy {
		a.again = true
		return
	}
	a.busy = true
	key := a.key()
	qs := make([]protocol.Activation, len(activationsShown))
	for i, s := range activationsShown {
		qs[i] = protocol.Activation{
			Name: s.name, Alpha: float32(a.alpha), Pieces: a.pieces, Lo: actLo, Hi: actHi, Points: actPoints,
			W: []float32{float32(a.w1), float32(a.w2)}, B: float32(a.b), Grid: heatGrid,
		}
	}
	ctx.Async(func() {
		curves := map[string]protocol.ActivationPlot{}
		var err error
		for i, q := range qs {
			var plot protocol.ActivationPlot
			if plot, err = Call(protocol.PlotActivation, q); err != nil {
				break
			}
			curves[activationsShown[i].name] = plot
		}
		ctx.Dispatch(func(ctx app.Context) {
			a.busy = false
			if err != nil {
				a.errMsg = err.Error()
			} else {
				a.errMsg, a.curves, a.shown = "", curves, key
				ctx.Defer(a.paint)
			}
			if a.again {
				a.again = false
				a.fetch(ctx)
			}
		})
	})
}

// key names the settings, so a test can tell which the pictures show.
func (a *Activations) key() string {
	return fmt.Sprintf("α=%g k=%d w=%g,%g b=%g", a.alpha, a.pieces, a.w1, a.w2, a.b)
}

func (a *Activations) slider(id, label string, v, lo, hi, step float64, set func(float64)) app.UI {
	return app.Div().Class("slider").Body(
		app.Label().For(id).Text(fmt.Sprintf("%s = %s", label, strconv.FormatFloat(v, 'f', -1, 64))),
		app.Input().ID(id).Type("range").Min(lo).Max(hi).Step(step).Value(strconv.FormatFloat(v, 'f', -1, 64)).
			OnInput(func(ctx app.Context, e app.Event) {
				if x, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64); err == nil {
					set(x)
					a.fetch(ctx)
				}
			}, app.EventScope(id)), // the sliders' handlers share their code
	)
}

// Render shows the controls and one card per activation.
func (a *Activations) Render() app.UI {
	cards := make([]app.UI, len(activationsShown))
	for i, s := range activationsShown {
		c, ok := a.curves[s.name]
		title := s.title
		switch s.name {
		case "leaky-relu":
			title += fmt.Sprintf(", α = %g", a.alpha)
		case "maxout":
			title += fmt.Sprintf(", k = %d", a.pieces)
		}
		plot, heatLabel := "", fmt.Sprintf("Heatmap of a %s neuron's output over x₁, x₂ in [−1, 1], being computed", s.title)
		if ok {
			plot = actPlot(title, c.F, c.D)
			lo, hi := extent(c.Neuron.Data)
			heatLabel = fmt.Sprintf("Heatmap of a %s neuron y = f(%.2fx₁ + %.2fx₂ + %.2f) over x₁, x₂ in [−1, 1]: outputs from %.2f (blue) to %.2f (orange)", s.title, a.w1, a.w2, a.b, lo, hi)
		}
		cards[i] = app.Article().Class("model act").ID("act-"+s.name).Body(
			app.H3().Text(title),
			app.Div().Class("act-row").Body(
				app.Raw(plot),
				app.Canvas().ID("heat-"+s.name).Class("heat").Width(heatGrid).Height(heatGrid).
					Attr("role", "img").Aria("label", heatLabel),
			),
			app.P().Class("caption").Text(s.about),
		)
	}
	return page("activations",
		app.Section().Class("controls").Body(
			app.H2().Text("Activation functions"),
			app.P().Class("caption").Text("A neuron sums its inputs, z = w₁x₁ + w₂x₂ + b, and passes z through an activation f. Each card plots f (white) and its derivative f′ (orange, dashed), which is what gradient descent sees; beside it, the neuron's output over two inputs (x₁ left to right, x₂ bottom to top, both from −1 to 1; orange above 0, blue below)."),
			a.slider("w1", "weight w₁", a.w1, -3, 3, 0.1, func(v float64) { a.w1 = v }),
			a.slider("w2", "weight w₂", a.w2, -3, 3, 0.1, func(v float64) { a.w2 = v }),
			a.slider("bias", "bias b", a.b, -3, 3, 0.1, func(v float64) { a.b = v }),
			a.slider("alpha", "leaky ReLU slope α", a.alpha, 0, 0.5, 0.01, func(v float64) { a.alpha = v }),
			a.slider("pieces", "maxout pieces k", float64(a.pieces), 1, 8, 1, func(v float64) { a.pieces = int(v) }),
			app.If(a.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(a.errMsg) }),
		),
		app.Section().Class("results acts").Body(cards...),
	)
}

func extent(xs []float32) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range xs {
		lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
	}
	return lo, hi
}

// actPlot charts f and f′ over [actLo, actHi].
func actPlot(title string, f, d []float32) string {
	lo, hi := extent(append(append([]float32(nil), f...), d...))
	c := chart{
		Title: title + ": f and its slope f′", W: 260, H: 190,
		X: axis{Label: "z = w·x + b", Lo: actLo, Hi: actHi},
		Y: axis{Label: "f(z), f′(z)", Lo: math.Min(lo, -1.2), Hi: math.Max(hi, 1.2)},
	}
	z := func(i int) float64 { return actLo + float64(i)/float64(len(f)-1)*(actHi-actLo) }
	df, ff := series{Name: "f′", Colour: "#e69f00", Dashed: true}, series{Name: "f", Colour: "#f4f1ea"}
	for i := range f {
		df.Points = append(df.Points, [2]float64{z(i), float64(d[i])})
		ff.Points = append(ff.Points, [2]float64{z(i), float64(f[i])})
	}
	c.Series = []series{df, ff}
	return strings.Replace(c.Render(), `class="plot chart"`, `class="plot chart act-plot"`, 1)
}

// paint fills every heatmap: blue below zero, orange above, dark at zero,
// each scaled to its own largest |y|.
func (a *Activations) paint(ctx app.Context) {
	if !app.IsClient {
		return
	}
	for _, s := range activationsShown {
		c, ok := a.curves[s.name]
		canvas := app.Window().GetElementByID("heat-" + s.name)
		if !ok || !canvas.Truthy() {
			continue
		}
		paintHeat(canvas, c.Neuron.Data, c.Neuron.Cols)
		canvas.Call("setAttribute", "data-for", a.shown)
	}
}

// paintHeat puts an n×n field of values into a canvas as colours.
func paintHeat(canvas app.Value, vals []float32, n int) {
	lo, hi := extent(vals)
	scale := math.Max(math.Max(-lo, hi), 1e-6)
	rgba := make([]byte, 4*n*n)
	for i, v := range vals {
		t := float64(v) / scale
		c := heatColour(t)
		copy(rgba[4*i:], c[:])
		rgba[4*i+3] = 255
	}
	g := canvas.Call("getContext", "2d")
	img := g.Call("createImageData", n, n)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)
	canvas.Call("setAttribute", "data-painted", "true")
}

// heatColour maps t in [−1, 1] to blue (−1), the background (0) and
// orange (1).
func heatColour(t float64) [3]byte {
	base := [3]float64{13, 15, 19}
	to := [3]float64{242, 169, 59}
	if t < 0 {
		to, t = [3]float64{74, 163, 255}, -t
	}
	t = math.Min(t, 1)
	var c [3]byte
	for k := range 3 {
		c[k] = byte(base[k] + t*(to[k]-base[k]))
	}
	return c
}
