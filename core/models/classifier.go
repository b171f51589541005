package models

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// ClassifierConfig describes an MLP classifier: inputs → hidden… → classes,
// with softmax cross-entropy on the output logits.
type ClassifierConfig struct {
	Inputs     int     `json:"inputs"`
	Hidden     []int   `json:"hidden"`
	Classes    int     `json:"classes"`
	Activation string  `json:"activation"`
	Dropout    float32 `json:"dropout,omitempty"` // after every hidden layer, while training
}

// MNISTClassifier is the shipped classifier's shape: two ReLU hidden
// layers, wider than LeCun's 300-100 so dropout has room to work.
var MNISTClassifier = ClassifierConfig{Inputs: 784, Hidden: []int{512, 256}, Classes: 10, Activation: "relu", Dropout: 0.2}

// Validate reports a configuration no network should be built from.
func (c ClassifierConfig) Validate() error {
	if err := checkWidth("inputs", c.Inputs); err != nil {
		return err
	}
	if c.Classes < 2 || c.Classes > 1000 {
		return &ConfigError{Kind: KindMLP, Reason: fmt.Sprintf("classes = %d, want 2..1000", c.Classes)}
	}
	if len(c.Hidden) > maxLayers {
		return &ConfigError{Kind: KindMLP, Reason: fmt.Sprintf("%d hidden layers, want at most %d", len(c.Hidden), maxLayers)}
	}
	for _, h := range c.Hidden {
		if err := checkWidth("hidden width", h); err != nil {
			return err
		}
	}
	if _, err := nn.ActivationByName(c.Activation); err != nil {
		return &ConfigError{Kind: KindMLP, Reason: err.Error()}
	}
	if c.Dropout < 0 || c.Dropout >= 1 || c.Dropout != c.Dropout {
		return &ConfigError{Kind: KindMLP, Reason: fmt.Sprintf("dropout = %g, want [0, 1)", c.Dropout)}
	}
	return nil
}

// Classifier is a multi-layer perceptron that maps an input to class logits.
type Classifier struct {
	Cfg ClassifierConfig
	Net *nn.Network

	onehot, dlogits, probs *tensor.Mat
}

// NewClassifier builds a classifier with weights drawn from rng.
func NewClassifier(cfg ClassifierConfig, rng *rand.Rand) (*Classifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	act, _ := nn.ActivationByName(cfg.Activation)
	widths := append(append([]int{cfg.Inputs}, cfg.Hidden...), cfg.Classes)
	net := &nn.Network{}
	masks := seeds(rng) // with an rng, dropout's masks come after the weights in its stream
	for i := 0; i+1 < len(widths); i++ {
		last := i+2 == len(widths)
		init := nn.InitFor(act)
		if last {
			init = nn.Xavier
		}
		net.Layers = append(net.Layers, nn.NewDense(fmt.Sprintf("fc%d", i), widths[i], widths[i+1], init, rng))
		if !last {
			net.Layers = append(net.Layers, nn.NewAct(act))
			if cfg.Dropout > 0 {
				net.Layers = append(net.Layers, nn.NewDropout(cfg.Dropout, masks))
			}
		}
	}
	return &Classifier{Cfg: cfg, Net: net}, nil
}

// Kind names the model in files and in the UI.
func (c *Classifier) Kind() string { return KindMLP }

// Config is what the model file records to rebuild the network.
func (c *Classifier) Config() any { return c.Cfg }

// Inputs is the width of the images the model takes.
func (c *Classifier) Inputs() int { return c.Cfg.Inputs }

// Params are the network's weights and biases.
func (c *Classifier) Params() []*nn.Param { return c.Net.Params() }

// Logits runs the network in inference mode: x is batch×inputs, the result
// batch×classes, owned by the network until the next call.
func (c *Classifier) Logits(x *tensor.Mat) *tensor.Mat {
	c.Net.SetTraining(false)
	return c.Net.Forward(x)
}

// Probabilities is softmax(Logits(x)).
func (c *Classifier) Probabilities(x *tensor.Mat) *tensor.Mat {
	z := c.Logits(x)
	c.probs = tensor.Ensure(c.probs, z.Rows, z.Cols)
	nn.Softmax(c.probs, z)
	return c.probs
}

// Predict writes the most likely class of each row of x into dst.
func (c *Classifier) Predict(x *tensor.Mat, dst []int) {
	z := c.Logits(x)
	for i := range z.Rows {
		dst[i] = z.ArgmaxRow(i)
	}
}

// Gradient runs a training forward and backward pass on a batch with the
// given labels, adding ∂L/∂θ into the parameters' gradients, and returns the
// batch's mean cross-entropy. The caller's optimiser applies the update.
func (c *Classifier) Gradient(x *tensor.Mat, labels []uint8) Losses {
	c.Net.SetTraining(true)
	z := c.Net.Forward(x)
	c.onehot = tensor.Ensure(c.onehot, z.Rows, z.Cols)
	c.onehot.Zero()
	for i, l := range labels {
		c.onehot.Set(i, int(l), 1)
	}
	c.dlogits = tensor.Ensure(c.dlogits, z.Rows, z.Cols)
	loss := nn.SoftmaxCrossEntropy.Eval(z, c.onehot, c.dlogits)
	c.Net.BackwardParams(c.dlogits)
	return Losses{Total: loss}
}

// UnitWeights returns the weights into the first n hidden units, one row
// each (a new n×Inputs matrix): column j of the first layer's W is what
// hidden unit j looks for in an image. It is an error for a classifier
// without a hidden layer, or for n beyond its first layer's width.
func (c *Classifier) UnitWeights(n int) (*tensor.Mat, error) {
	d, ok := c.Net.Layers[0].(*nn.Dense)
	if !ok || len(c.Cfg.Hidden) == 0 {
		return nil, errors.New("models: this classifier has no hidden layer")
	}
	w := d.W.Value // inputs × units
	if n < 1 || n > w.Cols {
		return nil, fmt.Errorf("models: %d units, want 1..%d", n, w.Cols)
	}
	out := tensor.New(n, w.Rows)
	for j := range n {
		for i := range w.Rows {
			out.Data[j*w.Rows+i] = w.Data[i*w.Cols+j]
		}
	}
	return out, nil
}
