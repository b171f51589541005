package engine

import (
	"slices"
	"testing"

	"latentplay/core/analysis"
	"latentplay/core/data"
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
	start(t, e, protocol.Train{Kind: "mlp", Hidden: []int{16}, LR: 3e-3, Batch: 20, Epochs: 10, Seed: 1})
	first := waitFor(t, events, protocol.Running)
	last := waitFor(t, events, protocol.Done)
	if !(last.TestAccuracy > first.TestAccuracy) || last.TestAccuracy < 0.9 {
		t.Errorf("accuracy %.2f at the first event, %.2f at the end", first.TestAccuracy, last.TestAccuracy)
	}
	if !(last.TestLoss.Total < first.TestLoss.Total) {
		t.Errorf("test loss %v → %v", first.TestLoss.Total, last.TestLoss.Total)
	}
	_, test := e.loaded()
	const k = 3
	m := must[protocol.ConfusionMatrix](t)(Do(e, protocol.Confusion, protocol.CountArgs{Slot: protocol.TrainedSlot, N: k}))
	if len(m.Counts) != 10 || len(m.Examples) != 10 || m.N != test.N {
		t.Fatalf("a %d-row matrix with %d rows of examples over %d digits", len(m.Counts), len(m.Examples), m.N)
	}
	total, diag := 0, 0
	for i, row := range m.Counts {
		for j, n := range row {
			total += n
			if i == j {
				diag += n
			}
			ex := m.Examples[i][j]
			if len(ex) != min(n, k) {
				t.Fatalf("cell %d,%d with %d digits: examples %v", i, j, n, ex)
			}
			for _, d := range ex {
				if int(test.Labels[d]) != i {
					t.Fatalf("cell %d,%d holds test digit %d, a %d", i, j, d, test.Labels[d])
				}
			}
		}
	}
	if total != test.N || float64(diag)/float64(total) != m.Accuracy {
		t.Errorf("%d digits, %d on the diagonal; accuracy %v", total, diag, m.Accuracy)
	}
	mod, _ := e.model(protocol.TrainedSlot)
	w := mod.(*models.Classifier).Net.Layers[0].(*nn.Dense).W.Value
	u := must[protocol.Images](t)(Do(e, protocol.UnitWeights, protocol.CountArgs{Slot: protocol.TrainedSlot, N: 4})).Images
	if u.Rows != 4 || u.Cols != data.Pixels || u.Row(2)[300] != w.Data[300*w.Cols+2] {
		t.Errorf("unit weights: %d×%d; unit 2 pixel 300 is %v, W says %v", u.Rows, u.Cols, u.Row(2)[300], w.Data[300*w.Cols+2])
	}
	d := must[protocol.LabelledImages](t)(Do(e, protocol.TestDigits, protocol.IndexArgs{Index: []int{7, 3}}))
	if d.Images.Rows != 2 || !slices.Equal(d.Images.Row(1), test.Image(3)) || d.Labels[0] != int(test.Labels[7]) {
		t.Error("test digits are not the test set's")
	}
	if _, err := Do(e, protocol.UnitWeights, protocol.CountArgs{Slot: protocol.TrainedSlot, N: 17}); err == nil {
		t.Error("17 units of 16 given")
	}
	if _, err := Do(e, protocol.Confusion, protocol.CountArgs{Slot: protocol.TrainedSlot, N: 1000}); err == nil {
		t.Error("1000 examples a cell given")
	}
	if _, err := Do(e, protocol.TestDigits, protocol.IndexArgs{Index: []int{test.N}}); err == nil {
		t.Error("a test digit past the set given")
	}
}

// A run names its slot: the classifier lab's MLP goes to its own, and the
// Train view's model in "trained" stays as it was.
func TestTrainingIntoItsOwnSlot(t *testing.T) {
	e, events := trainingEngine()
	load(t, e, protocol.TrainedSlot, tinyVAE(t, 0))
	before := e.slots[protocol.TrainedSlot]
	run := start(t, e, protocol.Train{Kind: "mlp", Hidden: []int{16}, LR: 1e-3, Batch: 20, Epochs: 2, Seed: 1, Slot: protocol.ClassifierSlot})
	if p := waitFor(t, events, protocol.Done, protocol.Failed); p.State != protocol.Done || p.Run != run.Run {
		t.Fatalf("run %d (answer said %d) ended %s: %s", p.Run, run.Run, p.State, p.Message)
	}
	if e.slots[protocol.TrainedSlot] != before {
		t.Error("the classifier's run replaced the model in \"trained\"")
	}
	p := must[protocol.Probabilities](t)(Do(e, protocol.Classify, protocol.ImagesArgs{Slot: protocol.ClassifierSlot, Images: images(digits(1))}))
	if p.Probs.Rows != 1 || p.Probs.Cols != 10 {
		t.Fatalf("the classifier slot answered %d×%d probabilities", p.Probs.Rows, p.Probs.Cols)
	}
}

// Asked for it, a run measures its loss over the whole test set after each
// epoch: nothing before the first epoch ends, then the epoch's number and
// the loss of the model as that epoch left it; a run not asking gets none.
func TestSetLossAfterEachEpoch(t *testing.T) {
	e, events := trainingEngine()
	start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 50, Epochs: 3, Seed: 1, SetLoss: true})
	epochs := map[int]float64{}
	var last protocol.Progress
	for p := waitFor(t, events, protocol.Running, protocol.Done); ; p = waitFor(t, events, protocol.Running, protocol.Done) {
		if p.SetEpoch > 0 {
			epochs[p.SetEpoch] = p.SetLoss.Total
		} else if p.Epoch > 1 {
			t.Fatalf("epoch %d under way and no test-set loss yet", p.Epoch)
		}
		if last = p; p.State == protocol.Done {
			break
		}
	}
	if last.SetEpoch != 3 || len(epochs) < 2 {
		t.Fatalf("test-set losses after epochs %v; the run ended with epoch %d's", epochs, last.SetEpoch)
	}
	mod, _ := e.model(protocol.TrainedSlot)
	_, test := e.loaded()
	if want := analysis.SetLoss(mod, test).Total; last.SetLoss.Total != want {
		t.Errorf("the last test-set loss is %v; the trained model's is %v", last.SetLoss.Total, want)
	}
	if !(epochs[3] < epochs[1]) {
		t.Errorf("the test-set loss went %v: it should fall", epochs)
	}

	start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, LR: 1e-3, Batch: 50, Epochs: 2, Seed: 1})
	if p := waitFor(t, events, protocol.Done); p.SetEpoch != 0 {
		t.Errorf("a run that did not ask got a test-set loss after epoch %d", p.SetEpoch)
	}
}
