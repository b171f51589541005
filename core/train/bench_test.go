package train

import (
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
)

// BenchmarkMLPStep times one training step of the shipped classifier's
// shape (784-512-256-10, dropout, Adam) on a batch of 128 MNIST-like images
// (80% background, as in MNIST), and reports samples/s.
func BenchmarkMLPStep(b *testing.B) {
	benchStep(b, func(rng *rand.Rand) (models.Trainable, error) {
		return models.NewClassifier(models.MNISTClassifier, rng)
	})
	b.ReportMetric(float64(benchBatch*b.N)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkVAEStep times one training step of the VAE TensorFlow.js is
// measured on (784-400-20-400-784, ReLU, batch 128, Adam, BCE on logits +
// KL).
func BenchmarkVAEStep(b *testing.B) {
	benchStep(b, func(rng *rand.Rand) (models.Trainable, error) {
		return models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: []int{400}, Latent: 20}, rng)
	})
}

// BenchmarkAEStep times one training step of the autoencoder ConvNetJS is
// measured on (784-400-20-400-784, ReLU, batch 128, Adam).
func BenchmarkAEStep(b *testing.B) {
	benchStep(b, func(rng *rand.Rand) (models.Trainable, error) {
		return models.NewAutoencoder(models.AEConfig{Inputs: 784, Hidden: []int{400}, Latent: 20}, rng)
	})
}

const benchBatch = 128

// benchStep times training steps (gradient and Adam update) of the model
// build makes, on one batch of MNIST-like images (80% background, as in
// MNIST) with random labels, after one untimed step sizes the buffers.
func benchStep(b *testing.B, build func(*rand.Rand) (models.Trainable, error)) {
	rng := rand.New(rand.NewPCG(1, 1))
	set := &data.Set{N: benchBatch, Rows: 28, Cols: 28, Pixels: make([]float32, benchBatch*784), Labels: make([]uint8, benchBatch)}
	for i := range set.Pixels {
		if rng.Float64() < 0.2 {
			set.Pixels[i] = rng.Float32()
		}
	}
	for i := range set.Labels {
		set.Labels[i] = uint8(rng.IntN(10))
	}
	m, err := build(rng)
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewReplica(m, set, Settings{Epochs: 1, Batch: benchBatch, LR: 1e-3, Optimizer: "adam", Seed: 1, Beta: 1})
	if err != nil {
		b.Fatal(err)
	}
	idx := make([]int, benchBatch)
	for i := range idx {
		idx[i] = i
	}
	step := func() {
		r.Gradient(1, idx, 0, benchBatch)
		r.Apply(1)
	}
	step()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		step()
	}
}
