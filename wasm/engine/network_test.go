package engine

import (
	"slices"
	"testing"

	"latentplay/wasm/engine/protocol"
)

func spirals() protocol.Network {
	return protocol.Network{
		Dataset: "spirals", N: 500, TestFrac: 0.5, Hidden: []int{8, 8}, Acts: []string{"tanh", "tanh"},
		Loss: "ce", Opt: "adam", LR: 0.01, Batch: 16, Seed: 2, Grid: 8, Unit: 4,
	}
}

func network(t *testing.T, e *Engine, q protocol.Network) protocol.NetworkState {
	t.Helper()
	r, err := Do(e, protocol.TrainNetwork, q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkShape checks the answer's pictures have the run's shape: its
// points, a Grid² map, Unit² cells for every hidden unit, and each weight
// layer's in×out weights and out biases, the first reading inputs values.
func checkShape(t *testing.T, q protocol.Network, r protocol.NetworkState, points, inputs int) {
	t.Helper()
	if n := r.Train.Len() + r.Test.Len(); n != points || r.Train.XY.Rows != r.Train.Len() || r.Test.XY.Rows != r.Test.Len() || r.Train.XY.Cols != 2 {
		t.Errorf("%d + %d points (%d×%d coordinates), want %d", r.Train.Len(), r.Test.Len(), r.Train.XY.Rows, r.Train.XY.Cols, points)
	}
	if len(r.Map.Class) != q.Grid*q.Grid || r.Map.Prob.Rows != q.Grid || r.Map.Prob.Cols != q.Grid {
		t.Errorf("a map of %d classes and %d×%d probabilities, want %d cells", len(r.Map.Class), r.Map.Prob.Rows, r.Map.Prob.Cols, q.Grid*q.Grid)
	}
	if len(r.Units) != len(q.Hidden) {
		t.Fatalf("%d layers of unit maps, want %d", len(r.Units), len(q.Hidden))
	}
	for l, u := range r.Units {
		if u.Rows != q.Hidden[l] || u.Cols != q.Unit*q.Unit {
			t.Errorf("layer %d's unit maps are %d×%d, want %d×%d", l, u.Rows, u.Cols, q.Hidden[l], q.Unit*q.Unit)
		}
	}
	widths := append(append([]int{inputs}, q.Hidden...), 2)
	if len(r.Layers) != len(widths)-1 {
		t.Fatalf("%d weight layers, want %d", len(r.Layers), len(widths)-1)
	}
	for l, w := range r.Layers {
		if w.W.Rows != widths[l] || w.W.Cols != widths[l+1] || len(w.B) != widths[l+1] {
			t.Errorf("weight layer %d: %d×%d weights and %d biases, want %d×%d and %d", l, w.W.Rows, w.W.Cols, len(w.B), widths[l], widths[l+1], widths[l+1])
		}
	}
}

// The same settings give the same run, in a fresh engine too; training
// lowers the loss; 2×8 tanh units learn the spirals. (Whether they do
// depends on the seed: with these settings, seeds 1–8 reach 57, 99, 99,
// 95, 96, 95, 93 and 97% held out after 1000 epochs.)
func TestNetworkOp(t *testing.T) {
	q := spirals()
	e := New()
	r := network(t, e, q)
	first := r.TrainLoss
	checkShape(t, q, r, 500, 2)
	q.Epochs = 50
	var curve []float64
	for range 20 {
		r = network(t, e, q)
		curve = append(curve, r.TrainLoss)
	}
	if r.Epoch != 1000 {
		t.Fatalf("epoch %v after 20 × 50", r.Epoch)
	}
	t.Logf("spirals: train loss %.3f → %.3f, test accuracy %.3f", first, curve[len(curve)-1], r.TestAcc)
	if !(curve[len(curve)-1] < first/10) {
		t.Errorf("train loss %.3f → %.3f", first, curve[len(curve)-1])
	}
	if r.TestAcc < 0.95 {
		t.Errorf("test accuracy %.3f, want ≥ 0.95", r.TestAcc)
	}
	again := New()
	for i := range 20 {
		if got := network(t, again, q).TrainLoss; got != curve[i] {
			t.Fatalf("a fresh engine's run differs at chunk %d: %v, then %v", i, curve[i], got)
		}
	}
	// Another seed is another run.
	q.Seed = 3
	if got := network(t, again, q).TrainLoss; got == curve[0] {
		t.Error("seed 2 gave seed 1's loss")
	}
}

// pictures is every value of the answer's points and pictures.
func pictures(r protocol.NetworkState) []float32 {
	var out []float32
	for _, p := range []protocol.LabPoints{r.Train, r.Test} {
		out = append(out, p.XY.Data...)
		for _, c := range p.Class {
			out = append(out, float32(c))
		}
	}
	for _, c := range r.Map.Class {
		out = append(out, float32(c))
	}
	out = append(out, r.Map.Prob.Data...)
	for _, u := range r.Units {
		out = append(out, u.Data...)
	}
	for _, l := range r.Layers {
		out = append(append(out, l.W.Data...), l.B...)
	}
	return out
}

func TestNetworkEditAndBlowUp(t *testing.T) {
	q := spirals()
	q.Dataset, q.Hidden, q.Acts = "xor", []int{3}, []string{"relu"}
	e := New()
	network(t, e, q)
	q.Edit = &protocol.WeightEdit{Layer: 0, From: 1, To: 2, Value: 2.5}
	r := network(t, e, q)
	if w := r.Layers[0].W.Row(1)[2]; w != 2.5 {
		t.Errorf("the edited weight reads %v", w)
	}
	q.Edit = &protocol.WeightEdit{Layer: 1, From: -1, To: 1, Value: -3}
	if b := network(t, e, q).Layers[1].B[1]; b != -3 {
		t.Errorf("the edited bias reads %v", b)
	}
	q.Edit = &protocol.WeightEdit{Layer: 0, From: 2, To: 0, Value: 1}
	if _, err := Do(e, protocol.TrainNetwork, q); err == nil {
		t.Error("an edit of a weight from a third input was accepted")
	}
	q.Edit = nil

	// A learning rate of 10 with plain SGD on MSE blows up; the weights are
	// those from before the request.
	q.Opt, q.LR, q.Loss, q.Hidden, q.Acts = "sgd", 10, "mse", []int{8, 8}, []string{"relu", "relu"}
	good := network(t, e, q)
	q.Epochs = 200
	_, err := Do(e, protocol.TrainNetwork, q)
	if err == nil {
		t.Fatal("a learning rate of 10 with SGD did not blow up")
	}
	q.Epochs = 0
	after := network(t, e, q)
	if !slices.Equal(pictures(good), pictures(after)) || after.Epoch != 0 {
		t.Errorf("after the blow-up the run is not as it was: epoch %v", after.Epoch)
	}
	t.Log(err)
}

func TestNetworkRefuses(t *testing.T) {
	e := New()
	for _, change := range []func(*protocol.Network){
		func(q *protocol.Network) { q.Dataset = "moons" },
		func(q *protocol.Network) { q.Dataset, q.Points, q.Classes = "custom", []protocol.Point{{}}, 2 },
		func(q *protocol.Network) {
			q.Dataset, q.Points, q.Classes = "custom", []protocol.Point{{X: 0, Y: 0, Class: 0}, {X: 1, Y: 1, Class: 5}}, 2
		},
		func(q *protocol.Network) { q.LR = 0 },
		func(q *protocol.Network) { q.Opt = "rmsprop" },
		func(q *protocol.Network) { q.Batch = 0 },
		func(q *protocol.Network) { q.Epochs = -1 },
		func(q *protocol.Network) { q.Hidden = []int{100}; q.Acts = []string{"tanh"} },
		func(q *protocol.Network) { q.TestFrac = 1 },
	} {
		q := spirals()
		change(&q)
		if _, err := Do(e, protocol.TrainNetwork, q); err == nil {
			t.Errorf("%+v was accepted", q)
		}
	}
	// Custom points with three classes train.
	q := spirals()
	q.Dataset, q.Classes, q.TestFrac = "custom", 3, 0
	for _, p := range [][3]float32{{-0.5, -0.5, 0}, {-0.4, -0.6, 0}, {0.5, 0.5, 1}, {0.6, 0.4, 1}, {-0.5, 0.5, 2}, {-0.6, 0.4, 2}} {
		q.Points = append(q.Points, protocol.Point{X: p[0], Y: p[1], Class: int(p[2])})
	}
	q.Epochs = 200
	if r := network(t, e, q); r.TrainAcc != 1 || r.Train.Len() != 6 || r.Train.At(0).Class < 0 || r.Train.At(0).Class > 2 {
		t.Errorf("six custom points of three classes: train accuracy %v, %d points", r.TrainAcc, r.Train.Len())
	}
}

// Input features: the first layer reads one input a feature, the same
// features give the same run, other features another; an unknown one is
// refused and the last run stays.
func TestNetworkFeatures(t *testing.T) {
	q := spirals()
	q.Features = []string{"x1", "x2", "x1sq", "sinx2"}
	e := New()
	checkShape(t, q, network(t, e, q), 500, 4)
	q.Epochs = 20
	a := network(t, e, q).TrainLoss
	b := network(t, New(), q).TrainLoss
	if a != b {
		t.Errorf("the same features trained to %v and %v", a, b)
	}
	q.Features = []string{"x1sq", "x2sq"}
	if c := network(t, New(), q).TrainLoss; c == a {
		t.Error("other features gave the same run")
	}
	q.Features = []string{"x1", "cosx1"}
	if _, err := Do(e, protocol.TrainNetwork, q); err == nil {
		t.Error("an unknown feature was accepted")
	}
}
