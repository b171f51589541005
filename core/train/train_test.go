package train

import (
	"context"
	"errors"
	"math"
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
		{Epochs: 1, Batch: 8, LR: 0.1, Optimizer: "adam", HalfLife: -1},
		{Epochs: 1, Batch: 8, LR: 0.1, Optimizer: "adam", HalfLife: 1, FinalLR: 0.01},
	} {
		if _, err := Model(toyClassifier(1), set, s); err == nil {
			t.Errorf("settings %+v accepted", s)
		}
	}
}

// TestHalfLifeHalvesTheRatePerEpoch: with a half-life of h epochs the
// rate is LR at the first step, LR/2 after h epochs and LR/4 after 2h,
// however long the run; the optimiser takes the rate of its step.
func TestHalfLifeHalvesTheRatePerEpoch(t *testing.T) {
	const perEpoch = 40
	for _, h := range []float64{0.5, 1, 3} {
		s := Settings{LR: 8e-3, HalfLife: h}
		for _, total := range []int{10, 1000, 100000} {
			for _, c := range []struct {
				t    int
				want float64
			}{{0, 8e-3}, {int(h * perEpoch), 4e-3}, {int(2 * h * perEpoch), 2e-3}} {
				if got := s.rate(c.t, total, perEpoch); math.Abs(got-c.want) > 1e-12 {
					t.Errorf("half-life %g, run of %d steps: rate %g at step %d, want %g", h, total, got, c.t, c.want)
				}
			}
		}
	}
	if got := (Settings{LR: 8e-3}).rate(500, 1000, perEpoch); got != 8e-3 {
		t.Errorf("no schedule: rate %g at step 500, want 8e-3", got)
	}

	// A run of toy steps: Adam's rate after an epoch is half the first.
	set := toySet(32, 5)
	r, err := NewReplica(toyClassifier(1), set, Settings{Epochs: 3, Batch: 8, LR: 1e-2, Optimizer: "adam", Seed: 1, HalfLife: 1})
	if err != nil {
		t.Fatal(err)
	}
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7}
	r.Gradient(4, idx, 0, len(idx))
	r.Apply(4) // 32 images in batches of 8: step 4 begins the second epoch
	if got := r.opt.(*nn.Adam).LR; math.Abs(float64(got)-5e-3) > 1e-9 {
		t.Errorf("Adam's rate at the first step of the second epoch: %g, want 5e-3", got)
	}
}

// TestQuickVAEReaches110: the Train view's default recipe takes PyTorch
// examples/vae's VAE (784-400-20) to a test-set −ELBO below 110 nats in
// two epochs of MNIST, started from the mean image as the view starts it.
func TestQuickVAEReaches110(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on all of MNIST")
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Skip(err)
	}
	trainSet, testSet, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := QuickVAE
	m, err := models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: []int{400}, Latent: 20}, rand.New(rand.NewPCG(s.Seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	m.StartFromMean(trainSet.Mean())
	l, err := Model(m, trainSet, s)
	if err != nil {
		t.Fatal(err)
	}
	var after []float64 // the test-set −ELBO after each epoch
	l.EndEpoch = func(int) error {
		after = append(after, analysis.SetLoss(m, testSet).Total)
		return nil
	}
	if err := l.Run(context.Background(), time.Hour, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("test-set −ELBO after each epoch: %.1f nats", after)
	if len(after) != 2 || !(after[1] <= 110) || !(after[1] < after[0]) {
		t.Errorf("test-set −ELBO after each epoch %.2f, want ≤ 110 after the second", after)
	}
}
