package web

import (
	"slices"
	"strings"
	"testing"
)

// Ticks are round numbers covering the range.
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 1, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 224, []float64{0, 50, 100, 150, 200}},
		{-3, 3, []float64{-3, -2, -1, 0, 1, 2, 3}},
		{0, 59904, []float64{0, 10000, 20000, 30000, 40000, 50000}},
	} {
		if got := niceTicks(c.lo, c.hi, 6); !slices.Equal(got, c.want) {
			t.Errorf("ticks of %g..%g: %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
	if got := logTicks(0.1, 30); !slices.Equal(got, []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20}) {
		t.Errorf("log ticks of 0.1..30: %v", got)
	}
	// Over many decades, only the powers of ten: no crowding.
	if got := logTicks(5e-7, 6); len(got) != 7 || got[0] != 1e-6 || got[6] != 1 {
		t.Errorf("log ticks of 5e-7..6: %v, want the seven powers of ten 1e-06..1", got)
	}
	for v, want := range map[float64]string{0: "0", 0.25: "0.25", 50000: "50k", 2e6: "2e+06", 0.0001: "0.0001"} {
		if got := fmtTick(v); got != want {
			t.Errorf("tick %g written %q, want %q", v, got, want)
		}
	}
}

// A chart names its axes with their units, shows ticks, a legend entry per
// series and a readout per point, and describes its latest values; a
// blown-up value stays off the chart; with no data it says so.
func TestChart(t *testing.T) {
	c := chart{
		ID: "loss", Title: "Loss per image",
		X: axis{Label: "images seen"}, Y: axis{Label: "loss", Unit: "nats"},
		Series: []series{
			{Name: "train", Colour: "#fff", Points: [][2]float64{{0, 200}, {1000, 150}, {2000, 1e308}}},
			{Name: "test", Colour: "#6bb7ff", Points: [][2]float64{{0, 210}, {2000, 160}}},
		},
	}
	svg := c.Render()
	for _, want := range []string{
		`id="loss"`, ">images seen<", ">loss (nats)<", ">train<", ">test<", ">200<",
		"<title>train: images seen = 1000, loss (nats) = 150</title>",
		`aria-label="Loss per image: loss (nats) against images seen. Latest: train: images seen = 2000, loss (nats) = off the chart; test: images seen = 2000, loss (nats) = 160."`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %s", want)
		}
	}
	if strings.Count(svg, "<circle") != 4 {
		t.Errorf("%d points drawn, want 4 (the blow-up off the chart)", strings.Count(svg, "<circle"))
	}
	empty := chart{Title: "Loss", X: axis{Label: "epoch"}, Y: axis{Label: "loss"}, Empty: "The curves appear once training starts."}.Render()
	if !strings.Contains(empty, "The curves appear once training starts.") || strings.Contains(empty, "<polyline") {
		t.Error("an empty chart does not say why")
	}
	bars := chart{Title: "Accuracy", X: axis{Label: "layer", Ticks: []string{"input", "1", "output"}}, Y: axis{Label: "accuracy", Lo: 0, Hi: 1}, Bars: true,
		Series: []series{{Colour: "#e69f00", Points: [][2]float64{{0, 0.4}, {1, 0.7}, {2, 0.95}}}}}.Render()
	if strings.Count(bars, "<rect") != 3 || !strings.Contains(bars, ">output<") || !strings.Contains(bars, "layer = output, accuracy = 0.95") {
		t.Errorf("bars: %s", bars)
	}
}

// TestLossPlotThinsLongRuns: a run of thousands of progress events is
// drawn with at most about maxPlotted points a curve; a short run keeps
// every point.
func TestLossPlotThinsLongRuns(t *testing.T) {
	points := func(svg string) []int {
		var n []int
		for _, part := range strings.Split(svg, `points="`)[1:] {
			n = append(n, len(strings.Fields(part[:strings.IndexByte(part, '"')])))
		}
		return n
	}
	run := func(events int) []lossPoint {
		h := make([]lossPoint, events)
		for i := range h {
			h[i] = lossPoint{samples: float64(128 * (i + 1)), total: 200 - float64(i)/float64(events), recon: 150, kl: 25, test: 180}
		}
		return h
	}
	for _, events := range []int{50, 5000} {
		h := run(events)
		svg := lossPlot(h, nil, "vae")
		n := points(svg)
		if len(n) != 3 { // reconstruction, KL, the 8 test digits
			t.Fatalf("%d events: %d curves, want 3", events, len(n))
		}
		for _, k := range n {
			if want := min(events, maxPlotted+1); k > want || k < min(events, maxPlotted/2) {
				t.Errorf("%d events drawn with %d points, want %d at most and not far fewer", events, k, want)
			}
		}
	}
}
