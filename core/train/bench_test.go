package train

import (
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
)

// BenchmarkMLPStep times one training step of the shipped classifier's
// shape (784-512-256-10, dropout, Adam) on a batch of 128 MNIST-like images
// (80% background, as in MNIST), and reports samples/s.
func BenchmarkMLPStep(b *testing.B) {
	const batch = 128
	rng := rand.New(rand.NewPCG(1, 1))
	set := &data.Set{N: batch, Rows: 28, Cols: 28, Pixels: make([]float32, batch*784), Labels: make([]uint8, batch)}
	for i := range set.Pixels {
		if rng.Float64() < 0.2 {
			set.Pixels[i] = rng.Float32()
		}
	}
	for i := range set.Labels {
		set.Labels[i] = uint8(rng.IntN(10))
	}
	c, err := models.NewClassifier(models.MNISTClassifier, rng)
	if err != nil {
		b.Fatal(err)
	}
	opt := nn.NewAdam(1e-3)
	batcher := NewBatcher(set, batch, 0, 1)
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i
	}
	params := c.Params()
	step := func() {
		x, labels := batcher.Load(idx)
		c.Gradient(x, labels)
		opt.Step(params)
	}
	step() // warm up: buffers are sized on the first pass
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkVAEStep times one training step of the VAE TensorFlow.js is
// measured on (784-400-20-400-784, ReLU, batch 128, Adam, BCE on logits +
// KL), on MNIST-like images.
func BenchmarkVAEStep(b *testing.B) {
	const batch = 128
	rng := rand.New(rand.NewPCG(1, 1))
	set := &data.Set{N: batch, Rows: 28, Cols: 28, Pixels: make([]float32, batch*784), Labels: make([]uint8, batch)}
	for i := range set.Pixels {
		if rng.Float64() < 0.2 {
			set.Pixels[i] = rng.Float32()
		}
	}
	v, err := models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: []int{400}, Latent: 20}, rng)
	if err != nil {
		b.Fatal(err)
	}
	opt := nn.NewAdam(1e-3)
	batcher := NewBatcher(set, batch, 0, 1)
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i
	}
	params := v.Params()
	step := func() {
		x, labels := batcher.Load(idx)
		v.Gradient(x, labels)
		opt.Step(params)
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/step")
}

// BenchmarkAEStep times one training step of the autoencoder ConvNetJS is
// measured on (784-400-20-400-784, ReLU, batch 128, Adam).
func BenchmarkAEStep(b *testing.B) {
	const batch = 128
	rng := rand.New(rand.NewPCG(1, 1))
	set := &data.Set{N: batch, Rows: 28, Cols: 28, Pixels: make([]float32, batch*784), Labels: make([]uint8, batch)}
	for i := range set.Pixels {
		if rng.Float64() < 0.2 {
			set.Pixels[i] = rng.Float32()
		}
	}
	a, err := models.NewAutoencoder(models.AEConfig{Inputs: 784, Hidden: []int{400}, Latent: 20}, rng)
	if err != nil {
		b.Fatal(err)
	}
	opt := nn.NewAdam(1e-3)
	batcher := NewBatcher(set, batch, 0, 1)
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i
	}
	params := a.Params()
	step := func() {
		x, labels := batcher.Load(idx)
		a.Gradient(x, labels)
		opt.Step(params)
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/step")
}
