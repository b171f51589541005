package web

import (
	"fmt"
	"strings"

	"latentplay/wasm/engine/protocol"
)

// lossPlot charts the loss history: training loss (for a VAE its
// reconstruction and KL parts apart), the loss on a fixed test batch, and
// the loss over the whole test set after each epoch (set: images seen,
// loss), against images seen.
func lossPlot(h []lossPoint, set [][2]float64, kind string) string {
	type line struct {
		name, colour string
		y            func(lossPoint) float64
	}
	lines := []line{{"train", "#f4f1ea", func(p lossPoint) float64 { return p.total }}}
	unit, label := "", "loss"
	switch {
	case strings.Contains(kind, "vae"):
		lines = []line{
			{"reconstruction", "#f4f1ea", func(p lossPoint) float64 { return p.recon }},
			{"KL", "#e69f00", func(p lossPoint) float64 { return p.kl }},
		}
		unit, label = "nats", "loss per image"
	case isGANKind(kind):
		// Two players, no test loss: D's and G's binary cross-entropies.
		lines = []line{
			{"discriminator L_D", "#e69f00", func(p lossPoint) float64 { return p.d }},
			{"generator L_G", "#56b4e9", func(p lossPoint) float64 { return p.g }},
		}
		unit, label = "nats", "loss per image"
	}
	if !isGANKind(kind) {
		lines = append(lines, line{"8 test digits", "#56b4e9", func(p lossPoint) float64 { return p.test }})
	}
	c := chart{
		ID: "loss-chart", Title: "Loss curves",
		X: axis{Label: "images seen"}, Y: axis{Label: label, Unit: unit},
		Empty: "The curves appear once training starts.", NoPoint: len(h) > 300,
	}
	if len(h) >= 2 {
		// Ten events a second make thousands of points in a long run;
		// every stride-th of them (and the last) draws the same curve
		// with at most about maxPlotted.
		stride := (len(h) + maxPlotted - 1) / maxPlotted
		for _, l := range lines {
			s := series{Name: l.name, Colour: l.colour}
			for i, p := range h {
				if i%stride == 0 || i == len(h)-1 {
					s.Points = append(s.Points, [2]float64{p.samples, l.y(p)})
				}
			}
			c.Series = append(c.Series, s)
		}
	}
	if len(set) > 0 {
		name := "test set, whole"
		if strings.Contains(kind, "vae") {
			name = "test set −ELBO"
		}
		c.Series = append(c.Series, series{Name: name, Colour: "#009e73", Points: set, Dashed: true})
		c.Dots = !c.NoPoint
	}
	return c.Render()
}

// maxPlotted bounds the points a loss curve is drawn with.
const maxPlotted = 300

func names[T any](xs []T, f func(T) string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return strings.Join(out, ", ")
}

// readsPlot is what the shipped classifier read in 1,000 of the model's
// samples as it trained: how sure it is they are digits, the rarest
// class's share (mode collapse drives it to 0) and, for a conditional
// model, how often it reads the class asked for. The marks are what it
// reads in the shipped model of the same kind's samples (ref) and in the
// real test digits (from the shipped classifier's figures, judge).
func readsPlot(reads []protocol.SampleRead, conditional bool, ref, judge shippedModel) string {
	c := chart{
		ID: "reads-chart", Title: fmt.Sprintf("What the shipped classifier reads in %s samples", thousands(protocol.ReadSamples)),
		X: axis{Label: "images seen"}, Y: axis{Label: "probability or share of the samples", Lo: 0, Hi: 1},
		Empty: "Readings begin a quarter epoch in.", Dots: len(reads) <= 300,
	}
	type line struct {
		name, colour string
		y            func(protocol.SampleRead) float64
	}
	lines := []line{
		{"confidence (mean top-class probability)", "#e69f00", func(r protocol.SampleRead) float64 { return r.Confidence }},
		{"rarest class's share", "#009e73", func(r protocol.SampleRead) float64 { return r.MinShare }},
	}
	if conditional {
		lines = append(lines, line{"read as the class asked for", "#56b4e9", func(r protocol.SampleRead) float64 { return r.LabelAccuracy }})
	}
	if len(reads) > 0 {
		for _, l := range lines {
			s := series{Name: l.name, Colour: l.colour}
			for _, r := range reads {
				s.Points = append(s.Points, [2]float64{float64(r.Samples), l.y(r)})
			}
			c.Series = append(c.Series, s)
		}
	}
	if x, ok := ref.Eval["sample_confidence"]; ok {
		c.Marks = append(c.Marks, refLine{Name: fmt.Sprintf("shipped %s's confidence, %.2f", ref.Name, x), Colour: "#a7a9b0", At: x})
	}
	if x, ok := judge.Eval["test_confidence"]; ok {
		c.Marks = append(c.Marks, refLine{Name: fmt.Sprintf("real test digits' confidence, %.2f", x), Colour: "#f0e442", At: x})
	}
	c.Marks = append(c.Marks, refLine{Name: "even classes, 0.1 each", Colour: "#cc79a7", At: 0.1})
	return c.Render()
}
