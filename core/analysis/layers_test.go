package analysis

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/pca"
	"latentplay/core/tensor"
)

// A 3-2-2 ReLU network with known weights: the stages are the input,
// max(0, x·W₁ + b₁) and the logits, as computed by hand.
func TestLayersByHand(t *testing.T) {
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 3, Hidden: []int{2}, Classes: 2, Activation: "relu", Dropout: 0.5}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := c.Net.Layers[0].(*nn.Dense), c.Net.Layers[len(c.Net.Layers)-1].(*nn.Dense)
	copy(d1.W.Value.Data, []float32{1, -1, 0, 2, 1, 0}) // 3×2
	copy(d1.B.Value.Data, []float32{0, 0.5})
	copy(d2.W.Value.Data, []float32{1, 0, 0, -1}) // 2×2
	copy(d2.B.Value.Data, []float32{0.25, 0})
	x := tensor.FromSlice(2, 3, []float32{1, 2, 3, -1, 0, 1})
	ls := Layers(c, x)
	want := []struct {
		name   string
		values []float32
	}{
		{"input", x.Data},
		// Row 1: (1 + 0 + 3, −1 + 4 + 0 + 0.5) = (4, 3.5); row 2: (−1 + 1, 1 + 0.5) → (0, 1.5).
		{"hidden 1", []float32{4, 3.5, 0, 1.5}},
		{"output", []float32{4.25, -3.5, 0.25, -1.5}},
	}
	if len(ls) != len(want) {
		t.Fatalf("%d stages, want %d", len(ls), len(want))
	}
	for i, w := range want {
		l := ls[i]
		if l.Name != w.name || l.Width != len(w.values)/2 || l.Values.Rows != 2 {
			t.Errorf("stage %d: %q, %d wide, %d rows; want %q, %d wide", i, l.Name, l.Width, l.Values.Rows, w.name, len(w.values)/2)
			continue
		}
		for j, v := range w.values {
			if math.Abs(float64(l.Values.Data[j]-v)) > 1e-6 {
				t.Errorf("%s: %v, want %v", l.Name, l.Values.Data, w.values)
				break
			}
		}
	}
	// The stages are copies: a later call leaves them as they were.
	Layers(c, tensor.New(2, 3))
	if ls[1].Values.Data[0] != 4 {
		t.Error("a later pass overwrote the stages")
	}
	if _, _, err := LayerViews(c, x, []uint8{0}, 1); err == nil {
		t.Error("one label for two digits gave no error")
	}
}

// A hand-made classifier whose hidden layer keeps only the coordinate
// that tells two classes apart: in the input's picture the classes
// overlap (the two leading directions carry noise), after the layer they
// are two clusters, and the neighbour accuracy goes from near chance to
// 1; the largest logit names every point's class.
func TestLayerViewsSeparate(t *testing.T) {
	const n = 400
	rng := rand.New(rand.NewPCG(2, 2))
	x, labels := tensor.New(n, 4), make([]uint8, n)
	for i := range n {
		labels[i] = uint8(i % 2)
		x.Set(i, 0, float32(3*rng.NormFloat64())) // wide noise
		x.Set(i, 1, float32(3*rng.NormFloat64()))
		x.Set(i, 2, float32(0.2*rng.NormFloat64()))
		x.Set(i, 3, float32(labels[i])*0.5+float32(0.02*rng.NormFloat64())) // the class, faint
	}
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 4, Hidden: []int{2}, Classes: 2, Activation: "relu"}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := c.Net.Layers[0].(*nn.Dense), c.Net.Layers[len(c.Net.Layers)-1].(*nn.Dense)
	clear(d1.W.Value.Data)
	clear(d1.B.Value.Data)
	d1.W.Value.Set(3, 0, 10)  // unit 1: 10·x₄
	d1.W.Value.Set(2, 1, 0.1) // unit 2: a little of x₃
	d1.B.Value.Data[1] = 1
	copy(d2.W.Value.Data, []float32{0, 1, 0, 0}) // logits (0, h₁ − 2.5): class 1 when 10·x₄ > 2.5
	copy(d2.B.Value.Data, []float32{0, -2.5})
	views, acc, err := LayerViews(c, x, labels, NeighbourK)
	if err != nil {
		t.Fatal(err)
	}
	if acc != 1 {
		t.Errorf("the classifier's accuracy %v, want 1", acc)
	}
	if len(views) != 3 {
		t.Fatalf("%d views", len(views))
	}
	for _, v := range views {
		t.Logf("%s (%d wide): %.3f of the variance in the picture, %.3f neighbour accuracy", v.Name, v.Width, v.Explained, v.Accuracy)
		if v.Points.Rows != n || v.Points.Cols != 2 {
			t.Fatalf("%s: %d×%d points", v.Name, v.Points.Rows, v.Points.Cols)
		}
	}
	if in, hid := views[0].Accuracy, views[1].Accuracy; !(in < 0.7) || hid != 1 {
		t.Errorf("neighbour accuracy %.3f at the input, %.3f after the layer; want near chance, then 1", in, hid)
	}
	// The points are the stage's projection on its own leading directions.
	ls := Layers(c, x)
	p, err := pca.FitLeading(ls[1].Values, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Project(ls[1].Values); !near(got.Data, views[1].Points.Data, 1e-5) {
		t.Error("the hidden layer's points are not its PCA projection")
	}
}

func near(a, b []float32, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > tol {
			return false
		}
	}
	return true
}

// The shipped classifier on 2,000 test digits: the classes stand further
// apart after each hidden layer than before it.
func TestLayerViewsShippedMLP(t *testing.T) {
	if testing.Short() {
		t.Skip("loads MNIST")
	}
	b, err := os.ReadFile("../../static/models/mlp.lpm")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := models.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	_, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	x, labels := test.First(2000)
	views, acc, err := LayerViews(m.(*models.Classifier), x, labels, NeighbourK)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 4 {
		t.Fatalf("%d views of a 784-512-256-10 network", len(views))
	}
	for _, v := range views {
		t.Logf("%-8s %3d wide: 5-NN accuracy %.3f in 2-D (%.0f%% of the variance)", v.Name, v.Width, v.Accuracy, 100*v.Explained)
	}
	t.Logf("the classifier's own accuracy: %.3f", acc)
	// Each hidden layer's picture separates the classes better than the
	// one before; the output's, ten classes in two of its ten directions,
	// less than the last hidden layer's but far better than the pixels'.
	for i := 1; i < len(views)-1; i++ {
		if !(views[i].Accuracy > views[i-1].Accuracy) {
			t.Errorf("%s: %.3f, not above %s's %.3f", views[i].Name, views[i].Accuracy, views[i-1].Name, views[i-1].Accuracy)
		}
	}
	if out := views[len(views)-1].Accuracy; !(out > views[0].Accuracy+0.2) || !(acc > 0.95) {
		t.Errorf("output %.3f against the input's %.3f; the classifier's accuracy %.3f", out, views[0].Accuracy, acc)
	}
}
