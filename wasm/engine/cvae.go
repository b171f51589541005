package engine

import (
	"fmt"

	"latentplay/core/analysis"
	"latentplay/wasm/engine/protocol"
)

// The conditional VAE lesson's operation.
func init() {
	handle(protocol.CodeNeighbours, (*Engine).codeNeighbours)
}

// codeNeighbours measures the k-nearest-neighbour class accuracy of the
// first N test digits' codes (analysis.CodeNeighbourAccuracy).
func (e *Engine) codeNeighbours(q protocol.NeighbourArgs) (protocol.NeighbourAccuracy, error) {
	m, err := e.generative(q.Slot)
	if err != nil {
		return protocol.NeighbourAccuracy{}, err
	}
	if q.N < 2 || q.N > 10000 {
		return protocol.NeighbourAccuracy{}, fmt.Errorf("%d test digits, want 2..10000", q.N)
	}
	if q.K < 1 || q.K >= q.N {
		return protocol.NeighbourAccuracy{}, fmt.Errorf("%d neighbours among %d digits, want 1..%d", q.K, q.N, q.N-1)
	}
	test, err := e.test()
	if err != nil {
		return protocol.NeighbourAccuracy{}, err
	}
	acc, err := analysis.CodeNeighbourAccuracy(m, test, q.N, q.K)
	if err != nil {
		return protocol.NeighbourAccuracy{}, err
	}
	return protocol.NeighbourAccuracy{Accuracy: acc, N: q.N, K: q.K, Latent: m.Latent()}, nil
}
