package web

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

// netPaints are the canvases the lab draws from, kept between answers.
type netPaints struct {
	grid     app.Value   // the decision map, before it is enlarged
	units    []app.Value // each hidden layer's unit pictures, tiled
	features app.Value   // every input feature's picture, in a row
	thumbs   string      // what the data set thumbnails show
	graphKey string      // what the graph was last drawn for
	layout   netLayout   // and where
}

// paint draws the decision map with the points, the network with every
// unit's picture, and the data sets' thumbnails.
func (n *Network) paint(ctx app.Context) {
	if !app.IsClient {
		return
	}
	doc := app.Window().Get("document")
	n.paintThumbs(doc)
	if n.state == nil {
		return
	}
	if c := app.Window().GetElementByID("net-map"); c.Truthy() {
		n.paintMap(doc, c)
	}
	if c := app.Window().GetElementByID("net-graph"); c.Truthy() {
		n.paintGraph(doc, c)
	}
}

// alive reports whether v holds a JS object.
func alive(v app.Value) bool { return v != nil && v.Truthy() }

// offscreen is a canvas of w×h pixels outside the page, reused if given.
func offscreen(doc, c app.Value, w, h int) app.Value {
	if !alive(c) {
		c = doc.Call("createElement", "canvas")
	}
	if c.Get("width").Int() != w || c.Get("height").Int() != h {
		c.Set("width", w)
		c.Set("height", h)
	}
	return c
}

// fitCanvas gives a canvas as many pixels as it has device pixels on the
// screen, and returns its size in CSS pixels and a 2-D context that
// draws in them.
func fitCanvas(c app.Value, fallbackW, fallbackH float64) (w, h float64, g app.Value) {
	w, h = c.Get("clientWidth").Float(), c.Get("clientHeight").Float()
	if w == 0 || h == 0 {
		w, h = fallbackW, fallbackH
	}
	dpr := math.Max(1, app.Window().Get("devicePixelRatio").Float())
	pw, ph := int(math.Round(w*dpr)), int(math.Round(h*dpr))
	if c.Get("width").Int() != pw || c.Get("height").Int() != ph {
		c.Set("width", pw)
		c.Set("height", ph)
	}
	g = c.Call("getContext", "2d")
	g.Call("setTransform", float64(pw)/w, 0, 0, float64(ph)/h, 0, 0)
	return w, h, g
}

// putRGBA puts RGBA bytes of a w×h image on a canvas.
func putRGBA(c app.Value, rgba []byte, w, h int) {
	g := c.Call("getContext", "2d")
	img := g.Call("createImageData", w, h)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)
}

// netColour is class k's colour: blue and orange for two classes, as on
// the other maps; the digit palette beyond.
func netColour(k, classes int) [3]byte {
	if classes <= 2 {
		return [2][3]byte{{74, 163, 255}, {242, 169, 59}}[k%2]
	}
	return classColours[k%10]
}

func rgb(c [3]byte) string { return fmt.Sprintf("rgb(%d,%d,%d)", c[0], c[1], c[2]) }

// mapShade is how far a cell's colour goes from the ground towards its
// class's colour when the network is sure: far enough to read, not so
// far that the points (in the full colour) vanish on it.
const mapShade = 0.6

// shade is class colour col at confidence t (0 at chance, 1 sure).
func shade(col [3]byte, t float64) (r, g, b byte) {
	f := func(c byte) byte { return byte(13 + mapShade*t*(float64(c)-13)) }
	return f(col[0]), f(col[1]), f(col[2])
}

// decisionRGBA colours the decision map's cells: each class's colour
// where the network picks it, fading to the ground as its probability
// falls to chance, so the colours meet at the ground.
func decisionRGBA(m protocol.DecisionMap, classes int) []byte {
	rgba := make([]byte, 4*len(m.Class))
	chance := 1 / float64(classes)
	for c, k := range m.Class {
		t := math.Max(0, (float64(m.Prob.Data[c])-chance)/(1-chance))
		rgba[4*c], rgba[4*c+1], rgba[4*c+2] = shade(netColour(k, classes), t)
		rgba[4*c+3] = 255
	}
	return rgba
}

// netMapFine is how many pixels a side the two-class map is drawn with
// for each of its cells.
const netMapFine = 4

// decisionFineRGBA draws a two-class decision map finer than its cells:
// the probability of class 2 is interpolated between the cells' centres
// and coloured pixel by pixel, so the boundary, where it crosses a half,
// is a smooth line rather than the cells' steps.
func decisionFineRGBA(m protocol.DecisionMap, cells int) (rgba []byte, side int) {
	p := make([]float64, len(m.Class))
	for c, k := range m.Class {
		p[c] = float64(m.Prob.Data[c])
		if k == 0 {
			p[c] = 1 - p[c]
		}
	}
	side = cells * netMapFine
	rgba = make([]byte, 4*side*side)
	at := func(i int) (int, int, float64) { // the cells either side of pixel i, and the weight of the second
		u := math.Max(0, math.Min(float64(cells-1), (float64(i)+0.5)/netMapFine-0.5))
		i0 := min(int(u), cells-2)
		return i0, i0 + 1, u - float64(i0)
	}
	blue, orange := netColour(0, 2), netColour(1, 2)
	for y := range side {
		r0, r1, fy := at(y)
		for x := range side {
			c0, c1, fx := at(x)
			top := p[r0*cells+c0]*(1-fx) + p[r0*cells+c1]*fx
			bottom := p[r1*cells+c0]*(1-fx) + p[r1*cells+c1]*fx
			v := top*(1-fy) + bottom*fy
			col := orange
			if v < 0.5 {
				col = blue
			}
			i := 4 * (y*side + x)
			rgba[i], rgba[i+1], rgba[i+2] = shade(col, math.Abs(2*v-1))
			rgba[i+3] = 255
		}
	}
	return rgba, side
}

// paintMap draws the decision map, its cells enlarged smoothly, and the
// points over it.
func (n *Network) paintMap(doc, canvas app.Value) {
	classes := max(n.shown.Classes, 2)
	m := n.state.Map
	if len(m.Class) != netMapCells*netMapCells || len(m.Prob.Data) != len(m.Class) {
		return
	}
	if classes == 2 {
		rgba, fine := decisionFineRGBA(m, netMapCells)
		n.paints.grid = offscreen(doc, n.paints.grid, fine, fine)
		putRGBA(n.paints.grid, rgba, fine, fine)
	} else {
		n.paints.grid = offscreen(doc, n.paints.grid, netMapCells, netMapCells)
		putRGBA(n.paints.grid, decisionRGBA(m, classes), netMapCells, netMapCells)
	}
	side, _, g := fitCanvas(canvas, 280, 280)
	g.Set("imageSmoothingEnabled", true)
	g.Set("imageSmoothingQuality", "high")
	g.Call("drawImage", n.paints.grid, 0, 0, side, side)
	// The points, one path per class and set (a few calls, not a few per point).
	toPx := func(v float32) float64 { return (float64(v) + netRange) / (2 * netRange) * side }
	const r = 3.5
	dots := func(pts protocol.LabPoints, ring string) {
		paths := make([][]byte, classes)
		for i := range pts.Len() {
			pt := pts.At(i)
			k := pt.Class
			if k < 0 || k >= classes {
				continue
			}
			x, y := toPx(pt.X)+r, side-toPx(pt.Y)
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
			path := app.Window().Get("Path2D").New(string(b))
			g.Set("fillStyle", rgb(netColour(k, classes)))
			g.Call("fill", path)
			g.Call("stroke", path)
		}
	}
	dots(n.state.Train, "#ffffff")
	if !n.hideTest {
		dots(n.state.Test, "#000000")
	}
	canvas.Call("setAttribute", "data-epoch", n.epoch())
}

// netThumbPoints is how many points a thumbnail shows.
const netThumbPoints = 160

// thumbPoints are the points a data set's thumbnail shows: a sample of
// the set as the settings make it, or the points placed by hand.
func (n *Network) thumbPoints(id string) (xy []float32, label []int, classes int) {
	rng := rand.New(rand.NewPCG(7, 7))
	var p *data.Points
	switch id {
	case "circles":
		p = data.Circles(netThumbPoints, n.cfg.Noise, rng)
	case "xor":
		p = data.XOR(netThumbPoints, n.cfg.Noise, rng)
	case "spirals":
		p = data.Spirals(netThumbPoints, n.cfg.Noise, rng)
	case "blobs": // as many as choosing them gives
		p = data.Blobs(netThumbPoints, min(max(n.cfg.Classes, 2), 8), 0.1+n.cfg.Noise, rng)
	default:
		for _, pt := range n.cfg.Points {
			xy, label = append(xy, pt.X, pt.Y), append(label, pt.Class)
		}
		return xy, label, max(n.cfg.Classes, 2)
	}
	return p.X, p.Label, p.Classes
}

// paintThumbs draws each data set's thumbnail, when what they show has
// changed.
func (n *Network) paintThumbs(doc app.Value) {
	key := fmt.Sprint(n.cfg.Noise, n.cfg.Classes, n.cfg.Dataset, len(n.cfg.Points), n.cfg.Points)
	if key == n.paints.thumbs {
		return
	}
	painted := true
	for _, d := range netDatasets {
		c := app.Window().GetElementByID("thumb-" + d.id)
		if !c.Truthy() {
			painted = false
			continue
		}
		w, h, g := fitCanvas(c, 56, 56)
		g.Set("fillStyle", "#0d0f13")
		g.Call("fillRect", 0, 0, w, h)
		xy, label, classes := n.thumbPoints(d.id)
		if d.id == "custom" && len(label) == 0 {
			// An empty plane with a cross: points are placed by clicking.
			g.Set("strokeStyle", "#a7a9b0")
			g.Set("lineWidth", 2)
			g.Call("beginPath")
			g.Call("moveTo", w/2-9, h/2)
			g.Call("lineTo", w/2+9, h/2)
			g.Call("moveTo", w/2, h/2-9)
			g.Call("lineTo", w/2, h/2+9)
			g.Call("stroke")
			continue
		}
		for k := range classes {
			var b strings.Builder
			for i, l := range label {
				if l != k {
					continue
				}
				x := (float64(xy[2*i]) + netRange) / (2 * netRange) * w
				y := h - (float64(xy[2*i+1])+netRange)/(2*netRange)*h
				fmt.Fprintf(&b, "M%.1f %.1fh0.01", x, y)
			}
			g.Set("strokeStyle", rgb(netColour(k, classes)))
			g.Set("lineWidth", 2.6)
			g.Set("lineCap", "round")
			g.Call("stroke", app.Window().Get("Path2D").New(b.String()))
		}
	}
	if painted {
		n.paints.thumbs = key
	}
}

// unitStride is a unit picture's cells plus a gap, in the tiled canvas
// each layer's pictures are drawn from.
const unitStride = netUnitCells + 2

// unitTiles is how a layer's unit pictures are tiled: columns and rows.
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

// heatSteps is how finely heatTable divides [−1, 1].
const heatSteps = 256

// heatTable is heatColour at 2·heatSteps+1 points of [−1, 1], for the
// unit pictures: a look-up per cell, not a colour's arithmetic.
var heatTable = func() (t [2*heatSteps + 1][3]byte) {
	for i := range t {
		t[i] = heatColour(float64(i-heatSteps) / heatSteps)
	}
	return t
}()

// heatOf is heatTable's colour for v/scale (clamped to [−1, 1]).
func heatOf(v float32, scale float64) [3]byte {
	i := int(math.Round(float64(v) / scale * heatSteps))
	return heatTable[max(-heatSteps, min(heatSteps, i))+heatSteps]
}

// unitRGBA tiles a layer's unit pictures (a row per unit, of
// netUnitCells² cells): each blue below zero, orange above, scaled to its
// own largest |y|.
func unitRGBA(maps protocol.Batch) (rgba []byte, w, h int) {
	cols, rows := unitTiles(maps.Rows)
	w, h = cols*unitStride, rows*unitStride
	rgba = make([]byte, 4*w*h)
	for j := range maps.Rows {
		m := maps.Row(j)
		lo, hi := extent(m)
		scale := math.Max(math.Max(-lo, hi), 1e-6)
		ox, oy := (j%cols)*unitStride, (j/cols)*unitStride
		for c, v := range m {
			col := heatOf(v, scale)
			i := 4 * ((oy+c/netUnitCells)*w + ox + c%netUnitCells)
			rgba[i], rgba[i+1], rgba[i+2], rgba[i+3] = col[0], col[1], col[2], 255
		}
	}
	return rgba, w, h
}

// featureValue is input feature id at the point (x₁, x₂), as the engine
// computes it.
func featureValue(id string, x1, x2 float64) float64 {
	switch id {
	case "x1":
		return x1
	case "x2":
		return x2
	case "x1sq":
		return x1 * x1
	case "x2sq":
		return x2 * x2
	case "x1x2":
		return x1 * x2
	case "sinx1":
		return math.Sin(math.Pi * x1)
	case "sinx2":
		return math.Sin(math.Pi * x2)
	}
	return 0
}

// featureRGBA draws every input feature over the plane, in netFeatures'
// order, a tile each, coloured as the units are.
func featureRGBA() (rgba []byte, w, h int) {
	w, h = len(netFeatures)*unitStride, unitStride
	rgba = make([]byte, 4*w*h)
	cell := 2 * netRange / netUnitCells
	for f, feat := range netFeatures {
		vals := make([]float32, netUnitCells*netUnitCells)
		for c := range vals {
			x1 := -netRange + (float64(c%netUnitCells)+0.5)*cell
			x2 := netRange - (float64(c/netUnitCells)+0.5)*cell
			vals[c] = float32(featureValue(feat.id, x1, x2))
		}
		lo, hi := extent(vals)
		scale := math.Max(math.Max(-lo, hi), 1e-6)
		for c, v := range vals {
			col := heatColour(float64(v) / scale)
			i := 4 * ((c/netUnitCells)*w + f*unitStride + c%netUnitCells)
			rgba[i], rgba[i+1], rgba[i+2], rgba[i+3] = col[0], col[1], col[2], 255
		}
	}
	return rgba, w, h
}

// netLayout places the network on its graph: the layers' widths, inputs
// first, and the graph's size in CSS pixels. Each layer stands in the
// middle of an equal column between a margin for the inputs' names and
// one for the outputs', as the controls above the graph do; its units
// are centred on the graph's middle line.
type netLayout struct {
	widths []int
	w, h   float64
}

const (
	graphLeft  = 44.0 // room for the inputs' names
	graphRight = 46.0 // and the outputs'
	graphPad   = 8.0  // above the top unit and below the bottom one
	graphNode  = 30.0 // a unit's picture, at most
	graphCell  = 62.0 // a layer's column, at least
)

// graphMinWidth is the narrowest graph that gives each of layers
// columns its room.
func graphMinWidth(layers int) float64 { return graphLeft + graphRight + float64(layers)*graphCell }

func (g netLayout) colX(l int) float64 {
	return graphLeft + (float64(l)+0.5)*(g.w-graphLeft-graphRight)/float64(len(g.widths))
}

// step is how far apart layer l's units stand.
func (g netLayout) step(l int) float64 {
	return math.Min(graphNode*1.45, (g.h-2*graphPad)/float64(g.widths[l]))
}

func (g netLayout) rowY(l, j int) float64 {
	return g.h/2 + (float64(j)-float64(g.widths[l]-1)/2)*g.step(l)
}

// size is the side of layer l's units' squares.
func (g netLayout) size(l int) float64 { return math.Min(graphNode, 0.8*g.step(l)) }

// netHit is what a point of the graph is on: an edge (weight layer, from
// unit, to unit), a unit (its layer, 0 for the inputs, and index), or
// nothing.
type netHit struct {
	kind            hitKind
	layer, from, to int
}

type hitKind int

const (
	hitNone hitKind = iota
	hitEdge
	hitUnit
)

// hit finds what (x, y) is on: a unit's square (with a little slack), or
// else the edge passing nearest, within 5 pixels.
func (g netLayout) hit(x, y float64) netHit {
	for l, width := range g.widths {
		half := g.size(l)/2 + 2
		if math.Abs(x-g.colX(l)) > half {
			continue
		}
		for j := range width {
			if math.Abs(y-g.rowY(l, j)) <= half {
				return netHit{kind: hitUnit, layer: l, to: j}
			}
		}
	}
	best, hit := 5.0, netHit{}
	for l := 0; l+1 < len(g.widths); l++ {
		x0, x1 := g.colX(l), g.colX(l+1)
		if x < x0 || x > x1 {
			continue
		}
		t := (x - x0) / (x1 - x0)
		for i := range g.widths[l] {
			for j := range g.widths[l+1] {
				y0, y1 := g.rowY(l, i), g.rowY(l+1, j)
				slope := (y1 - y0) / (x1 - x0)
				// The distance across the edge, not straight down.
				if d := math.Abs(y0+t*(y1-y0)-y) / math.Sqrt(1+slope*slope); d < best {
					best, hit = d, netHit{kind: hitEdge, layer: l, from: i, to: j}
				}
			}
		}
	}
	return hit
}

// layout is the shown network on a graph of w×h CSS pixels.
func (n *Network) layout(w, h float64) netLayout { return netLayout{widths: n.widths(), w: w, h: h} }

// unitName names unit j of layer l (0 for the inputs).
func (n *Network) unitName(l, j int) string {
	widths := n.widths()
	switch {
	case l == 0:
		return featureLabel(n.shownFeatures()[j])
	case l == len(widths)-1:
		return fmt.Sprintf("class %d", j+1)
	}
	return fmt.Sprintf("unit %d.%d", l, j+1)
}

// describeHit says what the pointer is on, for the person, and the
// weight or bias a click there edits (ok false for none).
func (n *Network) describeHit(h netHit) (desc string, edit protocol.WeightEdit, ok bool) {
	switch h.kind {
	case hitEdge:
		lw, _, _ := n.weights(h.layer)
		if lw == nil {
			return "", edit, false
		}
		v := lw.W.Row(h.from)[h.to]
		return fmt.Sprintf("%s → %s: w = %.3f", n.unitName(h.layer, h.from), n.unitName(h.layer+1, h.to), v),
			protocol.WeightEdit{Layer: h.layer, From: h.from, To: h.to, Value: v}, true
	case hitUnit:
		if h.layer == 0 {
			return fmt.Sprintf("%s: an input the network reads from each point", n.unitName(0, h.to)), edit, false
		}
		lw, _, _ := n.weights(h.layer - 1)
		if lw == nil {
			return "", edit, false
		}
		v := lw.B[h.to]
		return fmt.Sprintf("%s: bias b = %.3f", n.unitName(h.layer, h.to), v),
			protocol.WeightEdit{Layer: h.layer - 1, From: -1, To: h.to, Value: v}, true
	}
	return "", edit, false
}

// graphKey is what the graph shows: redrawn when it changes.
func (n *Network) graphKey(w, h float64) string {
	return fmt.Sprintf("%p %g %g", n.state, w, h)
}

// paintGraph draws the network: each edge coloured by its weight's sign
// (orange positive, blue negative) and as thick as it is large, each
// unit's picture in its square, the inputs' and outputs' names beside
// them. (A canvas: six layers of 64 units have 20,000 edges, redrawn as
// training goes.)
func (n *Network) paintGraph(doc, canvas app.Value) {
	w, h, g := fitCanvas(canvas, 520, 320)
	key := n.graphKey(w, h)
	if key == n.paints.graphKey {
		return
	}
	n.paints.graphKey = key
	lay := n.layout(w, h)
	n.paints.layout = lay
	g.Call("clearRect", 0, 0, w, h)

	// Edges are gathered into one path per sign and width step, each
	// handed to the canvas as one SVG path string: one call per path
	// rather than several per edge. Between wide layers, where thousands
	// of edges cross, they are drawn thinner and fainter.
	const steps = 8
	var paths [2][2][steps][]byte // dense or not, sign, width step
	for l := 0; l+1 < len(lay.widths); l++ {
		lw, in, out := n.weights(l)
		if lw == nil {
			break
		}
		dense := b2i(in*out > 256)
		x0, x1 := lay.colX(l), lay.colX(l+1)
		for i := range in {
			y0 := lay.rowY(l, i)
			row := lw.W.Row(i)
			for j := range out {
				v := float64(row[j])
				k, s := min(int(math.Abs(v)*2), steps-1), b2i(v >= 0)
				b := append(paths[dense][s][k], 'M')
				b = appendTenths(b, x0)
				b = append(b, ' ')
				b = appendTenths(b, y0)
				b = append(b, 'L')
				b = appendTenths(b, x1)
				b = append(b, ' ')
				paths[dense][s][k] = appendTenths(b, lay.rowY(l+1, j))
			}
		}
	}
	for dense, style := range []struct{ alpha, width, per float64 }{{0.85, 0.6, 0.8}, {0.3, 0.3, 0.3}} {
		for s, colour := range []string{"74,163,255", "242,169,59"} {
			g.Set("strokeStyle", fmt.Sprintf("rgba(%s,%g)", colour, style.alpha))
			for k := range steps {
				if len(paths[dense][s][k]) == 0 {
					continue
				}
				g.Set("lineWidth", style.width+style.per*float64(k))
				g.Call("stroke", app.Window().Get("Path2D").New(string(paths[dense][s][k])))
			}
		}
	}

	// The units: the features' pictures, each hidden unit's picture, and
	// a square of its class's colour for each output.
	if !alive(n.paints.features) {
		rgba, fw, fh := featureRGBA()
		n.paints.features = offscreen(doc, app.Null(), fw, fh)
		putRGBA(n.paints.features, rgba, fw, fh)
	}
	for len(n.paints.units) < len(n.state.Units) {
		n.paints.units = append(n.paints.units, app.Null())
	}
	painted := 0
	for li, maps := range n.state.Units {
		if maps.Cols != netUnitCells*netUnitCells || li+1 >= len(lay.widths)-1 || maps.Rows != lay.widths[li+1] {
			continue
		}
		rgba, tw, th := unitRGBA(maps)
		n.paints.units[li] = offscreen(doc, n.paints.units[li], tw, th)
		putRGBA(n.paints.units[li], rgba, tw, th)
		painted++
	}
	g.Set("imageSmoothingEnabled", true)
	g.Set("imageSmoothingQuality", "high")
	g.Set("font", "12px system-ui, sans-serif")
	g.Set("textBaseline", "middle")
	classes := lay.widths[len(lay.widths)-1]
	last := len(lay.widths) - 1
	for l, width := range lay.widths {
		s := lay.size(l)
		for j := range width {
			x, y := lay.colX(l)-s/2, lay.rowY(l, j)-s/2
			switch {
			case l == 0:
				f := netFeatureIndex(n.shownFeatures()[j])
				g.Call("drawImage", n.paints.features, f*unitStride, 0, netUnitCells, netUnitCells, x, y, s, s)
				g.Set("fillStyle", "#d6d8dd")
				g.Set("textAlign", "right")
				g.Call("fillText", featureLabel(n.shownFeatures()[j]), x-5, y+s/2)
			case l == last:
				g.Set("fillStyle", rgb(netColour(j, classes)))
				g.Call("fillRect", x, y, s, s)
				g.Set("fillStyle", "#d6d8dd")
				g.Set("textAlign", "left")
				g.Call("fillText", fmt.Sprintf("class %d", j+1), x+s+5, y+s/2)
			case l-1 < len(n.paints.units) && alive(n.paints.units[l-1]) && painted > 0:
				cols, _ := unitTiles(width)
				g.Call("drawImage", n.paints.units[l-1], (j%cols)*unitStride, (j/cols)*unitStride, netUnitCells, netUnitCells, x, y, s, s)
			default:
				g.Set("fillStyle", "#1a1d24")
				g.Call("fillRect", x, y, s, s)
			}
			if s >= 6 {
				g.Set("strokeStyle", "rgba(244,241,234,0.7)")
				g.Set("lineWidth", 1)
				g.Call("strokeRect", x-0.5, y-0.5, s+1, s+1)
			}
		}
	}
	canvas.Call("setAttribute", "data-units", painted)
	// Where each layer stands, in CSS pixels, for a test to find its
	// way: x, the first unit's y, the step to the next, the squares' side.
	where := make([]string, len(lay.widths))
	for l := range lay.widths {
		where[l] = fmt.Sprintf("%.1f|%.1f|%.2f|%.2f", lay.colX(l), lay.rowY(l, 0), lay.step(l), lay.size(l))
	}
	canvas.Call("setAttribute", "data-layout", strings.Join(where, " "))
	canvas.Call("setAttribute", "data-epoch", n.epoch())
	n.paintHover()
}

// appendTenths writes v ≥ 0 to a tenth, as a path's number.
func appendTenths(b []byte, v float64) []byte {
	t := int64(math.Round(v * 10))
	b = strconv.AppendInt(b, t/10, 10)
	return append(b, '.', byte('0'+t%10))
}

func netFeatureIndex(id string) int {
	for i, f := range netFeatures {
		if f.id == id {
			return i
		}
	}
	return 0
}

// paintHover outlines what the pointer is on, on the canvas over the
// graph.
func (n *Network) paintHover() {
	if !app.IsClient {
		return
	}
	c := app.Window().GetElementByID("net-graph-over")
	if !c.Truthy() {
		return
	}
	lay := n.paints.layout
	w, h, g := fitCanvas(c, lay.w, lay.h)
	g.Call("clearRect", 0, 0, w, h)
	hit := n.hoverHit
	if n.editing {
		hit = n.editHit()
	}
	if len(lay.widths) < 2 {
		return
	}
	g.Set("strokeStyle", "#ffffff")
	switch hit.kind {
	case hitEdge:
		if hit.layer+1 >= len(lay.widths) || hit.from >= lay.widths[hit.layer] || hit.to >= lay.widths[hit.layer+1] {
			return
		}
		g.Set("lineWidth", 2.5)
		g.Call("beginPath")
		g.Call("moveTo", lay.colX(hit.layer), lay.rowY(hit.layer, hit.from))
		g.Call("lineTo", lay.colX(hit.layer+1), lay.rowY(hit.layer+1, hit.to))
		g.Call("stroke")
	case hitUnit:
		if hit.layer >= len(lay.widths) || hit.to >= lay.widths[hit.layer] {
			return
		}
		s := lay.size(hit.layer)
		g.Set("lineWidth", 2)
		g.Call("strokeRect", lay.colX(hit.layer)-s/2-2, lay.rowY(hit.layer, hit.to)-s/2-2, s+4, s+4)
	}
}

// editHit is the editor's weight as a place on the graph.
func (n *Network) editHit() netHit {
	e := n.editTarget()
	if e.From < 0 {
		return netHit{kind: hitUnit, layer: e.Layer + 1, to: e.To}
	}
	return netHit{kind: hitEdge, layer: e.Layer, from: e.From, to: e.To}
}

// pointerOn is what the pointer event e is on, in the graph as last drawn.
func (n *Network) pointerOn(e app.Event) (netHit, float64, float64) {
	x, y := e.Get("offsetX").Float(), e.Get("offsetY").Float()
	if n.state == nil || n.paints.layout.w == 0 {
		return netHit{}, x, y
	}
	return n.paints.layout.hit(x, y), x, y
}

// hoverGraph tells what the pointer is on: an edge's weight or a unit's
// bias.
func (n *Network) hoverGraph(ctx app.Context, e app.Event) {
	hit, x, y := n.pointerOn(e)
	desc, _, _ := n.describeHit(hit)
	if hit == n.hoverHit && desc == n.hover {
		ctx.PreventUpdate()
		return
	}
	n.hoverHit, n.hover, n.hoverAt = hit, desc, [2]float64{x, y}
	n.paintHover()
}

// leaveGraph forgets the pointer.
func (n *Network) leaveGraph(ctx app.Context, e app.Event) {
	n.hoverHit, n.hover = netHit{}, ""
	n.paintHover()
}

// pickGraph opens the editor on the weight or bias clicked.
func (n *Network) pickGraph(ctx app.Context, e app.Event) {
	hit, x, y := n.pointerOn(e)
	desc, edit, ok := n.describeHit(hit)
	if !ok {
		n.editing = false
		n.paintHover()
		return
	}
	n.hover = desc
	n.edit, n.editValue, n.editing, n.editAt = edit, float64(edit.Value), true, [2]float64{x, y}
	n.paintHover()
	ctx.Defer(func(ctx app.Context) {
		if in := app.Window().GetElementByID("edit-value"); in.Truthy() {
			in.Set("value", fmtFloat(math.Round(n.editValue*1000)/1000))
			in.Call("focus")
			in.Call("select")
		}
	})
}

// openEditor shows the editor for the weight the drop-downs name, at the
// middle of the graph.
func (n *Network) openEditor() {
	e := n.editTarget()
	lay := n.paints.layout
	n.editing = true
	n.editAt = [2]float64{lay.w / 2, lay.h / 2}
	if lw, _, _ := n.weights(e.Layer); lw != nil {
		if e.From < 0 {
			n.editValue = float64(lw.B[e.To])
		} else {
			n.editValue = float64(lw.W.Row(e.From)[e.To])
		}
	}
	n.paintHover()
}
