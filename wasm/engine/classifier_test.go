package engine

import (
	"testing"

	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/wasm/engine/protocol"
)

// An MLP trained in the engine reports its accuracy as it learns; then
// the confusion matrix counts every test digit once, its diagonal is the
// accuracy, and each cell's examples are digits of its row; the unit
// weights are the first layer's columns.
func TestClassifierLab(t *testing.T) {
	e, events := trainingEngine()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "mlp", Hidden: []int{16}, LR: 3e-3, Batch: 20, Epochs: 10, Seed: 1}}))
	first := waitFor(t, events, protocol.Running)
	last := waitFor(t, events, protocol.Done)
	if !(last.TestAccuracy > first.TestAccuracy) || last.TestAccuracy < 0.9 {
		t.Errorf("accuracy %.2f at the first event, %.2f at the end", first.TestAccuracy, last.TestAccuracy)
	}
	if !(last.TestLoss.Total < first.TestLoss.Total) {
		t.Errorf("test loss %v → %v", first.TestLoss.Total, last.TestLoss.Total)
	}
	const k = 3
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpConfusion, Slot: TrainedSlot, N: k}))
	if len(r.Floats) != 100+100*k {
		t.Fatalf("%d values, want %d", len(r.Floats), 100+100*k)
	}
	var total, diag float32
	for cell, n := range r.Floats[:100] {
		total += n
		if cell/10 == cell%10 {
			diag += n
		}
		ex := r.Floats[100+cell*k : 100+(cell+1)*k]
		for j, i := range ex {
			want := j < int(n)
			if (i >= 0) != want {
				t.Fatalf("cell %d with %v digits: examples %v", cell, n, ex)
			}
			if i >= 0 && int(e.testSet.Labels[int(i)]) != cell/10 {
				t.Fatalf("cell %d holds test digit %v, a %d", cell, i, e.testSet.Labels[int(i)])
			}
		}
	}
	if int(total) != e.testSet.N || float64(diag/total) != r.Figures["accuracy"] {
		t.Errorf("%v digits, %v on the diagonal; figures %v", total, diag, r.Figures)
	}
	m, _ := e.model(TrainedSlot)
	w := m.(*models.Classifier).Net.Layers[0].(*nn.Dense).W.Value
	u := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpUnitWeights, Slot: TrainedSlot, N: 4})).Floats
	if len(u) != 4*784 || u[2*784+300] != w.Data[300*w.Cols+2] {
		t.Errorf("unit weights: %d values; unit 2 pixel 300 is %v, W says %v", len(u), u[2*784+300], w.Data[300*w.Cols+2])
	}
	d := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTestDigits, Index: []int{7, 3}})).Floats
	if len(d) != 2*784 || d[784+4*28+4+2*3] != e.testSet.Pixels[3*784+4*28+4+2*3] {
		t.Error("test digits are not the test set's")
	}
	for _, bad := range []protocol.Request{
		{Op: protocol.OpUnitWeights, Slot: TrainedSlot, N: 17},
		{Op: protocol.OpConfusion, Slot: TrainedSlot, N: 1000},
		{Op: protocol.OpTestDigits, Index: []int{e.testSet.N}},
	} {
		if r := e.Handle(bad); r.Error == "" {
			t.Errorf("%s with N %d, index %v: no error", bad.Op, bad.N, bad.Index)
		}
	}
}

// A run names its slot: the classifier lab's MLP goes to its own, and the
// Train view's model in "trained" stays as it was.
func TestTrainingIntoItsOwnSlot(t *testing.T) {
	e, events := trainingEngine()
	mustOK(t, e.Handle(protocol.Request{Op: protocol.OpLoad, Slot: TrainedSlot, Bytes: tinyVAE(t, 0)}))
	before := e.slots[TrainedSlot]
	r := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpTrain, Train: &protocol.Train{Kind: "mlp", Hidden: []int{16}, LR: 1e-3, Batch: 20, Epochs: 2, Seed: 1, Slot: protocol.ClassifierSlot}}))
	if p := waitFor(t, events, protocol.Done, protocol.Failed); p.State != protocol.Done || float64(p.Gen) != r.Figures["gen"] {
		t.Fatalf("run %d (answer said %v) ended %s: %s", p.Gen, r.Figures["gen"], p.State, p.Message)
	}
	if e.slots[TrainedSlot] != before {
		t.Error("the classifier's run replaced the model in \"trained\"")
	}
	info := mustOK(t, e.Handle(protocol.Request{Op: protocol.OpClassify, Slot: protocol.ClassifierSlot, Floats: digits(1)}))
	if len(info.Floats) != 10 {
		t.Fatalf("the classifier slot answered %d probabilities", len(info.Floats))
	}
}
