package analysis

import (
	"fmt"

	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/pca"
	"latentplay/core/tensor"
)

// Layer is one stage of a classifier as digits pass through it: the
// input, each hidden layer after its activation, and the output logits.
type Layer struct {
	Name  string // "input", "hidden 1", "hidden 2", …, "output"
	Width int    // its numbers a digit: pixels, units or classes
	// Values are the batch's values there, one row a digit.
	Values *tensor.Mat
}

// Layers runs the rows of x through c in inference mode (no dropout) and
// keeps every stage: x itself, each hidden layer's activations and the
// output logits (new matrices). The logits rather than the probabilities
// stand for the output: softmax squeezes nearly every digit onto one of
// ten corners, and a picture of the corners shows a few dots.
func Layers(c *models.Classifier, x *tensor.Mat) []Layer {
	c.Net.SetTraining(false)
	out := []Layer{{Name: "input", Width: x.Cols, Values: x.Clone()}}
	h := x
	for _, l := range c.Net.Layers {
		h = l.Forward(h)
		if _, ok := l.(*nn.Act); ok {
			out = append(out, Layer{Name: fmt.Sprintf("hidden %d", len(out)), Width: h.Cols, Values: h.Clone()})
		}
	}
	return append(out, Layer{Name: "output", Width: h.Cols, Values: h.Clone()})
}

// LayerView is what one stage of a classifier makes of a batch of digits,
// seen in two dimensions.
type LayerView struct {
	Name  string
	Width int
	// Points are the digits on the stage's two leading principal
	// directions (PCA of its values over the batch), N×2.
	Points *tensor.Mat
	// Explained is the fraction of the stage's variance those two
	// directions hold.
	Explained float64
	// Accuracy is NeighbourAccuracy of Points: how often a digit's k
	// nearest others in the picture are mostly of its class.
	Accuracy float64
}

// LayerViews projects every stage of c (Layers) on the batch x to two
// dimensions and scores how far the classes stand apart there, with k
// neighbours voting. Only the picture is scored, not the stage's full
// width: the figure says what the eye sees. It also gives c's own
// accuracy on the batch, how often the largest logit names the class: the
// output's ten numbers hold ten classes apart in ten directions, which a
// picture of two cannot show.
func LayerViews(c *models.Classifier, x *tensor.Mat, labels []uint8, k int) (views []LayerView, accuracy float64, err error) {
	if x.Cols != c.Inputs() || len(labels) != x.Rows || x.Rows == 0 {
		return nil, 0, fmt.Errorf("analysis: %d labels for %d images of %d pixels, a classifier of %d", len(labels), x.Rows, x.Cols, c.Inputs())
	}
	stages := Layers(c, x)
	logits := stages[len(stages)-1].Values
	for i, l := range labels {
		if logits.ArgmaxRow(i) == int(l) {
			accuracy++
		}
	}
	accuracy /= float64(len(labels))
	for _, l := range stages {
		p, err := pca.FitLeading(l.Values, min(2, l.Width))
		if err != nil {
			return nil, 0, err
		}
		pts := p.Project(l.Values)
		if pts.Cols < 2 { // a one-unit layer: its one number, and 0
			wide := tensor.New(pts.Rows, 2)
			for i, v := range pts.Data {
				wide.Data[2*i] = v
			}
			pts = wide
		}
		acc, err := NeighbourAccuracy(pts, labels, k)
		if err != nil {
			return nil, 0, err
		}
		views = append(views, LayerView{Name: l.Name, Width: l.Width, Points: pts, Explained: p.Explained(), Accuracy: acc})
	}
	return views, accuracy, nil
}
