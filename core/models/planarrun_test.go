package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"latentplay/core/data"
	"latentplay/core/nn"
)

func xorRun(t *testing.T, seed uint64, cfg PlanarRunConfig) *PlanarRun {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	r, err := NewPlanarRun(data.XOR(200, 0, rng), cfg, rng)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func weightsOf(m *Planar) []float32 {
	var w []float32
	for _, p := range m.Net.Params() {
		w = append(w, p.Value.Data...)
	}
	return w
}

// A run splits its points, trains them down and counts its epochs; the
// same seed gives the same run.
func TestPlanarRunTrains(t *testing.T) {
	cfg := PlanarRunConfig{Net: PlanarConfig{Hidden: []int{8}, Acts: []string{"tanh"}, Loss: "ce"}, Opt: "adam", LR: 0.03, Batch: 16, TestFrac: 0.25}
	r := xorRun(t, 1, cfg)
	if r.Train.Len() != 150 || r.Test.Len() != 50 || r.Model.Cfg.Classes != 2 {
		t.Fatalf("%d training and %d test points of %d classes, want 150, 50 and 2", r.Train.Len(), r.Test.Len(), r.Model.Cfg.Classes)
	}
	before, _ := r.Model.Evaluate(r.Train)
	if err := r.TrainEpochs(100); err != nil {
		t.Fatal(err)
	}
	after, acc := r.Model.Evaluate(r.Test)
	if r.Epoch != 100 || !(after < before/3) || acc < 0.9 {
		t.Errorf("after %d epochs: loss %.3f → %.3f (held out), accuracy %.2f", r.Epoch, before, after, acc)
	}
	again := xorRun(t, 1, cfg)
	if err := again.TrainEpochs(100); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(weightsOf(r.Model), weightsOf(again.Model)) {
		t.Error("the same seed trained to other weights")
	}
	if _, err := NewPlanarRun(data.XOR(10, 0, rand.New(rand.NewPCG(1, 1))), PlanarRunConfig{Net: cfg.Net, Opt: "adam", LR: 0.01, Batch: 4, TestFrac: 1}, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("a run with every point held out was built")
	}
}

// A learning rate of 10 with plain SGD on MSE blows up: the run keeps the
// weights and epoch it had before the call.
func TestPlanarRunBlowUp(t *testing.T) {
	r := xorRun(t, 2, PlanarRunConfig{Net: PlanarConfig{Hidden: []int{8, 8}, Acts: []string{"relu", "relu"}, Loss: "mse"}, Opt: "sgd", LR: 10, Batch: 16, TestFrac: 0.5})
	good := weightsOf(r.Model)
	err := r.TrainEpochs(200)
	if err == nil || !strings.Contains(err.Error(), "blew up") && !strings.Contains(err.Error(), "not a number") {
		t.Fatalf("200 epochs at a learning rate of 10: %v", err)
	}
	if r.Epoch != 0 || !slices.Equal(good, weightsOf(r.Model)) {
		t.Errorf("after the blow-up: epoch %d, weights changed %v", r.Epoch, !slices.Equal(good, weightsOf(r.Model)))
	}
}

// SetWeight sets one weight or bias and refuses what is not there.
func TestPlanarSetWeight(t *testing.T) {
	m, err := NewPlanar(PlanarConfig{Hidden: []int{3}, Acts: []string{"relu"}, Classes: 2, Loss: "ce"}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetWeight(0, 1, 2, 2.5); err != nil || m.Dense[0].W.Value.At(1, 2) != 2.5 {
		t.Errorf("set x₂ → unit 3: %v, reads %v", err, m.Dense[0].W.Value.At(1, 2))
	}
	if err := m.SetWeight(1, -1, 1, -4); err != nil || m.Dense[1].B.Value.Data[1] != -4 {
		t.Errorf("set class 2's bias: %v, reads %v", err, m.Dense[1].B.Value.Data[1])
	}
	for _, bad := range [][3]int{{0, 2, 0}, {0, -2, 0}, {0, 0, 3}, {2, 0, 0}, {-1, 0, 0}} {
		if err := m.SetWeight(bad[0], bad[1], bad[2], 1); err == nil {
			t.Errorf("layer %d, from %d to %d was set", bad[0], bad[1], bad[2])
		}
	}
	if err := m.SetWeight(0, 0, 0, float32(math.NaN())); err == nil {
		t.Error("NaN was set")
	}
}

// Decide picks each point's most likely class; UnitOutputs are each hidden
// unit's f(x·W + b) over the same points, a row per unit.
func TestPlanarPictures(t *testing.T) {
	m, err := NewPlanar(PlanarConfig{Hidden: []int{3, 2}, Acts: []string{"tanh", "relu"}, Classes: 3, Loss: "ce"}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	g := PlanarGrid(5)
	if g.Rows != 25 || math.Abs(float64(g.At(0, 0))+0.96) > 1e-6 || math.Abs(float64(g.At(0, 1))-0.96) > 1e-6 {
		t.Fatalf("the grid's first cell is (%v, %v) of %d, want (−0.96, 0.96) of 25", g.At(0, 0), g.At(0, 1), g.Rows)
	}
	class, prob := m.Decide(g)
	probs := m.Probabilities(g)
	for i := range g.Rows {
		row := probs.Row(i)
		if prob[i] != row[class[i]] || slices.Max(row) != prob[i] {
			t.Errorf("cell %d: class %d at %v; probabilities %v", i, class[i], prob[i], row)
		}
	}
	units := m.UnitOutputs(g)
	if len(units) != 2 || units[0].Rows != 3 || units[0].Cols != 25 || units[1].Rows != 2 || units[1].Cols != 25 {
		t.Fatalf("unit outputs of shapes %d×%d, %d×%d; want 3×25, 2×25", units[0].Rows, units[0].Cols, units[1].Rows, units[1].Cols)
	}
	d := m.Dense[0]
	for j := range 3 {
		for c := range g.Rows {
			z := g.At(c, 0)*d.W.Value.At(0, j) + g.At(c, 1)*d.W.Value.At(1, j) + d.B.Value.Data[j]
			if want := nn.Tanh.F(z); math.Abs(float64(units[0].At(j, c)-want)) > 1e-5 {
				t.Fatalf("unit 1.%d at cell %d: %v, want %v", j+1, c, units[0].At(j, c), want)
			}
		}
	}
}
