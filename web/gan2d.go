package web

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/gan2d"
	"latentplay/wasm/engine/protocol"
)

const (
	ganCells    = 48           // D's heat map, cells per side, drawn smoothed
	ganShow     = 300          // real and generated points drawn
	ganArrows   = 60           // of the generated points, those with an arrow
	ganChunk    = 20           // steps per request while training runs
	ganRange    = gan2d.Extent // the plane is [−2, 2]²
	ganMaxCurve = 1000         // loss points kept; beyond, every other one is dropped
	ganPick     = 0.08         // a click this near a placed point removes it
)

// The lab's colours (Okabe–Ito): real points and D's "real" in sky blue,
// generated points and D's "fake" in orange.
var (
	ganReal = [3]byte{0x56, 0xb4, 0xe9}
	ganFake = [3]byte{0xe6, 0x9f, 0x00}
)

// ganDatasets are the data sets: id, name, and the name under a thumbnail.
var ganDatasets = []struct{ id, label, short string }{
	{"ring", "Ring of eight", "Ring of eight"}, {"moons", "Two moons", "Two moons"}, {"line", "A line", "Line"},
	{"spiral", "A spiral", "Spiral"}, {"custom", "Your own points", "Your own"},
}

// ganPoint is one point of the loss curves.
type ganPoint struct {
	step int
	d, g float64
}

// GANLab is the GAN lab, after GAN Lab (Kahng et al. 2018): a generator
// learns to make points like the data's while a discriminator learns to
// tell them apart. Training runs in the engine's worker, a few steps a
// request, until the person pauses it; the page shows the plane (D's
// belief as a heat map, the real and generated points, the way G's loss
// pushes its points), the two losses, and on the ring how many of its
// eight modes G reaches. Every setting, seed included, is in the URL.
type GANLab struct {
	app.Compo

	cfg protocol.GAN2D
	// stopAt is where a run pauses: the lesson's budget unless a link
	// says otherwise (0: it runs until paused); pauseAt is where this run
	// pauses (0 once Train is pressed past stopAt).
	stopAt, pauseAt int

	running  bool
	inflight int
	runGen   int
	steps    int // single steps asked for and not yet sent
	lastSent float64
	frame    app.Func
	framed   bool
	state    *protocol.GAN2DState
	curve    []ganPoint
	errMsg   string
	note     string
	grid     app.Value // the heat map before it is enlarged
	thumbs   string    // what the thumbnails show
}

// OnInit sets the defaults: the ring, gan2d.Defaults, no remedy.
func (g *GANLab) OnInit() {
	d := gan2d.Defaults()
	g.cfg = protocol.GAN2D{
		Data: d.Data, Noise: d.Noise, Hidden: d.Hidden, Batch: d.Batch,
		LRG: shortest(d.LRG), LRD: shortest(d.LRD), Seed: d.Seed,
	}
	g.stopAt = gan2d.Budget
}

// shortest is a float32 as the float64 of its shortest decimal (0.001,
// not 0.0010000000474974513), for the boxes and the URL.
func shortest(v float32) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(v), 'g', -1, 32), 64)
	return f
}

// OnMount reads the settings from the URL and builds the run.
func (g *GANLab) OnMount(ctx app.Context) {
	g.fromQuery(ctx.Page().URL().Query())
	g.restart(ctx)
}

// OnDismount stops the run.
func (g *GANLab) OnDismount() { g.running = false }

// OnResize redraws the plane at its new size.
func (g *GANLab) OnResize(ctx app.Context) { ctx.Defer(g.paint) }

func (g *GANLab) query() url.Values {
	c := g.cfg
	v := url.Values{}
	v.Set("data", c.Data)
	v.Set("z", strconv.Itoa(c.Noise))
	v.Set("hidden", strconv.Itoa(c.Hidden))
	v.Set("batch", strconv.Itoa(c.Batch))
	v.Set("lrg", fmtFloat(c.LRG))
	v.Set("lrd", fmtFloat(c.LRD))
	if c.Remedy != "" {
		v.Set("remedy", c.Remedy)
	}
	v.Set("seed", strconv.FormatUint(c.Seed, 10))
	if g.stopAt != gan2d.Budget {
		v.Set("steps", strconv.Itoa(g.stopAt))
	}
	if c.Data == "custom" {
		pts := make([]string, 0, len(c.Points))
		for _, p := range c.Points {
			pts = append(pts, fmtFloat(float64(p[0]))+","+fmtFloat(float64(p[1])))
		}
		v.Set("points", strings.Join(pts, ";"))
	}
	return v
}

// fromQuery takes what it can read from the URL; the rest stays default
// (the engine refuses what is out of range, with a message).
func (g *GANLab) fromQuery(v url.Values) {
	c := &g.cfg
	num := func(key string, dst *float64) {
		if f, err := strconv.ParseFloat(v.Get(key), 64); err == nil {
			*dst = f
		}
	}
	integer := func(key string, dst *int) {
		if i, err := strconv.Atoi(v.Get(key)); err == nil {
			*dst = i
		}
	}
	if s := v.Get("data"); s != "" {
		c.Data = s
	}
	integer("z", &c.Noise)
	integer("hidden", &c.Hidden)
	integer("batch", &c.Batch)
	num("lrg", &c.LRG)
	num("lrd", &c.LRD)
	c.Remedy = v.Get("remedy")
	if s, err := strconv.ParseUint(v.Get("seed"), 10, 64); err == nil {
		c.Seed = s
	}
	integer("steps", &g.stopAt)
	g.stopAt = max(g.stopAt, 0)
	c.Points = nil
	for _, p := range strings.Split(v.Get("points"), ";") {
		xs, ys, ok := strings.Cut(p, ",")
		x, e1 := strconv.ParseFloat(xs, 32)
		y, e2 := strconv.ParseFloat(ys, 32)
		if ok && e1 == nil && e2 == nil {
			c.Points = append(c.Points, [2]float32{float32(x), float32(y)})
		}
	}
}

func (g *GANLab) changed(ctx app.Context) {
	if app.IsClient {
		u := *ctx.Page().URL()
		u.RawQuery = g.query().Encode()
		app.Window().Get("history").Call("replaceState", nil, "", u.String())
	}
	g.restart(ctx)
}

// restart builds the run afresh from the settings, paused at step 0.
func (g *GANLab) restart(ctx app.Context) {
	g.running, g.steps, g.note, g.pauseAt = false, 0, "", g.stopAt
	g.runGen++
	g.curve = nil
	if g.cfg.Data == "custom" && len(g.cfg.Points) == 0 {
		g.state, g.errMsg = nil, ""
		ctx.Defer(g.paint)
		return
	}
	g.send(ctx, 0, true)
}

func (g *GANLab) send(ctx app.Context, steps int, restart bool) {
	q := g.cfg
	q.Points = slices.Clone(q.Points)
	q.Restart, q.Steps, q.Grid, q.Show = restart, steps, ganCells, ganShow
	gen := g.runGen
	g.inflight++
	g.lastSent = now()
	ctx.Async(func() {
		s, err := Call(protocol.TrainGAN, q)
		ctx.Dispatch(func(ctx app.Context) {
			g.inflight--
			if gen != g.runGen {
				ctx.PreventUpdate()
				return
			}
			if err != nil {
				g.errMsg, g.running = plainError(err), false
				return
			}
			g.errMsg = ""
			g.take(ctx, s, steps)
			g.onward(ctx)
		})
	})
}

func (g *GANLab) take(ctx app.Context, s protocol.GAN2DState, steps int) {
	g.state = &s
	if steps > 0 {
		g.curve = append(g.curve, ganPoint{s.Step, s.LossD, s.LossG})
		if len(g.curve) > ganMaxCurve {
			out := g.curve[:0:0]
			for i, p := range g.curve {
				if i%2 == 0 || i == len(g.curve)-1 {
					out = append(out, p)
				}
			}
			g.curve = out
		}
	}
	if g.pauseAt > 0 && s.Step == g.pauseAt && g.running {
		g.running = false
		g.note = fmt.Sprintf("Paused at step %d, where this link stops. Press Train to go on.", s.Step)
		if g.pauseAt == gan2d.Budget {
			g.note = fmt.Sprintf("Paused at step %d, the budget the lesson measures coverage after. Press Train to go on.", s.Step)
		}
	}
	ctx.Defer(g.paint)
}

// onward sends the next request: at once for a step, and while training
// runs no sooner than the next animation frame, so every answer is drawn.
func (g *GANLab) onward(ctx app.Context) {
	if !g.running || now()-g.lastSent >= 15 || !app.IsClient {
		g.pump(ctx)
		return
	}
	if g.framed {
		return
	}
	if g.frame == nil {
		g.frame = app.FuncOf(func(app.Value, []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) {
				ctx.PreventUpdate()
				g.framed = false
				g.pump(ctx)
			})
			return nil
		})
	}
	g.framed = true
	app.Window().Call("requestAnimationFrame", g.frame)
}

func (g *GANLab) pump(ctx app.Context) {
	if g.inflight > 0 {
		return
	}
	n := 0
	switch {
	case g.running:
		n = ganChunk
		if g.pauseAt > g.step() {
			n = min(n, g.pauseAt-g.step())
		}
	case g.steps > 0:
		n = 1
		g.steps--
	}
	if n > 0 {
		g.send(ctx, n, false)
	}
}

func (g *GANLab) step() int {
	if g.state == nil {
		return 0
	}
	return g.state.Step
}

func (g *GANLab) toggle(ctx app.Context, e app.Event) {
	if g.running {
		g.running = false
		return
	}
	if g.state == nil {
		return
	}
	if g.pauseAt > 0 && g.step() >= g.pauseAt {
		g.pauseAt = 0 // past the stop, the run goes on until paused
	}
	g.running, g.note = true, ""
	g.pump(ctx)
}

func (g *GANLab) oneStep(ctx app.Context, e app.Event) {
	if g.running || g.state == nil {
		return
	}
	g.steps++
	g.note = ""
	g.pump(ctx)
}

func (g *GANLab) chooseData(ctx app.Context, e app.Event) {
	id := strings.TrimPrefix(ctx.JSSrc().Get("id").String(), "gan-data-")
	if id == g.cfg.Data {
		return
	}
	g.cfg.Data = id
	g.changed(ctx)
}

func (g *GANLab) onRemedy(ctx app.Context, e app.Event) {
	g.cfg.Remedy = ""
	if ctx.JSSrc().Get("checked").Bool() {
		g.cfg.Remedy = gan2d.RemedyMinibatchStd
	}
	g.changed(ctx)
}

// onNumber takes a number box's new value, by its id.
func (g *GANLab) onNumber(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("id").String()
	v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		return
	}
	c := &g.cfg
	switch id {
	case "gan-lrg":
		c.LRG = v
	case "gan-lrd":
		c.LRD = v
	case "gan-z":
		c.Noise = int(v)
	case "gan-hidden":
		c.Hidden = int(v)
	case "gan-batch":
		c.Batch = int(v)
	case "gan-seed":
		c.Seed = uint64(max(v, 0))
	default:
		return
	}
	g.changed(ctx)
}

// place adds a point where the plane was clicked, or removes the placed
// point clicked on (custom data only).
func (g *GANLab) place(ctx app.Context, e app.Event) {
	if g.cfg.Data != "custom" {
		ctx.PreventUpdate()
		return
	}
	el := ctx.JSSrc()
	w, h := el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
	x := (e.Get("offsetX").Float()/w*2 - 1) * ganRange
	y := (1 - e.Get("offsetY").Float()/h*2) * ganRange
	at := -1
	best := ganPick
	for i, p := range g.cfg.Points {
		if d := math.Hypot(float64(p[0])-x, float64(p[1])-y); d <= best {
			best, at = d, i
		}
	}
	if at >= 0 {
		g.cfg.Points = slices.Delete(g.cfg.Points, at, at+1)
	} else if len(g.cfg.Points) < gan2d.MaxCustom {
		r := func(v float64) float32 {
			return float32(math.Round(math.Max(-ganRange, math.Min(ganRange, v))*100) / 100)
		}
		g.cfg.Points = append(g.cfg.Points, [2]float32{r(x), r(y)})
	}
	g.changed(ctx)
}

// Render lays the lab out as the network lab: the run's controls and
// step along the top; the data and settings, the plane, and the figures
// side by side under them.
func (g *GANLab) Render() app.UI {
	return page("gan",
		app.Section().Class("wide netlab ganlab").ID("gan-lab").Aria("label", "A generator and a discriminator train against each other").Body(
			g.topBar(),
			app.Div().Class("gan-cols").Body(
				g.dataColumn(),
				g.planeColumn(),
				g.figuresColumn(),
			),
		),
	)
}

func (g *GANLab) topBar() app.UI {
	c := g.cfg
	play, icon, title := "Train", "icon-play", "Train until you pause"
	if g.running {
		play, icon, title = "Pause", "icon-pause", "Pause training"
	}
	return app.Div().Class("net-top").Body(
		app.Div().Class("net-run").Body(
			app.Button().ID("gan-reset").Class("net-round").Title("Start over: the first weights again, at step 0").
				Aria("label", "Start over").OnClick(func(ctx app.Context, e app.Event) { g.restart(ctx) }).
				Body(app.Span().Class("icon icon-reset")),
			app.Button().ID("gan-train").Class("net-play").Title(title).Aria("pressed", g.running).OnClick(g.toggle).
				Body(app.Span().Class("icon "+icon), app.Span().Text(play)),
			app.Button().ID("gan-step").Class("net-round").Title("Train one step: D once, then G once").Aria("label", "Train one step").
				Disabled(g.running).OnClick(g.oneStep).Body(app.Span().Class("icon icon-step")),
		),
		app.Div().Class("net-epoch").Body(
			app.Span().Class("label").Text("Step"),
			app.Span().ID("gan-step-count").Class("value").Text(epochText(g.step())),
		),
		numberInput("gan-lrg", "G's learning rate", c.LRG, 0.0001, 0.00001, 0.1, g.onNumber),
		numberInput("gan-lrd", "D's learning rate", c.LRD, 0.0001, 0.00001, 0.1, g.onNumber),
		app.Label().Class("switch gan-remedy").For("gan-remedy").Body(
			app.Input().ID("gan-remedy").Type("checkbox").Checked(c.Remedy != "").OnChange(g.onRemedy),
			app.Text(" Remedy: D sees the batch's spread"),
		),
	)
}

func (g *GANLab) dataColumn() app.UI {
	c := g.cfg
	return app.Div().Class("net-col gan-data").Body(
		app.H3().Text("Data"),
		app.Div().Class("net-thumbs").Attr("role", "group").Aria("label", "Data set").Body(
			app.Range(ganDatasets).Slice(func(i int) app.UI {
				d := ganDatasets[i]
				return app.Button().ID("gan-data-"+d.id).Class("net-thumb").Title(d.label).Aria("label", d.label).
					Aria("pressed", c.Data == d.id).OnClick(g.chooseData).Body(
					app.Canvas().ID("gan-thumb-"+d.id).Attr("role", "img").Aria("label", "A sample of "+strings.ToLower(d.label)),
					app.Span().Text(d.short),
				)
			}),
		),
		app.If(c.Data == "custom", func() app.UI {
			return app.Div().Class("net-custom").Body(
				app.P().Class("caption").Text("Click the plane to place a point; click a point to take it away. Each is blurred a little."),
				app.Button().ID("gan-clear").Text("Clear the points").OnClick(func(ctx app.Context, e app.Event) { g.cfg.Points = nil; g.changed(ctx) }),
			)
		}),
		app.Div().Class("net-fields").Body(
			numberInput("gan-z", "Noise z, dimensions", float64(c.Noise), 1, 1, 16, g.onNumber),
			numberInput("gan-hidden", "Units per layer", float64(c.Hidden), 1, 2, 128, g.onNumber),
			numberInput("gan-batch", "Batch size", float64(c.Batch), 1, 2, 1024, g.onNumber),
			numberInput("gan-seed", "Seed", float64(c.Seed), 1, 0, 1e9, g.onNumber),
		),
		app.P().Class("caption").Text("G: z ~ N(0, I) → two leaky-ReLU layers → a point. D: a point → two leaky-ReLU layers → the logit that it is real. Each step trains D once on a batch of real and generated points, then G once; both with Adam."),
	)
}

func (g *GANLab) planeColumn() app.UI {
	return app.Div().Class("net-col gan-plane").Body(
		app.Div().Class("net-map-box").Body(
			framed(axis{Label: "x₁", Lo: -ganRange, Hi: ganRange}, axis{Label: "x₂", Lo: -ganRange, Hi: ganRange},
				app.Canvas().ID("gan-map").Class("netmap ganmap").Attr("role", "img").Aria("label", g.mapLabel()).OnClick(g.place)),
		),
		app.Ul().Class("legend").Body(
			app.Li().Body(app.Span().Class("swatch").Style("background", rgb(ganReal)), app.Text("real points; D says real")),
			app.Li().Body(app.Span().Class("swatch").Style("background", rgb(ganFake)), app.Text("G's points; D says fake")),
			app.Li().Body(app.Span().Class("swatch arrow"), app.Text("−∂L_G/∂x: where G's loss pushes a point")),
		),
	)
}

func (g *GANLab) mapLabel() string {
	s := g.state
	if s == nil {
		return "The plane, not computed yet"
	}
	return fmt.Sprintf("The plane at step %d: %d real and %d generated points over D's belief that each place is real", s.Step, s.Real.Rows, s.Fake.Rows)
}

func (g *GANLab) figuresColumn() app.UI {
	s := g.state
	covered, modes, lossD, lossG := 0, 0, "–", "–"
	if s != nil {
		covered, modes = s.Covered, s.Modes
		if s.Step > 0 {
			lossD, lossG = fmt.Sprintf("%.3f", s.LossD), fmt.Sprintf("%.3f", s.LossG)
		}
	}
	cover := "Modes covered: only on the ring"
	if modes > 0 {
		cover = fmt.Sprintf("Modes covered: %d of %d", covered, modes)
	}
	fig := func(label, value string) app.UI {
		return app.Div().Class("net-fig").Body(app.Span().Class("label").Text(label+" "), app.Span().Class("value").Text(value))
	}
	return app.Div().Class("net-col gan-out").Body(
		app.Div().ID("gan-status").Class("gan-status").Attr("role", "status").
			Attr("data-step", g.step()).Attr("data-running", g.running).
			Attr("data-covered", covered).Attr("data-modes", modes).Body(
			app.P().ID("gan-coverage").Class("gan-coverage").Text(cover),
			app.Div().Class("net-figures").Body(fig("D's loss", lossD), fig("G's loss", lossG)),
		),
		app.If(g.note != "", func() app.UI { return app.P().Class("net-note").Text(g.note) }),
		app.If(g.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(g.errMsg) }),
		app.If(g.cfg.Data == "custom" && len(g.cfg.Points) == 0, func() app.UI {
			return app.P().Class("net-note").Text("Place a few points on the plane to train on.")
		}),
		app.Div().ID("gan-curves").Body(app.Raw(ganLossPlot(g.curve))),
		app.P().Class("caption").Text(fmt.Sprintf("A mode of the ring is covered when at least 1%% of %d generated points lie within 2σ of its centre (σ = %g).", gan2d.CoverageSamples, gan2d.RingSigma)),
	)
}

// ganLossPlot draws both losses against steps. At D's optimum against a
// perfect G, L_D = 2 ln 2 ≈ 1.386 and L_G = ln 2 ≈ 0.693.
func ganLossPlot(c []ganPoint) string {
	ch := chart{
		ID: "gan-loss", Title: "D's and G's loss per step",
		X: axis{Label: "step"}, Y: axis{Label: "loss"}, W: 300, H: 170,
		Empty: "Press Train: the losses appear here.", NoPoint: len(c) > 300,
		Marks: []refLine{{Name: "2 ln 2", Colour: "#a7a9b0", At: 2 * math.Ln2}},
	}
	if len(c) >= 2 {
		d, gs := series{Name: "D", Colour: rgb(ganReal)}, series{Name: "G", Colour: rgb(ganFake)}
		for _, p := range c {
			d.Points = append(d.Points, [2]float64{float64(p.step), p.d})
			gs.Points = append(gs.Points, [2]float64{float64(p.step), p.g})
		}
		ch.Series = []series{d, gs}
	}
	return ch.Render()
}

// paint draws the thumbnails and the plane.
func (g *GANLab) paint(ctx app.Context) {
	if !app.IsClient {
		return
	}
	doc := app.Window().Get("document")
	g.paintThumbs()
	c := app.Window().GetElementByID("gan-map")
	if !c.Truthy() {
		return
	}
	side, _, gc := fitCanvas(c, 300, 300)
	gc.Set("fillStyle", "#0d0f13")
	gc.Call("fillRect", 0, 0, side, side)
	s := g.state
	if s == nil || g.cfg.Data == "custom" && len(g.cfg.Points) == 0 {
		g.paintPlaced(gc, side)
		c.Call("setAttribute", "data-step", "")
		return
	}
	if len(s.Heat.Data) == ganCells*ganCells {
		g.grid = offscreen(doc, g.grid, ganCells, ganCells)
		putRGBA(g.grid, ganHeatRGBA(s.Heat.Data), ganCells, ganCells)
		gc.Set("imageSmoothingEnabled", true)
		gc.Set("imageSmoothingQuality", "high")
		gc.Call("drawImage", g.grid, 0, 0, side, side)
	}
	toPx := func(x, y float32) (float64, float64) {
		return (float64(x) + ganRange) / (2 * ganRange) * side, (ganRange - float64(y)) / (2 * ganRange) * side
	}
	dots := func(b protocol.Batch, fill [3]byte, ring string) {
		var p strings.Builder
		for i := range b.Rows {
			r := b.Row(i)
			x, y := toPx(r[0], r[1])
			fmt.Fprintf(&p, "M%.1f %.1fa2.8 2.8 0 1 0 -5.6 0a2.8 2.8 0 1 0 5.6 0", x+2.8, y)
		}
		path := app.Window().Get("Path2D").New(p.String())
		gc.Set("fillStyle", rgb(fill))
		gc.Set("strokeStyle", ring)
		gc.Set("lineWidth", 0.8)
		gc.Call("fill", path)
		gc.Call("stroke", path)
	}
	dots(s.Real, ganReal, "#ffffff")
	dots(s.Fake, ganFake, "#000000")
	g.paintArrows(gc, s, toPx)
	if s.Modes > 0 {
		// The 2σ discs the coverage counts.
		var p strings.Builder
		r := 2 * gan2d.RingSigma / (2 * ganRange) * side
		for _, ctr := range gan2d.RingCentres() {
			x, y := toPx(float32(ctr[0]), float32(ctr[1]))
			fmt.Fprintf(&p, "M%.1f %.1fa%.1f %.1f 0 1 0 %.1f 0a%.1f %.1f 0 1 0 %.1f 0", x+r, y, r, r, -2*r, r, r, 2*r)
		}
		gc.Set("strokeStyle", "rgba(244,241,234,0.7)")
		gc.Set("lineWidth", 1)
		gc.Call("setLineDash", []any{3, 3})
		gc.Call("stroke", app.Window().Get("Path2D").New(p.String()))
		gc.Call("setLineDash", []any{})
	}
	g.paintPlaced(gc, side)
	c.Call("setAttribute", "data-step", s.Step)
}

// paintArrows draws −∂L_G/∂x on the first generated points, all scaled
// by the longest so their lengths compare.
func (g *GANLab) paintArrows(gc app.Value, s *protocol.GAN2DState, toPx func(x, y float32) (float64, float64)) {
	n := min(ganArrows, s.Push.Rows, s.Fake.Rows)
	longest := 0.0
	for i := range n {
		r := s.Push.Row(i)
		longest = math.Max(longest, math.Hypot(float64(r[0]), float64(r[1])))
	}
	if longest == 0 || math.IsNaN(longest) || math.IsInf(longest, 0) {
		return
	}
	const maxLen = 0.35 // the longest arrow, in the plane's units
	var p strings.Builder
	for i := range n {
		f, d := s.Fake.Row(i), s.Push.Row(i)
		k := float32(maxLen / longest)
		x0, y0 := toPx(f[0], f[1])
		x1, y1 := toPx(f[0]+k*d[0], f[1]+k*d[1])
		l := math.Hypot(x1-x0, y1-y0)
		if l < 2 {
			continue
		}
		ux, uy := (x1-x0)/l, (y1-y0)/l
		fmt.Fprintf(&p, "M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1fL%.1f %.1f", x0, y0, x1, y1,
			x1-4*ux-3*uy, y1-4*uy+3*ux, x1, y1, x1-4*ux+3*uy, y1-4*uy-3*ux)
	}
	gc.Set("strokeStyle", "#f4f1ea")
	gc.Set("lineWidth", 1.2)
	gc.Call("stroke", app.Window().Get("Path2D").New(p.String()))
}

// paintPlaced marks the points placed by hand.
func (g *GANLab) paintPlaced(gc app.Value, side float64) {
	if g.cfg.Data != "custom" {
		return
	}
	var p strings.Builder
	for _, pt := range g.cfg.Points {
		x := (float64(pt[0]) + ganRange) / (2 * ganRange) * side
		y := (ganRange - float64(pt[1])) / (2 * ganRange) * side
		fmt.Fprintf(&p, "M%.1f %.1fh10M%.1f %.1fv10", x-5, y, x, y-5)
	}
	gc.Set("strokeStyle", "#ffffff")
	gc.Set("lineWidth", 2)
	gc.Call("stroke", app.Window().Get("Path2D").New(p.String()))
}

// ganHeatRGBA colours D's belief σ(D(x)): towards sky blue where D says
// real, towards orange where it says fake, the dark ground where it cannot
// tell (σ = ½).
func ganHeatRGBA(heat []float32) []byte {
	rgba := make([]byte, 4*len(heat))
	for i, v := range heat {
		t := 2*float64(v) - 1 // −1 fake … 1 real
		col := ganReal
		if t < 0 {
			col, t = ganFake, -t
		}
		r, gr, b := shade(col, math.Min(1, t)*0.75)
		rgba[4*i], rgba[4*i+1], rgba[4*i+2], rgba[4*i+3] = r, gr, b, 255
	}
	return rgba
}

// paintThumbs draws each data set's thumbnail, when what they show has
// changed.
func (g *GANLab) paintThumbs() {
	key := fmt.Sprint(g.cfg.Points)
	if key == g.thumbs {
		return
	}
	painted := true
	for _, d := range ganDatasets {
		c := app.Window().GetElementByID("gan-thumb-" + d.id)
		if !c.Truthy() {
			painted = false
			continue
		}
		w, h, gc := fitCanvas(c, 56, 56)
		gc.Set("fillStyle", "#0d0f13")
		gc.Call("fillRect", 0, 0, w, h)
		var pts [][2]float64
		rng := rand.New(rand.NewPCG(7, 7))
		if d.id == "custom" {
			for _, p := range g.cfg.Points {
				pts = append(pts, [2]float64{float64(p[0]), float64(p[1])})
			}
		} else if ds, err := gan2d.DatasetByName(d.id); err == nil {
			for range 200 {
				pts = append(pts, ds.Draw(rng))
			}
		}
		if len(pts) == 0 {
			gc.Set("strokeStyle", "#a7a9b0")
			gc.Set("lineWidth", 2)
			gc.Call("stroke", app.Window().Get("Path2D").New(fmt.Sprintf("M%.1f %.1fh18M%.1f %.1fv18", w/2-9, h/2, w/2, h/2-9)))
			continue
		}
		var b strings.Builder
		for _, p := range pts {
			fmt.Fprintf(&b, "M%.1f %.1fh0.01", (p[0]+ganRange)/(2*ganRange)*w, (ganRange-p[1])/(2*ganRange)*h)
		}
		gc.Set("strokeStyle", rgb(ganReal))
		gc.Set("lineWidth", 2.4)
		gc.Set("lineCap", "round")
		gc.Call("stroke", app.Window().Get("Path2D").New(b.String()))
	}
	if painted {
		g.thumbs = key
	}
}
