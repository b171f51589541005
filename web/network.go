package web

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

const (
	netMapCells  = 64                 // the decision map's cells per side
	netUnitCells = 24                 // each hidden unit's map
	netMapSide   = 320                // the decision canvas, pixels
	netChunk     = 10                 // epochs per request while running
	netRange     = models.PlanarRange // the maps cover [−1.2, 1.2]²
	netMaxLayers = 6
)

var netDatasets = []struct{ id, label string }{
	{"circles", "Circles"}, {"xor", "XOR"}, {"spirals", "Spirals"}, {"blobs", "Gaussian blobs"}, {"custom", "Your own points (click the map)"},
}

var netActs = []string{"tanh", "relu", "leaky-relu", "sigmoid", "identity"}

// netFeatures are the inputs the network may read from a point, as in
// TensorFlow Playground (the engine's names; the sines are of πx, which
// spans about a period across the plane's ±1.2).
var netFeatures = []struct{ id, label string }{
	{"x1", "x₁"}, {"x2", "x₂"}, {"x1sq", "x₁²"}, {"x2sq", "x₂²"}, {"x1x2", "x₁x₂"}, {"sinx1", "sin πx₁"}, {"sinx2", "sin πx₂"},
}

// featureLabel is how a feature is written.
func featureLabel(id string) string {
	for _, f := range netFeatures {
		if f.id == id {
			return f.label
		}
	}
	return id
}

// netPoint is one point of the loss curves.
type netPoint struct {
	epoch       int
	train, test float64
}

// Network is the network lab: a small network learning to classify 2-D
// points, trained in the engine a few epochs a request, with its decision
// map, every hidden unit's map, its weights and its loss curves. Every
// setting, seed included, is in the URL.
type Network struct {
	app.Compo

	cfg    protocol.Network
	stopAt int // train to this epoch
	class  int // the class a click places

	running, busy bool
	runGen        int
	state         *protocol.NetworkState // the engine's last answer (nil before it)
	shown         protocol.Network       // the settings the pictures are of
	curve         []netPoint
	errMsg        string
	edit          protocol.WeightEdit
	hover         string // the weight under the pointer
	editValue     float64
}

// OnInit sets the defaults: circles, two layers of 4 tanh units, Adam.
func (n *Network) OnInit() {
	n.cfg = protocol.Network{
		Dataset: "circles", N: 400, Classes: 2, Noise: 0, TestFrac: 0.5,
		Hidden: []int{4, 4}, Acts: []string{"tanh", "tanh"},
		Loss: "ce", Opt: "adam", LR: 0.01, Batch: 16, Seed: 1, Features: []string{"x1", "x2"},
	}
	n.stopAt = 500
}

// OnMount reads the settings from the URL and builds the run.
func (n *Network) OnMount(ctx app.Context) {
	n.fromQuery(ctx.Page().URL().Query())
	n.restart(ctx)
}

// query is the settings as URL parameters.
func (n *Network) query() url.Values {
	c := n.cfg
	v := url.Values{}
	v.Set("data", c.Dataset)
	v.Set("n", strconv.Itoa(c.N))
	v.Set("classes", strconv.Itoa(c.Classes))
	v.Set("noise", fmtFloat(c.Noise))
	v.Set("test", fmtFloat(c.TestFrac))
	layers := make([]string, len(c.Hidden))
	for i, h := range c.Hidden {
		layers[i] = fmt.Sprintf("%d-%s", h, c.Acts[i])
	}
	v.Set("layers", strings.Join(layers, ","))
	v.Set("features", strings.Join(c.Features, ","))
	v.Set("loss", c.Loss)
	v.Set("opt", c.Opt)
	v.Set("lr", fmtFloat(c.LR))
	v.Set("batch", strconv.Itoa(c.Batch))
	v.Set("l1", fmtFloat(c.L1))
	v.Set("l2", fmtFloat(c.L2))
	v.Set("seed", strconv.FormatUint(c.Seed, 10))
	v.Set("epochs", strconv.Itoa(n.stopAt))
	if c.Dataset == "custom" {
		pts := make([]string, 0, len(c.Points))
		for _, p := range c.Points {
			pts = append(pts, fmt.Sprintf("%s,%s,%d", fmtFloat(float64(p.X)), fmtFloat(float64(p.Y)), p.Class))
		}
		v.Set("points", strings.Join(pts, ";"))
	}
	return v
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// fromQuery takes what it can read from the URL; the rest stays default
// (the engine refuses what is out of range, with a message).
func (n *Network) fromQuery(v url.Values) {
	c := &n.cfg
	str := func(key string, dst *string) {
		if s := v.Get(key); s != "" {
			*dst = s
		}
	}
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
	str("data", &c.Dataset)
	integer("n", &c.N)
	integer("classes", &c.Classes)
	num("noise", &c.Noise)
	num("test", &c.TestFrac)
	str("loss", &c.Loss)
	str("opt", &c.Opt)
	num("lr", &c.LR)
	integer("batch", &c.Batch)
	num("l1", &c.L1)
	num("l2", &c.L2)
	integer("epochs", &n.stopAt)
	if s, err := strconv.ParseUint(v.Get("seed"), 10, 64); err == nil {
		c.Seed = s
	}
	if s, ok := v["layers"]; ok {
		c.Hidden, c.Acts = nil, nil
		for _, l := range strings.Split(s[0], ",") {
			width, act, _ := strings.Cut(l, "-")
			if w, err := strconv.Atoi(width); err == nil && len(c.Hidden) < netMaxLayers {
				c.Hidden, c.Acts = append(c.Hidden, w), append(c.Acts, act)
			}
		}
	}
	if s := v.Get("features"); s != "" {
		var fs []string
		for _, f := range netFeatures {
			if slices.Contains(strings.Split(s, ","), f.id) {
				fs = append(fs, f.id)
			}
		}
		if len(fs) > 0 {
			c.Features = fs
		}
	}
	c.Points = nil
	for _, p := range strings.Split(v.Get("points"), ";") {
		f := strings.Split(p, ",")
		if len(f) != 3 {
			continue
		}
		x, e1 := strconv.ParseFloat(f[0], 32)
		y, e2 := strconv.ParseFloat(f[1], 32)
		k, e3 := strconv.Atoi(f[2])
		if e1 == nil && e2 == nil && e3 == nil {
			c.Points = append(c.Points, protocol.Point{X: float32(x), Y: float32(y), Class: k})
		}
	}
}

// changed starts the run over after a setting changed, and puts the
// settings in the URL.
func (n *Network) changed(ctx app.Context) {
	n.putURL(ctx)
	n.restart(ctx)
}

// putURL writes the settings into the page's address, without a new
// history entry for each.
func (n *Network) putURL(ctx app.Context) {
	if app.IsClient {
		u := *ctx.Page().URL()
		u.RawQuery = n.query().Encode()
		app.Window().Get("history").Call("replaceState", nil, "", u.String())
	}
}

func (n *Network) restart(ctx app.Context) {
	n.running = false
	n.runGen++
	n.curve = nil
	n.request(ctx, 0, true, nil)
}

// request asks the engine to train epochs more and send the pictures.
func (n *Network) request(ctx app.Context, epochs int, restart bool, edit *protocol.WeightEdit) {
	q := n.cfg
	q.Hidden, q.Acts, q.Points, q.Features = slices.Clone(q.Hidden), slices.Clone(q.Acts), slices.Clone(q.Points), slices.Clone(q.Features)
	q.Restart, q.Epochs, q.Grid, q.Unit, q.Edit = restart, epochs, netMapCells, netUnitCells, edit
	gen := n.runGen
	n.busy = true
	ctx.Async(func() {
		s, err := Call(protocol.TrainNetwork, q)
		ctx.Dispatch(func(ctx app.Context) {
			n.busy = false
			if gen != n.runGen && !restart {
				return // from a run since replaced
			}
			if err != nil {
				n.errMsg, n.running = err.Error(), false
				return
			}
			n.errMsg = ""
			n.take(ctx, q, s)
			if n.running && gen == n.runGen {
				n.next(ctx)
			}
		})
	})
}

func (n *Network) take(ctx app.Context, q protocol.Network, s protocol.NetworkState) {
	n.state, n.shown = &s, q
	p := netPoint{s.Epoch, s.TrainLoss, s.TestLoss}
	if len(n.curve) == 0 || p.epoch > n.curve[len(n.curve)-1].epoch {
		n.curve = append(n.curve, p)
	}
	ctx.Defer(n.paint)
}

func (n *Network) epoch() int {
	if n.state == nil {
		return 0
	}
	return n.state.Epoch
}

// next sends the next chunk of a run, or ends it at the last epoch.
func (n *Network) next(ctx app.Context) {
	left := n.stopAt - n.epoch()
	if left <= 0 {
		n.running = false
		return
	}
	n.request(ctx, min(netChunk, left), false, nil)
}

func (n *Network) toggle(ctx app.Context, e app.Event) {
	if n.running {
		n.running = false
		return
	}
	if n.epoch() >= n.stopAt {
		n.stopAt += 500
	}
	n.running = true
	if !n.busy {
		n.next(ctx)
	}
}

// paint draws the decision map with the points, and every unit's map.
func (n *Network) paint(ctx app.Context) {
	if !app.IsClient || n.state == nil {
		return
	}
	canvas := app.Window().GetElementByID("net-map")
	if canvas.Truthy() {
		n.paintMap(canvas)
	}
	if d := app.Window().GetElementByID("net-diagram"); d.Truthy() {
		n.paintDiagram(d)
	}
	for li, maps := range n.state.Units {
		if c := app.Window().GetElementByID(fmt.Sprintf("unitmap-%d", li)); c.Truthy() && maps.Cols == netUnitCells*netUnitCells {
			paintUnits(c, maps)
		}
	}
}

// netColour is class k's colour: blue and orange for two classes, as on
// the other maps; the digit palette beyond.
func netColour(k, classes int) [3]byte {
	if classes <= 2 {
		return [2][3]byte{{74, 163, 255}, {242, 169, 59}}[k%2]
	}
	return classColours[k%10]
}

func (n *Network) paintMap(canvas app.Value) {
	const side, cell = netMapSide, netMapSide / netMapCells
	classes := max(n.shown.Classes, 2)
	m := n.state.Map
	if len(m.Class) != netMapCells*netMapCells || len(m.Prob.Data) != len(m.Class) {
		return
	}
	// One colour per cell, copied over the cell's block of pixels.
	rgba := make([]byte, 4*side*side)
	for c, k := range m.Class {
		p := float64(m.Prob.Data[c])
		// Confidence shades the colour: at 1/classes it is the background.
		t := math.Max(0, (p-1/float64(classes))/(1-1/float64(classes)))
		col := netColour(k, classes)
		var px [4]byte
		for ch := range 3 {
			px[ch] = byte(13 + 0.75*t*(float64(col[ch])-13))
		}
		px[3] = 255
		x0, y0 := (c%netMapCells)*cell, (c/netMapCells)*cell
		for y := y0; y < y0+cell; y++ {
			for x := x0; x < x0+cell; x++ {
				copy(rgba[4*(y*side+x):], px[:])
			}
		}
	}
	g := canvas.Call("getContext", "2d")
	img := g.Call("createImageData", side, side)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)
	// The points, one path per class and set (a few calls, not a few per point).
	toPx := func(v float32) float64 { return (float64(v) + netRange) / (2 * netRange) * side }
	dots := func(pts protocol.LabPoints, ring string) {
		paths := make([][]byte, classes)
		for i := range pts.Len() {
			pt := pts.At(i)
			k := pt.Class
			if k < 0 || k >= classes {
				continue
			}
			x, y := toPx(pt.X)+3.5, side-toPx(pt.Y)
			b := append(paths[k], 'M')
			b = strconv.AppendFloat(b, x, 'f', 1, 64)
			b = append(b, ' ')
			b = strconv.AppendFloat(b, y, 'f', 1, 64)
			paths[k] = append(b, "a3.5 3.5 0 1 0 -7 0a3.5 3.5 0 1 0 7 0"...)
		}
		g.Set("lineWidth", 1)
		g.Set("strokeStyle", ring)
		for k, b := range paths {
			if len(b) == 0 {
				continue
			}
			col := netColour(k, classes)
			path := app.Window().Get("Path2D").New(string(b))
			g.Set("fillStyle", fmt.Sprintf("rgb(%d,%d,%d)", col[0], col[1], col[2]))
			g.Call("fill", path)
			g.Call("stroke", path)
		}
	}
	dots(n.state.Train, "#ffffff")
	dots(n.state.Test, "#000000")
	canvas.Call("setAttribute", "data-epoch", n.epoch())
}

// netPick is how near a click must be to a point, in the plane's units
// (about 7 pixels of the map), to remove it rather than place another.
const netPick = 0.05

// place adds a point of the chosen class where the map was clicked, or
// removes the point clicked on.
func (n *Network) place(ctx app.Context, e app.Event) {
	if n.cfg.Dataset != "custom" {
		ctx.PreventUpdate()
		return
	}
	el := ctx.JSSrc()
	w, h := el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
	x := (e.Get("offsetX").Float()/w*2 - 1) * netRange
	y := (1 - e.Get("offsetY").Float()/h*2) * netRange
	if i := nearestPoint(n.cfg.Points, x, y, netPick); i >= 0 {
		n.cfg.Points = slices.Delete(n.cfg.Points, i, i+1)
	} else {
		n.cfg.Points = append(n.cfg.Points, protocol.Point{X: float32(math.Round(x*100) / 100), Y: float32(math.Round(y*100) / 100), Class: min(n.class, n.cfg.Classes-1)})
	}
	n.changed(ctx)
}

// nearestPoint is the index of the point nearest (x, y) within r, or −1
// if none is.
func nearestPoint(pts []protocol.Point, x, y, r float64) int {
	best, at := r, -1
	for i, p := range pts {
		if d := math.Hypot(float64(p.X)-x, float64(p.Y)-y); d <= best {
			best, at = d, i
		}
	}
	return at
}

// onFeature turns an input feature on or off; the network keeps at least
// one.
func (n *Network) onFeature(ctx app.Context, e app.Event) {
	id := strings.TrimPrefix(ctx.JSSrc().Get("id").String(), "feat-")
	on := ctx.JSSrc().Get("checked").Bool()
	var fs []string
	for _, f := range netFeatures {
		if f.id == id && on || f.id != id && slices.Contains(n.cfg.Features, f.id) {
			fs = append(fs, f.id)
		}
	}
	if len(fs) == 0 {
		n.errMsg = "The network needs at least one input feature."
		ctx.JSSrc().Set("checked", true)
		return
	}
	n.cfg.Features = fs
	n.changed(ctx)
}

// Render shows the settings, the run's figures and its pictures.
func (n *Network) Render() app.UI {
	c := n.cfg
	layerRows := make([]app.UI, len(c.Hidden))
	for i := range c.Hidden {
		layerRows[i] = app.Div().Class("layer-row").Body(
			numberInput(fmt.Sprintf("units-%d", i), fmt.Sprintf("Layer %d units", i+1), float64(c.Hidden[i]), 1, 1, 64, n.onNumber),
			app.Label().Class("field").For(fmt.Sprintf("act-%d", i)).Body(
				app.Span().Text(fmt.Sprintf("Layer %d activation", i+1)),
				app.Select().ID(fmt.Sprintf("act-%d", i)).OnChange(n.onChoice).Body(app.Range(netActs).Slice(func(k int) app.UI {
					return app.Option().Value(netActs[k]).Text(netActs[k]).Selected(c.Acts[i] == netActs[k])
				})),
			),
		)
	}
	return page("network",
		app.Section().Class("controls").Body(
			app.H2().Text("A network learns a picture"),
			selectField("dataset", "Data", c.Dataset, netDatasets, n.onChoice),
			app.If(c.Dataset == "blobs" || c.Dataset == "custom", func() app.UI {
				return numberInput("classes", "Classes", float64(c.Classes), 1, 2, 8, n.onNumber)
			}),
			app.If(c.Dataset == "custom", func() app.UI {
				opts := make([]struct{ id, label string }, max(c.Classes, 2))
				for k := range opts {
					opts[k].id, opts[k].label = strconv.Itoa(k), fmt.Sprintf("class %d", k+1)
				}
				return app.Div().Body(
					selectField("place-class", "A click places a point of", strconv.Itoa(n.class), opts, n.onChoice),
					app.P().Class("caption").Text("Click the map to place a point; click a point to remove it."),
					app.Button().ID("clear-points").Text("Clear the points").OnClick(func(ctx app.Context, e app.Event) { n.cfg.Points = nil; n.changed(ctx) }),
				)
			}),
			app.If(c.Dataset != "custom", func() app.UI {
				return app.Div().Body(
					numberInput("points-n", "Points", float64(c.N), 10, 10, 2000, n.onNumber),
					numberInput("noise", "Noise", c.Noise, 0.05, 0, 1, n.onNumber),
				)
			}),
			numberInput("test-frac", "Held out for testing (fraction)", c.TestFrac, 0.05, 0, 0.9, n.onNumber),
			app.FieldSet().Class("features").Body(
				app.Legend().Text("Input features"),
				app.Range(netFeatures).Slice(func(i int) app.UI {
					f := netFeatures[i]
					return app.Label().Class("feature").For("feat-"+f.id).Body(
						app.Input().ID("feat-"+f.id).Type("checkbox").Checked(slices.Contains(c.Features, f.id)).OnChange(n.onFeature),
						app.Text(" "+f.label),
					)
				}),
			),
			app.H3().Text("Hidden layers"),
			app.P().Class("caption").Text("Up to 6 layers of 1 to 64 units. The largest, 6 × 64 units, still trains smoothly: the engine's worker does the work, ten epochs a request, about 50 epochs a second on 250 points in Chromium on two cores, while the page keeps drawing."),
			app.Div().Body(layerRows...),
			app.Div().Class("buttons").Body(
				app.Button().ID("add-layer").Text("Add a layer").Disabled(len(c.Hidden) >= netMaxLayers).OnClick(func(ctx app.Context, e app.Event) {
					n.cfg.Hidden, n.cfg.Acts = append(n.cfg.Hidden, 4), append(n.cfg.Acts, "tanh")
					n.changed(ctx)
				}),
				app.Button().ID("remove-layer").Text("Remove the last").Disabled(len(c.Hidden) == 0).OnClick(func(ctx app.Context, e app.Event) {
					n.cfg.Hidden, n.cfg.Acts = n.cfg.Hidden[:len(n.cfg.Hidden)-1], n.cfg.Acts[:len(n.cfg.Acts)-1]
					n.changed(ctx)
				}),
			),
			app.H3().Text("Training"),
			selectField("loss", "Loss", c.Loss, []struct{ id, label string }{{"ce", "Cross-entropy (softmax)"}, {"mse", "Mean squared error"}}, n.onChoice),
			selectField("opt", "Optimiser", c.Opt, []struct{ id, label string }{{"sgd", "SGD"}, {"momentum", "Momentum (0.9)"}, {"adam", "Adam"}}, n.onChoice),
			numberInput("lr", "Learning rate", c.LR, 0.001, 0.0001, 10, n.onNumber),
			numberInput("batch", "Batch size", float64(c.Batch), 1, 1, 2000, n.onNumber),
			numberInput("l1", "L1 penalty λ₁", c.L1, 0.0001, 0, 1, n.onNumber),
			numberInput("l2", "L2 penalty λ₂", c.L2, 0.0001, 0, 1, n.onNumber),
			numberInput("seed", "Seed", float64(c.Seed), 1, 0, 1e9, n.onNumber),
			numberInput("stop-at", "Train to epoch", float64(n.stopAt), 10, 1, 100000, n.onNumber),
			app.Div().Class("buttons").Body(
				app.Button().ID("net-train").Text(map[bool]string{false: "Train", true: "Pause"}[n.running]).OnClick(n.toggle),
				app.Button().ID("net-step").Text("One epoch").Disabled(n.running).OnClick(func(ctx app.Context, e app.Event) { n.request(ctx, 1, false, nil) }),
				app.Button().ID("net-reset").Text("Start over").OnClick(func(ctx app.Context, e app.Event) { n.restart(ctx) }),
			),
			app.P().Class("caption").Text("Every setting, the seed included, is in this page's address: a link reproduces the run exactly."),
			app.If(n.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(n.errMsg) }),
		),
		app.Section().Class("results").Body(
			n.status(),
			app.Article().Class("model").Body(
				app.H3().Text("What the network decides"),
				framed(axis{Label: "x₁", Lo: -netRange, Hi: netRange}, axis{Label: "x₂", Lo: -netRange, Hi: netRange},
					app.Canvas().ID("net-map").Class("netmap").Width(netMapSide).Height(netMapSide).
						Attr("role", "img").Aria("label", n.mapLabel()).OnClick(n.place)),
				app.P().Class("caption").Text("Each class's colour where the network picks it, paler where it is less sure; training points ringed white, test points black."),
			),
			app.Article().Class("model").ID("net-curves").Body(
				app.H3().Text("Loss per epoch"),
				app.Raw(netLossPlot(n.curve)),
			),
			app.Article().Class("model").Body(
				app.H3().Text("What each hidden unit sees"),
				n.units(),
				app.P().Class("caption").Text("Each unit's output over the same square as the map: orange where it is positive, blue where negative."),
			),
			app.Article().Class("model").Body(
				app.H3().Text("The weights"),
				app.Canvas().ID("net-diagram").Class("netdiagram").Width(int(diagramW)).Height(int(diagramH)).
					Attr("role", "img").Aria("label", n.diagramLabel()).
					On("pointermove", n.hoverEdge).OnClick(n.pickEdge),
				app.P().Class("caption").ID("edge-value").Attr("aria-live", "polite").Text(n.hoverText()),
				n.weightEditor(),
			),
			&LayerViews{},
		),
	)
}

func (n *Network) hoverText() string {
	if n.hover == "" {
		return "Point at an edge to read its weight; click it to edit it."
	}
	return n.hover
}

func (n *Network) diagramLabel() string {
	widths, _, _, _ := n.diagramGeometry()
	return fmt.Sprintf("The network, %s units by layer; each edge's colour (orange positive, blue negative) and width show its weight. Every weight can be read and set in the editor below.", strings.Trim(fmt.Sprint(widths), "[]"))
}

func (n *Network) mapLabel() string {
	s := n.state
	if s == nil {
		return "The network's decision map, not computed yet"
	}
	return fmt.Sprintf("The network's decision map over the plane with the %d training and %d test points; epoch %d, test accuracy %.0f%%",
		s.Train.Len(), s.Test.Len(), n.epoch(), 100*s.TestAcc)
}

// status is the run's figures, for people and tests.
func (n *Network) status() app.UI {
	line, testAcc := "…", 0.0
	if s := n.state; s != nil {
		line = fmt.Sprintf("Epoch %d. Loss: train %.4f, test %.4f. Accuracy: train %.1f%%, test %.1f%%.",
			n.epoch(), s.TrainLoss, s.TestLoss, 100*s.TrainAcc, 100*s.TestAcc)
		testAcc = s.TestAcc
	}
	curve := make([]string, len(n.curve))
	for i, p := range n.curve {
		curve[i] = fmt.Sprintf("%d:%s", p.epoch, fmtFloat(p.train))
	}
	return app.Article().Class("model").ID("net-status").
		Attr("data-epoch", n.epoch()).Attr("data-running", n.running).
		Attr("data-test-acc", fmtFloat(testAcc)).Attr("data-curve", strings.Join(curve, " ")).Body(
		app.P().Attr("role", "status").Text(line),
	)
}

// units lays out a small map per hidden unit, a column per layer.
func (n *Network) units() app.UI {
	cols := make([]app.UI, len(n.shown.Hidden))
	for li, width := range n.shown.Hidden {
		c, r := unitTiles(width)
		scale := 2 // CSS pixels per cell, smaller for wide layers
		if c > 2 {
			scale = 1
		}
		cols[li] = app.Div().Class("unit-col").Body(
			app.Span().Class("caption").Text(fmt.Sprintf("layer %d", li+1)),
			app.Canvas().ID(fmt.Sprintf("unitmap-%d", li)).Class("heat units-map").
				Width(c*unitStride).Height(r*unitStride).
				Style("width", px(c*unitStride*scale)).Style("height", px(r*unitStride*scale)).
				Attr("role", "img").
				Aria("label", fmt.Sprintf("The %d units of hidden layer %d, each one's output over the plane, in reading order", width, li+1)),
		)
	}
	return app.Div().Class("units").Body(cols...)
}

// unitStride is a unit map's cells plus a gap.
const unitStride = netUnitCells + 2

// unitTiles is how a layer's unit maps are tiled: columns and rows.
func unitTiles(width int) (cols, rows int) {
	cols = 2
	switch {
	case width > 32:
		cols = 8
	case width > 8:
		cols = 4
	}
	return cols, (width + cols - 1) / cols
}

// paintUnits tiles a layer's unit maps (a row per unit, of netUnitCells²
// cells) into one canvas with one putImageData: each map blue below zero,
// orange above, scaled to its own largest |y|.
func paintUnits(canvas app.Value, maps protocol.Batch) {
	cols, rows := unitTiles(maps.Rows)
	w, h := cols*unitStride, rows*unitStride
	rgba := make([]byte, 4*w*h)
	for j := range maps.Rows {
		m := maps.Row(j)
		lo, hi := extent(m)
		scale := math.Max(math.Max(-lo, hi), 1e-6)
		ox, oy := (j%cols)*unitStride, (j/cols)*unitStride
		for c, v := range m {
			col := heatColour(float64(v) / scale)
			i := 4 * ((oy+c/netUnitCells)*w + ox + c%netUnitCells)
			rgba[i], rgba[i+1], rgba[i+2], rgba[i+3] = col[0], col[1], col[2], 255
		}
	}
	g := canvas.Call("getContext", "2d")
	img := g.Call("createImageData", w, h)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)
	canvas.Call("setAttribute", "data-painted", "true")
}

// widths are the shown network's layer widths, inputs first: as its
// weights have them, or as its settings say before an answer.
func (n *Network) widths() []int {
	if s := n.state; s != nil && len(s.Layers) > 0 {
		w := []int{s.Layers[0].W.Rows}
		for _, l := range s.Layers {
			w = append(w, l.W.Cols)
		}
		return w
	}
	return append(append([]int{n.inputs()}, n.shown.Hidden...), max(n.shown.Classes, 2))
}

// weights returns weight layer l of the answer (nil if there is none of
// that shape) and that layer's inputs and units.
func (n *Network) weights(l int) (lw *protocol.LayerWeights, in, out int) {
	widths := n.widths()
	in, out = widths[l], widths[l+1]
	if n.state == nil || l >= len(n.state.Layers) {
		return nil, in, out
	}
	lw = &n.state.Layers[l]
	if lw.W.Rows != in || lw.W.Cols != out || len(lw.B) != out {
		return nil, in, out
	}
	return lw, in, out
}

const diagramW, diagramH = 560.0, 240.0

// nodeRadius is a unit's radius on the diagram, at most; units of a
// column stand at most four radii apart, closer in a crowded column.
const nodeRadius = 7.0

// shownFeatures are the inputs of the network the pictures are of.
func (n *Network) shownFeatures() []string {
	if len(n.shown.Features) == 0 {
		return []string{"x1", "x2"}
	}
	return n.shown.Features
}

// inputs is how many inputs that network reads.
func (n *Network) inputs() int { return len(n.shownFeatures()) }

// diagramGeometry places the network's units on the diagram: x of layer
// l, y of unit j in it, and each unit's name.
func (n *Network) diagramGeometry() (widths []int, colX func(int) float64, rowY func(l, j int) float64, name func(l, j int) string) {
	widths = n.widths()
	colX = func(l int) float64 { return 30 + float64(l)*(diagramW-60)/float64(len(widths)-1) }
	rowY = func(l, j int) float64 {
		return diagramH/2 + (float64(j)-float64(widths[l]-1)/2)*min(4*nodeRadius, (diagramH-30)/float64(widths[l]))
	}
	name = func(l, j int) string {
		switch {
		case l == 0:
			return featureLabel(n.shownFeatures()[j])
		case l == len(widths)-1:
			return fmt.Sprintf("class %d", j+1)
		}
		return fmt.Sprintf("unit %d.%d", l, j+1)
	}
	return widths, colX, rowY, name
}

// paintDiagram draws the network on its canvas, the weights on the edges:
// orange positive, blue negative, thicker for larger. (A canvas, not SVG:
// six layers of 64 units have 20,000 edges, redrawn as training goes.)
func (n *Network) paintDiagram(canvas app.Value) {
	widths, colX, rowY, _ := n.diagramGeometry()
	g := canvas.Call("getContext", "2d")
	g.Call("clearRect", 0, 0, diagramW, diagramH)
	// Edges are gathered into one path per sign and width step, each
	// handed to the canvas as one SVG path string: one call per path
	// rather than several per edge.
	const steps = 8
	var paths [2][steps][]byte
	for l := 0; l+1 < len(widths); l++ {
		lw, in, out := n.weights(l)
		if lw == nil {
			return
		}
		for i := range in {
			for j := range out {
				v := float64(lw.W.Row(i)[j])
				k := min(int(math.Abs(v)*2), steps-1)
				b := append(paths[b2i(v >= 0)][k], 'M')
				b = strconv.AppendFloat(b, colX(l), 'f', 1, 64)
				b = append(b, ' ')
				b = strconv.AppendFloat(b, rowY(l, i), 'f', 1, 64)
				b = append(b, 'L')
				b = strconv.AppendFloat(b, colX(l+1), 'f', 1, 64)
				b = append(b, ' ')
				paths[b2i(v >= 0)][k] = strconv.AppendFloat(b, rowY(l+1, j), 'f', 1, 64)
			}
		}
	}
	for sign, colour := range []string{"rgba(74,163,255,0.8)", "rgba(242,169,59,0.8)"} {
		g.Set("strokeStyle", colour)
		for k := range steps {
			if len(paths[sign][k]) == 0 {
				continue
			}
			g.Set("lineWidth", 0.4+0.75*float64(k))
			g.Call("stroke", app.Window().Get("Path2D").New(string(paths[sign][k])))
		}
	}
	g.Set("fillStyle", "#1a1d24")
	g.Set("strokeStyle", "#f4f1ea")
	g.Set("lineWidth", 1)
	for l, width := range widths {
		for j := range width {
			g.Call("beginPath")
			g.Call("arc", colX(l), rowY(l, j), math.Min(nodeRadius, (diagramH-30)/float64(width)/2.5), 0, 2*math.Pi)
			g.Call("fill")
			g.Call("stroke")
		}
	}
}

// edgeAt is the weight whose edge passes nearest the pointer (within 6
// diagram pixels), with its description; ok is false if none does.
func (n *Network) edgeAt(ctx app.Context, e app.Event) (w protocol.WeightEdit, desc string, ok bool) {
	el := ctx.JSSrc()
	cw, ch := el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
	if cw == 0 || ch == 0 || n.state == nil {
		return w, "", false
	}
	px, py := e.Get("offsetX").Float()*diagramW/cw, e.Get("offsetY").Float()*diagramH/ch
	widths, colX, rowY, name := n.diagramGeometry()
	best := 6.0
	for l := 0; l+1 < len(widths); l++ {
		x0, x1 := colX(l), colX(l+1)
		if px < x0 || px > x1 {
			continue
		}
		lw, in, out := n.weights(l)
		if lw == nil {
			break
		}
		t := (px - x0) / (x1 - x0)
		for i := range in {
			for j := range out {
				// Edges run left to right: compare heights at the pointer's x.
				y := rowY(l, i) + t*(rowY(l+1, j)-rowY(l, i))
				if d := math.Abs(y - py); d < best {
					best, ok = d, true
					v := lw.W.Row(i)[j]
					w = protocol.WeightEdit{Layer: l, From: i, To: j, Value: v}
					desc = fmt.Sprintf("%s → %s: w = %.3f", name(l, i), name(l+1, j), v)
				}
			}
		}
	}
	return w, desc, ok
}

// hoverEdge shows the value of the weight under the pointer.
func (n *Network) hoverEdge(ctx app.Context, e app.Event) {
	_, desc, ok := n.edgeAt(ctx, e)
	if !ok {
		desc = "Point at an edge to read its weight; click it to edit it."
	}
	if desc == n.hover {
		ctx.PreventUpdate()
		return
	}
	n.hover = desc
}

// pickEdge puts the clicked weight in the editor.
func (n *Network) pickEdge(ctx app.Context, e app.Event) {
	w, desc, ok := n.edgeAt(ctx, e)
	if !ok {
		return
	}
	n.edit, n.editValue, n.hover = w, float64(w.Value), desc+" (in the editor below)"
}

// editTarget is the weight the editor points at, within the network's shape.
func (n *Network) editTarget() protocol.WeightEdit {
	e := n.edit
	e.Layer = max(0, min(e.Layer, len(n.shown.Hidden)))
	_, in, out := n.weights(e.Layer)
	e.From, e.To = max(-1, min(e.From, in-1)), max(0, min(e.To, out-1))
	return e
}

// weightEditor sets any one weight or bias by number.
func (n *Network) weightEditor() app.UI {
	if n.state == nil {
		return app.Div()
	}
	layers := len(n.shown.Hidden) + 1
	e := n.editTarget()
	lw, in, out := n.weights(e.Layer)
	cur := float32(0)
	if lw != nil {
		if e.From < 0 {
			cur = lw.B[e.To]
		} else {
			cur = lw.W.Row(e.From)[e.To]
		}
	}
	opts := func(count int, first string) []struct{ id, label string } {
		var o []struct{ id, label string }
		if first != "" {
			o = append(o, struct{ id, label string }{"-1", first})
		}
		for i := range count {
			o = append(o, struct{ id, label string }{strconv.Itoa(i), strconv.Itoa(i + 1)})
		}
		return o
	}
	from := opts(in, "bias")
	if e.Layer == 0 { // the first layer's inputs are the features
		for i, f := range n.shownFeatures() {
			from[i+1].label = featureLabel(f)
		}
	}
	return app.Div().Class("weight-editor").Body(
		app.P().Class("caption").Text(fmt.Sprintf("Edit a weight: it is %.3f now.", cur)),
		selectField("edit-layer", "Between layers", strconv.Itoa(e.Layer), opts(layers, ""), n.onChoice),
		selectField("edit-from", "From unit (or the bias)", strconv.Itoa(e.From), from, n.onChoice),
		selectField("edit-to", "To unit", strconv.Itoa(e.To), opts(out, ""), n.onChoice),
		numberInput("edit-value", "New value", n.editValue, 0.1, -100, 100, n.onNumber),
		app.Button().ID("edit-set").Text("Set the weight").Disabled(n.running).OnClick(func(ctx app.Context, ev app.Event) {
			// Read at the click: go-app may keep the handler of an earlier render.
			edit := n.editTarget()
			edit.Value = float32(n.editValue)
			n.request(ctx, 0, false, &edit)
		}),
	)
}

// netLossPlot draws train and test loss against epochs.
func netLossPlot(c []netPoint) string {
	ch := chart{
		ID: "net-loss", Title: "Train and test loss per epoch",
		X: axis{Label: "epoch"}, Y: axis{Label: "loss"}, H: 200,
		Empty: "No training yet: the curves appear once training starts.", NoPoint: len(c) > 300,
	}
	if len(c) >= 2 {
		train, test := series{Name: "train", Colour: "#f4f1ea"}, series{Name: "test", Colour: "#56b4e9"}
		for _, p := range c {
			train.Points = append(train.Points, [2]float64{float64(p.epoch), p.train})
			test.Points = append(test.Points, [2]float64{float64(p.epoch), p.test})
		}
		ch.Series = []series{train, test}
	}
	return ch.Render()
}

// selectField is a labelled drop-down. Its handler tells the controls
// apart by id: go-app keeps an element's handler when a render gives it
// a closure of the same code, so a captured target could be another
// control's once conditional controls shift the rest.
func selectField(id, label, value string, opts []struct{ id, label string }, onChange app.EventHandler) app.UI {
	return app.Label().Class("field").For(id).Body(
		app.Span().Text(label),
		app.Select().ID(id).OnChange(onChange).Body(
			app.Range(opts).Slice(func(i int) app.UI {
				return app.Option().Value(opts[i].id).Text(opts[i].label).Selected(opts[i].id == value)
			}),
		),
	)
}

// numberInput is a labelled number box (see selectField on its handler).
func numberInput(id, label string, v, step, lo, hi float64, onChange app.EventHandler) app.UI {
	return app.Label().Class("field").For(id).Body(
		app.Span().Text(label),
		app.Input().ID(id).Type("number").Step(step).Min(lo).Max(hi).Value(fmtFloat(v)).OnChange(onChange),
	)
}

// onNumber takes a number box's new value, by the box's id.
func (n *Network) onNumber(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("id").String()
	v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		return
	}
	c := &n.cfg
	switch id {
	case "classes":
		c.Classes = int(v)
	case "points-n":
		c.N = int(v)
	case "noise":
		c.Noise = v
	case "test-frac":
		c.TestFrac = v
	case "lr":
		c.LR = v
	case "batch":
		c.Batch = int(v)
	case "l1":
		c.L1 = v
	case "l2":
		c.L2 = v
	case "seed":
		c.Seed = uint64(max(v, 0))
	case "stop-at":
		n.stopAt = int(v)
		n.putURL(ctx)
		return
	case "edit-value":
		n.editValue = v
		return
	default:
		var i int
		if _, err := fmt.Sscanf(id, "units-%d", &i); err != nil || i < 0 || i >= len(c.Hidden) {
			return
		}
		c.Hidden[i] = int(v)
	}
	n.changed(ctx)
}

// onChoice takes a drop-down's new value, by its id.
func (n *Network) onChoice(ctx app.Context, e app.Event) {
	id, v := ctx.JSSrc().Get("id").String(), ctx.JSSrc().Get("value").String()
	c := &n.cfg
	i, _ := strconv.Atoi(v)
	switch id {
	case "dataset":
		c.Dataset = v
		c.Classes = max(c.Classes, 2)
	case "loss":
		c.Loss = v
	case "opt":
		c.Opt = v
	case "place-class":
		n.class = i
		return
	case "edit-layer":
		n.edit.Layer = i
		return
	case "edit-from":
		n.edit.From = i
		return
	case "edit-to":
		n.edit.To = i
		return
	default:
		var l int
		if _, err := fmt.Sscanf(id, "act-%d", &l); err != nil || l < 0 || l >= len(c.Acts) {
			return
		}
		c.Acts[l] = v
	}
	n.changed(ctx)
}
