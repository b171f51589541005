package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/models"
	"latentplay/core/tensor"
)

func tinyJudge(t *testing.T) *models.Classifier {
	t.Helper()
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 6, Hidden: []int{8, 5}, Classes: 4, Activation: "relu", Dropout: 0.3}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func randomImages(n, d int, seed uint64) *tensor.Mat {
	rng := rand.New(rand.NewPCG(seed, 2))
	x := tensor.New(n, d)
	for i := range x.Data {
		x.Data[i] = rng.Float32()
	}
	return x
}

func TestReadSamples(t *testing.T) {
	c := tinyJudge(t)
	x := randomImages(1203, 6, 1) // more than one chunk
	read := make([]int, x.Rows)
	c.Predict(x, read)
	own, other := make([]uint8, x.Rows), make([]uint8, x.Rows)
	for i, k := range read {
		own[i], other[i] = uint8(k), uint8((k+1)%4)
	}
	f, err := ReadSamples(c, x, own)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	lowest := 1.0
	for _, s := range f.Shares {
		sum += s
		lowest = min(lowest, s)
	}
	if math.Abs(sum-1) > 1e-12 || f.MinShare != lowest || len(f.Shares) != 4 {
		t.Errorf("shares %v sum to %g, min share %g", f.Shares, sum, f.MinShare)
	}
	if f.LabelAccuracy != 1 {
		t.Errorf("asked for what it reads: label accuracy %g, want 1", f.LabelAccuracy)
	}
	if !(f.Confidence >= 0.25 && f.Confidence <= 1) {
		t.Errorf("confidence %g outside [1/4, 1]", f.Confidence)
	}
	g, _ := ReadSamples(c, x, other)
	if g.LabelAccuracy != 0 || g.Confidence != f.Confidence {
		t.Errorf("asked for another class: label accuracy %g (want 0), confidence %g (want %g)", g.LabelAccuracy, g.Confidence, f.Confidence)
	}
	if _, err := ReadSamples(c, randomImages(3, 5, 1), nil); err == nil {
		t.Error("images of the wrong width gave no error")
	}
	if _, err := ReadSamples(c, x, own[:3]); err == nil {
		t.Error("too few labels gave no error")
	}
}

// LastHidden is the last hidden stage Layers keeps.
func TestLastHiddenIsLayersLastHidden(t *testing.T) {
	c := tinyJudge(t)
	x := randomImages(700, 6, 4)
	h, err := LastHidden(c, x)
	if err != nil {
		t.Fatal(err)
	}
	ls := Layers(c, x)
	want := ls[len(ls)-2].Values
	if h.Rows != want.Rows || h.Cols != want.Cols {
		t.Fatalf("%d×%d, want %d×%d", h.Rows, h.Cols, want.Rows, want.Cols)
	}
	for i, v := range want.Data {
		if h.Data[i] != v {
			t.Fatalf("value %d = %g, Layers gives %g", i, h.Data[i], v)
		}
	}
}

func TestSamplesAskForEveryClassEvenly(t *testing.T) {
	g, err := models.NewGAN(models.GANConfig{Inputs: 6, Hidden: []int{5}, Latent: 3, Classes: 4, Slope: 0.2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	x, asked := Samples(g, 1000, rand.New(rand.NewPCG(5, 5)))
	if x.Rows != 1000 || x.Cols != 6 || len(asked) != 1000 {
		t.Fatalf("%d×%d samples, %d labels", x.Rows, x.Cols, len(asked))
	}
	count := make([]int, 4)
	for _, l := range asked {
		count[l]++
	}
	for k, n := range count {
		if n != 250 {
			t.Errorf("class %d asked for %d times, want 250", k, n)
		}
	}
	y, _ := Samples(g, 1000, rand.New(rand.NewPCG(5, 5)))
	for i, v := range x.Data {
		if y.Data[i] != v {
			t.Fatal("the same seed drew other samples")
		}
	}
	v, _ := models.NewVAE(models.VAEConfig{Inputs: 6, Hidden: []int{5}, Latent: 2}, rand.New(rand.NewPCG(1, 1)))
	if _, asked := Samples(v, 10, rand.New(rand.NewPCG(1, 1))); asked != nil {
		t.Error("labels asked of a model that takes none")
	}
}

func TestCodesOfAGANAreAnError(t *testing.T) {
	g, err := models.NewGAN(models.GANConfig{Inputs: 16, Hidden: []int{5}, Latent: 3, Slope: 0.2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var ne *models.NoEncoderError
	if _, err := CodeNeighbourAccuracy(g, set(20), 10, 3); !errors.As(err, &ne) {
		t.Fatal("codes of a GAN measured")
	}
}
