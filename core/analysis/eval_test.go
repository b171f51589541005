package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

// set is a small labelled image set, larger than one evaluation chunk so
// the chunking is exercised.
func set(n int) *data.Set {
	rng := rand.New(rand.NewPCG(4, 4))
	s := &data.Set{N: n, Rows: 4, Cols: 4, Pixels: make([]float32, n*16), Labels: make([]uint8, n)}
	for i := range s.Pixels {
		if rng.Float64() < 0.4 {
			s.Pixels[i] = rng.Float32()
		}
	}
	for i := range s.Labels {
		s.Labels[i] = uint8(i % 3)
	}
	return s
}

func TestEvaluateVAE(t *testing.T) {
	s := set(evalChunk + 37)
	v, err := models.NewVAE(models.VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	f := EvaluateVAE(v, s, 20, 100, 1)
	if math.Abs(f.Loss-(f.Recon+f.KL)) > 1e-9 || f.KL <= 0 || f.Recon <= 0 {
		t.Fatalf("figures %+v: want loss = recon + KL, both positive", f)
	}
	if f.IWK != 20 || f.IWImages != 100 {
		t.Fatalf("IW over %d samples of %d images", f.IWK, f.IWImages)
	}
	// −log p(x) estimated with importance samples is below the negative ELBO.
	if !(f.IWNLL < f.Loss) {
		t.Fatalf("IW estimate %.3f not below the negative ELBO %.3f", f.IWNLL, f.Loss)
	}
	if again := EvaluateVAE(v, s, 0, 0, 1); again.Loss != f.Loss {
		t.Fatalf("one seed gave %v then %v", f.Loss, again.Loss)
	}
}

func TestEvaluateAEAgainstHandComputedMSE(t *testing.T) {
	s := set(evalChunk + 3)
	a, err := models.NewAutoencoder(models.AEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2}, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for i := range s.N {
		x := tensor.FromSlice(1, 16, append([]float32(nil), s.Image(i)...))
		for j, v := range a.Reconstruct(x).Data {
			d := float64(v - x.Data[j])
			sum += d * d
		}
	}
	want := sum / float64(s.N*16)
	if got := EvaluateAE(a, s).MSE; math.Abs(got-want) > 1e-9 {
		t.Fatalf("MSE %v, want %v", got, want)
	}
}

func TestAccuracy(t *testing.T) {
	s := set(evalChunk + 11)
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 16, Hidden: []int{4}, Classes: 3, Activation: "relu"}, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	pred := make([]int, 1)
	right := 0
	for i := range s.N {
		c.Predict(tensor.FromSlice(1, 16, append([]float32(nil), s.Image(i)...)), pred)
		if pred[0] == int(s.Labels[i]) {
			right++
		}
	}
	if got, want := Accuracy(c, s), float64(right)/float64(s.N); got != want {
		t.Fatalf("accuracy %v, want %v", got, want)
	}
}
