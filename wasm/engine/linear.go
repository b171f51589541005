package engine

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"latentplay/core/data"
	"latentplay/core/linearae"
	"latentplay/core/models"
	"latentplay/core/pca"
	"latentplay/wasm/engine/protocol"
)

// The linear autoencoder's lesson: its cloud lab and its MNIST half.
func init() {
	handle(protocol.LinearCloud, (*Engine).linearCloud)
	handle(protocol.LinearBases, (*Engine).linearBases)
	handle(protocol.LinearRebuild, (*Engine).linearRebuild)
}

// linearStartScale is the spread of the cloud lab's first weights.
const linearStartScale = 0.5

// linearCloud draws the cloud, takes the steps and reports where they end
// (linearae.Train).
func (e *Engine) linearCloud(q protocol.LinearCloudArgs) (protocol.LinearCloudState, error) {
	var s protocol.LinearCloudState
	switch {
	case q.N < 3 || q.N > protocol.LinearMaxPoints:
		return s, fmt.Errorf("%d points, want 3..%d", q.N, protocol.LinearMaxPoints)
	case q.Steps < 0 || q.Steps > protocol.LinearMaxSteps:
		return s, fmt.Errorf("%d steps, want 0..%d", q.Steps, protocol.LinearMaxSteps)
	case !(q.LR > 0 && q.LR <= 10):
		return s, fmt.Errorf("learning rate %g, want (0, 10]", q.LR)
	}
	c, err := linearae.MakeCloud(linearae.Shape(q.Shape), q.N, q.Seed)
	if err != nil {
		return s, err
	}
	plane, err := linearae.FitPlane(c)
	if err != nil {
		return s, err
	}
	a := linearae.AE{U: q.U, V: q.V}
	if q.Fresh {
		a = linearae.NewAE(q.Start, linearStartScale)
	}
	if !a.Finite() || !(math.Abs(a.Loss(c)) < math.MaxFloat64) {
		return s, errors.New("the weights are not finite numbers")
	}
	begin := time.Now()
	curve, err := linearae.Train(&a, c, q.LR, q.Steps, plane.Basis)
	if err != nil {
		return s, err
	}
	ms := float64(time.Since(begin).Microseconds()) / 1000
	angle, err := linearae.Angle(a.U, plane.Basis)
	if err != nil {
		return s, err
	}
	rebuilt := make([]float32, len(c.X))
	for i := range c.N {
		r := a.Rebuild(c.Point(i))
		for j, v := range r {
			rebuilt[3*i+j] = float32(v)
		}
	}
	return protocol.LinearCloudState{
		U: a.U, V: a.V, Losses: curve.Loss, Angles: curve.Angle,
		Loss: a.Loss(c), Angle: angle, Diverged: curve.Diverged,
		Points: protocol.RowsOf(3, c.X), Rebuilt: protocol.RowsOf(3, rebuilt),
		PCA: plane.Basis, PCAVariances: plane.Variances, PCALoss: plane.Loss,
		StepsMS: ms,
	}, nil
}

// linearFits keeps PCA of the first LinearPCADigits training digits once
// it is fit, by the training set it was fit on: the fit takes seconds in
// the browser, and each drawing needs it.
var linearFits struct {
	sync.Mutex
	set *data.Set
	p   *pca.PCA
}

// linearPCA is PCA with at least k components of the first
// LinearPCADigits training digits (MNIST fetched first if no run has
// fetched it), how many digits that is, and the seconds its fit took now
// (0 if it was fit before).
func (e *Engine) linearPCA(k int) (p *pca.PCA, digits int, secs float64, err error) {
	trainSet, _, err := e.mnist(func(float64) {})
	if err != nil {
		return nil, 0, 0, err
	}
	head := trainSet.Head(protocol.LinearPCADigits)
	linearFits.Lock()
	defer linearFits.Unlock()
	if p := linearFits.p; p != nil && linearFits.set == trainSet {
		if _, have := p.Components.Dims(); have >= k {
			return p, head.N, 0, nil
		}
	}
	start := time.Now()
	if p, err = linearae.FitPCA(head, k); err != nil {
		return nil, 0, 0, err
	}
	linearFits.set, linearFits.p = trainSet, p
	return p, head.N, time.Since(start).Seconds(), nil
}

// linearPair is the linear autoencoder and the deep one the slots name.
func (e *Engine) linearPair(q protocol.LinearSlots) (linear, deep *models.Autoencoder, err error) {
	for _, s := range []struct {
		slot string
		to   **models.Autoencoder
		want bool
	}{{q.Linear, &linear, true}, {q.Deep, &deep, false}} {
		m, err := e.model(s.slot)
		if err != nil {
			return nil, nil, err
		}
		a, err := models.As[*models.Autoencoder](m, "autoencoder")
		if err != nil {
			return nil, nil, err
		}
		if a.Cfg.Linear != s.want {
			return nil, nil, fmt.Errorf("%q holds a %s, want a %s", s.slot, a.Kind(), map[bool]string{true: models.KindLinearAE, false: models.KindAE}[s.want])
		}
		*s.to = a
	}
	return linear, deep, nil
}

// linearBases sets U's columns beside PCA's components.
func (e *Engine) linearBases(q protocol.LinearSlots) (protocol.LinearBasesAnswer, error) {
	var out protocol.LinearBasesAnswer
	linear, _, err := e.linearPair(q)
	if err != nil {
		return out, err
	}
	p, digits, secs, err := e.linearPCA(linear.Latent())
	if err != nil {
		return out, err
	}
	cols, err := linearae.Columns(linear)
	if err != nil {
		return out, err
	}
	comps, err := linearae.Components(p, linear.Latent())
	if err != nil {
		return out, err
	}
	angles, err := linearae.SubspaceAngles(linear, p)
	if err != nil {
		return out, err
	}
	return protocol.LinearBasesAnswer{
		Columns: protocol.BatchOf(cols), Components: protocol.BatchOf(comps),
		Angles: angles, PCADigits: digits, PCASeconds: secs,
	}, nil
}

// linearRebuild rebuilds the image three ways (linearae.RebuildThree).
func (e *Engine) linearRebuild(q protocol.LinearRebuildArgs) (protocol.LinearRebuilt, error) {
	if q.Image.Rows != 1 || q.Image.Cols != data.Pixels || !finite(q.Image.Data...) {
		return protocol.LinearRebuilt{}, fmt.Errorf("an image of %d×%d values, want one of %d finite values", q.Image.Rows, q.Image.Cols, data.Pixels)
	}
	linear, deep, err := e.linearPair(q.LinearSlots)
	if err != nil {
		return protocol.LinearRebuilt{}, err
	}
	p, _, _, err := e.linearPCA(linear.Latent())
	if err != nil {
		return protocol.LinearRebuilt{}, err
	}
	r, err := linearae.RebuildThree(linear, deep, p, q.Image.Row(0))
	if err != nil {
		return protocol.LinearRebuilt{}, err
	}
	return protocol.LinearRebuilt{Images: protocol.BatchOf(r.Images), MSE: r.MSE}, nil
}
