package web

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

const (
	laeSide        = 420                   // the 3-D view's canvas, pixels
	laeStepsAFrame = 10                    // gradient steps per call while playing
	laeTick        = 16 * time.Millisecond // between calls while playing
	laeTarget      = 2.0                   // degrees: the angle the lesson promises
	laeExtent      = 3.0                   // half the scene's width, in the cloud's units
)

// laeRates are the learning rates offered; on the default cloud, steps
// at 0.8 or more blow the weights up.
var laeRates = []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1}

// LinearAELesson is lesson 7: the linear autoencoder x̂ = U·V·x learnt
// live on a cloud of 3-D points and held against PCA's plane, then a
// trained one on MNIST.
type LinearAELesson struct {
	app.Compo

	preset string
	shape  protocol.LinearShape
	lr     float64
	start  uint64 // draws the first weights; Reset takes the next

	st     protocol.LinearCloudState // the engine's last answer
	have   bool
	fresh  bool      // the next call starts from new weights
	losses []float64 // the loss at each iteration since the start: [0] before any step
	angles []float64 // and the angle to PCA's plane

	running   bool
	runGen    int
	target    int // the iteration a run stops at
	busy      bool
	again     bool // the cloud changed while a call was out
	runStart  time.Time
	runFrom   int
	runSecs   float64 // the last run's time in the browser
	runIters  int     // and its iterations
	runMS     float64 // and the engine's time for its steps
	reached   int     // the first iteration after reachFrom at or below laeTarget (0: none)
	reachFrom int     // the iteration the cloud last changed at
	reachSec  float64 // seconds from Play to it
	errMsg    string

	turning // the 3-D view's
}

// OnInit starts on the default cloud (on the server too, which renders
// the page before the app takes over).
func (l *LinearAELesson) OnInit() {
	// Seen from above and aside, so that the default plane is open to
	// the viewer rather than edge on.
	l.yaw, l.pitch = 2.0, 0.5
	l.lr, l.start = protocol.LinearLR, 1
	l.setPreset(protocol.LinearPresets[0].ID)
}

// OnMount asks the engine for the cloud and the first weights.
func (l *LinearAELesson) OnMount(ctx app.Context) { l.ask(ctx, 0) }

// OnDismount stops a run.
func (l *LinearAELesson) OnDismount() { l.stop() }

func (l *LinearAELesson) setPreset(id string) {
	for _, p := range protocol.LinearPresets {
		if p.ID == id {
			l.preset, l.shape = id, p.Shape
		}
	}
	l.restart()
}

// restart forgets the run: the next answer starts from fresh weights.
func (l *LinearAELesson) restart() {
	l.stop()
	l.fresh, l.losses, l.angles, l.reached, l.reachFrom, l.runSecs, l.runIters, l.runMS = true, nil, nil, 0, 0, 0, 0, 0
}

func (l *LinearAELesson) stop() {
	l.running = false
	l.runGen++
}

// iter is the number of steps taken since the start.
func (l *LinearAELesson) iter() int { return max(len(l.losses)-1, 0) }

func (l *LinearAELesson) args(steps int) protocol.LinearCloudArgs {
	return protocol.LinearCloudArgs{
		Shape: l.shape, N: protocol.LinearPoints, Seed: protocol.LinearSeed,
		Fresh: l.fresh || !l.have, Start: l.start, U: l.st.U, V: l.st.V, LR: l.lr, Steps: steps,
	}
}

// ask sends one call of steps steps (0: only the cloud and where the
// weights stand), and then — while playing — the next. Moves of a slider
// while a call is out are folded into one more call.
func (l *LinearAELesson) ask(ctx app.Context, steps int) {
	if l.busy {
		l.again = true
		return
	}
	l.busy = true
	q := l.args(steps)
	ctx.Async(func() {
		s, err := Call(protocol.LinearCloud, q)
		ctx.Dispatch(func(ctx app.Context) {
			l.busy = false
			l.take(q, s, err)
			ctx.Defer(l.paint)
			switch {
			case l.running: // the run's next steps (or its end)
				l.tick(ctx)
			case l.again:
				l.again = false
				l.ask(ctx, 0)
			}
		})
	})
}

// take records an answer.
func (l *LinearAELesson) take(q protocol.LinearCloudArgs, s protocol.LinearCloudState, err error) {
	if err != nil {
		l.errMsg = err.Error()
		l.stop()
		return
	}
	l.errMsg = ""
	if q.Fresh {
		l.fresh, l.losses, l.angles = false, nil, nil
	}
	if len(l.losses) == 0 || q.Steps == 0 {
		// Where the weights stand on this cloud (it may have changed).
		if len(l.losses) == 0 {
			l.losses, l.angles = []float64{s.Loss}, []float64{s.Angle}
		} else {
			l.losses[len(l.losses)-1], l.angles[len(l.angles)-1] = s.Loss, s.Angle
		}
	}
	l.losses, l.angles = append(l.losses, s.Losses...), append(l.angles, s.Angles...)
	l.st, l.have = s, true
	l.runMS += s.StepsMS
	if l.reached == 0 && len(s.Angles) > 0 {
		for i, a := range l.angles {
			if i > l.reachFrom && a <= laeTarget {
				l.reached, l.reachSec = i, time.Since(l.runStart).Seconds()
				break
			}
		}
	}
	if s.Diverged {
		l.errMsg = fmt.Sprintf("At learning rate %g the steps overshoot and the weights blow up: the run stopped before it. Lower the rate and press Reset.", l.lr)
		l.stop()
	}
}

// play runs the budget, a few steps a frame; pressed while running, it
// pauses.
func (l *LinearAELesson) play(ctx app.Context, e app.Event) {
	if l.running {
		l.stop()
		return
	}
	l.running, l.runGen = true, l.runGen+1
	l.target = l.iter() + protocol.LinearBudget
	l.runStart, l.runFrom, l.runMS = time.Now(), l.iter(), 0
	if !l.busy {
		l.tick(ctx)
	}
}

// tick asks for the next steps of a run, or ends it at its target.
func (l *LinearAELesson) tick(ctx app.Context) {
	n := min(laeStepsAFrame, l.target-l.iter())
	l.runSecs, l.runIters = time.Since(l.runStart).Seconds(), l.iter()-l.runFrom
	if n <= 0 {
		l.stop()
		return
	}
	gen := l.runGen
	ctx.After(laeTick, func(ctx app.Context) {
		if gen == l.runGen && l.running {
			l.ask(ctx, n)
		}
	})
}

// reshape takes a slider's move: the cloud changes, U and V stay.
func (l *LinearAELesson) reshape(ctx app.Context) {
	l.preset = "custom"
	l.reached, l.reachFrom = 0, l.iter()
	if !l.running {
		l.ask(ctx, 0)
	}
}

func (l *LinearAELesson) slider(id, label, unit string, v *float64, lo, hi, step float64) app.UI {
	return app.Div().Class("slider").Body(
		app.Label().For(id).Text(fmt.Sprintf("%s: %s%s", label, strconv.FormatFloat(*v, 'f', laeDecimals(step), 64), unit)),
		app.Input().ID(id).Type("range").Min(lo).Max(hi).Step(step).
			Value(strconv.FormatFloat(*v, 'f', laeDecimals(step), 64)).
			OnInput(func(ctx app.Context, e app.Event) {
				x, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
				if err != nil {
					return
				}
				*v = x
				l.reshape(ctx)
			}),
	)
}

func laeDecimals(step float64) int {
	if step >= 1 {
		return 0
	}
	return 2
}

// Render shows the controls, the 3-D view, the weights, the two curves,
// and the MNIST half.
func (l *LinearAELesson) Render() app.UI {
	return page("linear-ae",
		app.Section().Class("controls").Body(
			app.H2().Text("A cloud of 3-D points"),
			app.Label().For("lae-preset").Text("Cloud"),
			app.Select().ID("lae-preset").OnChange(func(ctx app.Context, e app.Event) {
				l.setPreset(ctx.JSSrc().Get("value").String())
				l.ask(ctx, 0)
			}).Body(
				app.Range(protocol.LinearPresets).Slice(func(i int) app.UI {
					p := protocol.LinearPresets[i]
					return app.Option().Value(p.ID).Text(p.Label).Selected(l.preset == p.ID)
				}),
				app.Option().Value("custom").Text("Your own (the sliders)").Selected(l.preset == "custom").Disabled(true),
			),
			l.slider("lae-tilt", "Tilt of the plane", "°", &l.shape.Tilt, 0, 90, 1),
			l.slider("lae-width", "Width across the plane", "", &l.shape.Width, 0, 1, 0.01),
			l.slider("lae-noise", "Noise off the plane", "", &l.shape.Noise, 0, 0.5, 0.01),
			app.Label().For("lae-lr").Text("Learning rate"),
			app.Select().ID("lae-lr").OnChange(func(ctx app.Context, e app.Event) {
				if v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64); err == nil {
					l.lr = v
				}
			}).Body(
				app.Range(laeRates).Slice(func(i int) app.UI {
					r := laeRates[i]
					return app.Option().Value(fmt.Sprint(r)).Text(fmt.Sprint(r)).Selected(r == l.lr)
				}),
			),
			app.Div().Class("buttons").Body(
				app.Button().ID("lae-play").Text(map[bool]string{false: "Play", true: "Pause"}[l.running]).
					Disabled(!l.have && !l.running).OnClick(l.play),
				app.Button().ID("lae-step").Text("One step").Disabled(l.running || !l.have).OnClick(func(ctx app.Context, e app.Event) {
					l.runStart = time.Now()
					l.ask(ctx, 1)
				}),
				app.Button().ID("lae-reset").Text("Reset").OnClick(func(ctx app.Context, e app.Event) {
					l.start++
					l.restart()
					l.ask(ctx, 0)
				}),
			),
			app.P().Class("caption").Text(fmt.Sprintf("Play takes %d steps of gradient descent on the loss L = mean |x̂ − x|² over the %d points: U ← U − η·∂L/∂U, V ← V − η·∂L/∂V, with η the learning rate. Reset starts again from new random U and V; the sliders reshape the cloud and keep them.", protocol.LinearBudget, protocol.LinearPoints)),
			app.If(l.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(l.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").Body(
				app.H3().Text("The points, their rebuilds x̂ and the two planes"),
				l.turnable(app.Canvas().ID("lae-cloud").Class("cube lae-cloud").Width(laeSide).Height(laeSide).
					Attr("role", "img").Aria("label", l.cloudLabel()), l.paint),
				laeLegend(),
				app.P().Class("caption").Text("Each point x is encoded to two numbers V·x and decoded to x̂ = U·(V·x), which always lies on the plane U's two columns u₁ and u₂ span: the learnt plane. A line joins each point to its x̂; the loss is the mean of their squared lengths. Drag the view, or focus it and use the arrow keys, to turn it."),
			),
			l.status(),
			app.Article().Class("model").Body(
				app.H3().Text("The weights as they learn"),
				app.Div().Class("lae-matrices").Body(
					laeMatrix("lae-v", "V (2×3), the encoder", laeRows23(l.st.V)),
					laeMatrix("lae-u", "U (3×2), the decoder", laeRows32(l.st.U)),
					laeMatrix("lae-w", "PCA's W (3×2)", laeRows32(l.st.PCA)),
				),
				app.P().Class("caption").Text("W's columns are PCA's first two principal directions, unit length and at right angles. U's columns need be neither: any pair spanning the same plane, with V to match, rebuilds as well. So U does not become W; the plane they span does."),
			),
			app.Article().Class("model").Body(
				app.H3().Text("The loss and the angle between the planes"),
				app.Div().Class("lae-plots").Body(
					app.Raw(l.lossPlot()),
					app.Raw(l.anglePlot()),
				),
				app.P().Class("caption").Text("The loss at each iteration (log scale), with the loss of PCA's plane dashed: the least any U and V can reach. The angle between the learnt plane and PCA's plane, with 2° dashed."),
			),
		),
		app.Section().Class("results wide").Body(&LinearMNIST{}),
	)
}

// status says where training stands, for people and for tests.
func (l *LinearAELesson) status() app.UI {
	line := "…"
	it := l.iter()
	if l.have {
		line = fmt.Sprintf("Iteration %d: loss %.4f (PCA's plane: %.4f); the learnt plane is %.2f° from PCA's.", it, l.st.Loss, l.st.PCALoss, l.st.Angle)
		switch {
		case l.running:
			line += fmt.Sprintf(" Training: %d of %d steps.", l.iter()-l.runFrom, protocol.LinearBudget)
		case l.runIters > 0:
			line += fmt.Sprintf(" The last run: %d steps in %.2f s in your browser, of which the engine's arithmetic took %.0f ms (the rest is messages, drawing and the pace of the frames).", l.runIters, l.runSecs, l.runMS)
		}
		if l.reached > 0 {
			line += fmt.Sprintf(" Below %g° from iteration %d, %.2f s after Play.", laeTarget, l.reached, l.reachSec)
		}
	}
	return app.Article().Class("model").ID("lae-status").
		Attr("data-iter", it).Attr("data-angle", fmt.Sprintf("%.4f", l.st.Angle)).
		Attr("data-loss", fmt.Sprintf("%.6f", l.st.Loss)).Attr("data-pca-loss", fmt.Sprintf("%.6f", l.st.PCALoss)).
		Attr("data-running", l.running).Attr("data-have", l.have).
		Attr("data-reached", l.reached).Attr("data-reached-ms", int(l.reachSec*1000)).
		Attr("data-run-ms", int(l.runSecs*1000)).Attr("data-run-iters", l.runIters).Attr("data-steps-ms", fmt.Sprintf("%.1f", l.runMS)).
		Attr("data-diverged", l.st.Diverged).Body(
		app.P().Attr("role", "status").Text(line),
	)
}

// laeMatrix shows a small matrix of numbers between brackets.
func laeMatrix(id, title string, rows [][]float64) app.UI {
	return app.Figure().Class("lae-matrix").Body(
		app.Table().ID(id).Class("matrix").Body(app.TBody().Body(
			app.Range(rows).Slice(func(i int) app.UI {
				cells := make([]app.UI, len(rows[i]))
				for j, v := range rows[i] {
					if math.Abs(v) < 0.005 {
						v = 0 // no "-0.00"
					}
					cells[j] = app.Td().Text(fmt.Sprintf("%.2f", v))
				}
				return app.Tr().Body(cells...)
			}),
		)),
		app.FigCaption().Text(title),
	)
}

func laeRows32(m [3][2]float64) [][]float64 { return [][]float64{m[0][:], m[1][:], m[2][:]} }
func laeRows23(m [2][3]float64) [][]float64 { return [][]float64{m[0][:], m[1][:]} }

func laeLegend() app.UI {
	item := func(colour, shape, text string) app.UI {
		return app.Li().Body(app.Span().Class("swatch "+shape).Style("background", colour), app.Text(text))
	}
	return app.Ul().Class("legend").Body(
		item("#f4f1ea", "dot", "a point x"),
		item("#f2a93b", "dot", "its rebuild x̂"),
		item("rgba(242, 169, 59, 0.45)", "", "the learnt plane, arrows u₁ u₂"),
		item("#6bb7ff", "", "PCA's plane (dashed)"),
	)
}

func (l *LinearAELesson) cloudLabel() string {
	if !l.have {
		return "A cloud of 3-D points near a plane."
	}
	return fmt.Sprintf("%d points near a plane tilted %.0f°, each joined to its rebuild x̂ on the learnt plane; the learnt plane is %.1f° from PCA's. Drag or use the arrow keys to turn the view.", l.st.Points.Rows, l.shape.Tilt, l.st.Angle)
}

// laeSeries is a curve decimated to at most n points: (iteration, value).
func laeSeries(ys []float64, n int) [][2]float64 {
	step := max(1, (len(ys)+n-1)/n)
	var out [][2]float64
	for i := 0; i < len(ys); i += step {
		out = append(out, [2]float64{float64(i), ys[i]})
	}
	if k := len(ys) - 1; k > 0 && k%step != 0 {
		out = append(out, [2]float64{float64(k), ys[k]})
	}
	return out
}

// The plots are drawn 340 units wide: on a phone their 12-unit text stays
// above 11 CSS pixels.
const laeW, laeH = 340.0, 220.0

// xmax is the iterations an axis spans: the budget, or more once past it.
func (l *LinearAELesson) xmax() float64 {
	n := float64(protocol.LinearBudget)
	for float64(l.iter()) > n {
		n += protocol.LinearBudget
	}
	return n
}

// lossPlot draws the loss against the iteration on a log axis, with PCA's
// loss as a floor.
func (l *LinearAELesson) lossPlot() string {
	c := chart{
		ID: "lae-loss", Title: "The loss against the iteration", W: laeW, H: laeH, NoPoint: true,
		X:     axis{Label: "iteration", Lo: 0, Hi: l.xmax()},
		Y:     axis{Label: "loss, mean |x̂ − x|²", Log: true},
		Empty: "Press Play or One step.",
	}
	if l.have && len(l.losses) > 0 {
		c.Series = []series{{Name: "loss", Colour: "#e69f00", Points: laeSeries(l.losses, 300)}}
		c.Marks = []refLine{{Name: "PCA's plane", Colour: "#56b4e9", At: l.st.PCALoss}}
		lo, hi := l.st.PCALoss, l.st.PCALoss
		for _, v := range l.losses {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		c.Y.Lo, c.Y.Hi = math.Pow(10, math.Floor(math.Log10(math.Max(lo, 1e-6)))), math.Pow(10, math.Ceil(math.Log10(hi)))
	}
	return c.Render()
}

// anglePlot draws the angle between the planes against the iteration.
func (l *LinearAELesson) anglePlot() string {
	top := 10.0
	for _, a := range l.angles {
		top = math.Max(top, a)
	}
	c := chart{
		ID: "lae-angle", Title: "The angle between the learnt plane and PCA's against the iteration", W: laeW, H: laeH, NoPoint: true,
		X:     axis{Label: "iteration", Lo: 0, Hi: l.xmax()},
		Y:     axis{Label: "angle between the planes", Unit: "°", Lo: 0, Hi: math.Min(90, math.Ceil(top/10)*10)},
		Empty: "Press Play or One step.",
		Marks: []refLine{{Name: fmt.Sprintf("%g°", laeTarget), Colour: "#56b4e9", At: laeTarget}},
	}
	if l.have && len(l.angles) > 0 {
		c.Series = []series{{Name: "angle", Colour: "#e69f00", Points: laeSeries(l.angles, 300)}}
	}
	return c.Render()
}

// project maps a point of space to canvas pixels: turned by yaw about the
// vertical axis x₃ and by pitch towards the viewer, x₃ up on the screen.
func (l *LinearAELesson) project(p [3]float64) (float64, float64) {
	cx := p[0]*math.Cos(l.yaw) - p[1]*math.Sin(l.yaw)
	cy := p[0]*math.Sin(l.yaw) + p[1]*math.Cos(l.yaw)
	up := p[2]*math.Cos(l.pitch) - cy*math.Sin(l.pitch)
	const scale = laeSide / 2 / laeExtent
	return laeSide/2 + scale*cx, laeSide/2 - scale*up
}

// laePlaneBasis is an orthonormal pair spanning m's columns (false if they
// span no plane).
func laePlaneBasis(m [3][2]float64) (a, b [3]float64, ok bool) {
	a = [3]float64{m[0][0], m[1][0], m[2][0]}
	b = [3]float64{m[0][1], m[1][1], m[2][1]}
	na := math.Sqrt(a[0]*a[0] + a[1]*a[1] + a[2]*a[2])
	if na == 0 {
		return a, b, false
	}
	for i := range a {
		a[i] /= na
	}
	d := a[0]*b[0] + a[1]*b[1] + a[2]*b[2]
	for i := range b {
		b[i] -= d * a[i]
	}
	nb := math.Sqrt(b[0]*b[0] + b[1]*b[1] + b[2]*b[2])
	if nb < 1e-9*na {
		return a, b, false
	}
	for i := range b {
		b[i] /= nb
	}
	return a, b, true
}

// paint draws the axes, both planes, the points, their rebuilds and the
// lines between.
func (l *LinearAELesson) paint(ctx app.Context) {
	if !app.IsClient || !l.have {
		return
	}
	canvas := app.Window().GetElementByID("lae-cloud")
	if !canvas.Truthy() {
		return
	}
	canvas.Call("setAttribute", "data-painted", l.iter())
	// Text and dots keep their size on screen when CSS shrinks the canvas
	// (on a phone): at least 12 CSS pixels of text.
	k := 1.0
	if w := canvas.Get("clientWidth").Float(); w > 0 {
		k = math.Max(1, laeSide/w)
	}
	g := canvas.Call("getContext", "2d")
	g.Set("fillStyle", "#0d0f13")
	g.Call("fillRect", 0, 0, laeSide, laeSide)
	line := func(p, q [3]float64) {
		x0, y0 := l.project(p)
		x1, y1 := l.project(q)
		g.Call("beginPath")
		g.Call("moveTo", x0, y0)
		g.Call("lineTo", x1, y1)
		g.Call("stroke")
	}
	// The axes, with their names at their ends.
	g.Set("strokeStyle", "#4a4f5c")
	g.Set("lineWidth", 1)
	g.Set("font", fmt.Sprintf("%.0fpx system-ui, sans-serif", math.Ceil(12.5*k)))
	g.Set("fillStyle", "#a7a9b0")
	g.Set("textAlign", "center")
	for i, name := range []string{"x₁", "x₂", "x₃"} {
		var lo, hi [3]float64
		lo[i], hi[i] = -2.6, 2.6
		line(lo, hi)
		hi[i] = 2.9
		x, y := l.project(hi)
		g.Call("fillText", name, math.Max(10, math.Min(laeSide-10, x)), math.Max(14, math.Min(laeSide-6, y+4)))
	}
	// Each plane as a disc about the origin: two discs in one plane
	// coincide, whatever pair of vectors spans it.
	disc := func(m [3][2]float64, fill, stroke string, dashed bool) {
		a, b, ok := laePlaneBasis(m)
		if !ok {
			return
		}
		const r, n = 2.4, 48
		g.Call("beginPath")
		for i := range n {
			t := 2 * math.Pi * float64(i) / n
			c, s := r*math.Cos(t), r*math.Sin(t)
			x, y := l.project([3]float64{c*a[0] + s*b[0], c*a[1] + s*b[1], c*a[2] + s*b[2]})
			if i == 0 {
				g.Call("moveTo", x, y)
			} else {
				g.Call("lineTo", x, y)
			}
		}
		g.Call("closePath")
		g.Set("fillStyle", fill)
		g.Call("fill")
		g.Set("strokeStyle", stroke)
		g.Set("lineWidth", 1.5*k)
		if dashed {
			g.Call("setLineDash", []any{6 * k, 4 * k})
		}
		g.Call("stroke")
		g.Call("setLineDash", []any{})
	}
	disc(l.st.PCA, "rgba(107, 183, 255, 0.08)", "#6bb7ff", true)
	disc(l.st.U, "rgba(242, 169, 59, 0.2)", "rgba(242, 169, 59, 0.8)", false)
	pts, rec := l.st.Points, l.st.Rebuilt
	point := func(b protocol.Batch, i int) [3]float64 {
		r := b.Row(i)
		return [3]float64{float64(r[0]), float64(r[1]), float64(r[2])}
	}
	// One path for all the lines and one for each set of dots: a call
	// into the canvas costs more than the arithmetic around it.
	g.Set("strokeStyle", "rgba(244, 241, 234, 0.35)")
	g.Set("lineWidth", 1)
	g.Call("beginPath")
	for i := range min(pts.Rows, rec.Rows) {
		x0, y0 := l.project(point(pts, i))
		x1, y1 := l.project(point(rec, i))
		g.Call("moveTo", x0, y0)
		g.Call("lineTo", x1, y1)
	}
	g.Call("stroke")
	dots := func(b protocol.Batch, colour string, r float64) {
		g.Set("fillStyle", colour)
		g.Call("beginPath")
		for i := range b.Rows {
			x, y := l.project(point(b, i))
			g.Call("moveTo", x+r, y)
			g.Call("arc", x, y, r, 0, 2*math.Pi)
		}
		g.Call("fill")
	}
	dots(rec, "#f2a93b", 2*k)
	dots(pts, "#f4f1ea", 2.2*k)
	// U's columns: the arrows the learnt plane is spanned by.
	g.Set("strokeStyle", "#f2a93b")
	g.Set("fillStyle", "#f2a93b")
	g.Set("lineWidth", 3*k)
	for c, name := range []string{"u₁", "u₂"} {
		u := [3]float64{l.st.U[0][c], l.st.U[1][c], l.st.U[2][c]}
		line([3]float64{}, u)
		x, y := l.project(u)
		g.Call("fillText", name, math.Max(10, math.Min(laeSide-10, x+8)), math.Max(14, math.Min(laeSide-6, y-6)))
	}
}

// LinearMNIST is the lesson's MNIST half: the shipped linear autoencoder's
// U beside PCA's components, a drawing rebuilt three ways, and the test
// errors `latentplay eval` measured.
type LinearMNIST struct {
	app.Compo

	state    string // idle, loading, ready or failed
	status   string
	errMsg   string
	cols     protocol.Batch // U's columns
	comps    protocol.Batch // PCA's components
	angles   []float64
	pcaSecs  float64
	pcaN     int
	input    []float32
	rebuilt  protocol.Batch
	mse      [3]float64
	busy     bool
	pending  bool
	shown    int  // inputs rebuilt
	drawn    int  // inputs drawn
	touched  bool // the person has drawn here (not only brought a drawing from another view)
	figures  laeFigures
	figsRead bool
}

// laeFigures are the test errors from the shipped models' manifest.
type laeFigures struct {
	Linear, PCA, Deep, Angle float64
	Images                   int
}

// OnMount reads the manifest's test errors.
func (m *LinearMNIST) OnMount(ctx app.Context) {
	if m.state == "" {
		m.state = "idle"
	}
	ctx.Async(func() {
		f, err := laeReadFigures()
		ctx.Dispatch(func(ctx app.Context) {
			if err == nil {
				m.figures, m.figsRead = f, true
			}
		})
	})
}

// laeReadFigures fetches the models' manifest (written by `latentplay
// manifest` from `latentplay eval`) and picks the three test errors.
func laeReadFigures() (laeFigures, error) {
	status, b, err := fetch("GET", staticPath("/web/models/index.json"), "", nil)
	if err == nil && status != 200 {
		err = fmt.Errorf("the server answered %d", status)
	}
	if err != nil {
		return laeFigures{}, err
	}
	var man struct {
		Models []struct {
			Name string
			Eval map[string]float64
		}
	}
	if err := json.Unmarshal(b, &man); err != nil {
		return laeFigures{}, err
	}
	var f laeFigures
	for _, mod := range man.Models {
		switch mod.Name {
		case protocol.LinearAESlot:
			f.Linear, f.PCA, f.Angle, f.Images = mod.Eval["test_mse"], mod.Eval["pca_mse"], mod.Eval["max_principal_angle_deg"], int(mod.Eval["test_images"])
		case protocol.DeepAESlot:
			f.Deep = mod.Eval["test_mse"]
		}
	}
	if f.Linear == 0 || f.PCA == 0 || f.Deep == 0 {
		return f, fmt.Errorf("the manifest lacks the test errors")
	}
	return f, nil
}

var laeSlots = protocol.LinearSlots{Linear: protocol.LinearAESlot, Deep: protocol.DeepAESlot}

// load fetches the two autoencoders and MNIST, fits PCA in the engine and
// shows the bases.
func (m *LinearMNIST) load(ctx app.Context) {
	if m.state == "loading" || m.state == "ready" {
		return
	}
	m.state, m.errMsg = "loading", ""
	m.status = "Loading the two autoencoders…"
	ctx.Async(func() {
		err := Engine().Shipped(protocol.LinearAESlot, protocol.DeepAESlot)
		if err == nil {
			ctx.Dispatch(func(ctx app.Context) {
				m.status = fmt.Sprintf("Fetching MNIST (11 MB) and fitting PCA to the first %s training digits: a few seconds…", thousands(protocol.LinearPCADigits))
			})
		}
		var b protocol.LinearBasesAnswer
		if err == nil {
			b, err = Call(protocol.LinearBases, laeSlots)
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				m.state, m.status, m.errMsg = "failed", "", err.Error()
				return
			}
			m.state = "ready"
			m.cols, m.comps, m.angles, m.pcaSecs, m.pcaN = b.Columns, b.Components, b.Angles, b.PCASeconds, b.PCADigits
			m.status = fmt.Sprintf("PCA fit to %s training digits in %.1f s.", thousands(m.pcaN), m.pcaSecs)
			if m.input != nil {
				m.rebuild(ctx)
			}
		})
	})
}

func (m *LinearMNIST) onDraw(ctx app.Context, input []float32) {
	m.input = input
	m.drawn++
	if input == nil {
		m.rebuilt = protocol.Batch{}
		return
	}
	switch m.state {
	case "ready":
		m.rebuild(ctx)
	case "idle", "failed":
		if m.touched {
			m.load(ctx)
		}
	}
}

// rebuild asks for the drawing's three rebuilds; drawings made meanwhile
// are folded into one more call.
func (m *LinearMNIST) rebuild(ctx app.Context) {
	if m.busy {
		m.pending = true
		return
	}
	m.busy = true
	n := m.drawn
	q := protocol.LinearRebuildArgs{LinearSlots: laeSlots, Image: protocol.RowsOf(data.Pixels, slices.Clone(m.input))}
	ctx.Async(func() {
		r, err := Call(protocol.LinearRebuild, q)
		ctx.Dispatch(func(ctx app.Context) {
			m.busy = false
			switch {
			case err != nil:
				m.errMsg = err.Error()
			case m.input != nil:
				m.errMsg, m.rebuilt, m.mse, m.shown = "", r.Images, r.MSE, n
			}
			if m.pending {
				m.pending = false
				if m.input != nil {
					m.rebuild(ctx)
				}
			}
		})
	})
}

// laeSigned shows a vector of signed weights as an image: 0 grey,
// the largest |value| white if positive, black if negative.
func laeSigned(v []float32) []float32 {
	var top float32
	for _, x := range v {
		top = max(top, float32(math.Abs(float64(x))))
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = 0.5
		if top > 0 {
			out[i] = 0.5 + 0.5*x/top
		}
	}
	return out
}

// basis shows a batch's rows as signed images.
func laeBasis(id, name string, b protocol.Batch) app.UI {
	items := make([]app.UI, max(b.Rows, 20))
	for i := range items {
		var px []float32
		if i < b.Rows && b.Cols == data.Pixels {
			px = laeSigned(b.Row(i))
		}
		items[i] = &Digit{IID: fmt.Sprintf("%s-%d", id, i), IPixels: px, IAlt: fmt.Sprintf("%s %d as a 28×28 image", name, i+1), ISize: 40}
	}
	return app.Div().Class("lae-basis").ID(id).Attr("data-rows", b.Rows).Body(items...)
}

// Render shows the button, the two bases, the pad with the three rebuilds
// and the test errors.
func (m *LinearMNIST) Render() app.UI {
	ready := m.state == "ready"
	var worst float64
	if len(m.angles) > 0 {
		worst = m.angles[len(m.angles)-1]
	}
	return app.Article().Class("model").ID("lae-mnist").Attr("data-state", m.state).Body(
		app.H2().Text(fmt.Sprintf("On MNIST: %d pixels through 20 numbers", data.Pixels)),
		app.P().Class("caption").Text(fmt.Sprintf("The same x̂ = U·V·x with D = %[1]d pixels and K = 20: V is 20×%[1]d and U %[1]d×20. The shipped linear autoencoder learnt them by gradient descent on squared error over the 60,000 training digits (with the mean digit taken off first, as PCA does).", data.Pixels)),
		app.Div().Class("buttons").Body(
			app.If(!ready, func() app.UI {
				return app.Button().ID("lae-mnist-load").Text("Show U and PCA's components").Disabled(m.state == "loading").OnClick(func(ctx app.Context, e app.Event) { m.load(ctx) })
			}),
		),
		app.P().ID("lae-mnist-status").Class("status").Attr("role", "status").Text(m.status),
		app.If(m.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(m.errMsg) }),
		app.Div().Class("lae-bases").Body(
			app.Figure().Body(
				laeBasis("lae-u", "column of U", m.cols),
				app.FigCaption().Text("The 20 columns of the linear autoencoder's U"),
			),
			app.Figure().Body(
				laeBasis("lae-pca", "principal component", m.comps),
				app.FigCaption().Text(fmt.Sprintf("PCA's first 20 components, fit here on the first %s training digits", thousands(protocol.LinearPCADigits))),
			),
		),
		app.P().Class("caption").Text("Grey is 0, white positive, black negative. PCA's components come in order, the most varied direction first, each at right angles to the others. U's columns are not in order and not at right angles: they are a mix of the components, as u₁ and u₂ are of W's columns in the cloud. What they share is the subspace they span."+m.anglesLine(worst)),
		app.Div().Class("lae-draw").Body(
			app.Div().Body(
				app.H3().Text("Your digit, rebuilt three ways"),
				&DrawPad{IOnChange: m.onDraw, IOnEvent: func(float64) { m.touched = true }},
			),
			m.rebuilds(),
		),
		m.figuresTable(),
	)
}

func (m *LinearMNIST) anglesLine(worst float64) string {
	if len(m.angles) == 0 {
		return ""
	}
	s := fmt.Sprintf(" Here the 20 principal angles between the two subspaces run from %.1f° to %.1f°: the first directions agree closely, the last less so, for PCA's last components of %s digits are themselves still unsettled.", m.angles[0], worst, thousands(m.pcaN))
	if m.figsRead {
		s += fmt.Sprintf(" Against PCA fit on all 60,000 training digits the largest angle is %.1f°.", m.figures.Angle)
	}
	return s
}

// rebuilds shows the three rebuilds with their errors.
func (m *LinearMNIST) rebuilds() app.UI {
	have := m.rebuilt.Rows == 3 && m.rebuilt.Cols == data.Pixels && m.input != nil
	names := []string{"Linear autoencoder", "PCA, 20 components", deepName}
	ids := []string{"lae-rebuilt-linear", "lae-rebuilt-pca", "lae-rebuilt-ae"}
	figs := make([]app.UI, 3)
	list := make([]string, 3)
	for i := range 3 {
		var px []float32
		err := "error …"
		if have {
			px = m.rebuilt.Row(i)
			err = fmt.Sprintf("error %.4f", m.mse[i])
			list[i] = fmt.Sprintf("%.6f", m.mse[i])
		}
		figs[i] = app.Figure().Class("lae-rebuild").Body(
			&Digit{IID: ids[i], IPixels: px, IAlt: "your digit rebuilt by the " + strings.ToLower(names[i]), ISize: 84},
			app.FigCaption().Body(app.Span().Text(names[i]), app.Strong().Text(err)),
		)
	}
	hint := "Draw a digit: drawing here loads the models and fits PCA, as the button does."
	if m.state == "ready" {
		hint = "Draw a digit."
	}
	if have {
		hint = "The error is the mean squared difference per pixel from your drawing (as the models see it, 28×28). The linear autoencoder and PCA keep the same 20-dimensional subspace, so their rebuilds look alike and their errors are close; the deep autoencoder bends its code around the digits and rebuilds far better."
	}
	return app.Div().ID("lae-rebuilds").Attr("data-mse", strings.Join(list[:min(3, len(list))], ",")).Attr("data-shown", m.shown).Body(
		app.Div().Class("images").Body(figs...),
		app.P().Class("caption").Text(hint),
	)
}

// figuresTable lists the test errors `latentplay eval` measured.
func (m *LinearMNIST) figuresTable() app.UI {
	if !m.figsRead {
		return app.Text("")
	}
	f := m.figures
	row := func(name string, v float64, how string) app.UI {
		return app.Tr().Body(app.Td().Text(name), app.Td().Text(fmt.Sprintf("%.5f", v)), app.Td().Class("how").Text(how))
	}
	return app.Div().Body(
		app.H3().Text("On all the test digits"),
		app.P().Class("caption").Text(fmt.Sprintf("Mean squared error per pixel on all %s test digits, as the shipped models' manifest records them (measured by the command latentplay eval).", thousands(f.Images))),
		app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table (scrolls sideways)").Body(app.Table().ID("lae-figures").Class("truth lae-figures").
			Attr("data-linear", f.Linear).Attr("data-pca", f.PCA).Attr("data-ae", f.Deep).Body(
			app.THead().Body(app.Tr().Body(app.Th().Text("Model"), app.Th().Text("Test MSE"), app.Th().Text("How"))),
			app.TBody().Body(
				row("Linear autoencoder", f.Linear, "U and V by gradient descent"),
				row("PCA, 20 components", f.PCA, "fit on all 60,000 training digits"),
				row(deepName, f.Deep, "nonlinear, ReLU layers"),
			),
		)),
		app.P().Class("caption").Text(fmt.Sprintf("The linear autoencoder's error is within %.2g%% of PCA's, and its subspace within %.1f° of PCA's (their largest principal angle): gradient descent on slide 18's loss found PCA's subspace. The deep autoencoder's error is %.0f%% of theirs.", 100*math.Abs(f.Linear-f.PCA)/f.PCA, f.Angle, 100*f.Deep/f.Linear)),
	)
}

// deepName is the shipped deep autoencoder, by its widths.
var deepName = fmt.Sprintf("Autoencoder %d-300-300-20", data.Pixels)
