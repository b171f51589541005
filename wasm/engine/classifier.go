package engine

import (
	"fmt"

	"latentplay/core/analysis"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.UnitWeights, (*Engine).unitWeights)
	handle(protocol.Confusion, (*Engine).confusion)
}

func (e *Engine) unitWeights(q protocol.CountArgs) (protocol.Images, error) {
	c, err := e.classifier(q.Slot)
	if err != nil {
		return protocol.Images{}, err
	}
	w, err := c.UnitWeights(q.N)
	return protocol.Images{Images: protocol.BatchOf(w)}, err
}

// maxConfusionExamples bounds the examples kept per cell.
const maxConfusionExamples = 32

func (e *Engine) confusion(q protocol.CountArgs) (protocol.ConfusionMatrix, error) {
	c, err := e.classifier(q.Slot)
	if err != nil {
		return protocol.ConfusionMatrix{}, err
	}
	if q.N < 0 || q.N > maxConfusionExamples {
		return protocol.ConfusionMatrix{}, fmt.Errorf("%d examples a cell, want 0..%d", q.N, maxConfusionExamples)
	}
	test, err := e.test()
	if err != nil {
		return protocol.ConfusionMatrix{}, err
	}
	m := analysis.ConfusionOf(c, test, q.N)
	return protocol.ConfusionMatrix{Counts: m.Counts, Examples: m.Examples, Accuracy: m.Accuracy, N: test.N}, nil
}
