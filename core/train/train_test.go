package train

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"latentplay/core/analysis"
	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// toySet is a learnable 4×4 "image" set: the class is the brightest quadrant.
func toySet(n int, seed uint64) *data.Set {
	rng := rand.New(rand.NewPCG(seed, 3))
	s := &data.Set{N: n, Rows: 4, Cols: 4, Pixels: make([]float32, n*16), Labels: make([]uint8, n)}
	for i := range n {
		q := rng.IntN(4)
		img := s.Pixels[i*16 : (i+1)*16]
		for p := range img {
			img[p] = rng.Float32() * 0.3
			r, c := p/4, p%4
			if (r/2)*2+c/2 == q {
				img[p] += 0.6
			}
		}
		s.Labels[i] = uint8(q)
	}
	return s
}

func toyClassifier(seed uint64) *models.Classifier {
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 16, Hidden: []int{12}, Classes: 4, Activation: "relu"}, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		panic(err)
	}
	return c
}

func TestClassifierLearnsAndReportsProgress(t *testing.T) {
	set := toySet(400, 1)
	c := toyClassifier(1)
	before := analysis.Accuracy(c, set)
	loop, err := Model(c, set, Settings{Epochs: 20, Batch: 32, LR: 0.01, Optimizer: "adam", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var reports []Progress
	if err := loop.Run(context.Background(), 0, func(p Progress) { reports = append(reports, p) }); err != nil {
		t.Fatal(err)
	}
	after := analysis.Accuracy(c, set)
	if after < 0.95 || after <= before {
		t.Fatalf("accuracy %.3f → %.3f, want ≥ 0.95", before, after)
	}
	if n := len(reports); n != 20*13 {
		t.Fatalf("%d progress reports, want one per step (260)", n)
	}
	for i, r := range reports {
		// Between epochs the report carries the finished epoch's mean, never a 0.
		if !(r.EpochLoss.Total > 0) {
			t.Fatalf("report %d (epoch %d, step %d) has epoch loss %v", i, r.Epoch, r.Step, r.EpochLoss.Total)
		}
	}
	first, last := reports[0], reports[len(reports)-1]
	if last.Samples != 20*400 || last.Epoch != 20 || last.Step != last.Steps {
		t.Fatalf("last report %+v", last)
	}
	if !(last.EpochLoss.Total < first.EpochLoss.Total/2) {
		t.Fatalf("epoch loss %.3f → %.3f did not halve", first.EpochLoss.Total, last.EpochLoss.Total)
	}
}

func TestSameSeedSameModel(t *testing.T) {
	set := toySet(100, 2)
	run := func() []float32 {
		c := toyClassifier(5)
		loop, _ := Model(c, set, Settings{Epochs: 2, Batch: 16, LR: 0.01, Optimizer: "momentum", Shift: 1, Seed: 9})
		if err := loop.Run(context.Background(), time.Hour, nil); err != nil {
			t.Fatal(err)
		}
		return c.Params()[0].Value.Clone().Data
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("weight %d differs between runs with one seed: %v vs %v", i, a[i], b[i])
		}
	}
}

func TestDivergenceStopsAndKeepsLastGoodWeights(t *testing.T) {
	// Linear regression by gradient descent multiplies its error by
	// |1 − η·λ| each step, λ the curvature: with η = 5 and λ ≈ 2 it doubles
	// and then some, until the loss overflows.
	rng := rand.New(rand.NewPCG(1, 1))
	layer := nn.NewDense("lin", 3, 1, nn.Xavier, rng)
	x := tensor.New(8, 3)
	y := tensor.New(8, 1)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	grad := tensor.New(8, 1)
	opt := &nn.SGD{LR: 5}
	loop := &Loop{N: 8, Batch: 8, Epochs: 10000, Params: layer.Params(), SnapshotEvery: 5}
	var losses []float64
	loop.Step = func(idx []int) (models.Losses, error) {
		loss := nn.MSE.Eval(layer.Forward(x), y, grad)
		layer.Backward(grad)
		opt.Step(layer.Params())
		losses = append(losses, loss)
		return models.Losses{Total: loss}, nil
	}
	err := loop.Run(context.Background(), time.Hour, nil)
	var de *DivergedError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a DivergedError", err)
	}
	if !nn.AllFinite(layer.Params()) {
		t.Fatal("the weights were left NaN or infinite")
	}
	if !loop.Done() {
		t.Fatal("the loop can go on after diverging")
	}
	if len(losses) < 10 || losses[5] < 100*losses[0] {
		t.Fatalf("losses %v do not show a blow-up", losses[:min(len(losses), 8)])
	}
}

func TestStopByContext(t *testing.T) {
	set := toySet(100, 4)
	c := toyClassifier(3)
	loop, _ := Model(c, set, Settings{Epochs: 1000, Batch: 10, LR: 0.01, Optimizer: "adam", Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	err := loop.Run(ctx, 0, func(p Progress) {
		if steps++; steps == 5 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || loop.Progress().Samples != 50 {
		t.Fatalf("Run = %v after %d samples, want cancelled after 50", err, loop.Progress().Samples)
	}
}

func TestSettingsRejectAbsurdValues(t *testing.T) {
	set := toySet(10, 5)
	for _, s := range []Settings{
		{Epochs: 1, Batch: 8, LR: -1, Optimizer: "adam"},
		{Epochs: 1, Batch: 8, LR: 1e9, Optimizer: "adam"},
		{Epochs: 0, Batch: 8, LR: 0.1, Optimizer: "adam"},
		{Epochs: 1, Batch: 0, LR: 0.1, Optimizer: "adam"},
		{Epochs: 1, Batch: 8, LR: 0.1, Optimizer: "rmsprop"},
		{Epochs: 1, Batch: 8, LR: 0.1, Optimizer: "adam", Shift: 99},
	} {
		if _, err := Model(toyClassifier(1), set, s); err == nil {
			t.Errorf("settings %+v accepted", s)
		}
	}
}
