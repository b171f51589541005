package engine

import (
	"errors"
	"fmt"
	"time"

	"latentplay/core/models"
	"latentplay/core/pca"
	"latentplay/wasm/engine/protocol"
)

// latentSize answers OpLatentSize: how the test error of an autoencoder
// falls with its latent size K, beside PCA's with K components, the best
// any linear code of K numbers does.
func (e *Engine) latentSize(req protocol.Request) ([]float32, map[string]float64, error) {
	if len(req.Slots) < 1 || len(req.Slots) > 8 || req.N < 1 || req.N > 10000 || len(req.Index) != 1 {
		return nil, nil, fmt.Errorf("%d models, %d test digits and %d digits to show, want 1..8, 1..10000 and 1", len(req.Slots), req.N, len(req.Index))
	}
	aes := make([]*models.Autoencoder, len(req.Slots))
	for i, slot := range req.Slots {
		m, err := e.model(slot)
		if err != nil {
			return nil, nil, err
		}
		if aes[i], err = models.As[*models.Autoencoder](m, "autoencoder"); err != nil {
			return nil, nil, err
		}
	}
	trainSet, testSet := e.loaded()
	if trainSet == nil || testSet == nil {
		return nil, nil, errors.New("MNIST is not loaded yet: train first")
	}
	show := req.Index[0]
	if show < 0 || show >= testSet.N {
		return nil, nil, fmt.Errorf("test digit %d of %d", show, testSet.N)
	}
	kmax := 0
	for _, a := range aes {
		kmax = max(kmax, a.Cfg.Latent)
	}
	start := time.Now()
	p, err := pca.FitCovariance(trainSet.Head(protocol.LatentSizePCA), kmax)
	if err != nil {
		return nil, nil, err
	}
	figs := map[string]float64{"pca_seconds": time.Since(start).Seconds()}

	x, _ := testSet.First(req.N)
	one, _ := pixels(testSet, []int{show})
	out := append([]float32(nil), one.Data...)
	rebuilt := make([]float32, x.Cols)
	for _, a := range aes {
		k := a.Cfg.Latent
		figs[fmt.Sprintf("ae_%d", k)] = sqError(a.Reconstruct(x).Data, x.Data)
		var sum float64
		for i := range x.Rows {
			p.Reconstruct(x.Row(i), k, rebuilt)
			sum += sqError(rebuilt, x.Row(i)) * float64(x.Cols)
		}
		figs[fmt.Sprintf("pca_%d", k)] = sum / float64(len(x.Data))
		out = append(out, a.Reconstruct(one).Data...)
		p.Reconstruct(one.Data, k, rebuilt)
		out = append(out, rebuilt...)
	}
	return out, figs, nil
}

// sqError is the mean squared difference of two images (or stacks of them).
func sqError(got, want []float32) float64 {
	var s float64
	for i, v := range got {
		d := float64(v - want[i])
		s += d * d
	}
	return s / float64(len(got))
}
