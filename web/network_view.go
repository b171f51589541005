package web

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

// Render lays the lab out as TensorFlow Playground does: the run's
// controls and epoch along the top; the data, the network and what it
// decides side by side under them.
func (n *Network) Render() app.UI {
	return page("network",
		app.Section().Class("wide netlab").ID("net-lab").Aria("label", "A network learns a picture").Body(
			n.topBar(),
			app.Div().Class("net-cols").Body(
				n.dataColumn(),
				n.graphColumn(),
				n.outputColumn(),
			),
		),
		app.Section().Class("wide net-below").Body(&LayerViews{}),
	)
}

// epochText writes an epoch as the counter shows it: 000,123.
func epochText(e int) string {
	if e >= 1_000_000 {
		return thousands(e)
	}
	return fmt.Sprintf("%03d,%03d", e/1000, e%1000)
}

// topBar holds the run's buttons, its epoch, and how it learns.
func (n *Network) topBar() app.UI {
	c := n.cfg
	play, icon, title := "Train", "icon-play", "Train until you pause"
	if n.running {
		play, icon, title = "Pause", "icon-pause", "Pause training"
	}
	return app.Div().Class("net-top").Body(
		app.Div().Class("net-run").Body(
			app.Button().ID("net-reset").Class("net-round").Title("Start over: the first weights again, at epoch 0").
				Aria("label", "Start over").OnClick(func(ctx app.Context, e app.Event) { n.restart(ctx) }).
				Body(app.Span().Class("icon icon-reset")),
			app.Button().ID("net-train").Class("net-play").Title(title).Aria("pressed", n.running).OnClick(n.toggle).
				Body(app.Span().Class("icon "+icon), app.Span().Text(play)),
			app.Button().ID("net-step").Class("net-round").Title("Train one epoch").Aria("label", "Train one epoch").
				Disabled(n.running).OnClick(n.step).Body(app.Span().Class("icon icon-step")),
		),
		app.Div().Class("net-epoch").Body(
			app.Span().Class("label").Text("Epoch"),
			app.Span().ID("net-epoch").Class("value").Text(epochText(n.epoch())),
		),
		numberInput("lr", "Learning rate", c.LR, 0.001, 0.0001, 10, n.onNumber),
		selectField("opt", "Optimiser", c.Opt, []struct{ id, label string }{{"sgd", "SGD"}, {"momentum", "Momentum (0.9)"}, {"adam", "Adam"}}, n.onChoice),
		selectField("loss", "Loss", c.Loss, []struct{ id, label string }{{"ce", "Cross-entropy"}, {"mse", "Squared error"}}, n.onChoice),
		numberInput("l1", "L1 penalty λ₁", c.L1, 0.0001, 0, 1, n.onNumber),
		numberInput("l2", "L2 penalty λ₂", c.L2, 0.0001, 0, 1, n.onNumber),
		numberInput("seed", "Seed", float64(c.Seed), 1, 0, 1e9, n.onNumber),
	)
}

// rangeField is a labelled slider with its value, in whole steps (a
// slider's value set before its step would be rounded to the default
// step of 1); the run is rebuilt when it is let go.
func (n *Network) rangeField(id, label string, v, lo, hi, step float64, show func(float64) string) app.UI {
	shown := v
	if s, ok := n.slide[id]; ok {
		shown, _ = strconv.ParseFloat(s, 64)
	}
	return app.Label().Class("field span2").For(id).Body(
		app.Span().Text(label+": "+show(shown)),
		app.Input().ID(id).Type("range").Min(lo).Max(hi).Step(step).Value(fmtFloat(v)).OnInput(n.onSlide).OnChange(n.onNumber),
	)
}

// dataColumn chooses the data and the features the network reads.
func (n *Network) dataColumn() app.UI {
	c := n.cfg
	short := map[string]string{"blobs": "Blobs", "custom": "Your own"}
	return app.Div().Class("net-col net-data").Body(
		app.H3().Text("Data"),
		app.Div().Class("net-thumbs").Attr("role", "group").Aria("label", "Data set").Body(
			app.Range(netDatasets).Slice(func(i int) app.UI {
				d := netDatasets[i]
				name := d.label
				if s, ok := short[d.id]; ok {
					name = s
				}
				return app.Button().ID("data-"+d.id).Class("net-thumb").Title(d.label).Aria("label", d.label).
					Aria("pressed", c.Dataset == d.id).OnClick(n.chooseData).Body(
					app.Canvas().ID("thumb-"+d.id).Attr("role", "img").Aria("label", "A sample of the "+strings.ToLower(d.label)),
					app.Span().Text(name),
				)
			}),
		),
		app.If(c.Dataset == "custom", func() app.UI {
			opts := make([]struct{ id, label string }, max(c.Classes, 2))
			for k := range opts {
				opts[k].id, opts[k].label = strconv.Itoa(k), fmt.Sprintf("class %d", k+1)
			}
			return app.Div().Class("net-custom").Body(
				app.P().Class("caption").Text("Click the map to place a point; click a point to take it away."),
				selectField("place-class", "A click places", strconv.Itoa(n.class), opts, n.onChoice),
				app.Button().ID("clear-points").Text("Clear the points").OnClick(func(ctx app.Context, e app.Event) { n.cfg.Points = nil; n.changed(ctx) }),
			)
		}),
		app.Div().Class("net-fields").Body(
			app.If(c.Dataset != "custom", func() app.UI {
				return numberInput("points-n", "Points", float64(c.N), 10, 10, 2000, n.onNumber)
			}),
			app.If(c.Dataset == "blobs" || c.Dataset == "custom", func() app.UI {
				return numberInput("classes", "Classes", float64(c.Classes), 1, 2, 8, n.onNumber)
			}),
			numberInput("batch", "Batch size", float64(c.Batch), 1, 1, 2000, n.onNumber),
			app.If(c.Dataset != "custom", func() app.UI {
				return n.rangeField("noise", "Noise", 100*c.Noise, 0, 100, 5, func(v float64) string { return strconv.FormatFloat(v/100, 'f', 2, 64) })
			}),
			n.rangeField("test-frac", "Held out for testing", 100*c.TestFrac, 0, 90, 5, func(v float64) string { return fmt.Sprintf("%.0f%%", v) }),
		),
		app.FieldSet().Class("features").Body(
			app.Legend().Text("Features the network reads"),
			app.Range(netFeatures).Slice(func(i int) app.UI {
				f := netFeatures[i]
				return app.Label().Class("feature").For("feat-"+f.id).Body(
					app.Input().ID("feat-"+f.id).Type("checkbox").Checked(slices.Contains(c.Features, f.id)).OnChange(n.onFeature),
					app.Text(" "+f.label),
				)
			}),
		),
	)
}

// graphColumn is the network: a layer's controls above it, each unit's
// picture in its square, each weight on its edge.
func (n *Network) graphColumn() app.UI {
	c := n.cfg
	layers := len(c.Hidden)
	cols := layers + 2
	heading := fmt.Sprintf("%d hidden layers", layers)
	if layers == 1 {
		heading = "1 hidden layer"
	}
	ctl := []app.UI{app.Div(), app.Div().Class("net-layer-name").Text("Inputs")}
	for l := range c.Hidden {
		ctl = append(ctl, n.layerControls(l))
	}
	ctl = append(ctl, app.Div().Class("net-layer-name").Text("Output"), app.Div())
	// The tip stands right of the pointer, or left of it on the right half.
	tipX, tipClass := n.hoverAt[0]+14, "net-tip"
	if n.hoverAt[0] > n.paints.layout.w/2 {
		tipX, tipClass = n.hoverAt[0]-14, "net-tip left"
	}
	return app.Div().Class("net-col net-net").Body(
		app.Div().Class("net-net-head").Body(
			app.Button().ID("add-layer").Class("net-small").Aria("label", "Add a hidden layer").Title("Add a hidden layer").
				Disabled(layers >= netMaxLayers).OnClick(n.addLayer).Text("+"),
			app.Button().ID("remove-layer").Class("net-small").Aria("label", "Remove the last hidden layer").Title("Remove the last hidden layer").
				Disabled(layers == 0).OnClick(n.removeLayer).Text("−"),
			app.H3().Text(heading),
		),
		app.Div().Class("net-graph-scroll").Body(
			app.Div().Class("net-graph-box").Style("min-width", fmt.Sprintf("%gpx", graphMinWidth(cols))).Body(
				app.Div().Class("net-layers").
					Style("grid-template-columns", fmt.Sprintf("%gpx repeat(%d, minmax(0, 1fr)) %gpx", graphLeft, cols, graphRight)).
					Body(ctl...),
				app.Div().Class("net-graph-wrap").Body(
					app.Canvas().ID("net-graph").Class("net-graph").Attr("role", "img").Aria("label", n.graphLabel()).
						On("pointermove", n.hoverGraph).On("pointerleave", n.leaveGraph).OnClick(n.pickGraph),
					app.Canvas().ID("net-graph-over").Class("net-graph-over").Aria("hidden", true).Aria("label", "What the pointer is on"),
					app.Div().ID("edge-value").Class(tipClass).Attr("aria-live", "polite").
						Style("left", fmt.Sprintf("%.0fpx", tipX)).Style("top", fmt.Sprintf("%.0fpx", n.hoverAt[1]+14)).
						Text(n.tipText()),
					app.If(n.editing && n.state != nil, n.weightEditor),
				),
			),
		),
		app.P().Class("caption").Text("Each square shows what its unit outputs over the plane: orange where positive, blue where negative. Each edge is a weight, orange positive and blue negative, thicker for larger. Point at an edge or a unit to read its weight or bias; click to change it."),
		n.weightPicker(),
	)
}

// tipText is what the pointer is on, unless the editor is open.
func (n *Network) tipText() string {
	if n.editing {
		return ""
	}
	return n.hover
}

// layerControls are hidden layer l's units, with a unit fewer or more,
// and its activation.
func (n *Network) layerControls(l int) app.UI {
	c := n.cfg
	return app.Div().Class("net-layer").Body(
		app.Div().Class("net-units").Body(
			app.Button().ID(fmt.Sprintf("units-fewer-%d", l)).Class("net-small fewer").Aria("label", fmt.Sprintf("One unit fewer in layer %d", l+1)).
				Disabled(c.Hidden[l] <= 1).OnClick(n.fewerUnits).Text("−"),
			app.Input().ID(fmt.Sprintf("units-%d", l)).Type("number").Min(1).Max(netMaxUnits).Step(1).Value(c.Hidden[l]).
				Aria("label", fmt.Sprintf("Units in layer %d", l+1)).OnChange(n.onNumber),
			app.Button().ID(fmt.Sprintf("units-more-%d", l)).Class("net-small more").Aria("label", fmt.Sprintf("One unit more in layer %d", l+1)).
				Disabled(c.Hidden[l] >= netMaxUnits).OnClick(n.moreUnits).Text("+"),
		),
		app.Select().ID(fmt.Sprintf("act-%d", l)).Aria("label", fmt.Sprintf("Activation of layer %d", l+1)).OnChange(n.onChoice).Body(
			app.Range(netActs).Slice(func(k int) app.UI {
				return app.Option().Value(netActs[k]).Text(netActLabel[netActs[k]]).Selected(c.Acts[l] == netActs[k])
			}),
		),
	)
}

func (n *Network) graphLabel() string {
	return fmt.Sprintf("The network, %s units by layer, each hidden unit's output over the plane drawn in its square; each edge's colour (orange positive, blue negative) and width show its weight. Point at an edge or a unit to read its weight or bias, click to change it; or choose a weight by its units below the graph.",
		strings.Trim(fmt.Sprint(n.widths()), "[]"))
}

// editName names the editor's weight: an edge, or a unit's bias.
func (n *Network) editName(e protocol.WeightEdit) string {
	if e.From < 0 {
		return "Bias of " + n.unitName(e.Layer+1, e.To)
	}
	return fmt.Sprintf("Weight %s → %s", n.unitName(e.Layer, e.From), n.unitName(e.Layer+1, e.To))
}

// weightEditor is a small box by the clicked edge or unit: its weight's
// value, to change.
func (n *Network) weightEditor() app.UI {
	e := n.editTarget()
	lw, _, _ := n.weights(e.Layer)
	cur := float32(0)
	if lw != nil {
		if e.From < 0 {
			cur = lw.B[e.To]
		} else {
			cur = lw.W.Row(e.From)[e.To]
		}
	}
	const boxW = 220.0
	lay := n.paints.layout
	x := math.Max(0, math.Min(n.editAt[0]+10, lay.w-boxW))
	y := n.editAt[1] + 12
	if y > lay.h-80 {
		y = math.Max(0, n.editAt[1]-92)
	}
	return app.Div().Class("weight-editor").Attr("role", "group").Aria("label", "Change a weight").
		Style("left", fmt.Sprintf("%.0fpx", x)).Style("top", fmt.Sprintf("%.0fpx", y)).On("keydown", n.editorKey).Body(
		app.Label().For("edit-value").Text(n.editName(e)),
		app.Div().Class("edit-row").Body(
			app.Input().ID("edit-value").Type("number").Step(0.1).Min(-100).Max(100).Value(fmtFloat(n.editValue)).
				OnChange(n.onNumber).On("keydown", n.editKey),
			app.Button().ID("edit-set").Text("Set").OnClick(n.setWeight),
			app.Button().ID("edit-close").Aria("label", "Close").Title("Close").Text("×").OnClick(n.closeEditor),
		),
		app.P().Class("caption").Text(fmt.Sprintf("It is %.3f now.", cur)),
	)
}

// editKey sets the weight on Enter.
func (n *Network) editKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Enter" {
		ctx.PreventUpdate()
		return
	}
	if v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64); err == nil {
		n.editValue = v
	}
	n.setWeight(ctx, e)
}

// editorKey closes the editor on Escape, wherever in it the focus is.
func (n *Network) editorKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() != "Escape" {
		ctx.PreventUpdate()
		return
	}
	n.closeEditor(ctx, e)
}

func (n *Network) closeEditor(ctx app.Context, e app.Event) {
	n.editing = false
	n.paintHover()
}

// weightPicker chooses a weight by its layer and units, for a keyboard.
func (n *Network) weightPicker() app.UI {
	if n.state == nil {
		return app.Div()
	}
	e := n.editTarget()
	_, in, out := n.weights(e.Layer)
	opts := func(count int, first string, name func(int) string) []struct{ id, label string } {
		var o []struct{ id, label string }
		if first != "" {
			o = append(o, struct{ id, label string }{"-1", first})
		}
		for i := range count {
			o = append(o, struct{ id, label string }{strconv.Itoa(i), name(i)})
		}
		return o
	}
	layers := opts(len(n.shown.Hidden)+1, "", func(l int) string {
		if l == 0 {
			return "inputs → layer 1"
		}
		if l == len(n.shown.Hidden) {
			return fmt.Sprintf("layer %d → output", l)
		}
		return fmt.Sprintf("layer %d → layer %d", l, l+1)
	})
	from := opts(in, "the bias", func(i int) string { return n.unitName(e.Layer, i) })
	to := opts(out, "", func(j int) string { return n.unitName(e.Layer+1, j) })
	return app.Details().Class("net-picker").Body(
		app.Summary().Text("Choose a weight by its units"),
		app.Div().Class("net-picker-fields").Body(
			selectField("edit-layer", "Between", strconv.Itoa(e.Layer), layers, n.onChoice),
			selectField("edit-from", "From", strconv.Itoa(e.From), from, n.onChoice),
			selectField("edit-to", "To", strconv.Itoa(e.To), to, n.onChoice),
		),
	)
}

// outputColumn is what the network decides, and how well.
func (n *Network) outputColumn() app.UI {
	classes := max(n.shown.Classes, 2)
	legend := make([]app.UI, 0, classes)
	for k := range classes {
		legend = append(legend, app.Li().Body(app.Span().Class("swatch").Style("background", rgb(netColour(k, classes))), app.Text(fmt.Sprintf("class %d", k+1))))
	}
	return app.Div().Class("net-col net-out").Body(
		app.H3().Text("Output"),
		n.status(),
		app.Div().Class("net-map-box").Body(
			framed(axis{Label: "x₁", Lo: -netRange, Hi: netRange}, axis{Label: "x₂", Lo: -netRange, Hi: netRange},
				app.Canvas().ID("net-map").Class("netmap").Attr("role", "img").Aria("label", n.mapLabel()).OnClick(n.place)),
		),
		app.Div().Class("net-map-foot").Body(
			app.Ul().Class("legend").Body(legend...),
			app.Label().Class("switch").For("show-test").Body(
				app.Input().ID("show-test").Type("checkbox").Checked(!n.hideTest).OnChange(func(ctx app.Context, e app.Event) {
					n.hideTest = !ctx.JSSrc().Get("checked").Bool()
					ctx.Defer(n.paint)
				}),
				app.Text("Test points"),
			),
		),
		app.If(n.note != "", func() app.UI { return app.P().Class("net-note").Text(n.note) }),
		app.If(n.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(n.errMsg) }),
		app.P().Class("caption").Text("Where the network picks each class, in its colour, paler where it is less sure. Training points are ringed white, test points black."),
		app.Div().ID("net-curves").Body(app.Raw(netLossPlot(n.curve))),
	)
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
	testLoss, trainLoss, testAcc, trainAcc := "–", "–", "–", "–"
	var ta, tra float64
	if s := n.state; s != nil {
		testLoss, trainLoss = fmt.Sprintf("%.3f", s.TestLoss), fmt.Sprintf("%.3f", s.TrainLoss)
		testAcc, trainAcc = fmt.Sprintf("%.1f%%", 100*s.TestAcc), fmt.Sprintf("%.1f%%", 100*s.TrainAcc)
		ta, tra = s.TestAcc, s.TrainAcc
		if s.Test.Len() == 0 {
			testLoss, testAcc = "none held out", "–"
		}
	}
	curve := make([]string, len(n.curve))
	for i, p := range n.curve {
		curve[i] = fmt.Sprintf("%d:%s", p.epoch, fmtFloat(p.train))
	}
	fig := func(label, value string, big bool) app.UI {
		cls := "net-fig"
		if big {
			cls += " big"
		}
		return app.Div().Class(cls).Body(app.Span().Class("label").Text(label+" "), app.Span().Class("value").Text(value))
	}
	return app.Div().Class("net-figures").ID("net-status").
		Attr("data-epoch", n.epoch()).Attr("data-running", n.running).
		Attr("data-test-acc", fmtFloat(ta)).Attr("data-train-acc", fmtFloat(tra)).Attr("data-curve", strings.Join(curve, " ")).Body(
		fig("Test accuracy", testAcc, true),
		fig("Training accuracy", trainAcc, false),
		fig("Test loss", testLoss, false),
		fig("Training loss", trainLoss, false),
	)
}

// netLossPlot draws train and test loss against epochs.
func netLossPlot(c []netPoint) string {
	ch := chart{
		ID: "net-loss", Title: "Train and test loss per epoch",
		X: axis{Label: "epoch"}, Y: axis{Label: "loss"}, W: 300, H: 160,
		Empty: "Press Train: the losses appear here.", NoPoint: len(c) > 300,
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
	if l < 0 || l+1 >= len(widths) {
		return nil, 0, 0
	}
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

// shownFeatures are the inputs of the network the pictures are of.
func (n *Network) shownFeatures() []string {
	if len(n.shown.Features) == 0 {
		return []string{"x1", "x2"}
	}
	return n.shown.Features
}

// inputs is how many inputs that network reads.
func (n *Network) inputs() int { return len(n.shownFeatures()) }

// editTarget is the weight the editor points at, within the network's shape.
func (n *Network) editTarget() protocol.WeightEdit {
	e := n.edit
	e.Layer = max(0, min(e.Layer, len(n.shown.Hidden)))
	_, in, out := n.weights(e.Layer)
	e.From, e.To = max(-1, min(e.From, in-1)), max(0, min(e.To, out-1))
	return e
}
