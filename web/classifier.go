package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

const (
	unitCols, unitRows = 8, 4 // the hidden units whose weights are shown
	cellExamples       = 12   // digits kept behind each cell of the confusion matrix
)

// Classifier is the MNIST classifier lab: draw a digit and read the class
// probabilities; see what the first layer's units look for; train an MLP
// here on MNIST; and the confusion matrix on the test set, with the
// digits behind each cell.
type Classifier struct {
	app.Compo

	slot   string // "mlp" (shipped) or protocol.ClassifierSlot
	hidden string // the widths of a network trained here, e.g. "256"
	epochs int

	input   []float32
	probs   []float32
	probsOf string // the slot and drawing the bars are of
	drawn   int    // numbers drawings
	units   protocol.Batch
	unitsOf string

	running  bool
	run      protocol.Run
	last     protocol.Progress
	accs     []float64 // the live accuracy at each event
	started  time.Time
	trainAt  time.Time // the first step, after MNIST loaded
	loadSecs float64
	secs     float64 // training time, MNIST's loading apart
	trained  bool

	conf       *protocol.ConfusionMatrix
	confOf     string
	confBusy   bool
	cell       int // the chosen cell (row·10 + column), −1 for none
	cellDigits protocol.Batch
	errMsg     string
}

// OnInit starts with the shipped classifier.
func (c *Classifier) OnInit() {
	c.slot, c.hidden, c.epochs, c.cell = "mlp", "256", 1, -1
}

// classifierOwner names the classifier lab's runs.
const classifierOwner = "classifier"

// OnMount follows the lab's runs (taking up one still going) and loads the
// shipped classifier.
func (c *Classifier) OnMount(ctx app.Context) {
	if last, ok := Engine().Follow(classifierOwner, c.follow(ctx)); ok && !last.State.Ended() {
		c.run, c.last, c.running = protocol.Run{Run: last.Run}, last, true
	}
	ctx.Async(func() {
		err := Engine().Shipped("mlp")
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.errMsg = err.Error()
				return
			}
			c.refresh(ctx)
		})
	})
}

// refresh asks for the pictures of the model in use: its units and, if
// something is drawn, its probabilities.
func (c *Classifier) refresh(ctx app.Context) {
	slot := c.slot
	ctx.Async(func() {
		w, err := Call(protocol.UnitWeights, protocol.CountArgs{Slot: slot, N: unitCols * unitRows})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.errMsg = err.Error()
				return
			}
			c.units, c.unitsOf = w.Images, slot
			ctx.Defer(c.paintUnits)
		})
	})
	c.classify(ctx)
}

// onDraw takes the pad's 28×28 input.
func (c *Classifier) onDraw(ctx app.Context, input []float32) {
	c.input = input
	c.drawn++
	c.classify(ctx)
}

func (c *Classifier) classify(ctx app.Context) {
	if c.input == nil {
		c.probs = nil
		return
	}
	slot, key := c.slot, fmt.Sprintf("%s %d", c.slot, c.drawn)
	q := protocol.ImagesArgs{Slot: slot, Images: protocol.RowsOf(data.Pixels, c.input)}
	ctx.Async(func() {
		r, err := Call(protocol.Classify, q)
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.errMsg = err.Error()
				return
			}
			c.probs, c.probsOf = r.Probs.Row(0), key
		})
	})
}

func (c *Classifier) onChoice(ctx app.Context, e app.Event) {
	v := ctx.JSSrc().Get("value").String()
	switch ctx.JSSrc().Get("id").String() {
	case "clf-model":
		c.slot = v
		c.conf, c.cell, c.cellDigits = nil, -1, protocol.Batch{}
		c.refresh(ctx)
	case "clf-hidden":
		c.hidden = v
	}
}

func (c *Classifier) onEpochs(ctx app.Context, e app.Event) {
	if n, err := strconv.Atoi(ctx.JSSrc().Get("value").String()); err == nil && n >= 1 && n <= 20 {
		c.epochs, c.errMsg = n, ""
	} else {
		c.errMsg = "Epochs: a whole number from 1 to 20."
	}
}

// train starts (or stops) a run of an MLP on MNIST in the engine's workers.
func (c *Classifier) train(ctx app.Context, e app.Event) {
	if c.running {
		Post(Engine(), protocol.StopRun, c.run, func(protocol.None, error) {})
		return
	}
	var hidden []int
	for _, f := range strings.Split(c.hidden, "-") {
		n, _ := strconv.Atoi(f)
		hidden = append(hidden, n)
	}
	q := protocol.Train{
		Kind: "mlp", Hidden: hidden, LR: 1e-3, Batch: 64, Epochs: c.epochs, Seed: 1, Workers: cores(),
		Slot: protocol.ClassifierSlot, Owner: classifierOwner,
	}
	c.errMsg, c.accs, c.secs, c.loadSecs = "", nil, 0, 0
	c.running, c.started, c.trainAt = true, time.Now(), time.Time{}
	c.last = protocol.Progress{State: protocol.Loading}
	ctx.Async(func() {
		r, err := Engine().Train(q, c.follow(ctx))
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.running, c.errMsg = false, err.Error()
				return
			}
			c.run.Run = max(c.run.Run, r.Run)
		})
	})
}

// follow is where the engine sends the lab's runs' events.
func (c *Classifier) follow(ctx app.Context) func(protocol.Progress) {
	return func(p protocol.Progress) { ctx.Dispatch(func(ctx app.Context) { c.progress(ctx, p) }) }
}

// OnDismount stops the events; a run goes on, and the lab takes it up
// again when it is opened.
func (c *Classifier) OnDismount() { Engine().Follow(classifierOwner, nil) }

// progress takes one event of the run.
func (c *Classifier) progress(ctx app.Context, p protocol.Progress) {
	if p.Run < c.run.Run {
		return // an older run's straggler
	}
	c.run, c.last = protocol.Run{Run: p.Run}, p
	switch p.State {
	case protocol.Running:
		if c.trainAt.IsZero() {
			c.trainAt = time.Now()
			c.loadSecs = c.trainAt.Sub(c.started).Seconds()
		}
		c.accs = append(c.accs, p.TestAccuracy)
		c.secs = time.Since(c.trainAt).Seconds()
	case protocol.Done, protocol.Stopped, protocol.Diverged, protocol.Failed:
		c.running = false
		if !c.trainAt.IsZero() {
			c.secs = time.Since(c.trainAt).Seconds()
		}
		if p.State == protocol.Diverged || p.State == protocol.Failed {
			c.errMsg = p.Message
			return
		}
		c.accs = append(c.accs, p.TestAccuracy)
		// The trained network takes over the pictures, and is measured
		// on the whole test set.
		c.trained, c.slot = true, protocol.ClassifierSlot
		c.conf, c.cell, c.cellDigits = nil, -1, protocol.Batch{}
		c.refresh(ctx)
		c.confusion(ctx)
	}
}

// confusion classifies the 10,000 test digits with the model in use.
func (c *Classifier) confusion(ctx app.Context) {
	if c.confBusy {
		return
	}
	c.confBusy = true
	slot := c.slot
	ctx.Async(func() {
		m, err := Call(protocol.Confusion, protocol.CountArgs{Slot: slot, N: cellExamples})
		ctx.Dispatch(func(ctx app.Context) {
			c.confBusy = false
			if err != nil {
				c.errMsg = err.Error()
				return
			}
			c.conf, c.confOf = &m, slot
			c.cell, c.cellDigits = -1, protocol.Batch{}
		})
	})
}

// pickCell shows the test digits behind a cell; the cell is read from the
// button's id, as go-app may keep an older button's handler.
func (c *Classifier) pickCell(ctx app.Context, e app.Event) {
	var cell int
	k := data.Classes
	if _, err := fmt.Sscanf(ctx.JSSrc().Get("id").String(), "cell-%d", &cell); err != nil || cell < 0 || cell >= k*k || c.conf == nil {
		return
	}
	idx := c.conf.Examples[cell/k][cell%k]
	c.cell, c.cellDigits = cell, protocol.Batch{}
	if len(idx) == 0 {
		return
	}
	ctx.Async(func() {
		d, err := Call(protocol.TestDigits, protocol.IndexArgs{Index: idx})
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.errMsg = err.Error()
				return
			}
			if c.cell == cell {
				c.cellDigits = d.Images
			}
		})
	})
}

// Render shows the pad and bars, the training controls, the units, the
// accuracy and the confusion matrix.
func (c *Classifier) Render() app.UI {
	choices := []struct{ id, label string }{{"mlp", fmt.Sprintf("Shipped (%d-512-256-10)", data.Pixels)}}
	if c.trained {
		choices = append(choices, struct{ id, label string }{protocol.ClassifierSlot, fmt.Sprintf("Trained here (%d-%s-10)", data.Pixels, c.hidden)})
	}
	return page("classifier",
		app.Section().Class("controls").Body(
			app.H2().Text("MNIST classifier"),
			app.P().Class("caption").Text("Draw a digit: a multi-layer perceptron reads it and gives a probability for each class."),
			&DrawPad{IOnChange: c.onDraw},
			selectField("clf-model", "Model", c.slot, choices, c.onChoice),
			app.Raw(probBars(c.probs, c.probsOf)),
			app.H3().Text("Train one here"),
			selectField("clf-hidden", "Hidden layers", c.hidden, []struct{ id, label string }{
				{"256", "one of 256 units"}, {"128", "one of 128 units"}, {"512-256", "512 then 256 units (as shipped)"},
			}, c.onChoice),
			numberInput("clf-epochs", "Epochs", float64(c.epochs), 1, 1, 20, c.onEpochs),
			app.Div().Class("buttons").Body(
				app.Button().ID("clf-train").Text(map[bool]string{false: "Train on MNIST", true: "Stop"}[c.running]).OnClick(c.train),
			),
			app.P().Class("caption").Text("ReLU units, softmax cross-entropy, Adam at η = 0.001, batches of 64, on all 60,000 training digits, in this tab's workers (MNIST loads the first time)."),
			c.status(),
			app.If(c.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(c.errMsg) }),
		),
		app.Section().Class("results").Body(
			app.Article().Class("model").Body(
				app.H3().Text("What the first hidden units look for"),
				app.Canvas().ID("unit-weights").Class("units-map").Width(unitCols*29).Height(unitRows*29).
					Style("width", px(unitCols*29*2)).
					Attr("role", "img").Aria("label", fmt.Sprintf("The weights into the first %d hidden units of the %s model, each as a 28×28 image: orange pixels push the unit on, blue ones off.", unitCols*unitRows, c.unitsOf)),
				app.P().Class("caption").Text("Each tile is one hidden unit's weights, one for each of the 28×28 pixels, laid out as the image they multiply, each scaled to its own largest weight."),
			),
			app.Article().Class("model").Body(
				app.H3().Text("Accuracy while training"),
				app.Raw(accuracyPlot(c.accs)),
			),
			app.Article().Class("model").Body(
				app.H3().Text("Confusion matrix on the 10,000 test digits"),
				app.Div().Class("buttons").Body(
					app.Button().ID("clf-confusion").Text("Compute it for this model").Disabled(c.confBusy || c.running).OnClick(func(ctx app.Context, e app.Event) { c.confusion(ctx) }),
				),
				c.matrix(),
				c.cellView(),
			),
		),
	)
}

// status says where training stands, for people and for tests.
func (c *Classifier) status() app.UI {
	p := c.last
	var line string
	var bar app.UI
	acc := 0.0
	if n := len(c.accs); n > 0 {
		acc = c.accs[n-1]
	}
	switch {
	case p.State == protocol.Loading && c.running:
		line = fmt.Sprintf("Loading MNIST… %.0f%%", 100*p.Loaded)
		bar = app.Progress().Aria("label", "MNIST loaded").Max(1).Value(fmt.Sprint(p.Loaded))
	case c.running:
		line = fmt.Sprintf("Epoch %d of %d, step %d of %d: %.1f%% right on the first 500 test digits (%.0f s).", p.Epoch+1, p.Epochs, p.Step, p.Steps, 100*acc, c.secs)
		bar = app.Progress().Aria("label", "Training progress").Max(1).Value(fmt.Sprint(float64(p.Step) / math.Max(float64(p.Steps), 1)))
	case p.State == protocol.Done:
		line = fmt.Sprintf("Trained %d epoch(s) in %.1f s (MNIST loaded in %.1f s before).", p.Epochs, c.secs, c.loadSecs)
	case p.State == protocol.Stopped:
		line = "Stopped; the network so far is in use."
	}
	return app.Div().ID("clf-status").Attr("data-state", string(p.State)).Attr("data-running", c.running).
		Attr("data-accuracy", acc).Attr("data-seconds", c.secs).Attr("data-load-seconds", c.loadSecs).Attr("data-events", len(c.accs)).Body(
		app.P().Attr("role", "status").Text(line),
		app.If(bar != nil, func() app.UI { return bar }),
	)
}

// matrix is the confusion matrix: rows the true digit, columns the
// predicted one; each cell a button showing its digits.
func (c *Classifier) matrix() app.UI {
	if c.conf == nil {
		msg := "Press the button, or train a model here: its matrix follows."
		if c.confBusy {
			msg = "Classifying the 10,000 test digits…"
		}
		return app.P().Class("caption").ID("confusion-wait").Text(msg)
	}
	top := 0
	for i, row := range c.conf.Counts {
		for j, v := range row {
			if i != j {
				top = max(top, v)
			}
		}
	}
	head := []app.UI{app.Th().Text("true \\ read as")}
	for j := range 10 {
		head = append(head, app.Th().Attr("scope", "col").Text(strconv.Itoa(j)))
	}
	rows := make([]app.UI, 10)
	for i := range 10 {
		cells := []app.UI{app.Th().Attr("scope", "row").Text(strconv.Itoa(i))}
		for j := range 10 {
			cell := i*10 + j
			n := c.conf.Counts[i][j]
			bg := "transparent"
			if i == j {
				bg = "rgba(86, 180, 233, 0.30)" // right: blue
			} else if n > 0 {
				bg = fmt.Sprintf("rgba(230, 159, 0, %.2f)", 0.15+0.6*float64(n)/float64(max(top, 1))) // mistakes: orange
			}
			cls := "cell"
			if cell == c.cell {
				cls += " current"
			}
			cells = append(cells, app.Td().Style("background", bg).Body(
				app.Button().ID(fmt.Sprintf("cell-%d", cell)).Class(cls).Attr("data-count", int(n)).
					Aria("label", fmt.Sprintf("%d test digits %d read as %d", int(n), i, j)).
					Text(strconv.Itoa(int(n))).OnClick(c.pickCell),
			))
		}
		rows[i] = app.Tr().Body(cells...)
	}
	return app.Table().ID("confusion").Class("confusion").Attr("data-for", c.confOf).Attr("data-accuracy", c.conf.Accuracy).Body(
		app.Caption().Text(fmt.Sprintf("The %s model reads %.2f%% of the test digits right (the blue diagonal). Orange cells are mistakes, stronger for more; click one to see its digits.", c.confOf, 100*c.conf.Accuracy)),
		app.THead().Body(app.Tr().Body(head...)),
		app.TBody().Body(rows...),
	)
}

// cellView shows the test digits behind the chosen cell.
func (c *Classifier) cellView() app.UI {
	if c.cell < 0 {
		return app.P().Class("caption").Text("Click a cell to see the digits behind it.")
	}
	i, j := c.cell/10, c.cell%10
	n := c.cellDigits.Rows
	imgs := make([]app.UI, n)
	for k := range n {
		imgs[k] = &Digit{IPixels: c.cellDigits.Row(k), IAlt: fmt.Sprintf("a test digit %d read as %d", i, j), ISize: 56}
	}
	return app.Div().ID("cell-digits").Attr("data-cell", c.cell).Body(
		app.P().Class("caption").Text(fmt.Sprintf("%d test digits %d read as %d; the first %d:", c.conf.Counts[i][j], i, j, n)),
		app.Div().Class("images").Body(imgs...),
	)
}

// probBars charts the ten class probabilities, the most likely in orange.
func probBars(probs []float32, of string) string {
	best := -1
	ticks := make([]string, data.Classes)
	for k := range ticks {
		ticks[k] = fmt.Sprint(k)
	}
	c := chart{
		ID: "class-bars", Title: "Class probabilities", W: 300, H: 190, Bars: true,
		X:     axis{Label: "digit", Ticks: ticks, Lo: -0.5, Hi: float64(data.Classes) - 0.5},
		Y:     axis{Label: "probability", Lo: 0, Hi: 1},
		Empty: "Draw a digit first.",
	}
	if len(probs) == data.Classes {
		best = models.Argmax(probs)
		c.Title = fmt.Sprintf("Class probabilities: %d is the most likely, at %.0f%%", best, 100*probs[best])
		s := series{}
		for k, p := range probs {
			s.Points = append(s.Points, [2]float64{float64(k), float64(p)})
			s.Colours = append(s.Colours, map[bool]string{true: "#e69f00", false: "#56b4e9"}[k == best])
		}
		c.Series = []series{s}
	}
	c.Data = map[string]string{"data-for": of, "data-best": fmt.Sprint(best)}
	return c.Render()
}

// accuracyPlot charts the live accuracy, one point an event.
func accuracyPlot(accs []float64) string {
	c := chart{
		ID: "accuracy-plot", Title: "Accuracy on the first 500 test digits while training", H: 170,
		X:     axis{Label: "progress event"},
		Y:     axis{Label: "accuracy", Unit: "%", Lo: 0, Hi: 100},
		Empty: "No run yet.", NoPoint: len(accs) > 300,
	}
	if len(accs) > 1 {
		s := series{Colour: "#e69f00"}
		for i, a := range accs {
			s.Points = append(s.Points, [2]float64{float64(i + 1), 100 * a})
		}
		c.Series = []series{s}
	}
	return c.Render()
}

// paintUnits tiles the unit weights into the canvas, 28×28 each with a
// one-pixel gap, blue below zero and orange above.
func (c *Classifier) paintUnits(ctx app.Context) {
	canvas := app.Window().GetElementByID("unit-weights")
	if !app.IsClient || !canvas.Truthy() || c.units.Rows != unitCols*unitRows || c.units.Cols != data.Pixels {
		return
	}
	const d = data.Side
	wd, ht := unitCols*(d+1), unitRows*(d+1)
	rgba := make([]byte, 4*wd*ht)
	for u := range unitCols * unitRows {
		ws := c.units.Row(u)
		lo, hi := extent(ws)
		scale := math.Max(math.Max(-lo, hi), 1e-6)
		ox, oy := (u%unitCols)*(d+1), (u/unitCols)*(d+1)
		for p, v := range ws {
			col := heatColour(float64(v) / scale)
			at := 4 * ((oy+p/d)*wd + ox + p%d)
			copy(rgba[at:], col[:])
			rgba[at+3] = 255
		}
	}
	g := canvas.Call("getContext", "2d")
	img := g.Call("createImageData", wd, ht)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)
	canvas.Call("setAttribute", "data-for", c.unitsOf)
}
