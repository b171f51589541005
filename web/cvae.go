package web

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

const (
	cvaeSlot      = "cvae-2" // decodes the sliders' z with every label
	cvaeZMax      = 3.0      // the sliders span ±cvaeZMax
	cvaeNeighbors = 5        // neighbours that vote on a code's class
	cvaeKNNDigits = 10000    // test digits the vote is measured on
)

// cvaeMaps are the two maps side by side: the VAE that must put the class
// into z, and the one told the class.
var cvaeMaps = []struct{ slot, name string }{{"vae-2", "VAE"}, {"cvae-2", "Conditional VAE"}}

// CVAELesson is lesson 14, the class-conditional VAE: the label enters
// the encoder and the decoder, so z keeps only the style. One z decoded
// with each label; a drawing's style written as every digit; and the two
// 2-D latent maps, the VAE's clustered by class and the conditional
// VAE's not, with how often a code's nearest neighbours name its class.
type CVAELesson struct {
	app.Compo

	z                 [2]float64 // the sliders' code
	seed              uint64     // draws the next random z
	row               protocol.Batch
	rowRead           []int      // the classifier's reading of each digit of row
	rowFor            [2]float64 // the z row was decoded from
	rowBusy, rowAgain bool

	input                 []float32
	inputs, shown         int  // drawings handed over, and the one style shows
	drawReady             bool // the classifier and cvae-20 are loaded
	styleBusy, styleAgain bool
	style                 protocol.Batch
	styleRead             []int
	drawnClass            int // the class the classifier reads in the drawing

	maps   map[string]teachMap
	knn    map[string]float64
	status string
	errMsg string
	narrow bool // the graph in its portrait layout
}

// OnInit starts from z = 0, the prior's centre.
func (c *CVAELesson) OnInit() {
	c.seed, c.drawnClass = 1, -1
	c.maps, c.knn = map[string]teachMap{}, map[string]float64{}
	c.narrow = narrowScreen()
}

// OnResize turns the graph when the screen crosses from wide to narrow
// or back, and otherwise leaves the lesson as it is.
func (c *CVAELesson) OnResize(ctx app.Context) {
	if n := narrowScreen(); n != c.narrow {
		c.narrow = n
		return
	}
	ctx.PreventUpdate()
}

// OnMount loads the models in the order the page needs them: the row of
// ten first, then the drawing's models, then the maps and their figure.
func (c *CVAELesson) OnMount(ctx app.Context) {
	c.status = "Loading the conditional VAE…"
	ctx.Async(func() {
		fail := func(err error) {
			ctx.Dispatch(func(ctx app.Context) { c.status, c.errMsg = "", err.Error() })
		}
		if err := Engine().Shipped(cvaeSlot, "mlp"); err != nil {
			fail(err)
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.status = "Loading the models for your drawing…"
			c.decodeRow(ctx)
		})
		if err := Engine().Shipped("cvae-20"); err != nil {
			fail(err)
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.drawReady = true
			c.status = "Encoding 2,000 test digits with both models…"
			if c.input != nil {
				c.writeStyle(ctx)
			}
		})
		if err := Engine().Shipped("vae-2"); err != nil {
			fail(err)
			return
		}
		for _, m := range cvaeMaps {
			codes, err := Call(protocol.TestCodes, protocol.CountArgs{Slot: m.slot, N: mapDigits})
			if err == nil && codes.Codes.Cols != 2 {
				err = fmt.Errorf("%s has %d latent dimensions, not 2", m.slot, codes.Codes.Cols)
			}
			if err != nil {
				fail(err)
				return
			}
			ctx.Dispatch(func(ctx app.Context) {
				tm := teachMap{codes: codes.Codes.Data, labels: codes.Labels}
				tm.lo, tm.hi = mapRange(m.slot, tm.codes)
				c.maps[m.slot] = tm
			})
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.status = "Measuring how well 5 neighbours name the class, on 10,000 test digits…"
		})
		for _, m := range cvaeMaps {
			a, err := Call(protocol.CodeNeighbours, protocol.NeighbourArgs{Slot: m.slot, N: cvaeKNNDigits, K: cvaeNeighbors})
			if err != nil {
				fail(err)
				return
			}
			ctx.Dispatch(func(ctx app.Context) { c.knn[m.slot] = a.Accuracy })
		}
		ctx.Dispatch(func(ctx app.Context) { c.status = "" })
	})
}

// decodeRow decodes the sliders' z with each of the ten labels and asks
// the classifier what it reads in each; moves that come while it works
// are taken up once it is done.
func (c *CVAELesson) decodeRow(ctx app.Context) {
	if c.rowBusy {
		c.rowAgain = true
		return
	}
	c.rowBusy = true
	z := c.z
	ctx.Async(func() {
		codes := make([]float32, 0, 2*data.Classes)
		labels := make([]int, data.Classes)
		for d := range labels {
			codes = append(codes, float32(z[0]), float32(z[1]))
			labels[d] = d
		}
		dec, err := Call(protocol.Decode, protocol.DecodeArgs{Slot: cvaeSlot, Codes: protocol.RowsOf(2, codes), Labels: labels})
		var read []int
		if err == nil {
			read, err = readDigits(dec.Images)
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.rowBusy = false
			if err != nil {
				c.errMsg = err.Error()
			} else {
				c.row, c.rowRead, c.rowFor = dec.Images, read, z
			}
			if c.rowAgain {
				c.rowAgain = false
				c.decodeRow(ctx)
			}
		})
	})
}

// readDigits is the class the shipped classifier reads in each image.
func readDigits(images protocol.Batch) ([]int, error) {
	p, err := Call(protocol.Classify, protocol.ImagesArgs{Slot: "mlp", Images: images})
	if err != nil {
		return nil, err
	}
	read := make([]int, p.Probs.Rows)
	for i := range read {
		read[i] = models.Argmax(p.Probs.Row(i))
	}
	return read, nil
}

// setZ moves the code to z (clamped to the sliders' range) and decodes it.
func (c *CVAELesson) setZ(ctx app.Context, z [2]float64) {
	for i := range z {
		c.z[i] = math.Round(100*math.Max(-cvaeZMax, math.Min(cvaeZMax, z[i]))) / 100
	}
	c.decodeRow(ctx)
}

// randomZ draws z ~ N(0, I), a new draw each press.
func (c *CVAELesson) randomZ(ctx app.Context, _ app.Event) {
	r := rand.New(rand.NewPCG(c.seed, 0xc0de))
	c.seed++
	c.setZ(ctx, [2]float64{r.NormFloat64(), r.NormFloat64()})
}

func (c *CVAELesson) drawn(ctx app.Context, input []float32) {
	c.input = input
	c.inputs++
	if input == nil {
		c.style, c.styleRead, c.drawnClass, c.shown = protocol.Batch{}, nil, -1, c.inputs
		return
	}
	if c.drawReady {
		c.writeStyle(ctx)
	}
}

// writeStyle writes the drawing's style as every digit (cvae-20, told the
// class the classifier reads), and reads the ten back. One drawing at a
// time: strokes that come while it works are taken up once it is done.
func (c *CVAELesson) writeStyle(ctx app.Context) {
	if c.styleBusy {
		c.styleAgain = true
		return
	}
	c.styleBusy = true
	input, seq := slices.Clone(c.input), c.inputs
	ctx.Async(func() {
		drawnRead, err := readDigits(protocol.RowsOf(data.Pixels, slices.Clone(input)))
		var style protocol.Batch
		var read []int
		if err == nil {
			style, err = styleAsEveryDigit(input)
		}
		if err == nil {
			read, err = readDigits(style)
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.styleBusy = false
			if err != nil {
				c.errMsg = err.Error()
			} else if c.input != nil {
				c.style, c.styleRead, c.drawnClass, c.shown = style, read, drawnRead[0], seq
			}
			if c.styleAgain {
				c.styleAgain = false
				if c.input != nil {
					c.writeStyle(ctx)
				}
			}
		})
	})
}

// onMap moves z to the point of the conditional VAE's map under the
// pointer.
func (c *CVAELesson) onMap(ctx app.Context, e app.Event) {
	el := ctx.JSSrc()
	w, h := el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
	m, ok := c.maps[cvaeSlot]
	if w == 0 || h == 0 || !ok {
		return
	}
	fx, fy := e.Get("offsetX").Float()/w, e.Get("offsetY").Float()/h
	c.setZ(ctx, [2]float64{m.lo[0] + fx*(m.hi[0]-m.lo[0]), m.hi[1] - fy*(m.hi[1]-m.lo[1])})
}

// plot draws slot's map; the conditional VAE's marks the sliders' z.
func (c *CVAELesson) plot(slot string) string {
	m := c.maps[slot]
	rgb, toPx, set := scatter(m.codes, m.labels, m.lo, m.hi, true)
	if slot == cvaeSlot {
		white := [3]byte{255, 255, 255}
		px, py := toPx(c.z[0], c.z[1])
		for d := -7; d <= 7; d++ {
			for t := -1; t <= 1; t++ {
				set(px+d, py+t, white)
				set(px+t, py+d, white)
			}
		}
	}
	return rgbDataURL(rgb, mapSide, mapSide)
}

// Render lays out the graph, the row of ten, the drawing's style, and the
// two maps with their figure.
func (c *CVAELesson) Render() app.UI {
	slider := func(i int) app.UI {
		id := fmt.Sprintf("cvae-z%d", i+1)
		return app.Div().Class("field").Body(
			app.Label().For(id).Text(fmt.Sprintf("z%s = %.2f", []string{"₁", "₂"}[i], c.z[i])),
			app.Input().ID(id).Type("range").Min(-cvaeZMax).Max(cvaeZMax).Step(0.05).
				Value(strconv.FormatFloat(c.z[i], 'f', 2, 64)).
				OnInput(func(ctx app.Context, e app.Event) {
					v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
					if err != nil {
						return
					}
					z := c.z
					z[i] = v
					c.setZ(ctx, z)
				}),
		)
	}
	drawnLine := "Draw a digit: the classifier reads its class, cvae-20 encodes it told that class, and its z is decoded with every label."
	if c.drawnClass >= 0 {
		drawnLine = fmt.Sprintf("The classifier reads your drawing as a %d; cvae-20 encoded it told %d, and decoded its z with each label.", c.drawnClass, c.drawnClass)
	}
	return page("cvae",
		app.Section().Class("results wide").Body(
			app.Article().Class("model").ID("cvae-graph-box").Body(
				app.H3().Text("The label goes in twice"),
				app.Raw(cvaeGraph(c.narrow)),
				app.P().Class("caption").Text("The encoder sees the digit x and its label y, one-hot (ten numbers, a 1 at the digit's place); the decoder gets z and the same y. Since the decoder is told which digit to write, z need not say it: training leaves in z what the label does not give, the style."),
			),
		),
		app.Section().Class("controls").Body(
			app.H2().Text("One z, ten labels"),
			slider(0),
			slider(1),
			app.Div().Class("buttons").Body(
				app.Button().ID("cvae-random").Text("Random z").OnClick(c.randomZ),
				app.Button().ID("cvae-centre").Text("z = 0").OnClick(func(ctx app.Context, e app.Event) { c.setZ(ctx, [2]float64{}) }),
			),
			app.P().Class("caption").Text("cvae-2 has a 2-D z: two sliders are its whole code. Or tap a point on its map below."),
			app.P().Class("status").Attr("role", "status").Text(c.status),
			app.If(c.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(c.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").ID("one-z").Attr("data-z", fmt.Sprintf("%.2f,%.2f", c.rowFor[0], c.rowFor[1])).
				Attr("data-read", digitsString(c.rowRead)).Attr("data-right", rightCount(c.rowRead)).Body(
				app.H3().Text(fmt.Sprintf("z = (%.2f, %.2f), decoded with y = 0, 1, …, 9", c.rowFor[0], c.rowFor[1])),
				tenDigits(c.row, c.rowRead, func(d int) string {
					return fmt.Sprintf("cvae-2 decodes z = (%.2f, %.2f) with the label %d", c.rowFor[0], c.rowFor[1], d)
				}),
				app.P().Class("caption").Text("One code, ten labels: the label picks the digit, z the handwriting, so all ten share one slant, width and stroke. Under each digit: its label, and below it the class the classifier (mlp) reads in it, in red where the two differ."),
			),
		),
		app.Section().Class("controls").Body(
			app.H2().Text("Your style, every digit"),
			&DrawPad{IOnChange: c.drawn, ILabel: "Drawing pad: draw a digit for its style to be written as all ten"},
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").ID("your-style").Attr("data-read", digitsString(c.styleRead)).Attr("data-right", rightCount(c.styleRead)).
				Attr("data-input", c.inputs).Attr("data-shown", c.shown).Body(
				app.H3().Text("Your drawing's z, decoded with every label"),
				tenDigits(c.style, c.styleRead, func(d int) string { return fmt.Sprintf("your handwriting written as a %d", d) }),
				app.P().Class("caption").Text(drawnLine),
			),
		),
		app.Section().Class("results wide").Body(
			app.Article().Class("model").ID("cvae-maps").Body(
				app.H3().Text("Where the codes land: clusters, or one cloud"),
				app.Div().Class("map-row").Body(
					c.mapFigure(0),
					c.mapFigure(1),
				),
				legend(),
				app.P().Class("caption").Text("Each dot is the code μ of one of the first 2,000 MNIST test digits, coloured by its class. vae-2 has only z to tell a 3 from a 7, so its codes gather in one region per class. cvae-2 is told the class, so its codes of every class spread over the same round cloud: a place in it is a style, not a digit. The white cross is the z of the row above."),
				app.Div().Class("cvae-knn").Body(
					app.Raw(knnBars(c.knn)),
					app.P().Class("caption").Text(knnCaption(c.knn)),
				),
			),
		),
	)
}

// mapFigure is the i-th of cvaeMaps; the conditional VAE's takes taps.
func (c *CVAELesson) mapFigure(i int) app.UI {
	m := cvaeMaps[i]
	tm, ok := c.maps[m.slot]
	alt := fmt.Sprintf("%s (%s): codes of 2,000 test digits, coloured by digit", m.name, m.slot)
	return app.Figure().Class("teach-map").ID("map-"+m.slot).Attr("data-points", len(tm.labels)).Body(
		app.If(ok, func() app.UI {
			img := app.Img().Class("map").Src(c.plot(m.slot)).Alt(alt).Width(mapSide).Height(mapSide)
			if m.slot == cvaeSlot {
				img = img.Class("map pick").On("pointerdown", c.onMap)
			}
			return framed(axis{Label: "z₁", Lo: tm.lo[0], Hi: tm.hi[0]}, axis{Label: "z₂", Lo: tm.lo[1], Hi: tm.hi[1]}, img)
		}).Else(func() app.UI {
			return app.Div().Class("map-wait").Text("Encoding…")
		}),
		app.FigCaption().Text(alt),
	)
}

// tenDigits lays out ten images a row, each over its label and, smaller,
// the class the classifier reads in it (marked when the two differ).
func tenDigits(b protocol.Batch, read []int, alt func(d int) string) app.UI {
	cells := make([]app.UI, data.Classes)
	for d := range cells {
		var px []float32
		if d < b.Rows && b.Cols == data.Pixels {
			px = b.Row(d)
		}
		note, cls, title := "·", "read", ""
		if d < len(read) {
			note, title = strconv.Itoa(read[d]), fmt.Sprintf("the classifier reads a %d", read[d])
			if read[d] != d {
				cls = "read miss"
			}
		}
		cells[d] = app.Figure().Class("ten-cell").Body(
			&Digit{IPixels: px, IAlt: alt(d), ISize: 40},
			app.FigCaption().Body(app.Strong().Text(strconv.Itoa(d)), app.Span().Class(cls).Title(title).Text(note)),
		)
	}
	return app.Div().Class("cvae-ten").Body(cells...)
}

// digitsString writes the readings as one string of digits ("" for none).
func digitsString(read []int) string {
	var b strings.Builder
	for _, r := range read {
		b.WriteString(strconv.Itoa(r))
	}
	return b.String()
}

// rightCount is how many of the readings are the label of their place.
func rightCount(read []int) int {
	n := 0
	for d, r := range read {
		if r == d {
			n++
		}
	}
	return n
}

// knnBars draws the two models' 5-nearest-neighbour accuracies as bars
// from 0 to 100%, with chance (one in ten) as a dashed line.
func knnBars(knn map[string]float64) string {
	vae, vok := knn["vae-2"]
	cvae, cok := knn[cvaeSlot]
	done := vok && cok
	bars := series{Name: "", Colour: "#56b4e9"}
	for k, bar := range []struct {
		v      float64
		ok     bool
		colour string
	}{{vae, vok, "#56b4e9"}, {cvae, cok, "#e69f00"}} {
		if bar.ok {
			bars.Points = append(bars.Points, [2]float64{float64(k), 100 * bar.v})
			bars.Colours = append(bars.Colours, bar.colour)
		}
	}
	c := chart{
		ID: "knn-bars", Title: "5-nearest-neighbour class accuracy of the 2-D codes of 10,000 test digits", W: 300, H: 190, Bars: true,
		X:      axis{Label: "model", Lo: -0.5, Hi: 1.5, Ticks: []string{"vae-2", "cvae-2"}},
		Y:      axis{Label: "5-NN accuracy", Unit: "%", Lo: 0, Hi: 100},
		Series: []series{bars},
		Empty:  "measuring on 10,000 test digits…",
		Marks:  []refLine{{Name: "chance", Colour: "#a7a9b0", At: 10}},
		Data:   map[string]string{"data-done": strconv.FormatBool(done), "data-vae": fmt.Sprintf("%.4f", vae), "data-cvae": fmt.Sprintf("%.4f", cvae)},
	}
	return c.Render()
}

// knnCaption says what the bars measure, with their figures once known.
func knnCaption(knn map[string]float64) string {
	s := "How much does a code say about its digit? Each of the 10,000 MNIST test digits is given the class most of its 5 nearest codes have (itself left out), and the bars count how often that is its own class. Ten classes: guessing is right one time in ten."
	vae, vok := knn["vae-2"]
	cvae, cok := knn[cvaeSlot]
	if vok && cok {
		s += fmt.Sprintf(" vae-2's neighbours name the class %.0f%% of the time; cvae-2's only %.0f%%: its z carries the style, and the class has been left to the label.", 100*vae, 100*cvae)
	}
	return s
}

// cvaeLayout places the conditional VAE's graph: in one row on a wide
// screen, in one column on a narrow one (ε beside z, the label's one-hot
// column beside the encoder and decoder), where the row, scaled down to
// the width, would leave its text too small.
type cvaeLayout struct {
	w, h     float64
	at       map[string][2]float64 // each node's centre
	font     float64               // the nodes' text
	charW    float64               // a character's width at that size
	muSigma  [2]float64            // where "μ, σ" sits, by the arrow from the encoder
	small    float64               // the size of "μ, σ" and of y's name
	yBox     [4]float64            // the label's frame: x, y, width, height
	yName    []string              // its name, a line each
	yNameAt  [2]float64            // the name's first baseline
	yAnchor  string                // and how it is anchored
	cell0    [2]float64            // the first cell's corner
	cellStep [2]float64            // from one cell to the next
	digitAt  [2]float64            // a digit's place from its cell's corner
	yArrows  [2][4]float64         // from the frame into the encoder and the decoder
}

var (
	cvaeWide = cvaeLayout{
		w: 540, h: 250,
		at: map[string][2]float64{
			"x": {28, 92}, "enc": {118, 92}, "z": {272, 92}, "eps": {272, 24}, "dec": {420, 92}, "xhat": {508, 92},
		},
		font: 17, charW: 9.4, muSigma: [2]float64{185.6, 84}, small: 16,
		yBox: [4]float64{175, 166, 194, 64}, yName: []string{"y: the label, one-hot"}, yNameAt: [2]float64{272, 185}, yAnchor: "middle",
		cell0: [2]float64{187, 194}, cellStep: [2]float64{17, 0}, digitAt: [2]float64{8.5, 28},
		yArrows: [2][4]float64{{175, 194, 128, 111}, {369, 194, 410, 111}},
	}
	// 330 wide, so that 12 units are 11 px or more at the 319 px a 375 px
	// phone gives the drawing; the one-hot y stands as a column from the
	// encoder's row to the decoder's.
	cvaeNarrow = cvaeLayout{
		w: 330, h: 362,
		at: map[string][2]float64{
			"x": {140, 30}, "enc": {140, 100}, "z": {140, 185}, "eps": {275, 185}, "dec": {140, 270}, "xhat": {140, 340},
		},
		font: 14, charW: 7.7, muSigma: [2]float64{168, 147}, small: 13,
		yBox: [4]float64{4, 92, 54, 186}, yName: []string{"y: the label,", "one-hot"}, yNameAt: [2]float64{4, 58}, yAnchor: "start",
		cell0: [2]float64{12, 100}, cellStep: [2]float64{0, 17}, digitAt: [2]float64{36, 12.5},
		yArrows: [2][4]float64{{58, 100, 102, 100}, {58, 270, 102, 270}},
	}
)

// cvaeGraph draws the conditional VAE: x and the one-hot y into the
// encoder, z = μ + σ·ε, z and y into the decoder, x̂ out. narrow asks for
// the portrait layout.
func cvaeGraph(narrow bool) string {
	lay := cvaeWide
	if narrow {
		lay = cvaeNarrow
	}
	w, h := lay.w, lay.h
	type node struct {
		x, y   float64
		label  string
		random bool
	}
	labels := map[string]string{"x": "x", "enc": "encoder", "z": "z = μ + σ·ε", "eps": "ε ~ N(0, I)", "dec": "decoder", "xhat": "x̂"}
	nodes := map[string]node{}
	for id, l := range labels {
		p := lay.at[id]
		nodes[id] = node{p[0], p[1], l, id == "eps"}
	}
	half := func(n node) float64 { return math.Max(44, lay.charW*float64(len([]rune(n.label)))+12) / 2 }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="cvae-graph" class="plot" viewBox="0 0 %g %g" role="img" aria-label="%s">`, w, h,
		"The conditional VAE's graph: the image x and the one-hot label y enter the encoder, which gives μ and σ; z = μ + σ·ε with ε from N(0, I); z and the same y enter the decoder, which gives the rebuilt image x̂.")
	b.WriteString(`<defs><marker id="cvae-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a8f9c"/></marker><marker id="cvae-yhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#f2a93b"/></marker></defs>`)
	line := func(x1, y1, x2, y2 float64, colour, marker string) {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2" marker-end="url(#%s)"/>`, x1, y1, x2, y2, colour, marker)
	}
	// join draws an arrow between two nodes in one row (border to border
	// across) or in one column (down or up).
	join := func(a, c string) {
		na, nc := nodes[a], nodes[c]
		if na.y == nc.y {
			s := math.Copysign(1, nc.x-na.x)
			line(na.x+s*(half(na)+3), na.y, nc.x-s*(half(nc)+5), nc.y, "#8a8f9c", "cvae-head")
			return
		}
		s := math.Copysign(1, nc.y-na.y)
		line(na.x, na.y+s*20, nc.x, nc.y-s*22, "#8a8f9c", "cvae-head")
	}
	join("x", "enc")
	join("enc", "z")
	join("z", "dec")
	join("dec", "xhat")
	join("eps", "z")
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#a7a9b0" font-size="%g" text-anchor="middle">μ, σ</text>`, lay.muSigma[0], lay.muSigma[1], lay.small)
	// The label: a one-hot vector of ten cells (here a 3), into both sides.
	const cell = 17.0
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="6" fill="#1d212b" stroke="#f2a93b" stroke-width="2"/>`, lay.yBox[0], lay.yBox[1], lay.yBox[2], lay.yBox[3])
	for i, l := range lay.yName {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#f2a93b" font-size="%g" text-anchor="%s">%s</text>`, lay.yNameAt[0], lay.yNameAt[1]+float64(i)*(lay.small+3), lay.small, lay.yAnchor, l)
	}
	for d := range data.Classes {
		fill := "#0d0f13"
		if d == 3 {
			fill = "#f2a93b"
		}
		cx, cy := lay.cell0[0]+float64(d)*lay.cellStep[0], lay.cell0[1]+float64(d)*lay.cellStep[1]
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%g" height="%g" fill="%s" stroke="#8a8f9c"/>`, cx, cy, cell-1, cell-1, fill)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#a7a9b0" font-size="12" text-anchor="middle">%d</text>`, cx+lay.digitAt[0], cy+lay.digitAt[1], d)
	}
	for _, a := range lay.yArrows {
		line(a[0], a[1], a[2], a[3], "#f2a93b", "cvae-yhead")
	}
	for _, id := range []string{"x", "enc", "z", "eps", "dec", "xhat"} {
		n := nodes[id]
		hw := half(n)
		if n.random {
			fmt.Fprintf(&b, `<ellipse cx="%.1f" cy="%.1f" rx="%.1f" ry="16" fill="#1d212b" stroke="#6bb7ff" stroke-width="2" stroke-dasharray="4 3"/>`, n.x, n.y, hw)
		} else {
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="34" rx="5" fill="#1d212b" stroke="#8a8f9c"/>`, n.x-hw, n.y-17, 2*hw)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#e8e8ea" font-size="%g" text-anchor="middle">%s</text>`, n.x, n.y+6, lay.font, n.label)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
