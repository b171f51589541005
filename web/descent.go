package web

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

// descentSide is the surface's canvas and raster, pixels per side.
const descentSide = 320

// descentSurfaces are the surfaces offered, in the order of the menu.
var descentSurfaces = []struct{ id, label string }{
	{"neuron", "Sigmoid neuron's cross-entropy (its two weights)"},
	{"bowl", "Bowl x²/2 + 5y²"},
	{"rosenbrock", "Rosenbrock's valley"},
	{"himmelblau", "Himmelblau (four minima)"},
	{"saddle", "Saddle between two minima"},
}

// descentMethods are the methods, as the engine names them, with their
// colours and names on the page.
var descentMethods = []struct{ id, colour, label, about string }{
	{"gd", "#f4f1ea", "Gradient descent", "w ← w − η∇f"},
	{"momentum", "#f2a93b", "Momentum", "v ← μv − η∇f; w ← w + v"},
	{"adam", "#4aa3ff", "Adam", "steps of η·m̂/(√v̂ + ε), β₁ = 0.9, β₂ = 0.999"},
	{"hill", "#6bd968", "Hill climbing", "try w + r·N(0, I); move if lower"},
	{"restarts", "#ff7a6b", "Random restarts", "hill climbing; after 30 failures in a row, start again anywhere"},
}

// descentPresets are where each surface's comparison starts, and the
// learning rate it starts with, until a click or the box changes them:
// a start where the methods differ and a rate its slopes allow.
var descentPresets = map[string]struct {
	start [2]float64
	lr    float64
}{
	"neuron": {[2]float64{-5, 4}, 1}, "bowl": {[2]float64{-2.5, 2}, 0.1}, "rosenbrock": {[2]float64{-1.5, 2.5}, 0.001},
	"himmelblau": {[2]float64{-0.5, -4.5}, 0.01}, "saddle": {[2]float64{0, 1.5}, 0.1},
}

// Descent is the gradient-descent-as-search lab: five methods from one
// start on a 2-D loss surface, their paths over its contours, and what
// each needed to get close to the lowest point.
type Descent struct {
	app.Compo

	q      protocol.Descent // the settings asked for
	grid   protocol.Batch   // the shown surface's raster
	gridOf string           // which surface the raster is of
	// res is the comparison shown (nil before the first), runs its
	// methods' runs by name.
	res    *protocol.DescentComparison
	runs   map[string]protocol.DescentRun
	shown  protocol.Descent // the settings the pictures are of
	busy   bool
	again  bool
	errMsg string

	// The paths grow step by step: step is how many points of each are
	// drawn, playing whether they are growing, hidden the methods switched
	// off in the legend.
	step    int
	playing bool
	hidden  map[string]bool
	frame   app.Func // the animation's requestAnimationFrame callback
}

// longest is the number of points of the longest path shown.
func (d *Descent) longest() int {
	n := 0
	for _, m := range descentMethods {
		if r, ok := d.runs[m.id]; ok && !d.hidden[m.id] {
			n = max(n, r.Path.Rows)
		}
	}
	return n
}

// play grows the paths from where they are, about two seconds for the
// longest, one animation frame at a time.
func (d *Descent) play(ctx app.Context, e app.Event) {
	if d.step >= d.longest() {
		d.step = 1
	}
	d.playing = true
	d.animate(ctx)
}

func (d *Descent) pause(ctx app.Context, e app.Event) { d.playing = false }

// stepOnce adds one point to every path.
func (d *Descent) stepOnce(ctx app.Context, e app.Event) {
	d.playing = false
	d.step = min(d.step+1, d.longest())
	d.paint(ctx)
}

// rewind goes back to the start.
func (d *Descent) rewind(ctx app.Context, e app.Event) {
	d.playing, d.step = false, 1
	d.paint(ctx)
}

// showAll draws the whole paths.
func (d *Descent) showAll(ctx app.Context, e app.Event) {
	d.playing, d.step = false, d.longest()
	d.paint(ctx)
}

// animate paints a frame and asks for the next while playing.
func (d *Descent) animate(ctx app.Context) {
	if !app.IsClient {
		d.step = d.longest()
		return
	}
	if d.frame == nil {
		d.frame = app.FuncOf(func(app.Value, []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) {
				if !d.playing {
					return
				}
				n := d.longest()
				d.step = min(n, d.step+max(1, n/120))
				d.paint(ctx)
				if d.step >= n {
					d.playing = false
					return
				}
				app.Window().Call("requestAnimationFrame", d.frame)
			})
			return nil
		})
	}
	app.Window().Call("requestAnimationFrame", d.frame)
}

// toggle switches a method's path on or off, by the box's id.
func (d *Descent) toggle(ctx app.Context, e app.Event) {
	id := strings.TrimPrefix(ctx.JSSrc().Get("id").String(), "show-")
	if d.hidden == nil {
		d.hidden = map[string]bool{}
	}
	d.hidden[id] = !ctx.JSSrc().Get("checked").Bool()
	d.step = min(max(d.step, 1), max(d.longest(), 1))
	ctx.Defer(d.paint)
}

// OnInit starts on the neuron's surface.
func (d *Descent) OnInit() {
	pr := descentPresets["neuron"]
	d.q = protocol.Descent{Surface: "neuron", Start: pr.start, LR: pr.lr, Momentum: 0.9, Radius: 0.3, Budget: 1000, Tol: 1e-3, Seed: 1}
}

// OnMount asks for the first comparison.
func (d *Descent) OnMount(ctx app.Context) { d.fetch(ctx) }

// fetch asks the engine for the current settings' comparison (and the
// surface's raster when it is new); changes while a request is out are
// folded into one more.
func (d *Descent) fetch(ctx app.Context) {
	if d.busy {
		d.again = true
		return
	}
	d.busy = true
	q := d.q
	if q.Surface != d.gridOf {
		q.Grid = descentSide
	}
	ctx.Async(func() {
		res, err := Call(protocol.CompareDescent, q)
		ctx.Dispatch(func(ctx app.Context) {
			d.busy = false
			if err != nil {
				d.errMsg = err.Error() // the last good pictures stay
			} else {
				d.take(q, res)
				d.step, d.playing = 1, true // each new comparison grows from its start
				ctx.Defer(d.paint)
				d.animate(ctx)
			}
			if d.again {
				d.again = false
				d.fetch(ctx)
			}
		})
	})
}

func (d *Descent) take(q protocol.Descent, res protocol.DescentComparison) {
	if q.Grid > 0 {
		d.grid, d.gridOf = res.Surface, q.Surface
	}
	d.runs = map[string]protocol.DescentRun{}
	for _, r := range res.Methods {
		d.runs[r.Method] = r
	}
	d.res, d.shown, d.errMsg = &res, q, ""
}

// onNumber takes a number box's new value, by the box's id.
func (d *Descent) onNumber(ctx app.Context, e app.Event) {
	v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		d.errMsg = "Not a number: " + ctx.JSSrc().Get("value").String()
		return
	}
	switch ctx.JSSrc().Get("id").String() {
	case "descent-lr":
		d.q.LR = v
	case "descent-momentum":
		d.q.Momentum = v
	case "descent-radius":
		d.q.Radius = v
	case "descent-budget":
		d.q.Budget = int(v)
	case "descent-tol":
		d.q.Tol = v
	default:
		return
	}
	d.fetch(ctx)
}

func (d *Descent) onSurface(ctx app.Context, e app.Event) {
	d.q.Surface = ctx.JSSrc().Get("value").String()
	pr := descentPresets[d.q.Surface]
	d.q.Start, d.q.LR = pr.start, pr.lr
	d.fetch(ctx)
}

// pick moves the start to the clicked point of the surface.
func (d *Descent) pick(ctx app.Context, e app.Event) {
	if d.res == nil || d.shown.Surface != d.q.Surface {
		return
	}
	el := ctx.JSSrc()
	w, h := el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
	fx, fy := e.Get("offsetX").Float()/w, e.Get("offsetY").Float()/h
	lx, hx, ly, hy := d.res.Lo[0], d.res.Hi[0], d.res.Lo[1], d.res.Hi[1]
	round := func(v float64) float64 { return math.Round(v*100) / 100 }
	d.q.Start = [2]float64{round(lx + fx*(hx-lx)), round(hy - fy*(hy-ly))}
	d.fetch(ctx)
}

// Render shows the controls, the surface with the paths, and the table.
func (d *Descent) Render() app.UI {
	return page("descent",
		app.Section().Class("controls").Body(
			app.H2().Text("Gradient descent as search"),
			app.P().Class("caption").Text("Training looks for the lowest point of a loss surface. Here the surface has two parameters, so it can be drawn. Five methods start from the same point: three follow the gradient, two only compare losses. Each surface comes with a start and a learning rate that suit it; click the surface to start somewhere else."),
			selectField("descent-surface", "Surface", d.q.Surface, descentSurfaces, d.onSurface),
			numberInput("descent-lr", "Learning rate η", d.q.LR, 0.001, 0.0001, 10, d.onNumber),
			numberInput("descent-momentum", "Momentum μ", d.q.Momentum, 0.05, 0, 0.99, d.onNumber),
			numberInput("descent-radius", "Search radius r", d.q.Radius, 0.05, 0.01, 5, d.onNumber),
			numberInput("descent-budget", "Budget (steps)", float64(d.q.Budget), 100, 1, 5000, d.onNumber),
			numberInput("descent-tol", "Tolerance (loss − minimum)", d.q.Tol, 0.0001, 0.000001, 1, d.onNumber),
			app.Div().Class("buttons").Body(
				app.Button().ID("descent-reseed").Text("Search again (new random draws)").OnClick(func(ctx app.Context, e app.Event) {
					d.q.Seed++
					d.fetch(ctx)
				}),
			),
			app.If(d.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(d.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").Body(
				app.H3().Text(d.surfaceTitle()),
				app.Div().Class("buttons").Body(
					app.If(!d.playing, func() app.UI { return app.Button().ID("descent-play").Text("Play").OnClick(d.play) }),
					app.If(d.playing, func() app.UI { return app.Button().ID("descent-pause").Text("Pause").OnClick(d.pause) }),
					app.Button().ID("descent-step").Text("One step").OnClick(d.stepOnce),
					app.Button().ID("descent-rewind").Text("Back to the start").OnClick(d.rewind),
					app.Button().ID("descent-all").Text("Whole paths").OnClick(d.showAll),
				),
				d.axes(app.Canvas().ID("descent-map").Class("descent-map").Width(descentSide).Height(descentSide).
					Attr("role", "img").Aria("label", d.mapLabel()).OnClick(d.pick)),
				app.P().Class("caption").ID("descent-step-line").Text(d.stepLine()),
				app.FieldSet().Class("methods").Body(
					app.Legend().Text("Paths shown"),
					app.Range(descentMethods).Slice(func(i int) app.UI {
						m := descentMethods[i]
						return app.Label().Class("switch").Body(
							app.Input().Type("checkbox").ID("show-"+m.id).Checked(!d.hidden[m.id]).OnChange(d.toggle),
							app.Span().Class("swatch").Style("background", m.colour),
							app.Span().Text(m.label+": "+m.about),
						)
					}),
				),
				app.P().Class("caption").Text("Darker is lower. Each contour line is a constant loss; the lines cut the plot into bands of equal area. The white ring is the start; a dot marks where each path has got to. A restart's jump is drawn as a dotted line. The searches that only compare losses are drawn thinner."),
			),
			app.Article().Class("model").Body(
				app.H3().Text("Getting within the tolerance of the minimum"),
				app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table (scrolls sideways)").Body(d.table()),
			),
		),
	)
}

// axes puts the surface's axes, its two parameters, round the map.
func (d *Descent) axes(canvas app.UI) app.UI {
	if d.res == nil {
		return canvas
	}
	return framed(axis{Label: "w₁", Lo: d.res.Lo[0], Hi: d.res.Hi[0]}, axis{Label: "w₂", Lo: d.res.Lo[1], Hi: d.res.Hi[1]}, canvas)
}

// stepLine says how far the paths have grown.
func (d *Descent) stepLine() string {
	if d.res == nil {
		return ""
	}
	n := d.longest()
	if d.step >= n {
		return fmt.Sprintf("Whole paths: up to %d steps.", max(n-1, 0))
	}
	return fmt.Sprintf("Step %d of %d.", max(d.step-1, 0), max(n-1, 0))
}

func (d *Descent) surfaceTitle() string {
	for _, s := range descentSurfaces {
		if s.id == d.shown.Surface && d.res != nil {
			return s.label
		}
	}
	return "The loss surface"
}

func (d *Descent) mapLabel() string {
	if d.res == nil {
		return "The loss surface, being computed"
	}
	s := fmt.Sprintf("Contours of the %s surface over x from %g to %g and y from %g to %g, with the five methods' paths from (%g, %g).",
		d.shown.Surface, d.res.Lo[0], d.res.Hi[0], d.res.Lo[1], d.res.Hi[1], d.shown.Start[0], d.shown.Start[1])
	return s + " Click to start from another point."
}

// table lists what each method spent, for people and for tests.
func (d *Descent) table() app.UI {
	rows := make([]app.UI, 0, len(descentMethods))
	for _, m := range descentMethods {
		var steps, evals, grads, best string
		reached := ""
		if r, ok := d.runs[m.id]; ok {
			reached = strconv.FormatBool(r.Reached)
			switch {
			case r.Reached:
				steps = strconv.Itoa(r.Steps)
			case r.Diverged:
				steps = fmt.Sprintf("diverged after %d", r.Steps)
			default:
				steps = fmt.Sprintf("not reached in %d", r.Steps)
			}
			evals, grads = strconv.Itoa(r.Evals), strconv.Itoa(r.Grads)
			best = fmtLoss(r.Best)
		}
		rows = append(rows, app.Tr().ID("row-"+m.id).Attr("data-reached", reached).Attr("data-evals", evals).Attr("data-best", best).Body(
			app.Th().Attr("scope", "row").Body(app.Span().Class("swatch").Style("background", m.colour), app.Text(m.label)),
			app.Td().Class("steps").Text(steps), app.Td().Text(evals), app.Td().Text(grads), app.Td().Text(best),
		))
	}
	caption := "Steps until the loss was within the tolerance of the minimum, and the loss and gradient evaluations they cost."
	if d.res != nil {
		caption = fmt.Sprintf("Steps until the loss was within %g of the minimum %s (a budget of %d steps), the loss and gradient evaluations they cost, and the lowest loss found.", d.shown.Tol, fmtLoss(d.res.Min), d.shown.Budget)
	}
	start := ""
	if r := d.runs["gd"]; r.Path.Rows > 0 {
		_, _, loss := r.At(0)
		start = strconv.FormatFloat(float64(loss), 'g', -1, 32)
	}
	return app.Table().ID("descent-table").Class("truth").Attr("data-for", d.key(d.shown)).Attr("data-start-loss", start).Body(
		app.Caption().Text(caption),
		app.THead().Body(app.Tr().Body(
			app.Th().Text("Method"), app.Th().Text("Steps"), app.Th().Text("Losses"), app.Th().Text("Gradients"), app.Th().Text("Lowest"),
		)),
		app.TBody().Body(rows...),
	)
}

func fmtLoss(v float64) string {
	if v > 1e12 {
		return "∞"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// key names settings, so a test can tell which the pictures show.
func (d *Descent) key(q protocol.Descent) string {
	return fmt.Sprintf("%s (%g, %g) η=%g μ=%g r=%g n=%d tol=%g seed=%d", q.Surface, q.Start[0], q.Start[1], q.LR, q.Momentum, q.Radius, q.Budget, q.Tol, q.Seed)
}

// paint draws the surface as shades with contour lines, then the paths.
func (d *Descent) paint(ctx app.Context) {
	canvas := app.Window().GetElementByID("descent-map")
	n := descentSide
	if !app.IsClient || d.res == nil || !canvas.Truthy() || d.grid.Rows != n || d.grid.Cols != n {
		return
	}
	g := canvas.Call("getContext", "2d")
	// Shades and contour lines by rank: a cell's shade is the share of
	// the plot lower than it, and the lines are the losses that cut the
	// plot into bands of equal area, so every surface shows its shape
	// however steep its walls.
	sorted := make([]float64, len(d.grid.Data))
	for i, v := range d.grid.Data {
		sorted[i] = float64(v)
	}
	sort.Float64s(sorted)
	const levels = 16
	cuts := make([]float64, levels-1)
	for k := range cuts {
		cuts[k] = sorted[(k+1)*len(sorted)/levels]
	}
	level := func(i int) int { return sort.SearchFloat64s(cuts, float64(d.grid.Data[i])) }
	rgba := make([]byte, 4*n*n)
	for i, v := range d.grid.Data {
		t := float64(sort.SearchFloat64s(sorted, float64(v))) / float64(len(sorted))
		c := [3]float64{10 + 80*t, 12 + 90*t, 18 + 110*t}
		r, col := i/n, i%n
		if (col+1 < n && level(i) != level(i+1)) || (r+1 < n && level(i) != level(i+n)) {
			c = [3]float64{165, 172, 190} // a contour line
		}
		rgba[4*i], rgba[4*i+1], rgba[4*i+2], rgba[4*i+3] = byte(c[0]), byte(c[1]), byte(c[2]), 255
	}
	img := g.Call("createImageData", n, n)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)

	lx, hx, ly, hy := d.res.Lo[0], d.res.Hi[0], d.res.Lo[1], d.res.Hi[1]
	px := func(x, y float32) (float64, float64) {
		// Points far outside (a diverging path) are pinned a little beyond the edge.
		sx := (float64(x) - lx) / (hx - lx) * float64(n)
		sy := (hy - float64(y)) / (hy - ly) * float64(n)
		return math.Max(-50, math.Min(float64(n)+50, sx)), math.Max(-50, math.Min(float64(n)+50, sy))
	}
	upTo := max(d.step, 1)
	for _, m := range descentMethods {
		r := d.runs[m.id]
		if d.hidden[m.id] {
			continue
		}
		width := 2.5
		if m.id == "hill" || m.id == "restarts" {
			width = 1.2 // the searches: thinner, so they bury nothing
		}
		g.Set("strokeStyle", m.colour)
		g.Set("lineWidth", width)
		jumps := r.Jumps // ascending: the next is jumps[0]
		shown := min(r.Path.Rows, upTo)
		for i := range shown {
			vx, vy, _ := r.At(i)
			x, y := px(vx, vy)
			if i == 0 {
				g.Call("beginPath")
				g.Call("moveTo", x, y)
				continue
			}
			if len(jumps) > 0 && jumps[0] == i { // a restart: the jump dotted, then a new path
				jumps = jumps[1:]
				g.Call("stroke")
				g.Call("setLineDash", []any{2, 4})
				g.Set("lineWidth", 1)
				g.Call("lineTo", x, y)
				g.Call("stroke")
				g.Call("setLineDash", []any{})
				g.Set("lineWidth", width)
				g.Call("beginPath")
				g.Call("moveTo", x, y)
				continue
			}
			g.Call("lineTo", x, y)
		}
		g.Call("stroke")
		if k := shown; k > 0 {
			ex, ey, _ := r.At(k - 1)
			x, y := px(ex, ey)
			g.Set("fillStyle", m.colour)
			g.Call("beginPath")
			g.Call("arc", x, y, 3.5, 0, 2*math.Pi)
			g.Call("fill")
		}
	}
	x, y := px(float32(d.shown.Start[0]), float32(d.shown.Start[1]))
	g.Set("strokeStyle", "#ffffff")
	g.Set("lineWidth", 2)
	g.Call("beginPath")
	g.Call("arc", x, y, 7, 0, 2*math.Pi)
	g.Call("stroke")
	canvas.Call("setAttribute", "data-for", d.key(d.shown))
	// "true" once the whole paths are drawn; the step drawn, for a test.
	canvas.Call("setAttribute", "data-painted", strconv.FormatBool(d.step >= d.longest()))
	canvas.Call("setAttribute", "data-step", d.step)
	if line := app.Window().GetElementByID("descent-step-line"); line.Truthy() {
		line.Set("textContent", d.stepLine())
	}
}
