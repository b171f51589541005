package engine

import (
	"errors"
	"fmt"

	"latentplay/core/analysis"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

// The classifier lab's operations.

// unitWeights answers OpUnitWeights: column j of the first layer's W is
// what hidden unit j looks for in an image.
func (e *Engine) unitWeights(req protocol.Request) ([]float32, error) {
	c, err := e.classifier(req.Slot)
	if err != nil {
		return nil, err
	}
	d, ok := c.Net.Layers[0].(*nn.Dense)
	if !ok || len(c.Cfg.Hidden) == 0 {
		return nil, errors.New("this classifier has no hidden layer")
	}
	w := d.W.Value // inputs × units
	if req.N < 1 || req.N > w.Cols {
		return nil, fmt.Errorf("%d units, want 1..%d", req.N, w.Cols)
	}
	out := make([]float32, req.N*w.Rows)
	for j := range req.N {
		for i := range w.Rows {
			out[j*w.Rows+i] = w.Data[i*w.Cols+j]
		}
	}
	return out, nil
}

// maxConfusionExamples bounds the examples kept per cell.
const maxConfusionExamples = 32

// confusion answers OpConfusion over the whole MNIST test set.
func (e *Engine) confusion(req protocol.Request) ([]float32, map[string]float64, error) {
	c, err := e.classifier(req.Slot)
	if err != nil {
		return nil, nil, err
	}
	if req.N < 0 || req.N > maxConfusionExamples {
		return nil, nil, fmt.Errorf("%d examples a cell, want 0..%d", req.N, maxConfusionExamples)
	}
	if err := e.needTest(); err != nil {
		return nil, nil, err
	}
	test := e.testSet
	counts := make([]float32, 100)
	examples := make([]float32, 100*req.N)
	for i := range examples {
		examples[i] = -1
	}
	pred := make([]int, 500)
	right := 0
	analysis.Batches(test, func(lo int, x *tensor.Mat, labels []uint8) {
		c.Predict(x, pred[:len(labels)])
		for k, l := range labels {
			cell := int(l)*10 + pred[k]
			if n := int(counts[cell]); n < req.N {
				examples[cell*req.N+n] = float32(lo + k)
			}
			counts[cell]++
			if pred[k] == int(l) {
				right++
			}
		}
	})
	figs := map[string]float64{"accuracy": float64(right) / float64(test.N), "n": float64(test.N)}
	return append(counts, examples...), figs, nil
}

// testDigits answers OpTestDigits.
func (e *Engine) testDigits(req protocol.Request) ([]float32, error) {
	if len(req.Index) < 1 || len(req.Index) > 100 {
		return nil, fmt.Errorf("%d digits, want 1..100", len(req.Index))
	}
	if err := e.needTest(); err != nil {
		return nil, err
	}
	for _, i := range req.Index {
		if i < 0 || i >= e.testSet.N {
			return nil, fmt.Errorf("test digit %d, want 0..%d", i, e.testSet.N-1)
		}
	}
	out := make([]float32, len(req.Index)*e.testSet.Dim())
	e.testSet.Batch(req.Index, out, make([]uint8, len(req.Index)))
	return out, nil
}

// classifier is the MLP classifier in slot.
func (e *Engine) classifier(slot string) (*models.Classifier, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	return models.As[*models.Classifier](m, "mlp")
}

// vae returns the VAE (or conditional VAE) in slot.
func (e *Engine) vae(slot string) (*models.VAE, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	return models.As[*models.VAE](m, "vae")
}
