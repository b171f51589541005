package nn

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Activation is a scalar function f with its derivative. D receives both
// the input x and the output y = f(x) so each derivative can use whichever
// is cheaper (σ′ = y(1−y), tanh′ = 1−y²).
//
// Apply, when set, is F over a whole slice (dst[i] = F(src[i])) written
// as one loop: under wasm a call per element costs more than the
// arithmetic of the cheap activations. Backprop, likewise, is the
// backward pass over whole slices, dx[i] = dy[i]·D(x[i], y[i]), for an
// activation whose D needs x alone.
type Activation struct {
	Name     string
	F        func(x float32) float32
	D        func(x, y float32) float32
	Apply    func(dst, src []float32)
	Backprop func(dx, dy, x []float32)
}

// Step is the perceptron's threshold: 1 if x ≥ 0, else 0. Its derivative is
// 0 wherever it exists, which is why perceptrons learn by the perceptron
// rule and not by gradient descent.
var Step = Activation{
	Name: "step",
	F: func(x float32) float32 {
		if x >= 0 {
			return 1
		}
		return 0
	},
	D: func(x, y float32) float32 { return 0 },
}

// Sigmoid is σ(x) = 1/(1+e^−x), a smooth step; σ′ = σ(1−σ).
var Sigmoid = Activation{
	Name:  "sigmoid",
	F:     sigmoid,
	D:     func(x, y float32) float32 { return y * (1 - y) },
	Apply: Sigmoids,
}

// Tanh is tanh(x) = 2σ(2x)−1; tanh′ = 1−tanh².
var Tanh = Activation{
	Name: "tanh",
	F:    func(x float32) float32 { return float32(math.Tanh(float64(x))) },
	D:    func(x, y float32) float32 { return 1 - y*y },
}

// ReLU is max(0, x) (Nair & Hinton 2010).
var ReLU = Activation{
	Name: "relu",
	F: func(x float32) float32 {
		if x > 0 {
			return x
		}
		return 0
	},
	D: func(x, y float32) float32 {
		if x > 0 {
			return 1
		}
		return 0
	},
	Apply:    relus,
	Backprop: reluGrads,
}

// reluScalar sets dst[i] = max(0, src[i]), a NaN giving 0 as F does; relus
// runs it, eight at a time where AVX2 is built in (lanes_amd64.go), four
// under WebAssembly SIMD (lanes_simd.go).
func reluScalar(dst, src []float32) {
	dst = dst[:len(src)]
	for i, x := range src {
		if x > 0 {
			dst[i] = x
		} else {
			dst[i] = 0
		}
	}
}

// reluGradScalar sets dx[i] = dy[i]·ReLU′(x[i]), ReLU′ being 1 where
// x > 0 and 0 elsewhere (a NaN included), multiplied out as the layer
// does with D, so a NaN or infinity in dy still gives NaN; reluGrads runs
// it, four at a time under WebAssembly SIMD (lanes_simd.go).
func reluGradScalar(dx, dy, x []float32) {
	dy, x = dy[:len(dx)], x[:len(dx)]
	for i, g := range dy {
		if x[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = g * 0
		}
	}
}

// Identity is f(x) = x: a linear unit.
var Identity = Activation{
	Name: "identity",
	F:    func(x float32) float32 { return x },
	D:    func(x, y float32) float32 { return 1 },
}

// LeakyReLU is x for x > 0 and αx otherwise (Maas et al. 2013), so units
// that fall below zero still receive a gradient.
func LeakyReLU(alpha float32) Activation {
	return Activation{
		Name: "leaky-relu:" + strconv.FormatFloat(float64(alpha), 'g', -1, 32),
		F: func(x float32) float32 {
			if x > 0 {
				return x
			}
			return alpha * x
		},
		D: func(x, y float32) float32 {
			if x > 0 {
				return 1
			}
			return alpha
		},
		Apply: func(dst, src []float32) {
			dst = dst[:len(src)]
			for i, x := range src {
				if x > 0 {
					dst[i] = x
				} else {
					dst[i] = alpha * x
				}
			}
		},
	}
}

func sigmoid(x float32) float32 {
	// Written in two halves so e^x never overflows.
	if x >= 0 {
		return float32(1 / (1 + math.Exp(-float64(x))))
	}
	e := math.Exp(float64(x))
	return float32(e / (1 + e))
}

// Activations lists the activations by name; "leaky-relu" stands for
// LeakyReLU(0.01), and "leaky-relu:α" for any other slope.
var Activations = []Activation{Step, Sigmoid, Tanh, ReLU, LeakyReLU(0.01), Identity}

// ActivationByName returns the activation called name.
func ActivationByName(name string) (Activation, error) {
	if name == "leaky-relu" {
		return LeakyReLU(0.01), nil
	}
	if s, ok := strings.CutPrefix(name, "leaky-relu:"); ok {
		a, err := strconv.ParseFloat(s, 32)
		if err != nil || math.IsNaN(a) || a < 0 || a >= 1 {
			return Activation{}, fmt.Errorf("nn: leaky ReLU slope %q: want a number in [0, 1)", s)
		}
		return LeakyReLU(float32(a)), nil
	}
	for _, a := range Activations {
		if a.Name == name {
			return a, nil
		}
	}
	return Activation{}, fmt.Errorf("nn: unknown activation %q", name)
}
