package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

const (
	layerDigits = 2000  // test digits in each layer's picture
	layerSlot   = "mlp" // the shipped classifier
)

// LayerViews shows what each layer of the shipped MNIST classifier sees:
// the same test digits at the input, after each hidden layer and at the
// output, each stage drawn on its own first two principal components and
// coloured by digit, with how well the classes stand apart in each
// picture, which rises from layer to layer through the hidden layers.
type LayerViews struct {
	app.Compo

	views          protocol.LayerViewSet
	labels         []int
	status, errMsg string
}

// OnMount loads the classifier and asks for the pictures.
func (l *LayerViews) OnMount(ctx app.Context) {
	l.status = fmt.Sprintf("Running %s test digits through the classifier…", thousands(layerDigits))
	ctx.Async(func() {
		err := Engine().Shipped(layerSlot)
		var v protocol.LayerViewSet
		if err == nil {
			v, err = Call(protocol.LayerViews, protocol.LayerViewsArgs{Slot: layerSlot, N: layerDigits})
		}
		ctx.Dispatch(func(ctx app.Context) {
			l.status = ""
			if err == nil && !wellFormed(v) {
				err = fmt.Errorf("the engine's answer has the wrong size")
			}
			if err != nil {
				l.errMsg = err.Error()
				return
			}
			l.views, l.labels = v, v.Labels
		})
	})
}

// wellFormed reports whether every stage has a point a label.
func wellFormed(v protocol.LayerViewSet) bool {
	if len(v.Layers) < 2 {
		return false
	}
	for _, s := range v.Layers {
		if s.Points.Rows != len(v.Labels) || s.Points.Cols != 2 {
			return false
		}
	}
	return true
}

// stageTitle names a stage for a person: what it is and how wide.
func stageTitle(v protocol.LayerView) string {
	switch {
	case v.Name == "input":
		return fmt.Sprintf("Input: %d pixels", v.Width)
	case v.Name == "output":
		return fmt.Sprintf("Output: %d logits", v.Width)
	case strings.HasPrefix(v.Name, "hidden "):
		return fmt.Sprintf("Hidden layer %s: %d ReLU units", strings.TrimPrefix(v.Name, "hidden "), v.Width)
	}
	return fmt.Sprintf("%s: %d", v.Name, v.Width)
}

// stageShort is a stage's name on the plot's axis.
func stageShort(v protocol.LayerView) string {
	if n, ok := strings.CutPrefix(v.Name, "hidden "); ok {
		return "hidden " + n
	}
	return v.Name
}

// picture draws one stage's points, coloured by digit, over their extent
// (lo to hi on each axis).
func (l *LayerViews) picture(v protocol.LayerView) (src string, lo, hi [2]float64) {
	lo, hi = [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for i := range v.Points.Rows {
		for d, x := range v.Points.Row(i) {
			lo[d], hi[d] = math.Min(lo[d], float64(x)), math.Max(hi[d], float64(x))
		}
	}
	for d := range 2 {
		pad := 0.05 * (hi[d] - lo[d])
		if !(pad > 0) {
			pad = 1
		}
		// Round ends, for short tick labels under a small picture.
		step := 0.1
		if hi[d]-lo[d] > 5 {
			step = 1
		}
		lo[d], hi[d] = math.Floor((lo[d]-pad)/step)*step, math.Ceil((hi[d]+pad)/step)*step
	}
	rgb, toPx, set := scatter(v.Points.Data, l.labels, lo, hi, false)
	// Dots of 4×4 map pixels: the picture is shown at half size or less.
	for i, lab := range l.labels {
		px, py := toPx(float64(v.Points.Data[2*i]), float64(v.Points.Data[2*i+1]))
		for dy := -1; dy < 3; dy++ {
			for dx := -1; dx < 3; dx++ {
				set(px+dx, py+dy, classColours[lab%10])
			}
		}
	}
	return rgbDataURL(rgb, mapSide, mapSide), lo, hi
}

// accuracyPlot draws each stage's neighbour accuracy in its picture as a
// bar, and beside the output's the classifier's own accuracy, what its
// largest logit gets right.
func (l *LayerViews) accuracyPlot() string {
	v := l.views
	ticks := make([]string, len(v.Layers))
	knn := series{Name: fmt.Sprintf("%d-NN in 2-D", v.K), Colour: "#56b4e9"}
	for i, s := range v.Layers {
		ticks[i] = stageShort(s)
		knn.Points = append(knn.Points, [2]float64{float64(i), 100 * s.Accuracy})
	}
	own := series{Name: "largest logit", Colour: "#e69f00", Points: [][2]float64{{float64(len(v.Layers) - 1), 100 * v.Accuracy}}}
	return chart{
		ID: "layer-accuracy", Title: "How well each stage's picture keeps the digits apart",
		X:    axis{Label: "stage of the network", Ticks: ticks},
		Y:    axis{Label: "accuracy", Unit: "%", Lo: 0, Hi: 100},
		Bars: true, H: 220, Series: []series{knn, own},
	}.Render()
}

// layerCaption says what the measured figures show.
func layerCaption(v protocol.LayerViewSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Under each picture is its %d-nearest-neighbour accuracy: how often most of the %d dots nearest a digit in the picture are of its class (10%% is chance). It rises from %.0f%% at the pixels", v.K, v.K, 100*v.Layers[0].Accuracy)
	last := len(v.Layers) - 1
	for i := 1; i < last; i++ {
		sep := ", "
		if i == last-1 {
			sep = " and "
		}
		if i == 1 {
			sep = " to "
		}
		fmt.Fprintf(&b, "%s%.0f%% after hidden layer %d", sep, 100*v.Layers[i].Accuracy, i)
	}
	b.WriteString(": each layer pulls the classes further apart.")
	out := v.Layers[last]
	if last < 1 || out.Accuracy > v.Layers[last-1].Accuracy {
		fmt.Fprintf(&b, " At the output it reaches %.0f%%, and the largest logit names the digit for %.1f%% of them: the last layer has only that simple decision left.", 100*out.Accuracy, 100*v.Accuracy)
		return b.String()
	}
	fmt.Fprintf(&b, " At the output it is %.0f%%: the %d logits, one for each digit, hold the classes apart in %d directions, and no picture of two can show them all. What the output is for, its largest logit naming the digit, is right for %.1f%% of these digits: the last layer has only that simple decision left.", 100*out.Accuracy, out.Width, out.Width, 100*v.Accuracy)
	return b.String()
}

// Render lays the pictures in a row, the accuracy plot under them.
func (l *LayerViews) Render() app.UI {
	v := l.views
	have := len(v.Layers) > 0
	acc := make([]string, len(v.Layers))
	for i, s := range v.Layers {
		acc[i] = fmt.Sprintf("%.4f", s.Accuracy)
	}
	shape := fmt.Sprintf("%d → 512 → 256 → 10", data.Pixels) // the shipped classifier's, until its answer says
	if have {
		w := make([]string, len(v.Layers))
		for i, s := range v.Layers {
			w[i] = fmt.Sprint(s.Width)
		}
		shape = strings.Join(w, " → ")
	}
	caption := fmt.Sprintf("%s MNIST test digits, one dot each, coloured by digit, at each stage of the shipped classifier (%s, ReLU): the pixels, each hidden layer's outputs and the output logits. Each stage describes a digit by that many numbers; its picture is their first two principal components (PCA of that stage alone).", thousands(layerDigits), shape)
	if have {
		caption += " " + layerCaption(v)
	}
	return app.Article().Class("model").ID("layer-views").
		Attr("data-state", map[bool]string{false: "loading", true: "ready"}[have]).
		Attr("data-accuracy", strings.Join(acc, " ")).Attr("data-classifier-accuracy", fmt.Sprintf("%.4f", v.Accuracy)).Body(
		app.H3().Text("What each layer sees"),
		app.If(l.status != "", func() app.UI { return app.P().Class("status").Attr("role", "status").Text(l.status) }),
		app.If(l.errMsg != "", func() app.UI { return app.P().Class("error").Attr("role", "alert").Text(l.errMsg) }),
		app.If(have, func() app.UI {
			return app.Div().Class("stage-row").Body(app.Range(v.Layers).Slice(func(i int) app.UI {
				s := v.Layers[i]
				src, lo, hi := l.picture(s)
				return app.Figure().Class("stage-view").ID(fmt.Sprintf("layer-view-%d", i)).Body(
					framed(axis{Label: "PC 1", Lo: lo[0], Hi: hi[0]}, axis{Label: "PC 2", Lo: lo[1], Hi: hi[1]},
						app.Img().Class("map").Src(src).Width(mapSide).Height(mapSide).
							Alt(fmt.Sprintf("%s: the digits on its first two principal components, coloured by digit", stageTitle(s)))),
					app.FigCaption().Body(
						app.Strong().Text(stageTitle(s)),
						app.Span().Class("knn").Text(fmt.Sprintf("%d-NN accuracy %.0f%%", v.K, 100*s.Accuracy)),
					),
				)
			}))
		}),
		app.If(have, legend),
		app.If(have, func() app.UI { return app.Raw(l.accuracyPlot()) }),
		app.P().Class("caption").Text(caption),
	)
}
