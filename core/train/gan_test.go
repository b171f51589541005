package train

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"latentplay/core/models"
	"latentplay/core/nn"
)

func toyGAN(t *testing.T, classes int) *models.GAN {
	t.Helper()
	g, err := models.NewGAN(models.GANConfig{Inputs: 16, Hidden: []int{12, 8}, Latent: 4, Classes: classes, Slope: 0.2, Dropout: 0.3}, rand.New(rand.NewPCG(7, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

var ganSettings = Settings{Epochs: 3, Batch: 16, LR: 2e-3, Optimizer: "adam", Beta1: 0.5, Seed: 2}

// The same seed trains the same GAN: dropout masks, z and batches all
// come from it.
func TestAdversarialIsReproducible(t *testing.T) {
	var weights [2][]float32
	for i := range weights {
		g := toyGAN(t, 4)
		run, err := Adversarial(g, toySet(100, 1), ganSettings)
		if err != nil {
			t.Fatal(err)
		}
		if err := run.Run(context.Background(), time.Hour, nil); err != nil {
			t.Fatal(err)
		}
		for _, p := range g.Params() {
			weights[i] = append(weights[i], p.Value.Data...)
		}
		if !(run.Epoch.D > 0 && run.Epoch.G > 0) || run.Progress().EpochLoss.Total != run.Epoch.D+run.Epoch.G {
			t.Fatalf("epoch losses %+v, the loop's %+v", run.Epoch, run.Progress().EpochLoss)
		}
	}
	for j := range weights[0] {
		if weights[0][j] != weights[1][j] {
			t.Fatalf("weight %d: %g in one run, %g in the other", j, weights[0][j], weights[1][j])
		}
	}
}

// A loss that blows up (here an infinite pixel) ends the run with a
// DivergedError and both players' weights from before it.
func TestAdversarialKeepsLastGoodWeights(t *testing.T) {
	for _, average := range []float64{0, 0.9} {
		g := toyGAN(t, 0)
		set := toySet(100, 1)
		set.Pixels[7] = float32(math.Inf(1))
		s := ganSettings
		s.Average = average
		run, err := Adversarial(g, set, s)
		if err != nil {
			t.Fatal(err)
		}
		err = run.Run(context.Background(), time.Hour, nil)
		var de *DivergedError
		if !errors.As(err, &de) {
			t.Fatalf("Run = %v, want a DivergedError", err)
		}
		run.UseAverage() // the average of the good steps only
		if !nn.AllFinite(g.Params()) {
			t.Fatalf("average %g: the weights were left NaN or infinite", average)
		}
	}
}

func TestAdversarialRejectsBadSettings(t *testing.T) {
	g := toyGAN(t, 0)
	for _, s := range []Settings{
		{Epochs: 1, Batch: 16, LR: 2e-4, Optimizer: "adam", Beta1: 1},
		{Epochs: 1, Batch: 16, LR: 2e-4, Optimizer: "adam", Beta1: -0.5},
		{Epochs: 1, Batch: 16, LR: 2e-4, Optimizer: "sgd", Beta1: 0.5},
		{Epochs: 1, Batch: 0, LR: 2e-4, Optimizer: "adam"},
		{Epochs: 1, Batch: 16, LR: 0, Optimizer: "adam"},
		{Epochs: 0, Batch: 16, LR: 2e-4, Optimizer: "adam"},
		{Epochs: 1, Batch: 16, LR: 2e-4, Optimizer: "rmsprop"},
		{Epochs: 1, Batch: 16, LR: 2e-4, Optimizer: "adam", Average: 1},
		{Epochs: 1, Batch: 16, LR: 2e-4, Optimizer: "adam", Average: -0.1},
	} {
		if _, err := Adversarial(g, toySet(10, 1), s); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
	small, _ := models.NewGAN(models.GANConfig{Inputs: 9, Hidden: []int{4}, Latent: 2, Slope: 0.2}, rand.New(rand.NewPCG(1, 1)))
	if _, err := Adversarial(small, toySet(10, 1), ganSettings); err == nil {
		t.Error("16-pixel images for a 9-input GAN: no error")
	}
}

// The settings' β₁ reaches Adam; 0 leaves the paper's 0.9.
func TestBeta1ReachesAdam(t *testing.T) {
	opt, err := Settings{LR: 1e-3, Optimizer: "adam", Beta1: 0.5}.optimizer()
	if err != nil {
		t.Fatal(err)
	}
	if a := opt.(*nn.Adam); a.Beta1 != 0.5 {
		t.Fatalf("β₁ = %g, want 0.5", a.Beta1)
	}
	opt, _ = Settings{LR: 1e-3, Optimizer: "adam"}.optimizer()
	if a := opt.(*nn.Adam); a.Beta1 != 0.9 {
		t.Fatalf("default β₁ = %g, want 0.9", a.Beta1)
	}
}

// With Settings.Average, UseAverage gives the generator the moving
// average of its weights over the steps, avg ← d·avg + (1 − d)·θ from 0,
// divided by 1 − dⁿ after n steps, computed here from the weights after
// each step; the discriminator keeps its last step's. WithAverage shows
// the same weights for a while and gives the generator its own back.
func TestGANGeneratorAverage(t *testing.T) {
	const d = 0.75
	g := toyGAN(t, 0)
	s := ganSettings
	s.Average = d
	run, err := Adversarial(g, toySet(100, 1), s)
	if err != nil {
		t.Fatal(err)
	}
	weights := func(ps []*nn.Param) []float64 {
		var w []float64
		for _, p := range ps {
			for _, v := range p.Value.Data {
				w = append(w, float64(v))
			}
		}
		return w
	}
	want := make([]float64, len(weights(g.GenParams())))
	steps := 0
	for ; ; steps++ {
		done, err := run.Next()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range weights(g.GenParams()) {
			want[i] = d*want[i] + (1-d)*v
		}
		if done {
			if steps+1 != 3*7 {
				t.Fatalf("%d steps, want 21", steps+1)
			}
			break
		}
	}
	for i := range want {
		want[i] /= 1 - math.Pow(d, float64(steps+1))
	}
	last, dis := weights(g.GenParams()), weights(g.DisParams())
	var during []float64
	run.WithAverage(func() { during = weights(g.GenParams()) })
	if after := weights(g.GenParams()); !slices.Equal(after, last) {
		t.Fatal("WithAverage left the average in the generator")
	}
	run.UseAverage()
	got := weights(g.GenParams())
	if !slices.Equal(got, during) {
		t.Fatal("WithAverage and UseAverage show different weights")
	}
	var moved float64
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-5*(1+math.Abs(want[i])) {
			t.Fatalf("weight %d: %g, want the average %g", i, got[i], want[i])
		}
		moved = math.Max(moved, math.Abs(got[i]-last[i]))
	}
	if moved == 0 {
		t.Error("the average is the last step's weights")
	}
	for i, v := range weights(g.DisParams()) {
		if v != dis[i] {
			t.Fatalf("the discriminator's weight %d changed", i)
		}
	}
}
