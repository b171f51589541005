package models

import (
	"math/rand/v2"
	"testing"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// BenchmarkVAEStepParts times the parts of one training step of the VAE
// TensorFlow.js is measured on (784-400-20-400-784, ReLU, batch 128, BCE
// on logits + KL, Adam) one by one, on MNIST-like images (80% background):
// where the step's time goes. The parts run in the order a step runs them,
// so each sees the buffers and zeros the step would.
func BenchmarkVAEStepParts(b *testing.B) {
	const batch = 128
	rng := rand.New(rand.NewPCG(1, 1))
	v, err := NewVAE(VAEConfig{Inputs: 784, Hidden: []int{400}, Latent: 20}, rng)
	if err != nil {
		b.Fatal(err)
	}
	x := tensor.New(batch, 784)
	for i := range x.Data {
		if rng.Float64() < 0.2 {
			x.Data[i] = rng.Float32()
		}
	}
	opt := nn.NewAdam(1e-3)
	params := v.Params()
	v.Gradient(x, nil) // sizes every buffer
	opt.Step(params)
	logits := v.sampleForward(x, nil, v.Noise)
	dlogits := tensor.New(batch, 784)
	nn.BCEWithLogits.Eval(logits, x, dlogits)
	for _, part := range []struct {
		name string
		run  func()
	}{
		{"encode", func() { v.encode(x, nil) }},
		{"decode", func() { v.decode(v.z, nil) }},
		{"loss", func() { nn.BCEWithLogits.Eval(logits, x, dlogits) }},
		{"decoder-backward", func() { v.Dec.Backward(dlogits) }},
		{"encoder-backward", func() { v.Enc.BackwardParams(v.Head.Backward(v.dstats)) }},
		{"adam", func() { opt.Step(params) }},
		{"step", func() { v.Gradient(x, nil); opt.Step(params) }},
	} {
		b.Run(part.name, func(b *testing.B) {
			for b.Loop() {
				part.run()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms")
		})
	}
}
