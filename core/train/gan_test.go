package train

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
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
	g := toyGAN(t, 0)
	set := toySet(100, 1)
	set.Pixels[7] = float32(math.Inf(1))
	run, err := Adversarial(g, set, ganSettings)
	if err != nil {
		t.Fatal(err)
	}
	err = run.Run(context.Background(), time.Hour, nil)
	var de *DivergedError
	if !errors.As(err, &de) {
		t.Fatalf("Run = %v, want a DivergedError", err)
	}
	if !nn.AllFinite(g.Params()) {
		t.Fatal("the weights were left NaN or infinite")
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
