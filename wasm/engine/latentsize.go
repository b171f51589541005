package engine

import (
	"errors"
	"fmt"
	"time"

	"latentplay/core/models"
	"latentplay/core/pca"
	"latentplay/wasm/engine/protocol"
)

// latentSize sets the test error of an autoencoder against its latent
// size K beside PCA's with K components, the best any linear code of K
// numbers does (pca.Compare).
func (e *Engine) latentSize(q protocol.LatentSizeArgs) (protocol.LatentSizeComparison, error) {
	if len(q.Slots) < 1 || len(q.Slots) > 8 || q.N < 1 || q.N > 10000 {
		return protocol.LatentSizeComparison{}, fmt.Errorf("%d models and %d test digits, want 1..8 and 1..10000", len(q.Slots), q.N)
	}
	coders := make([]pca.Coder, len(q.Slots))
	kmax := 0
	for i, slot := range q.Slots {
		m, err := e.model(slot)
		if err != nil {
			return protocol.LatentSizeComparison{}, err
		}
		a, err := models.As[*models.Autoencoder](m, "autoencoder")
		if err != nil {
			return protocol.LatentSizeComparison{}, err
		}
		coders[i], kmax = a, max(kmax, a.Latent())
	}
	trainSet, testSet := e.loaded()
	if trainSet == nil || testSet == nil {
		return protocol.LatentSizeComparison{}, errors.New("MNIST is not loaded yet: train first")
	}
	show, _, err := testSet.Pick([]int{q.Show})
	if err != nil {
		return protocol.LatentSizeComparison{}, err
	}
	start := time.Now()
	p, err := pca.FitCovariance(trainSet.Head(protocol.LatentSizePCA), kmax)
	if err != nil {
		return protocol.LatentSizeComparison{}, err
	}
	secs := time.Since(start).Seconds()
	x, _ := testSet.First(q.N)
	c, err := p.Compare(coders, x, show.Data)
	if err != nil {
		return protocol.LatentSizeComparison{}, err
	}
	return protocol.LatentSizeComparison{
		Latents: c.Latents, AutoencoderMSE: c.Coder, PCAMSE: c.PCA,
		Digit: protocol.BatchOf(show), AutoencoderRebuilt: protocol.BatchOf(c.CoderRebuilt), PCARebuilt: protocol.BatchOf(c.PCARebuilt),
		PCASeconds: secs,
	}, nil
}
