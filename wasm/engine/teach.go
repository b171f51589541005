package engine

import (
	"errors"
	"fmt"
	"math"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

// The "what autoencoders teach" lab's operations.

// fewLabelsPerClass is how many labelled digits of each class the
// classifiers of OpFewLabels learn from.
const fewLabelsPerClass = 10

// fewLabels answers OpFewLabels: softmax regression on 100 labelled digits,
// once on the VAE's codes (μ) and once on their raw pixels, both scored on
// held-out digits.
//
// The 100 come from the MNIST test set's second half and the scores from its
// first half (5,000 digits), not from the training set: the page already
// holds the 1.6 MB test set for the latent maps, while the training set is
// 47 MB more to fetch for 100 digits. The VAE never saw any test digit, so
// both halves are as unseen as the test set is.
func (e *Engine) fewLabels(req protocol.Request) ([]float32, map[string]float64, error) {
	v, err := e.vae(req.Slot)
	if err != nil {
		return nil, nil, err
	}
	testSet, err := e.test()
	if err != nil {
		return nil, nil, err
	}
	test := testSet
	half := test.N / 2
	if half < 10*fewLabelsPerClass {
		return nil, nil, fmt.Errorf("%d test digits are too few", test.N)
	}
	// 10 of each class, drawn with the seed from the second half.
	r := models.SampleRNG(req.Seed)
	var pick []int
	count := make([]int, 10)
	for _, k := range r.Perm(test.N - half) {
		i := half + k
		if l := test.Labels[i]; count[l] < fewLabelsPerClass {
			count[l]++
			pick = append(pick, i)
		}
	}
	if len(pick) != 10*fewLabelsPerClass {
		return nil, nil, errors.New("the test set's second half lacks some class")
	}
	held := make([]int, half)
	for i := range held {
		held[i] = i
	}
	code := func(idx []int) (*tensor.Mat, []uint8) {
		x, ls := pixels(test, idx)
		mu, _ := v.Encode(x, nil)
		return mu.Clone(), ls
	}
	px, pl := pixels(test, pick)
	hx, hl := pixels(test, held)
	cx, _ := code(pick)
	chx, _ := code(held)
	pixAcc := softmaxAccuracy(px, pl, hx, hl)
	codeAcc := softmaxAccuracy(cx, pl, chx, hl)
	figs := map[string]float64{
		"code_accuracy": codeAcc, "pixel_accuracy": pixAcc,
		"labelled": float64(len(pick)), "held_out": float64(half),
		"code_width": float64(cx.Cols), "pixel_width": float64(px.Cols),
	}
	return []float32{float32(codeAcc), float32(pixAcc)}, figs, nil
}

// pixels copies the test digits idx into a matrix, with their labels.
func pixels(s *data.Set, idx []int) (*tensor.Mat, []uint8) {
	x := tensor.New(len(idx), s.Dim())
	ls := make([]uint8, len(idx))
	s.Batch(idx, x.Data, ls)
	return x, ls
}

// softmaxAccuracy fits softmax regression (with a little weight decay, as
// 100 examples overfit 784 inputs) by full-batch gradient descent on the
// training rows and returns its accuracy on the test rows. Features are
// centred and scaled by the training rows' statistics, so the step size
// suits pixels and codes alike.
func softmaxAccuracy(x *tensor.Mat, y []uint8, tx *tensor.Mat, ty []uint8) float64 {
	const (
		classes = 10
		steps   = 300
		lr      = 0.5
		decay   = 1e-2
	)
	n, d := x.Rows, x.Cols
	mean := make([]float64, d)
	for i := range n {
		for j := range d {
			mean[j] += float64(x.Data[i*d+j]) / float64(n)
		}
	}
	// Each feature scaled to unit deviation over the training rows, with a
	// floor so that pixels almost always blank are not blown up.
	sd := make([]float64, d)
	for i := range n {
		for j := range d {
			dv := float64(x.Data[i*d+j]) - mean[j]
			sd[j] += dv * dv / float64(n)
		}
	}
	var avg float64
	for j := range sd {
		sd[j] = math.Sqrt(sd[j])
		avg += sd[j] / float64(d)
	}
	for j := range sd {
		sd[j] = 1 / max(sd[j], avg)
	}
	feat := func(m *tensor.Mat, i, j int) float64 { return (float64(m.Data[i*d+j]) - mean[j]) * sd[j] }

	w := make([]float64, d*classes)
	b := make([]float64, classes)
	gw := make([]float64, d*classes)
	gb := make([]float64, classes)
	logits := make([]float64, classes)
	probs := func(m *tensor.Mat, i int) {
		for c := range classes {
			logits[c] = b[c]
		}
		for j := range d {
			f := feat(m, i, j)
			for c := range classes {
				logits[c] += f * w[j*classes+c]
			}
		}
		top := logits[0]
		for _, l := range logits {
			top = max(top, l)
		}
		var sum float64
		for c := range logits {
			logits[c] = math.Exp(logits[c] - top)
			sum += logits[c]
		}
		for c := range logits {
			logits[c] /= sum
		}
	}
	for range steps {
		clear(gw)
		clear(gb)
		for i := range n {
			probs(x, i)
			logits[y[i]]--
			for j := range d {
				f := feat(x, i, j) / float64(n)
				for c := range classes {
					gw[j*classes+c] += f * logits[c]
				}
			}
			for c := range classes {
				gb[c] += logits[c] / float64(n)
			}
		}
		for k := range w {
			w[k] -= lr * (gw[k] + decay*w[k])
		}
		for c := range b {
			b[c] -= lr * gb[c]
		}
	}
	right := 0
	for i := range tx.Rows {
		probs(tx, i)
		best := 0
		for c := range logits {
			if logits[c] > logits[best] {
				best = c
			}
		}
		if best == int(ty[i]) {
			right++
		}
	}
	return float64(right) / float64(tx.Rows)
}
