package web

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

const (
	cubeSide      = 320 // the cube's canvas, pixels
	maxRunEpochs  = 200 // Run gives up after this many epochs without settling
	epochInterval = 120 * time.Millisecond
)

// festivalFacts are the three yes/no inputs.
var festivalFacts = [3]string{"Weather is good", "A friend comes", "Near public transport"}

// festivalPresets are decisions to start from; the table stays editable.
var festivalPresets = []struct {
	id, label string
	y         func(x1, x2, x3 bool) bool
}{
	{"weather", "Y = x₁: go if the weather is good", func(x1, x2, x3 bool) bool { return x1 }},
	{"and", "All three (AND)", func(x1, x2, x3 bool) bool { return x1 && x2 && x3 }},
	{"or", "Any of them (OR)", func(x1, x2, x3 bool) bool { return x1 || x2 || x3 }},
	{"majority", "At least two", func(x1, x2, x3 bool) bool { return b2i(x1)+b2i(x2)+b2i(x3) >= 2 }},
	{"xor", "Weather or friend, not both (XOR)", func(x1, x2, x3 bool) bool { return x1 != x2 }},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Perceptron is the festival lab: go to a festival, decided from three
// yes/no facts by one neuron Y = step(x·w + b). The truth table, the unit
// cube with its separating plane, the equation, and the perceptron rule.
type Perceptron struct {
	app.Compo

	facts   [3]bool
	targets []float32 // the decision of each row, rows in binary order x₁x₂x₃
	preset  string
	w       [3]float64
	b       float64

	// From the engine: each row's net x·w + b and σ(net), and the figures.
	nets, sig [8]float32
	correct   int
	separable bool
	evaluated bool
	row       int   // the next row the rule visits
	lastRow   int   // the row the last step looked at (−1: none)
	epochs    []int // mistakes in each finished epoch
	inEpoch   int   // mistakes so far in the epoch under way
	running   bool
	runGen    int  // numbers runs, so a stopped run's last tick does nothing
	busy      bool // a request is on its way; slider moves wait for it
	again     bool // and another evaluation is wanted after it
	errMsg    string
	turning   // the cube's view
}

// OnInit starts with Y = x₁ and zero weights (on the server too, which
// renders the page before the app takes over).
func (p *Perceptron) OnInit() {
	p.yaw, p.pitch = -0.6, 0.35
	p.setPreset("weather")
}

// OnMount asks the engine for the outputs.
func (p *Perceptron) OnMount(ctx app.Context) { p.evaluate(ctx) }

func (p *Perceptron) setPreset(id string) {
	for _, pr := range festivalPresets {
		if pr.id == id {
			p.preset = id
			p.targets = make([]float32, 8)
			for r := range 8 {
				p.targets[r] = float32(b2i(pr.y(r>>2&1 == 1, r>>1&1 == 1, r&1 == 1)))
			}
		}
	}
	p.resetTraining()
}

func (p *Perceptron) resetTraining() {
	p.stopRun()
	p.row, p.lastRow, p.epochs, p.inEpoch = 0, -1, nil, 0
}

func (p *Perceptron) request(steps int) protocol.Perceptron {
	w := []float32{float32(p.w[0]), float32(p.w[1]), float32(p.w[2])}
	return protocol.Perceptron{W: w, B: float32(p.b), Targets: slices.Clone(p.targets), Steps: steps, Row: p.row, LR: 1}
}

// evaluate asks the engine for the current weights' outputs; moves of a
// slider while a request is out are folded into one more request.
func (p *Perceptron) evaluate(ctx app.Context) {
	if p.busy {
		p.again = true
		return
	}
	p.busy = true
	req := p.request(0)
	ctx.Async(func() {
		t, err := Call(protocol.EvalPerceptron, req)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			p.take(ctx, t, err)
			if p.again {
				p.again = false
				p.evaluate(ctx)
			}
		})
	})
}

// take shows an engine answer: weights after any rule steps, nets, figures.
func (p *Perceptron) take(ctx app.Context, t protocol.PerceptronTable, err error) {
	if err != nil {
		p.errMsg, p.running = err.Error(), false
		return
	}
	p.errMsg = ""
	for i, w := range t.W {
		p.w[i] = float64(w)
	}
	p.b = float64(t.B)
	p.nets, p.sig = t.Net, t.Sigmoid
	p.correct, p.separable, p.evaluated = t.Correct, t.Separable, true
	ctx.Defer(p.paint)
}

// step runs the rule on one row (Step) or a whole epoch (each tick of Run).
func (p *Perceptron) step(ctx app.Context, rows int, then func(app.Context)) {
	req := p.request(rows)
	p.busy = true
	ctx.Async(func() {
		t, err := Call(protocol.EvalPerceptron, req)
		ctx.Dispatch(func(ctx app.Context) {
			p.busy = false
			if err == nil {
				p.lastRow = (p.row + rows - 1) % 8
				p.inEpoch += t.Mistakes
				p.row = (p.row + rows) % 8
				if p.row == 0 {
					p.epochs = append(p.epochs, p.inEpoch)
					p.inEpoch = 0
				}
			}
			p.take(ctx, t, err)
			if then != nil {
				then(ctx)
			}
		})
	})
}

// settled reports whether the last whole epoch made no mistakes.
func (p *Perceptron) settled() bool {
	return len(p.epochs) > 0 && p.epochs[len(p.epochs)-1] == 0
}

func (p *Perceptron) run(ctx app.Context, e app.Event) {
	if p.running {
		p.stopRun()
		return
	}
	p.running = true
	p.runGen++
	gen := p.runGen
	var tick func(ctx app.Context)
	tick = func(ctx app.Context) {
		if gen != p.runGen || !p.running {
			return // stopped, or the table changed, since this tick was set
		}
		// Finish the epoch under way, then whole epochs, one per tick so
		// the plane can be seen moving.
		p.step(ctx, 8-p.row, func(ctx app.Context) {
			if gen != p.runGen {
				return
			}
			if p.errMsg != "" || p.settled() || len(p.epochs) >= maxRunEpochs {
				p.stopRun()
				return
			}
			ctx.After(epochInterval, tick)
		})
	}
	tick(ctx)
}

// stopRun ends a run; a tick already on its way finds it over.
func (p *Perceptron) stopRun() {
	p.running = false
	p.runGen++
}

func (p *Perceptron) slider(id, label string, v *float64, lo, hi float64, neg bool) app.UI {
	shown := *v
	if neg {
		shown = -shown + 0 // + 0: no "−0.00"
	}
	return app.Div().Class("slider").Body(
		app.Label().For(id).Text(fmt.Sprintf("%s = %.2f", label, shown)),
		app.Input().ID(id).Type("range").Min(lo).Max(hi).Step(0.05).
			Value(strconv.FormatFloat(shown, 'f', 2, 64)).
			OnInput(func(ctx app.Context, e app.Event) {
				x, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
				if err != nil {
					return
				}
				if neg {
					x = -x
				}
				*v = x
				p.evaluate(ctx)
			}),
	)
}

// Render shows the switches, the decision, the controls, the table, the
// cube and the training record.
func (p *Perceptron) Render() app.UI {
	r := b2i(p.facts[0])<<2 | b2i(p.facts[1])<<1 | b2i(p.facts[2])
	return page("perceptron",
		app.Section().Class("controls").Body(
			app.H2().Text("Go to the festival?"),
			app.FieldSet().Class("switches").Body(
				app.Legend().Text("The three facts"),
				app.Range(festivalFacts[:]).Slice(func(i int) app.UI {
					id := fmt.Sprintf("x%d", i+1)
					return app.Label().Class("switch").For(id).Body(
						app.Input().ID(id).Type("checkbox").Attr("role", "switch").Checked(p.facts[i]).
							OnChange(func(ctx app.Context, e app.Event) {
								p.facts[i] = ctx.JSSrc().Get("checked").Bool()
								ctx.Defer(p.paint)
							}),
						app.Span().Text(fmt.Sprintf("x%s: %s", subscript(i+1), festivalFacts[i])),
					)
				}),
			),
			p.decision(r),
			app.Label().For("preset").Text("Decision to learn"),
			app.Select().ID("preset").OnChange(func(ctx app.Context, e app.Event) {
				p.setPreset(ctx.JSSrc().Get("value").String())
				p.evaluate(ctx)
			}).Body(
				app.Range(festivalPresets).Slice(func(i int) app.UI {
					return app.Option().Value(festivalPresets[i].id).Text(festivalPresets[i].label).Selected(p.preset == festivalPresets[i].id)
				}),
				app.Option().Value("custom").Text("Your own (edit the table)").Selected(p.preset == "custom").Disabled(true),
			),
			p.slider("w1", "weight w₁ (weather)", &p.w[0], -5, 5, false),
			p.slider("w2", "weight w₂ (friend)", &p.w[1], -5, 5, false),
			p.slider("w3", "weight w₃ (transport)", &p.w[2], -5, 5, false),
			p.slider("bias", "bias b", &p.b, -5, 5, false),
			p.slider("threshold", "threshold θ = −b", &p.b, -5, 5, true),
			app.Div().Class("buttons").Body(
				app.Button().ID("rule-step").Text("Step (one row)").Disabled(p.running || p.busy).OnClick(func(ctx app.Context, e app.Event) { p.step(ctx, 1, nil) }),
				app.Button().ID("rule-run").Text(map[bool]string{false: "Run the rule", true: "Stop"}[p.running]).OnClick(p.run),
				app.Button().ID("rule-reset").Text("Zero the weights").Disabled(p.running).OnClick(func(ctx app.Context, e app.Event) {
					p.w, p.b = [3]float64{}, 0
					p.resetTraining()
					p.evaluate(ctx)
				}),
			),
			app.P().Class("caption").Text("The perceptron rule visits the rows in turn; on a row it gets wrong it moves the plane towards it: w ← w + (t − y)x, b ← b + (t − y)."),
			app.If(p.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(p.errMsg) }),
		),
		app.Section().Class("results").Body(
			p.status(),
			app.Article().Class("model").Body(
				app.H3().Text("The unit cube and the plane x·w + b = 0"),
				p.turnable(app.Canvas().ID("cube").Class("cube").Width(cubeSide).Height(cubeSide).
					Attr("role", "img").Aria("label", p.cubeLabel()), p.paint),
				app.P().Class("caption").Text("Orange corners: go (Y = 1); blue: stay (Y = 0). A ring marks a corner the perceptron gets wrong; the white square is the facts switched on above. Once every corner is right, the filled plane is the perceptron's moved halfway between the nearest go and stay corners, and the dashed outline is where the rule left it: touching the go corners, since step(0) = 1. Drag the cube, or focus it and use the arrow keys, to turn it."),
			),
			app.Article().Class("model").Body(
				app.H3().Text("The decision as an equation"),
				app.P().Class("equation").ID("equation").Text(p.equation(r)),
			),
			app.Article().Class("model").Body(
				app.H3().Text("The truth table"),
				app.Div().Class("table-wrap").TabIndex(0).Aria("label", "Table (scrolls sideways)").Body(p.table()),
			),
			app.Article().Class("model").Body(
				app.H3().Text("Mistakes per epoch"),
				app.Raw(mistakesPlot(p.epochs)),
			),
		),
	)
}

// subscript writes n in subscript digits: z₁₂.
func subscript(n int) string {
	var b strings.Builder
	for _, r := range strconv.Itoa(n) {
		b.WriteRune('₀' + r - '0')
	}
	return b.String()
}

// decision is the live answer for the switched-on facts.
func (p *Perceptron) decision(r int) app.UI {
	if !p.evaluated {
		return app.P().Class("decision").Text("…")
	}
	y := p.nets[r] >= 0
	want := p.targets[r] == 1
	say := map[bool]string{true: "Go", false: "Stay home"}
	txt := fmt.Sprintf("The perceptron says: %s (σ = %.2f). The table says: %s.", say[y], p.sig[r], say[want])
	return app.P().Class("decision").ID("decision").Attr("data-y", b2i(y)).Attr("role", "status").Text(txt)
}

func (p *Perceptron) equation(r int) string {
	if !p.evaluated {
		return ""
	}
	x := [3]int{r >> 2 & 1, r >> 1 & 1, r & 1}
	net := p.nets[r]
	return fmt.Sprintf("Y = step(w₁x₁ + w₂x₂ + w₃x₃ + b) = step(%.2f·%d + %.2f·%d + %.2f·%d %s %.2f) = step(%.2f) = %d;  σ(%.2f) = %.3f",
		p.w[0], x[0], p.w[1], x[1], p.w[2], x[2], sign(p.b), math.Abs(p.b), net, b2i(net >= 0), net, p.sig[r])
}

func sign(v float64) string {
	if v < 0 {
		return "−"
	}
	return "+"
}

// table is the editable truth table with each row's net and outputs.
func (p *Perceptron) table() app.UI {
	rows := make([]app.UI, 8)
	for r := range 8 {
		x := fmt.Sprintf("%d%d%d", r>>2&1, r>>1&1, r&1)
		var net, step, sig string
		cls := ""
		if p.evaluated {
			net = fmt.Sprintf("%.2f", p.nets[r])
			step = strconv.Itoa(b2i(p.nets[r] >= 0))
			sig = fmt.Sprintf("%.2f", p.sig[r])
			if float32(b2i(p.nets[r] >= 0)) != p.targets[r] {
				cls = "wrong"
			}
			if math.Abs(float64(p.sig[r])-0.5) < 0.1 {
				sig += " ≈ ½" // close to the plane
			}
		}
		if r == p.lastRow {
			cls += " current"
		}
		rows[r] = app.Tr().Class(cls).Body(
			app.Td().Text(x[0:1]), app.Td().Text(x[1:2]), app.Td().Text(x[2:3]),
			app.Td().Body(app.Input().Type("checkbox").ID("t"+x).Aria("label", "Go when x₁x₂x₃ = "+x).Checked(p.targets[r] == 1).
				OnChange(func(ctx app.Context, e app.Event) {
					p.targets[r] = float32(b2i(ctx.JSSrc().Get("checked").Bool()))
					p.preset = "custom"
					p.resetTraining()
					p.evaluate(ctx)
				})),
			app.Td().Text(net), app.Td().Text(step), app.Td().Text(sig),
		)
	}
	return app.Table().ID("truth").Class("truth").Body(
		app.Caption().Text("Tick Y to say go for a row. Right of it: x·w + b, the step output and the sigmoid output (≈ ½ marks a corner close to the plane)."),
		app.THead().Body(app.Tr().Body(
			app.Th().Text("x₁"), app.Th().Text("x₂"), app.Th().Text("x₃"), app.Th().Text("Y (go?)"),
			app.Th().Text("x·w + b"), app.Th().Text("step"), app.Th().Text("σ"),
		)),
		app.TBody().Body(rows...),
	)
}

// status says how training stands, for people and for tests.
func (p *Perceptron) status() app.UI {
	var line string
	last := -1
	if n := len(p.epochs); n > 0 {
		last = p.epochs[n-1]
	}
	switch {
	case !p.evaluated:
		line = "…"
	case !p.separable && len(p.epochs) > 0:
		line = fmt.Sprintf("This table is not linearly separable: no plane puts every go corner on one side and every stay corner on the other. The rule never settles: %d mistakes in epoch %d, and the plane keeps moving.", last, len(p.epochs))
	case !p.separable:
		line = fmt.Sprintf("%d of 8 rows right. This table is not linearly separable: no single perceptron can make this decision. Run the rule to watch it never settle.", p.correct)
	case p.settled():
		line = fmt.Sprintf("Settled after %d epochs: 8/8 rows right, and an epoch without a mistake.", len(p.epochs))
	default:
		line = fmt.Sprintf("%d/8 rows right. Some plane separates this table: the perceptron rule will find one.", p.correct)
	}
	return app.Article().Class("model").ID("perceptron-status").
		Attr("data-correct", p.correct).Attr("data-separable", p.separable).Attr("data-settled", p.settled()).
		Attr("data-epochs", len(p.epochs)).Attr("data-last-mistakes", last).Attr("data-running", p.running).Body(
		app.P().Attr("role", "status").Text(line),
	)
}

// mistakesPlot charts the mistakes in each epoch (at most 8), as bars.
func mistakesPlot(epochs []int) string {
	c := chart{
		ID: "mistakes", Title: "Mistakes per epoch", H: 170, Bars: true,
		X:     axis{Label: "epoch", Lo: 0.5, Hi: float64(max(len(epochs), 20)) + 0.5},
		Y:     axis{Label: "mistakes in the epoch", Lo: 0, Hi: 8},
		Empty: "Step or run the rule to see its mistakes.",
	}
	if len(epochs) > 0 {
		s := series{Colour: "#e69f00"}
		for i, m := range epochs {
			s.Points = append(s.Points, [2]float64{float64(i + 1), float64(m)})
		}
		c.Series = []series{s}
	}
	return c.Render()
}

func (p *Perceptron) cubeLabel() string {
	s := fmt.Sprintf("The unit cube with its 8 corners coloured by decision, and the plane %.2fx₁ + %.2fx₂ + %.2fx₃ %s %.2f = 0.", p.w[0], p.w[1], p.w[2], sign(p.b), math.Abs(p.b))
	if p.evaluated {
		s += fmt.Sprintf(" %d of 8 corners are on their right side.", p.correct)
	}
	return s + " Drag or use the arrow keys to turn it."
}

// project maps a point of the unit cube to canvas pixels.
func (p *Perceptron) project(x1, x2, x3 float64) (float64, float64) {
	return p.view().project(x1, x2, x3)
}

func (p *Perceptron) view() cubeView { return cubeView{yaw: p.yaw, pitch: p.pitch, side: cubeSide} }

// paint draws the cube, its corners and the plane.
func (p *Perceptron) paint(ctx app.Context) {
	if !app.IsClient || !p.evaluated {
		return
	}
	canvas := app.Window().GetElementByID("cube")
	if !canvas.Truthy() {
		return
	}
	// The plane painted, for a test to wait on.
	canvas.Call("setAttribute", "data-plane", fmt.Sprintf("%.2f %.2f %.2f %.2f", p.w[0], p.w[1], p.w[2], p.b))
	g := canvas.Call("getContext", "2d")
	g.Set("fillStyle", "#0d0f13")
	g.Call("fillRect", 0, 0, cubeSide, cubeSide)
	corner := func(r int) (float64, float64) {
		return p.project(float64(r>>2&1), float64(r>>1&1), float64(r&1))
	}
	// Edges join corners that differ in one fact.
	g.Set("strokeStyle", "#4a4f5c")
	g.Set("lineWidth", 1)
	for r := range 8 {
		for _, bit := range []int{1, 2, 4} {
			if r&bit == 0 {
				x0, y0 := corner(r)
				x1, y1 := corner(r | bit)
				g.Call("beginPath")
				g.Call("moveTo", x0, y0)
				g.Call("lineTo", x1, y1)
				g.Call("stroke")
			}
		}
	}
	// The axes' names beside the edges leaving 000, and the corners'
	// labels, placed where they cover no corner and no other label.
	cornerBoxes, axisBoxes := p.view().labels()
	g.Set("font", "13px system-ui, sans-serif")
	g.Set("textAlign", "center")
	g.Set("textBaseline", "middle")
	g.Set("fillStyle", "#a7a9b0")
	for i, name := range axisNames {
		g.Call("fillText", name, axisBoxes[i].x, axisBoxes[i].y)
	}
	p.paintPlanes(g)
	here := b2i(p.facts[0])<<2 | b2i(p.facts[1])<<1 | b2i(p.facts[2])
	for r := range 8 {
		x, y := corner(r)
		if r == here {
			g.Set("strokeStyle", "#ffffff")
			g.Set("lineWidth", 2)
			g.Call("strokeRect", x-12, y-12, 24, 24)
		}
		g.Call("beginPath")
		g.Call("arc", x, y, 7, 0, 2*math.Pi)
		g.Set("fillStyle", map[bool]string{true: "#f2a93b", false: "#4aa3ff"}[p.targets[r] == 1])
		g.Call("fill")
		if (p.nets[r] >= 0) != (p.targets[r] == 1) {
			g.Set("strokeStyle", "#ff7a6b")
			g.Set("lineWidth", 3)
			g.Call("beginPath")
			g.Call("arc", x, y, 10, 0, 2*math.Pi)
			g.Call("stroke")
		}
		g.Set("fillStyle", "#f4f1ea")
		g.Call("fillText", fmt.Sprintf("%d%d%d", r>>2&1, r>>1&1, r&1), cornerBoxes[r].x, cornerBoxes[r].y)
	}
	g.Set("textAlign", "start")
	g.Set("textBaseline", "alphabetic")
}

// paintPlanes draws the perceptron's plane. Once every corner is on its
// right side it draws, filled, the same plane moved halfway between the
// nearest go and stay corners, and the rule's own plane (which touches the
// go corners, as step(0) = 1) as a dashed outline.
func (p *Perceptron) paintPlanes(g app.Value) {
	w := [3]float64{p.w[0], p.w[1], p.w[2]}
	if b, ok := centredBias(w, p.targets); ok && p.correct == 8 {
		p.paintPlane(g, w, b, true)
		g.Call("setLineDash", []any{5, 4})
		p.paintPlane(g, w, p.b, false)
		g.Call("setLineDash", []any{})
		return
	}
	p.paintPlane(g, w, p.b, true)
}

// paintPlane draws the part of x·w + b = 0 inside the cube (filled, or
// only its outline): the points where it crosses the cube's edges, in
// order round their centre.
func (p *Perceptron) paintPlane(g app.Value, w [3]float64, bias float64, fill bool) {
	f := func(r int) float64 {
		return w[0]*float64(r>>2&1) + w[1]*float64(r>>1&1) + w[2]*float64(r&1) + bias
	}
	var pts [][2]float64
	for r := range 8 {
		for bit := range 3 {
			m := 4 >> bit
			if r&m != 0 {
				continue
			}
			a, b := f(r), f(r|m)
			if a*b > 0 || a == b {
				continue
			}
			t := a / (a - b)
			x := [3]float64{float64(r >> 2 & 1), float64(r >> 1 & 1), float64(r & 1)}
			x[bit] += t
			sx, sy := p.project(x[0], x[1], x[2])
			pts = append(pts, [2]float64{sx, sy})
		}
	}
	if len(pts) < 3 {
		return
	}
	var cx, cy float64
	for _, q := range pts {
		cx, cy = cx+q[0]/float64(len(pts)), cy+q[1]/float64(len(pts))
	}
	sort.Slice(pts, func(i, j int) bool {
		return math.Atan2(pts[i][1]-cy, pts[i][0]-cx) < math.Atan2(pts[j][1]-cy, pts[j][0]-cx)
	})
	g.Call("beginPath")
	g.Call("moveTo", pts[0][0], pts[0][1])
	for _, q := range pts[1:] {
		g.Call("lineTo", q[0], q[1])
	}
	g.Call("closePath")
	if fill {
		g.Set("fillStyle", "rgba(244, 241, 234, 0.22)")
		g.Call("fill")
	}
	g.Set("strokeStyle", "#f4f1ea")
	g.Set("lineWidth", 1.5)
	g.Call("stroke")
}
