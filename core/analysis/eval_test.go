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

// The confusion matrix counts every image once, in the cell of its label
// and its reading; its diagonal is the accuracy; its examples are the
// first images of each cell.
func TestConfusionOf(t *testing.T) {
	s := set(evalChunk + 23)
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 16, Hidden: []int{4}, Classes: 3, Activation: "relu"}, rand.New(rand.NewPCG(5, 5)))
	if err != nil {
		t.Fatal(err)
	}
	m := ConfusionOf(c, s, 2)
	pred := make([]int, 1)
	counts := [3][3]int{}
	first := [3][3][]int{}
	for i := range s.N {
		c.Predict(tensor.FromSlice(1, 16, append([]float32(nil), s.Image(i)...)), pred)
		l := s.Labels[i]
		counts[l][pred[0]]++
		if len(first[l][pred[0]]) < 2 {
			first[l][pred[0]] = append(first[l][pred[0]], i)
		}
	}
	for i := range 3 {
		for j := range 3 {
			if m.Counts[i][j] != counts[i][j] || len(m.Examples[i][j]) != len(first[i][j]) {
				t.Fatalf("cell %d,%d: %d digits %v, want %d %v", i, j, m.Counts[i][j], m.Examples[i][j], counts[i][j], first[i][j])
			}
			for k, d := range first[i][j] {
				if m.Examples[i][j][k] != d {
					t.Fatalf("cell %d,%d: examples %v, want %v", i, j, m.Examples[i][j], first[i][j])
				}
			}
		}
	}
	if m.Accuracy != Accuracy(c, s) {
		t.Fatalf("accuracy %v, Accuracy says %v", m.Accuracy, Accuracy(c, s))
	}
}

// Loss is a VAE's own loss on the batch, an autoencoder's mean squared
// error per pixel, a classifier's mean −log p(label).
func TestLoss(t *testing.T) {
	s := set(20)
	x, ls := s.First(20)
	rng := rand.New(rand.NewPCG(6, 6))
	v, _ := models.NewVAE(models.VAEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2}, rng)
	if got, want := Loss(v, x, ls), v.Loss(x, ls, rand.New(rand.NewPCG(1, 1))); got != want {
		t.Fatalf("VAE: %+v, want %+v", got, want)
	}
	a, _ := models.NewAutoencoder(models.AEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2}, rng)
	if got, want := Loss(a, x, ls).Total, EvaluateAE(a, s).MSE; math.Abs(got-want) > 1e-9 {
		t.Fatalf("AE: %v, want %v", got, want)
	}
	c, _ := models.NewClassifier(models.ClassifierConfig{Inputs: 16, Hidden: []int{4}, Classes: 3, Activation: "relu"}, rng)
	p := c.Probabilities(x)
	var want float64
	for i, l := range ls {
		want -= math.Log(float64(p.At(i, int(l)))) / float64(len(ls))
	}
	if got := Loss(c, x, ls).Total; math.Abs(got-want) > 1e-6 {
		t.Fatalf("classifier: %v, want %v", got, want)
	}
}

// SetLoss over a set longer than a chunk is the images' mean: the same as
// Loss on the images one at a time, averaged (an autoencoder and a
// classifier have no randomness to differ by).
func TestSetLoss(t *testing.T) {
	s := set(evalChunk + 11)
	rng := rand.New(rand.NewPCG(7, 7))
	a, _ := models.NewAutoencoder(models.AEConfig{Inputs: 16, Hidden: []int{8}, Latent: 2}, rng)
	c, _ := models.NewClassifier(models.ClassifierConfig{Inputs: 16, Hidden: []int{4}, Classes: 3, Activation: "relu"}, rng)
	for name, m := range map[string]models.Model{"autoencoder": a, "classifier": c} {
		var want float64
		for i := range s.N {
			x := tensor.FromSlice(1, 16, append([]float32(nil), s.Image(i)...))
			want += Loss(m, x, s.Labels[i:i+1]).Total / float64(s.N)
		}
		if got := SetLoss(m, s).Total; math.Abs(got-want) > 1e-6*math.Max(1, want) {
			t.Errorf("%s: %v over the set, want the images' mean %v", name, got, want)
		}
	}
}
