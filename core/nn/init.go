package nn

import (
	"math"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// Init fills a fanIn×fanOut weight matrix with random starting values.
type Init func(w *tensor.Mat, fanIn, fanOut int, rng *rand.Rand)

// Xavier draws from U(−a, a) with a = √(6/(in+out)), keeping the variance
// of activations and gradients equal across tanh or sigmoid layers
// (Glorot & Bengio 2010).
func Xavier(w *tensor.Mat, fanIn, fanOut int, rng *rand.Rand) {
	a := math.Sqrt(6 / float64(fanIn+fanOut))
	for i := range w.Data {
		w.Data[i] = float32((2*rng.Float64() - 1) * a)
	}
}

// He draws from N(0, 2/in), which keeps the variance steady through ReLU
// layers that zero half their inputs (He et al. 2015).
func He(w *tensor.Mat, fanIn, fanOut int, rng *rand.Rand) {
	s := math.Sqrt(2 / float64(fanIn))
	for i := range w.Data {
		w.Data[i] = float32(rng.NormFloat64() * s)
	}
}

// FanIn draws from U(−1/√in, 1/√in), PyTorch's default for nn.Linear
// (Kaiming-uniform with a = √5), so a model set up like a PyTorch example
// starts where that example starts.
func FanIn(w *tensor.Mat, fanIn, fanOut int, rng *rand.Rand) {
	a := 1 / math.Sqrt(float64(fanIn))
	for i := range w.Data {
		w.Data[i] = float32((2*rng.Float64() - 1) * a)
	}
}

// InitFor picks the initialiser that suits an activation: He for the
// ReLU family, Xavier for the rest.
func InitFor(a Activation) Init {
	if a.Name == ReLU.Name || len(a.Name) >= 10 && a.Name[:10] == "leaky-relu" {
		return He
	}
	return Xavier
}
