package web

import (
	"latentplay/wasm/engine/protocol"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// netFromURL is a network lab with its defaults, then the settings of the
// query string (as the lab writes it: the points' semicolons escaped).
func netFromURL(t *testing.T, query string) *Network {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	n := &Network{}
	n.OnInit()
	n.fromQuery(v)
	return n
}

// points32 writes a points parameter's numbers shortest as float32s.
func points32(s string) string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		f := strings.Split(p, ",")
		for i, v := range f {
			if x, err := strconv.ParseFloat(v, 32); err == nil {
				f[i] = strconv.FormatFloat(x, 'g', -1, 32)
			}
		}
		out = append(out, strings.Join(f, ","))
	}
	return strings.Join(out, ";")
}

// The URL codec: every setting the lab writes into the link reads back
// as itself, so a link reproduces the run.
func TestNetworkURLRoundTrip(t *testing.T) {
	for _, q := range []string{
		"data=xor&n=300&noise=0.1&test=0.3&layers=6-tanh,4-relu&loss=ce&opt=adam&lr=0.02&batch=10&seed=7&epochs=60",
		"data=spirals&n=500&noise=0&test=0.5&layers=8-tanh,8-tanh&loss=ce&opt=adam&lr=0.01&batch=16&seed=2&epochs=1000&features=x1,x2,sinx1,sinx2",
		"data=circles&n=300&test=0.5&layers=&loss=mse&opt=momentum&lr=0.05&batch=10&l1=0.001&l2=0.0003&seed=3&epochs=100&features=x1sq,x2sq",
		"data=custom&classes=3&test=0&layers=8-tanh&lr=0.03&batch=4&epochs=100&points=0.2,0.8,0%3B-0.25,0.7,1%3B1.15,-1.2,2",
		"data=blobs&classes=8&n=2000&layers=64-relu,64-relu,64-relu,64-relu,64-relu,64-relu&opt=sgd&lr=10&seed=18446744073709551615",
	} {
		n := netFromURL(t, q)
		first := n.query()
		again := netFromURL(t, first.Encode()).query()
		if first.Encode() != again.Encode() {
			t.Errorf("%s\nwrites %s\nreads back as %s", q, first.Encode(), again.Encode())
		}
		// What the link said is what the lab holds (the points as the
		// float32 numbers the lab keeps them in).
		given, _ := url.ParseQuery(q)
		for k := range given {
			got, want := first.Get(k), given.Get(k)
			if k == "points" {
				got, want = points32(got), points32(want)
			}
			if got != want {
				t.Errorf("%s: %s = %q, the link said %q", q, k, got, want)
			}
		}
	}
}

// What cannot be read stays at its default; more than six layers are not
// built; unknown features are dropped and the rest keep the lab's order;
// no feature at all keeps the default; a malformed point is skipped.
func TestNetworkURLOddInput(t *testing.T) {
	def := netFromURL(t, "").query()
	n := netFromURL(t, "n=many&lr=&batch=1.5&seed=-1&noise=x&epochs=")
	for _, k := range []string{"n", "lr", "batch", "seed", "noise", "epochs"} {
		if got := n.query().Get(k); got != def.Get(k) {
			t.Errorf("unreadable %s became %q, want the default %q", k, got, def.Get(k))
		}
	}
	n = netFromURL(t, "layers="+strings.TrimSuffix(strings.Repeat("3-relu,", 9), ","))
	if got := n.query().Get("layers"); got != strings.TrimSuffix(strings.Repeat("3-relu,", netMaxLayers), ",") {
		t.Errorf("nine layers read as %q, want the first %d", got, netMaxLayers)
	}
	if got := netFromURL(t, "layers=4-tanh,x-relu,5-sigmoid").query().Get("layers"); got != "4-tanh,5-sigmoid" {
		t.Errorf("a layer without a width: %q", got)
	}
	if got := netFromURL(t, "features=sinx2,nope,x1").query().Get("features"); got != "x1,sinx2" {
		t.Errorf("features sinx2,nope,x1 read as %q, want x1,sinx2", got)
	}
	if got, want := netFromURL(t, "features=nope").query().Get("features"), def.Get("features"); got != want {
		t.Errorf("no known feature gave %q, want the default %q", got, want)
	}
	got := netFromURL(t, "data=custom&points=0.1,0.2,1%3Bbad%3B0.3,x,0%3B0.5,0.5%3B-0.4,0.6,2").query().Get("points")
	if points32(got) != "0.1,0.2,1;-0.4,0.6,2" {
		t.Errorf("points read as %q, want the two well-formed ones", got)
	}
	if netFromURL(t, "data=xor&points=0.1,0.2,1").query().Has("points") {
		t.Error("a data set other than custom writes points into the link")
	}
}

// The graph's geometry: each layer in the middle of an equal column
// between the names' margins, inputs first; each layer's units centred on
// the middle line, in order, evenly apart, their squares on the canvas and
// apart; every unit named; the narrowest graph still gives each column
// its room. A point on a unit's square is on that unit, a point on an
// edge between squares is on that edge.
func TestNetworkGraphGeometry(t *testing.T) {
	for _, q := range []string{
		"layers=6-tanh,4-relu",
		"layers=",
		"layers=64-relu,64-relu,64-relu,64-relu,64-relu,64-relu&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2",
		"data=blobs&classes=8&layers=1-tanh",
	} {
		n := netFromURL(t, q)
		n.shown = n.cfg
		widths := n.widths()
		if len(widths) != len(n.cfg.Hidden)+2 || widths[0] != len(n.shownFeatures()) || widths[len(widths)-1] != max(n.cfg.Classes, 2) {
			t.Errorf("%s: widths %v", q, widths)
			continue
		}
		for _, size := range [][2]float64{{max(520, graphMinWidth(len(widths))), 320}, {graphMinWidth(len(widths)), 300}} {
			g := n.layout(size[0], size[1])
			cell := (g.w - graphLeft - graphRight) / float64(len(widths))
			if cell < graphCell-1e-9 {
				t.Errorf("%s, %v: columns %g wide, want at least %g", q, size, cell, graphCell)
			}
			if math.Abs(g.colX(0)-graphLeft-cell/2) > 1e-9 || math.Abs(g.w-graphRight-g.colX(len(widths)-1)-cell/2) > 1e-9 {
				t.Errorf("%s, %v: layers from %g to %g", q, size, g.colX(0), g.colX(len(widths)-1))
			}
			names := map[string]bool{}
			for l, w := range widths {
				if l > 0 && math.Abs(g.colX(l)-g.colX(l-1)-cell) > 1e-9 {
					t.Errorf("%s: layer %d at %g after %g, want a step of %g", q, l, g.colX(l), g.colX(l-1), cell)
				}
				if mid := (g.rowY(l, 0) + g.rowY(l, w-1)) / 2; math.Abs(mid-g.h/2) > 1e-9 {
					t.Errorf("%s: layer %d centred at %g, want %g", q, l, mid, g.h/2)
				}
				s := g.size(l)
				if s > graphNode || s <= 0 || s > 0.8*g.step(l)+1e-9 {
					t.Errorf("%s: layer %d's squares are %g, %g apart", q, l, s, g.step(l))
				}
				for j := range w {
					if y := g.rowY(l, j); y-s/2 < graphPad-1e-9 || y+s/2 > g.h-graphPad+1e-9 {
						t.Errorf("%s: unit %d of layer %d at y %g, off the canvas", q, j, l, y)
					}
					if j > 0 {
						if step := g.rowY(l, j) - g.rowY(l, j-1); math.Abs(step-math.Min(graphNode*1.45, (g.h-2*graphPad)/float64(w))) > 1e-9 {
							t.Errorf("%s: layer %d units %g apart", q, l, step)
						}
					}
					if s >= 4 {
						if h := g.hit(g.colX(l), g.rowY(l, j)); h != (netHit{kind: hitUnit, layer: l, to: j}) {
							t.Errorf("%s: the middle of unit %d of layer %d is on %+v", q, j, l, h)
						}
					}
					nm := n.unitName(l, j)
					if nm == "" || names[nm] {
						t.Errorf("%s: unit %d of layer %d named %q (empty or twice)", q, j, l, nm)
					}
					names[nm] = true
				}
			}
			if got := n.unitName(0, 0); got != featureLabel(n.shownFeatures()[0]) {
				t.Errorf("%s: the first input is named %q", q, got)
			}
			if got := n.unitName(len(widths)-1, 0); got != "class 1" {
				t.Errorf("%s: the first output is named %q", q, got)
			}
			if h := g.hit(1, 1); h.kind != hitNone {
				t.Errorf("%s: the corner is on %+v", q, h)
			}
		}
	}
	// 30% of the way from x₁ to unit 1.1 is on their edge, and so
	// on (halfway, x₁ → unit 1.4 crosses x₂ → unit 1.3); on a wide
	// network, where edges cross everywhere, a point on an edge is on some
	// edge.
	n := netFromURL(t, "layers=6-tanh,4-relu")
	n.shown = n.cfg
	g := n.layout(520, 320)
	for _, e := range [][3]int{{0, 0, 0}, {0, 1, 2}, {2, 0, 1}} {
		x0, y0, x1, y1 := g.colX(e[0]), g.rowY(e[0], e[1]), g.colX(e[0]+1), g.rowY(e[0]+1, e[2])
		if h := g.hit(x0+0.3*(x1-x0), y0+0.3*(y1-y0)); h != (netHit{kind: hitEdge, layer: e[0], from: e[1], to: e[2]}) {
			t.Errorf("30%% along edge %v is on %+v", e, h)
		}
	}
	n = netFromURL(t, "layers=64-relu,64-relu&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2")
	n.shown = n.cfg
	g = n.layout(520, 320)
	if h := g.hit((g.colX(1)+g.colX(2))/2, g.rowY(1, 10)); h.kind != hitEdge || h.layer != 1 {
		t.Errorf("between two wide layers: %+v", h)
	}
}

// A layer's unit maps tile in 2, 4 or 8 columns, with room for every unit
// and no empty row.
func TestUnitTiles(t *testing.T) {
	for width := 1; width <= 64; width++ {
		cols, rows := unitTiles(width)
		want := 2
		if width > 32 {
			want = 8
		} else if width > 8 {
			want = 4
		}
		if cols != want || cols*rows < width || cols*(rows-1) >= width {
			t.Errorf("%d units: %d columns × %d rows", width, cols, rows)
		}
	}
	if cols, rows := unitTiles(64); cols*unitStride != 208 || rows*unitStride != 208 {
		t.Errorf("64 units tile %d×%d, want 8×8 (208 pixels a side)", cols, rows)
	}
	// Each unit's picture is where its tile is.
	maps := protocol.Batch{Rows: 5, Cols: netUnitCells * netUnitCells, Data: make([]float32, 5*netUnitCells*netUnitCells)}
	for j := range 5 {
		maps.Row(j)[0] = float32(j + 1) // its top-left cell, its largest
	}
	rgba, w, h := unitRGBA(maps)
	if w != 2*unitStride || h != 3*unitStride {
		t.Fatalf("5 units tile %d×%d pixels", w, h)
	}
	for j := range 5 {
		i := 4 * ((j/2)*unitStride*w + (j%2)*unitStride)
		if rgba[i] != 242 || rgba[i+3] != 255 {
			t.Errorf("unit %d's top-left pixel %v, want full orange", j, rgba[i:i+4])
		}
	}
}

// A click removes the point nearest it within the pick radius, and only
// that one.
func TestNearestPoint(t *testing.T) {
	pts := []protocol.Point{{X: 0, Y: 0, Class: 0}, {X: 0.5, Y: 0.5, Class: 1}, {X: 0.52, Y: 0.5, Class: 2}}
	for _, c := range []struct {
		x, y float64
		want int
	}{
		{0.01, 0.01, 0}, {0.49, 0.5, 1}, {0.53, 0.5, 2}, {0.505, 0.5, 1}, {1, 1, -1}, {0, netPick + 0.001, -1},
	} {
		if got := nearestPoint(pts, c.x, c.y, netPick); got != c.want {
			t.Errorf("a click at (%g, %g) picks %d, want %d", c.x, c.y, got, c.want)
		}
	}
	if got := nearestPoint(nil, 0, 0, netPick); got != -1 {
		t.Errorf("no points: picked %d", got)
	}
}

// The loss plot: no curve before two points; then both curves, scaled to
// the larger loss, left to right over the epochs.
func TestNetLossPlot(t *testing.T) {
	if s := netLossPlot(nil); strings.Contains(s, "polyline") || !strings.Contains(s, "Press Train") {
		t.Errorf("no points: %s", s)
	}
	s := netLossPlot([]netPoint{{0, 0.7, 0.8}, {10, 0.4, 0.5}, {20, 0.2, 0.3}})
	lines := regexp.MustCompile(`points="([^"]*)"`).FindAllStringSubmatch(s, -1)
	if len(lines) != 2 {
		t.Fatalf("%d curves in %s", len(lines), s)
	}
	if !strings.Contains(s, "train: epoch = 20, loss = 0.2; test: epoch = 20, loss = 0.3") {
		t.Errorf("the description does not give the last points: %s", s)
	}
	var xs, ys []float64
	for _, p := range strings.Fields(lines[1][1]) { // the test curve
		x, _ := strconv.ParseFloat(strings.Split(p, ",")[0], 64)
		y, _ := strconv.ParseFloat(strings.Split(p, ",")[1], 64)
		xs, ys = append(xs, x), append(ys, y)
	}
	// Epochs left to right, the loss falling: lower on the screen is larger y.
	if !(xs[0] < xs[1] && xs[1] < xs[2]) || !(ys[1] > ys[0] && ys[2] > ys[1]) {
		t.Errorf("the test curve's points: %v, %v", xs, ys)
	}
	for _, want := range []string{">epoch<", ">loss<", ">train<", ">test<"} {
		if !strings.Contains(s, want) {
			t.Errorf("the chart lacks %s", want)
		}
	}
}

// The two-class map drawn finer than its cells: a boundary between two
// columns of cells falls halfway between their centres in every row, the
// colours fading to the ground there; far from it each side is its
// class's colour at full shade.
func TestDecisionFine(t *testing.T) {
	const cells = 8
	m := protocol.DecisionMap{Class: make([]int, cells*cells), Prob: protocol.Batch{Rows: cells, Cols: cells, Data: make([]float32, cells*cells)}}
	for c := range m.Class {
		m.Class[c], m.Prob.Data[c] = 0, 1
		if c%cells >= cells/2 {
			m.Class[c] = 1
		}
	}
	rgba, side := decisionFineRGBA(m, cells)
	if side != cells*netMapFine || len(rgba) != 4*side*side {
		t.Fatalf("%d pixels a side, %d bytes", side, len(rgba))
	}
	blue, orange := netColour(0, 2), netColour(1, 2)
	br, bg, bb := shade(blue, 1)
	or, og, ob := shade(orange, 1)
	for y := range side {
		row := rgba[4*y*side : 4*(y+1)*side]
		if row[0] != br || row[1] != bg || row[2] != bb {
			t.Fatalf("row %d starts %v, want the full blue shade", y, row[:3])
		}
		if e := row[4*(side-1):]; e[0] != or || e[1] != og || e[2] != ob {
			t.Fatalf("row %d ends %v, want the full orange shade", y, e[:3])
		}
		first := -1
		for x := range side {
			if row[4*x] > row[4*x+2] { // more red than blue: orange
				first = x
				break
			}
		}
		if first != side/2 {
			t.Errorf("row %d turns orange at pixel %d, want %d", y, first, side/2)
		}
		if mid := row[4*(side/2-1) : 4*(side/2-1)+3]; mid[0] > 60 || mid[2] > 60 {
			t.Errorf("row %d beside the boundary is %v, want near the ground", y, mid)
		}
	}
}

// The unit pictures' colour table is heatColour, to the table's step.
func TestHeatTable(t *testing.T) {
	for _, v := range []float32{-3, -1, -0.5, -0.01, 0, 0.25, 0.999, 1, 7} {
		want := heatColour(math.Max(-1, math.Min(1, float64(v)/2)))
		got := heatOf(v, 2)
		for c := range 3 {
			if d := int(got[c]) - int(want[c]); d < -1 || d > 1 {
				t.Errorf("heatOf(%g/2) = %v, heatColour %v", v, got, want)
				break
			}
		}
	}
	for _, c := range []struct {
		v    float64
		want string
	}{{0, "0.0"}, {12.34, "12.3"}, {12.35, "12.4"}, {199.96, "200.0"}, {5, "5.0"}} {
		if got := string(appendTenths(nil, c.v)); got != c.want {
			t.Errorf("appendTenths(%g) = %q, want %q", c.v, got, c.want)
		}
	}
}
