package web

import (
	"fmt"
	"html"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// chart is the one way the page draws a plot: axes with ticks and their
// quantities and units, a legend, a value under the pointer (each point
// names itself when hovered or focused), and an accessible description
// that names the axes and the latest values. Render gives the SVG.
type chart struct {
	ID      string
	Title   string // what the chart shows, first words of its description
	X, Y    axis
	Series  []series
	Empty   string  // said in the middle while there is nothing to plot
	W, H    float64 // the drawing's size in its own units (560×240 if zero)
	Bars    bool    // the series are bars at their x (a category each), not lines
	NoPoint bool    // lines without hover points (very long series)
	Dots    bool    // the lines' points drawn, not only hovered
	// Ring, when not 0, rings each series' point Ring−1 (the one a view
	// shows in detail).
	Ring int
	// BinWidth is a bar's width in x's units (1, a category, if zero): a
	// histogram's bin.
	BinWidth float64
	// Marks are reference lines across the plot, named in the legend.
	Marks []refLine
	// Data are more attributes of the element (data-… for tests).
	Data map[string]string
}

// axis is one axis: its quantity and unit, its range (found from the
// data where Lo = Hi), and whether it is logarithmic.
type axis struct {
	Label string // e.g. "images seen", "loss per image"
	Unit  string // e.g. "nats"; "" for none
	Lo    float64
	Hi    float64
	Log   bool
	// Ticks, if given, are the tick labels at 0, 1, … (a category axis).
	Ticks []string
}

// series is one line or set of bars, in its colour.
type series struct {
	Name   string
	Colour string
	Points [][2]float64 // x, y; a y beyond ±1e300 (a blow-up) is off the chart
	Dashed bool
	// Colours, if given, colour the bars one by one.
	Colours []string
}

// refLine is a dashed reference line at a value of x (Vertical) or of y.
type refLine struct {
	Name     string
	Colour   string
	At       float64
	Vertical bool
}

func (a axis) title() string {
	if a.Unit == "" {
		return a.Label
	}
	return a.Label + " (" + a.Unit + ")"
}

// niceTicks gives about n round values covering lo..hi (1, 2 or 5 times
// a power of ten apart), no more than n+1 of them.
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || n < 2 {
		return []float64{lo}
	}
	mag := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(n-1))))
	var best []float64
	for _, m := range []float64{1, 2, 5, 10, 20} {
		step := m * mag
		var ticks []float64
		for k := math.Ceil(lo/step - 1e-9); k <= math.Floor(hi/step+1e-9); k++ {
			v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'g', 12, 64), 64)
			ticks = append(ticks, v+0) // +0: no −0
		}
		if len(ticks) <= n+1 && len(ticks) >= 2 {
			return ticks
		}
		best = ticks
	}
	return best
}

// logTicks gives the powers of ten in lo..hi, and their 2× and 5× when
// that makes no more than 8 ticks.
func logTicks(lo, hi float64) []float64 {
	var out []float64
	for _, ms := range [][]float64{{1, 2, 5}, {1}} {
		out = out[:0]
		for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
			for _, m := range ms {
				v := m * math.Pow(10, e)
				if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
					out = append(out, v)
				}
			}
		}
		if len(out) <= 8 {
			break
		}
	}
	return out
}

// fmtTick writes a tick's value briefly: 0.001, 250, 1.5k, 2e+06.
func fmtTick(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 1e6 || a < 1e-3:
		return strconv.FormatFloat(v, 'g', 2, 64)
	case a >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// fmtValue writes a value for a readout: four significant figures.
func fmtValue(v float64) string {
	if math.Abs(v) >= 1e300 {
		return "off the chart"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// ranges fills in the axes' ranges from the data where they are not set.
func (c *chart) ranges() (x, y axis) {
	x, y = c.X, c.Y
	if x.Lo == x.Hi {
		x.Lo, x.Hi = math.Inf(1), math.Inf(-1)
		for _, s := range c.Series {
			for _, p := range s.Points {
				x.Lo, x.Hi = math.Min(x.Lo, p[0]), math.Max(x.Hi, p[0])
			}
		}
		if c.Bars {
			x.Lo, x.Hi = x.Lo-0.5, x.Hi+0.5
		}
	}
	if y.Lo == y.Hi {
		y.Lo, y.Hi = math.Inf(1), math.Inf(-1)
		for _, s := range c.Series {
			for _, p := range s.Points {
				if math.Abs(p[1]) < 1e300 && (!y.Log || p[1] > 0) {
					y.Lo, y.Hi = math.Min(y.Lo, p[1]), math.Max(y.Hi, p[1])
				}
			}
		}
		if !y.Log {
			y.Lo = math.Min(y.Lo, 0)
		}
	}
	for _, a := range []*axis{&x, &y} {
		if math.IsInf(a.Lo, 0) || math.IsInf(a.Hi, 0) {
			a.Lo, a.Hi = 0, 1
		}
		if a.Hi <= a.Lo {
			a.Hi = a.Lo + math.Max(1, math.Abs(a.Lo))
		}
		if a.Log && a.Lo <= 0 {
			a.Lo = a.Hi / 1000
		}
	}
	return x, y
}

// Render draws the chart as an SVG element.
func (c chart) Render() string {
	w, h := c.W, c.H
	if w == 0 {
		w = chartWidth()
	}
	if h == 0 {
		h = 240
	}
	const left, right, bottom = 58.0, 14.0, 42.0
	// The legend takes as many rows above the plot as it needs; the plot
	// keeps its height below them.
	legend, rows := c.legend(left, w-right)
	top := 30.0 + legendRow*float64(rows-1)
	h += legendRow * float64(rows-1)
	x, y := c.ranges()
	sx := func(v float64) float64 {
		if x.Log {
			return left + (math.Log10(v)-math.Log10(x.Lo))/(math.Log10(x.Hi)-math.Log10(x.Lo))*(w-left-right)
		}
		return left + (v-x.Lo)/(x.Hi-x.Lo)*(w-left-right)
	}
	sy := func(v float64) float64 {
		if y.Log {
			v = math.Max(v, y.Lo)
			return h - bottom - (math.Log10(v)-math.Log10(y.Lo))/(math.Log10(y.Hi)-math.Log10(y.Lo))*(h-top-bottom)
		}
		return h - bottom - (v-y.Lo)/(y.Hi-y.Lo)*(h-top-bottom)
	}
	var b strings.Builder
	var data strings.Builder
	for _, k := range slices.Sorted(maps.Keys(c.Data)) {
		fmt.Fprintf(&data, ` %s="%s"`, k, html.EscapeString(c.Data[k]))
	}
	fmt.Fprintf(&b, `<svg class="plot chart"%s%s viewBox="0 0 %g %g" role="img" aria-label="%s">`, idAttr(c.ID), data.String(), w, h, html.EscapeString(c.describe()))
	// Grid, ticks and their values.
	xt := niceTicks(x.Lo, x.Hi, 6)
	if x.Log {
		xt = logTicks(x.Lo, x.Hi)
	}
	if x.Ticks != nil {
		xt = xt[:0]
		for i := range x.Ticks {
			xt = append(xt, float64(i))
		}
	}
	yt := niceTicks(y.Lo, y.Hi, 5)
	if y.Log {
		yt = logTicks(y.Lo, y.Hi)
	}
	for _, v := range yt {
		py := sy(v)
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, left, py, w-right, py)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, left-5, py+4, fmtTick(v))
	}
	for i, v := range xt {
		px := sx(v)
		label := fmtTick(v)
		if x.Ticks != nil {
			label = x.Ticks[i]
		}
		fmt.Fprintf(&b, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"/>`, px, h-bottom, px, h-bottom+4)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, px, h-bottom+16, html.EscapeString(label))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%g" y1="%g" x2="%g" y2="%g"/>`, left, h-bottom, w-right, h-bottom)
	fmt.Fprintf(&b, `<line class="axis" x1="%g" y1="%g" x2="%g" y2="%g"/>`, left, top, left, h-bottom)
	fmt.Fprintf(&b, `<text class="axis-title" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, left+(w-left-right)/2, h-6, html.EscapeString(x.title()))
	fmt.Fprintf(&b, `<text class="axis-title" transform="translate(13 %.1f) rotate(-90)" text-anchor="middle">%s</text>`, top+(h-top-bottom)/2, html.EscapeString(y.title()))
	if !c.hasData() {
		fmt.Fprintf(&b, `<text class="empty" x="%.1f" y="%.1f" text-anchor="middle">%s</text></svg>`, left+(w-left-right)/2, top+(h-top-bottom)/2, html.EscapeString(c.Empty))
		return b.String()
	}
	// The series, and the legend above the plot.
	barW := 0.0
	if c.Bars && len(c.Series) > 0 {
		fill, bin := 0.8, c.BinWidth
		if bin > 0 {
			fill = 0.9
		} else {
			bin = 1
		}
		barW = (w - left - right) / (x.Hi - x.Lo) * bin * fill / float64(len(c.Series))
	}
	for k, s := range c.Series {
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		if c.Bars {
			for i, p := range s.Points {
				if math.Abs(p[1]) >= 1e300 {
					continue
				}
				colour := s.Colour
				if i < len(s.Colours) {
					colour = s.Colours[i]
				}
				px := sx(p[0]) - barW*float64(len(c.Series))/2 + barW*float64(k)
				y0, y1 := sy(math.Max(0, y.Lo)), sy(p[1])
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" tabindex="0"><title>%s</title></rect>`,
					px, math.Min(y0, y1), barW, math.Abs(y0-y1), colour, html.EscapeString(c.readout(s, p)))
			}
		} else {
			var pts strings.Builder
			for _, p := range s.Points {
				if math.Abs(p[1]) < 1e300 && (!y.Log || p[1] > 0) {
					fmt.Fprintf(&pts, "%.1f,%.1f ", sx(p[0]), sy(p[1]))
				}
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`, s.Colour, dash, strings.TrimSpace(pts.String()))
			if !c.NoPoint {
				class := "point"
				if c.Dots {
					class = "dot"
				}
				for i, p := range s.Points {
					if math.Abs(p[1]) < 1e300 && (!y.Log || p[1] > 0) {
						if i == c.Ring-1 {
							fmt.Fprintf(&b, `<circle class="ring" cx="%.1f" cy="%.1f" r="8"/>`, sx(p[0]), sy(p[1]))
						}
						fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s</title></circle>`, class, sx(p[0]), sy(p[1]), s.Colour, html.EscapeString(c.readout(s, p)))
					}
				}
			}
		}
	}
	for _, m := range c.Marks {
		x1, y1, x2, y2 := left, sy(m.At), w-right, sy(m.At)
		if m.Vertical {
			x1, y1, x2, y2 = sx(m.At), top, sx(m.At), h-bottom
		}
		fmt.Fprintf(&b, `<line class="mark" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" stroke-dasharray="5 4"><title>%s</title></line>`, x1, y1, x2, y2, m.Colour, html.EscapeString(m.Name))
	}
	for _, l := range legend {
		if l.mark {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" stroke-dasharray="5 4"/>`, l.x, l.y-4, l.x+14, l.y-4, l.colour)
		} else {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`, l.x, l.y-10, l.colour)
		}
		fmt.Fprintf(&b, `<text class="legend" x="%.1f" y="%.1f">%s</text>`, l.x+l.indent(), l.y, html.EscapeString(l.name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// legendRow is the height of a row of the legend.
const legendRow = 16.0

// legendItem is one entry of a chart's legend, placed: a series' colour
// or a reference line's dashes, then its name, its text's baseline at y.
type legendItem struct {
	name, colour string
	mark         bool
	x, y         float64
}

// indent is where the name starts after the swatch.
func (l legendItem) indent() float64 {
	if l.mark {
		return 18
	}
	return 16
}

// legend places the series' names (when there is more than one, or it has
// a name) and the marks' in rows between x = lo and hi, a new row when an
// entry would cross hi; it returns them and the number of rows. Text is
// taken as 7 units a character, as the charts' 12 px type is about.
func (c chart) legend(lo, hi float64) (items []legendItem, rows int) {
	for _, s := range c.Series {
		if len(c.Series) > 1 || s.Name != "" {
			items = append(items, legendItem{name: s.Name, colour: s.Colour})
		}
	}
	for _, m := range c.Marks {
		items = append(items, legendItem{name: m.Name, colour: m.Colour, mark: true})
	}
	x, rows := lo, 1
	for i := range items {
		width := items[i].indent() + 7*float64(len([]rune(items[i].name)))
		if x > lo && x+width > hi {
			x, rows = lo, rows+1
		}
		items[i].x, items[i].y = x, 18+legendRow*float64(rows-1)
		x += width + 12
	}
	return items, rows
}

// chartWidth is a chart's width in its own units: the width it will take
// on this screen (up to 560), so that its text is drawn at the size it is
// written, 12 px, on a phone as on a desktop.
func chartWidth() float64 {
	if !app.IsClient {
		return 560
	}
	w := app.Window().Get("innerWidth")
	if w.Type() != app.TypeNumber { // not a browser window (the wasm tests' Node)
		return 560
	}
	return math.Max(300, math.Min(560, w.Float()-56))
}

// narrowScreen is whether a chart takes less than its full width, as on
// a phone: there the wide diagrams turn to a portrait layout, as their
// text would be scaled below a readable size.
func narrowScreen() bool { return chartWidth() < 560 }

func idAttr(id string) string {
	if id == "" {
		return ""
	}
	return ` id="` + html.EscapeString(id) + `"`
}

func (c chart) hasData() bool {
	for _, s := range c.Series {
		if len(s.Points) > 0 {
			return true
		}
	}
	return false
}

// readout is what a point says under the pointer.
func (c chart) readout(s series, p [2]float64) string {
	xv := fmtValue(p[0])
	if c.X.Ticks != nil && int(p[0]) >= 0 && int(p[0]) < len(c.X.Ticks) {
		xv = c.X.Ticks[int(p[0])]
	}
	name := s.Name
	if name != "" {
		name += ": "
	}
	return fmt.Sprintf("%s%s = %s, %s = %s", name, c.X.title(), xv, c.Y.title(), fmtValue(p[1]))
}

// describe names the chart's axes and each series' latest value.
func (c chart) describe() string {
	d := fmt.Sprintf("%s: %s against %s", c.Title, c.Y.title(), c.X.title())
	if !c.hasData() {
		if c.Empty != "" {
			return d + ". " + c.Empty
		}
		return d + "; no data yet."
	}
	var last []string
	for _, s := range c.Series {
		if n := len(s.Points); n > 0 {
			last = append(last, c.readout(s, s.Points[n-1]))
		}
	}
	for _, m := range c.Marks {
		last = append(last, fmt.Sprintf("%s at %s", m.Name, fmtValue(m.At)))
	}
	return d + ". Latest: " + strings.Join(last, "; ") + "."
}

// framed puts axes round a picture drawn elsewhere (a canvas or an image
// of a plane): the quantities on both axes with ticks at their ends and
// middle, so a value can be read off a map as off a chart. The picture
// keeps its own events.
func framed(x, y axis, picture app.UI) app.UI {
	tick := func(a axis, f float64) string {
		if a.Log {
			return fmtTick(math.Pow(10, math.Log10(a.Lo)+f*(math.Log10(a.Hi)-math.Log10(a.Lo))))
		}
		return fmtTick(math.Round((a.Lo+f*(a.Hi-a.Lo))*100) / 100)
	}
	return app.Div().Class("framed").Body(
		app.Div().Class("y-axis").Aria("hidden", true).Body(
			app.Span().Text(tick(y, 1)), app.Span().Class("axis-name").Text(y.title()), app.Span().Text(tick(y, 0)),
		),
		app.Div().Class("picture").Body(picture),
		app.Div().Class("corner"),
		app.Div().Class("x-axis").Aria("hidden", true).Body(
			app.Span().Text(tick(x, 0)), app.Span().Class("axis-name").Text(x.title()), app.Span().Text(tick(x, 1)),
		),
	)
}
