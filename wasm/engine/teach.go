package engine

import (
	"latentplay/core/analysis"
	"latentplay/wasm/engine/protocol"
)

// The "what autoencoders teach" lab's operations: this file's, and the β,
// latent-size and reparameterisation labs' in elbo.go, latentsize.go and
// reparam.go.
func init() {
	handle(protocol.FewLabels, (*Engine).fewLabels)
	handle(protocol.ELBOPoint, (*Engine).elboPoint)
	handle(protocol.LatentSize, (*Engine).latentSize)
	handle(protocol.Reparam, (*Engine).reparam)
}

// fewLabelsPerClass is how many labelled digits of each class the
// classifiers of FewLabels learn from.
const fewLabelsPerClass = 10

// fewLabels learns from 100 labelled digits on the VAE's codes and on
// pixels (analysis.FewLabels).
//
// The 100 come from the MNIST test set's second half and the scores from
// its first half (5,000 digits), not from the training set: the page
// already holds the 1.6 MB test set for the latent maps, while the
// training set is 47 MB more to fetch for 100 digits. The VAE never saw
// any test digit, so both halves are as unseen as the test set is.
func (e *Engine) fewLabels(q protocol.FewLabelsArgs) (protocol.FewLabelScores, error) {
	v, err := e.vae(q.Slot)
	if err != nil {
		return protocol.FewLabelScores{}, err
	}
	test, err := e.test()
	if err != nil {
		return protocol.FewLabelScores{}, err
	}
	f, err := analysis.FewLabels(v, test, fewLabelsPerClass, q.Seed)
	return protocol.FewLabelScores(f), err
}
