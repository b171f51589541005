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
	netMapCells  = 64                 // the decision map's cells per side, drawn smoothed
	netUnitCells = 24                 // each unit's picture, cells per side
	netChunk     = 10                 // epochs per request while training runs
	netRange     = models.PlanarRange // the maps cover [−1.2, 1.2]²
	netMaxLayers = 6
	netMaxUnits  = 64
	netMaxCurve  = 1000 // loss points kept; beyond, every other one is dropped
)

var netDatasets = []struct{ id, label string }{
	{"circles", "Circles"}, {"xor", "XOR"}, {"spirals", "Spirals"}, {"blobs", "Gaussian blobs"}, {"custom", "Your own points"},
}

var netActs = []string{"tanh", "relu", "leaky-relu", "sigmoid", "identity"}

// netActLabel is an activation's short name, above its layer.
var netActLabel = map[string]string{"tanh": "tanh", "relu": "ReLU", "leaky-relu": "leaky", "sigmoid": "sigmoid", "identity": "linear"}

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

// Network is the network lab, after TensorFlow Playground: a small
// network learning to classify 2-D points. Training runs in the engine's
// worker, a few epochs a request, until the person pauses it; the page
// shows the decision map, the network with every unit's picture in its
// node and every weight on its edge (a click edits it), and the loss
// curves. Every setting, seed included, is in the URL.
type Network struct {
	app.Compo

	cfg     protocol.Network
	pauseAt int // a link's epochs: the run pauses there (0: it runs until paused)
	class   int // the class a click on the map places

	running  bool
	inflight int                  // requests the engine has not answered
	runGen   int                  // which run answers belong to
	steps    int                  // single epochs asked for and not yet sent
	pending  *protocol.WeightEdit // an edit not yet sent
	lastSent float64              // when the last request went, in ms
	frame    app.Func             // sends the next request on an animation frame
	framed   bool                 // a frame is asked for
	state    *protocol.NetworkState
	shown    protocol.Network // the settings the pictures are of
	curve    []netPoint
	errMsg   string
	note     string // why the run paused, when the person did not pause it

	// The graph: what the pointer is on, and the weight being edited.
	hover     string
	hoverAt   [2]float64
	hoverHit  netHit
	edit      protocol.WeightEdit
	editing   bool
	editAt    [2]float64
	editValue float64

	hideTest bool              // the test points are not drawn on the map
	slide    map[string]string // a slider's value while it moves
	paints   netPaints
}

// OnInit sets the defaults: circles, two layers of 4 tanh units, Adam.
func (n *Network) OnInit() {
	n.cfg = protocol.Network{
		Dataset: "circles", N: 400, Classes: 2, Noise: 0, TestFrac: 0.5,
		Hidden: []int{4, 4}, Acts: []string{"tanh", "tanh"},
		Loss: "ce", Opt: "adam", LR: 0.01, Batch: 16, Seed: 1, Features: []string{"x1", "x2"},
	}
}

// OnMount reads the settings from the URL and builds the run.
func (n *Network) OnMount(ctx app.Context) {
	n.fromQuery(ctx.Page().URL().Query())
	n.restart(ctx)
}

// OnDismount stops the run. (The frame callback is kept: a frame asked
// for may still come.)
func (n *Network) OnDismount() { n.running = false }

// OnResize redraws the pictures at their new size.
func (n *Network) OnResize(ctx app.Context) {
	n.paints.graphKey = ""
	ctx.Defer(n.paint)
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
	if n.pauseAt > 0 {
		v.Set("epochs", strconv.Itoa(n.pauseAt))
	}
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
	integer("epochs", &n.pauseAt)
	n.pauseAt = max(n.pauseAt, 0)
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

// restart builds the run afresh from the settings, paused at epoch 0.
func (n *Network) restart(ctx app.Context) {
	n.running, n.steps, n.pending, n.editing, n.note = false, 0, nil, false, ""
	n.runGen++
	n.curve = nil
	n.send(ctx, 0, true, nil)
}

// send asks the engine to train epochs more (after the edit, if any) and
// answer with the pictures.
func (n *Network) send(ctx app.Context, epochs int, restart bool, edit *protocol.WeightEdit) {
	q := n.cfg
	q.Hidden, q.Acts, q.Points, q.Features = slices.Clone(q.Hidden), slices.Clone(q.Acts), slices.Clone(q.Points), slices.Clone(q.Features)
	q.Restart, q.Epochs, q.Grid, q.Unit, q.Edit = restart, epochs, netMapCells, netUnitCells, edit
	gen := n.runGen
	n.inflight++
	n.lastSent = now()
	ctx.Async(func() {
		s, err := Call(protocol.TrainNetwork, q)
		ctx.Dispatch(func(ctx app.Context) {
			n.inflight--
			if gen != n.runGen {
				ctx.PreventUpdate() // an answer for a run since replaced
				return
			}
			if err != nil {
				n.errMsg, n.running = plainError(err), false
				return
			}
			n.errMsg = ""
			n.take(ctx, q, s)
			n.onward(ctx)
		})
	})
}

// plainError is the engine's refusal as the person reads it, without the
// names of the parts that passed it on.
func plainError(err error) string {
	s := err.Error()
	for _, p := range []string{"engine: ", "network: "} {
		s = strings.TrimPrefix(s, p)
	}
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// take keeps an answer and has it drawn.
func (n *Network) take(ctx app.Context, q protocol.Network, s protocol.NetworkState) {
	n.state, n.shown = &s, q
	p := netPoint{s.Epoch, s.TrainLoss, s.TestLoss}
	if len(n.curve) == 0 || p.epoch > n.curve[len(n.curve)-1].epoch {
		n.curve = append(n.curve, p)
	}
	if len(n.curve) > netMaxCurve {
		n.curve = thin(n.curve)
	}
	if n.pauseAt > 0 && s.Epoch == n.pauseAt && n.running {
		n.running = false
		n.note = fmt.Sprintf("Paused at epoch %d, where this link stops. Press Train to go on.", s.Epoch)
	}
	ctx.Defer(n.paint)
}

// thin keeps the first and last points and every other one between.
func thin(c []netPoint) []netPoint {
	out := c[:0:0]
	for i, p := range c {
		if i%2 == 0 || i == len(c)-1 {
			out = append(out, p)
		}
	}
	return out
}

// onward sends the next request after an answer: at once for a step or
// an edit, and while training runs, no sooner than the next animation
// frame, so that the page draws every answer it gets.
func (n *Network) onward(ctx app.Context) {
	if !n.running || now()-n.lastSent >= 15 || !app.IsClient {
		n.pump(ctx)
		return
	}
	if n.framed {
		return
	}
	if n.frame == nil {
		n.frame = app.FuncOf(func(app.Value, []app.Value) any {
			ctx.Dispatch(func(ctx app.Context) {
				ctx.PreventUpdate()
				n.framed = false
				n.pump(ctx)
			})
			return nil
		})
	}
	n.framed = true
	app.Window().Call("requestAnimationFrame", n.frame)
}

// pump sends what is waiting, one request at a time: the next chunk of
// a run (up to a link's pause), a single epoch, or an edit.
func (n *Network) pump(ctx app.Context) {
	if n.inflight > 0 {
		return
	}
	epochs := 0
	switch {
	case n.running:
		epochs = netChunk
		if n.pauseAt > n.epoch() {
			epochs = min(epochs, n.pauseAt-n.epoch())
		}
	case n.steps > 0:
		epochs = 1
		n.steps--
	}
	edit := n.pending
	if epochs == 0 && edit == nil {
		return
	}
	n.pending = nil
	n.send(ctx, epochs, false, edit)
}

func (n *Network) epoch() int {
	if n.state == nil {
		return 0
	}
	return n.state.Epoch
}

// toggle starts or pauses training.
func (n *Network) toggle(ctx app.Context, e app.Event) {
	if n.running {
		n.running = false
		return
	}
	if n.pauseAt > 0 && n.epoch() >= n.pauseAt {
		// Past the link's stop, the run goes on until paused; the link
		// stops saying so.
		n.pauseAt = 0
		n.putURL(ctx)
	}
	n.running, n.note, n.editing = true, "", false
	n.pump(ctx)
}

// step trains one epoch.
func (n *Network) step(ctx app.Context, e app.Event) {
	if n.running {
		return
	}
	n.steps++
	n.note = ""
	n.pump(ctx)
}

// netPick is how near a click must be to a point, in the plane's units
// (a few pixels of the map), to remove it rather than place another.
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

// chooseData picks a data set, by its thumbnail's id.
func (n *Network) chooseData(ctx app.Context, e app.Event) {
	id := strings.TrimPrefix(ctx.JSSrc().Get("id").String(), "data-")
	if id == n.cfg.Dataset {
		return
	}
	n.cfg.Dataset = id
	n.cfg.Classes = max(n.cfg.Classes, 2)
	n.changed(ctx)
}

// addLayer and removeLayer change the depth; a new layer is 4 units of
// the last layer's activation (tanh for the first).
func (n *Network) addLayer(ctx app.Context, e app.Event) {
	c := &n.cfg
	if len(c.Hidden) >= netMaxLayers {
		return
	}
	act := "tanh"
	if len(c.Acts) > 0 {
		act = c.Acts[len(c.Acts)-1]
	}
	c.Hidden, c.Acts = append(c.Hidden, 4), append(c.Acts, act)
	n.changed(ctx)
}

func (n *Network) removeLayer(ctx app.Context, e app.Event) {
	c := &n.cfg
	if len(c.Hidden) == 0 {
		return
	}
	c.Hidden, c.Acts = c.Hidden[:len(c.Hidden)-1], c.Acts[:len(c.Acts)-1]
	n.changed(ctx)
}

// moreUnits and fewerUnits add or take a unit from a layer, by the
// button's id (units-more-L, units-fewer-L).
func (n *Network) moreUnits(ctx app.Context, e app.Event) { n.unitsBy(ctx, "units-more-", 1) }
func (n *Network) fewerUnits(ctx app.Context, e app.Event) {
	n.unitsBy(ctx, "units-fewer-", -1)
}

func (n *Network) unitsBy(ctx app.Context, prefix string, d int) {
	l, err := strconv.Atoi(strings.TrimPrefix(ctx.JSSrc().Get("id").String(), prefix))
	if err != nil || l < 0 || l >= len(n.cfg.Hidden) {
		return
	}
	w := n.cfg.Hidden[l] + d
	if w < 1 || w > netMaxUnits {
		return
	}
	n.cfg.Hidden[l] = w
	n.changed(ctx)
}

// setWeight sends the editor's value for its weight.
func (n *Network) setWeight(ctx app.Context, e app.Event) {
	// Read at the click: go-app may keep the handler of an earlier render.
	edit := n.editTarget()
	edit.Value = float32(n.editValue)
	n.pending = &edit
	n.pump(ctx)
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

// onNumber takes a number box's or a slider's new value, by its id.
func (n *Network) onNumber(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("id").String()
	delete(n.slide, id)
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
	case "noise": // its slider is in hundredths
		c.Noise = v / 100
	case "test-frac": // and so is this one
		c.TestFrac = v / 100
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

// onSlide shows a slider's value while it moves; the run is rebuilt when
// it is let go (onNumber).
func (n *Network) onSlide(ctx app.Context, e app.Event) {
	if n.slide == nil {
		n.slide = map[string]string{}
	}
	n.slide[ctx.JSSrc().Get("id").String()] = ctx.JSSrc().Get("value").String()
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
		n.openEditor()
		return
	case "edit-from":
		n.edit.From = i
		n.openEditor()
		return
	case "edit-to":
		n.edit.To = i
		n.openEditor()
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
