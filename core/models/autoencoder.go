package models

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// Losses are a training batch's mean losses per example. For a VAE, Recon
// and KL are the two parts of the negative ELBO, always reported apart.
type Losses struct {
	Total float64 `json:"total"`
	Recon float64 `json:"recon,omitempty"`
	KL    float64 `json:"kl,omitempty"`
}

// Trainable is a model that can learn from batches of images.
type Trainable interface {
	Model
	// Gradient runs a training pass over the batch x (and its labels, for
	// models that use them), adds ∂L/∂θ into the parameters' gradients and
	// returns the batch's losses. The caller's optimiser applies the update.
	Gradient(x *tensor.Mat, labels []uint8) Losses
}

// AEConfig describes an autoencoder: a deep one (ReLU hidden layers, a
// linear code of Latent units, sigmoid output trained with binary
// cross-entropy), or with Linear set the linear autoencoder x̂ = U·V·x.
type AEConfig struct {
	Inputs int   `json:"inputs"`
	Hidden []int `json:"hidden,omitempty"`
	Latent int   `json:"latent"`
	Linear bool  `json:"linear,omitempty"`
}

// Validate reports a configuration no autoencoder should be built from.
func (c AEConfig) Validate() error {
	if c.Linear {
		if len(c.Hidden) != 0 {
			return &ConfigError{Kind: KindLinearAE, Reason: "a linear autoencoder has no hidden layers"}
		}
		return validateCoder(KindLinearAE, c.Inputs, []int{1}, c.Latent)
	}
	return validateCoder(KindAE, c.Inputs, c.Hidden, c.Latent)
}

// Autoencoder squeezes its input through a Latent-wide code and rebuilds it.
//
// The linear one is x̂ = m + U·V·(x − m) with V K×D, U D×K, no
// nonlinearity, trained on squared error; m is the training images' mean,
// fixed, so that its optimum is PCA's top-K subspace (Baldi & Hornik 1989),
// which PCA itself computes from centred data. In row-vector form the
// encoder's weight is Vᵀ and the decoder's Uᵀ.
type Autoencoder struct {
	Cfg  AEConfig
	Enc  *nn.Network // x → code
	Dec  *nn.Network // code → x̂ (linear) or logits of x̂ (deep)
	Mean *nn.Param   // linear only: the centre m (1×D), not trained

	centred, dout *tensor.Mat
}

// NewAutoencoder builds an autoencoder with weights drawn from rng.
func NewAutoencoder(cfg AEConfig, rng *rand.Rand) (*Autoencoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &Autoencoder{Cfg: cfg}
	if cfg.Linear {
		a.Enc = &nn.Network{Layers: []nn.Layer{nn.NewLinear("V", cfg.Inputs, cfg.Latent, nn.Xavier, rng)}}
		a.Dec = &nn.Network{Layers: []nn.Layer{nn.NewLinear("U", cfg.Latent, cfg.Inputs, nn.Xavier, rng)}}
		a.Mean = &nn.Param{Name: "mean", Value: tensor.New(1, cfg.Inputs), Grad: tensor.New(1, cfg.Inputs)}
		return a, nil
	}
	a.Enc = stack("enc", cfg.Inputs, cfg.Hidden, nn.ReLU, nn.FanIn, rng)
	code := nn.NewDense("code", cfg.Hidden[len(cfg.Hidden)-1], cfg.Latent, nn.FanIn, rng)
	code.InitBiasFanIn(rng)
	a.Enc.Layers = append(a.Enc.Layers, code)
	a.Dec = decoder("dec", cfg.Latent, cfg.Hidden, cfg.Inputs, nn.ReLU, nn.FanIn, rng)
	return a, nil
}

// Kind is "linear-ae" or "ae".
func (a *Autoencoder) Kind() string {
	if a.Cfg.Linear {
		return KindLinearAE
	}
	return KindAE
}

// Config is what the model file records.
func (a *Autoencoder) Config() any { return a.Cfg }

// Params are the encoder's and decoder's weights.
func (a *Autoencoder) Params() []*nn.Param { return append(a.Enc.Params(), a.Dec.Params()...) }

// Buffers are saved with the model but not trained: the linear one's mean.
func (a *Autoencoder) Buffers() []*nn.Param {
	if a.Mean == nil {
		return nil
	}
	return []*nn.Param{a.Mean}
}

// Inputs is the width of the images the model takes.
func (a *Autoencoder) Inputs() int { return a.Cfg.Inputs }

// Latent is the code's width.
func (a *Autoencoder) Latent() int { return a.Cfg.Latent }

// StartFromMean gives the autoencoder the training images' mean pixel
// values: the linear one takes them as its fixed centre m; the deep one
// starts its output biases at their logits (see VAE.StartFromMean).
func (a *Autoencoder) StartFromMean(m []float32) {
	if len(m) != a.Cfg.Inputs {
		panic(fmt.Sprintf("models: %d mean values for %d inputs", len(m), a.Cfg.Inputs))
	}
	if a.Mean == nil {
		setLogitBias(a.Dec, m)
		return
	}
	copy(a.Mean.Value.Data, m)
}

func (a *Autoencoder) input(x *tensor.Mat) *tensor.Mat {
	if a.Mean == nil {
		return x
	}
	a.centred = tensor.Ensure(a.centred, x.Rows, x.Cols)
	a.centred.CopyFrom(x)
	m := a.Mean.Value.Data
	for i := range x.Rows {
		row := a.centred.Row(i)
		for j := range row {
			row[j] -= m[j]
		}
	}
	return a.centred
}

// Gradient trains on one batch: squared error for the linear autoencoder,
// binary cross-entropy summed over pixels for the deep one.
func (a *Autoencoder) Gradient(x *tensor.Mat, _ []uint8) Losses {
	out := a.Dec.Forward(a.Enc.Forward(a.input(x)))
	a.dout = tensor.Ensure(a.dout, x.Rows, x.Cols)
	var loss float64
	if a.Cfg.Linear {
		loss = nn.MSE.Eval(out, a.centred, a.dout) // x̂ − m against x − m
	} else {
		loss = nn.BCEWithLogits.Eval(out, x, a.dout)
	}
	a.Enc.BackwardParams(a.Dec.Backward(a.dout))
	return Losses{Total: loss, Recon: loss}
}

// Encode returns each row's code (a new B×Latent matrix).
func (a *Autoencoder) Encode(x *tensor.Mat) *tensor.Mat {
	return a.Enc.Forward(a.input(x)).Clone()
}

// Decode returns the picture each code decodes to (a new B×Inputs matrix):
// pixel probabilities for the deep autoencoder, m + U·code for the linear.
func (a *Autoencoder) Decode(code *tensor.Mat) *tensor.Mat {
	if code.Cols != a.Cfg.Latent {
		panic(fmt.Sprintf("models: Decode: code has %d columns, the model %d", code.Cols, a.Cfg.Latent))
	}
	out := a.Dec.Forward(code)
	if !a.Cfg.Linear {
		return sigmoidOf(out)
	}
	x := out.Clone()
	for i := range x.Rows {
		row := x.Row(i)
		for j, m := range a.Mean.Value.Data {
			row[j] += m
		}
	}
	return x
}

// Reconstruct encodes and decodes x.
func (a *Autoencoder) Reconstruct(x *tensor.Mat) *tensor.Mat { return a.Decode(a.Encode(x)) }

// Decoder returns U (D×K) of a linear autoencoder, row-major: the basis of
// the subspace it projects onto.
func (a *Autoencoder) Decoder() *tensor.Mat {
	return a.Dec.Layers[0].(*nn.Dense).W.Value.Transpose() // stored as Uᵀ (K×D)
}
