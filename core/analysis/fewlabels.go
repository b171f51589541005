package analysis

import (
	"errors"
	"fmt"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

// An Encoder gives each row of x a code (μ); models.Generative is one.
type Encoder interface {
	Codes(x *tensor.Mat, labels []uint8) (mu, sigma *tensor.Mat)
}

// FewLabelScores are the few-label experiment's outcome: the accuracy of
// the same softmax regression learnt from the labelled digits' codes and
// from their pixels, both on the held-out digits.
type FewLabelScores struct {
	CodeAccuracy, PixelAccuracy float64
	Labelled, HeldOut           int // digits learnt from, and scored on
	CodeWidth, PixelWidth       int // the features of each
}

// FewLabelSplit draws perClass digits of each class from the second half
// of labels (in the order of a permutation drawn from
// models.SampleRNG(seed)) to learn from, and holds out the whole first
// half to score on.
func FewLabelSplit(labels []uint8, perClass int, seed uint64) (labelled, heldOut []int, err error) {
	n := len(labels)
	half := n / 2
	if perClass < 1 || half < data.Classes*perClass {
		return nil, nil, fmt.Errorf("analysis: %d digits are too few for %d labelled of each class", n, perClass)
	}
	count := make([]int, data.Classes)
	for _, k := range models.SampleRNG(seed).Perm(n - half) {
		i := half + k
		if l := labels[i]; int(l) < data.Classes && count[l] < perClass {
			count[l]++
			labelled = append(labelled, i)
		}
	}
	if len(labelled) != data.Classes*perClass {
		return nil, nil, errors.New("analysis: the set's second half lacks some class")
	}
	heldOut = make([]int, half)
	for i := range heldOut {
		heldOut[i] = i
	}
	return labelled, heldOut, nil
}

// FewLabels asks whether codes learnt without labels are better features
// than pixels when labels are few: softmax regression (ProbeSettings)
// learns from perClass labelled digits of each class of set, once on their
// codes (μ) from enc and once on their raw pixels, and both are scored on
// the held-out digits (FewLabelSplit).
func FewLabels(enc Encoder, set *data.Set, perClass int, seed uint64) (FewLabelScores, error) {
	pick, held, err := FewLabelSplit(set.Labels[:set.N], perClass, seed)
	if err != nil {
		return FewLabelScores{}, err
	}
	px, pl, err := set.Pick(pick)
	if err != nil {
		return FewLabelScores{}, err
	}
	hx, hl, err := set.Pick(held)
	if err != nil {
		return FewLabelScores{}, err
	}
	code := func(x *tensor.Mat) *tensor.Mat {
		mu, _ := enc.Codes(x, nil)
		return mu
	}
	cx, chx := code(px), code(hx)
	out := FewLabelScores{Labelled: len(pick), HeldOut: len(held), CodeWidth: cx.Cols, PixelWidth: px.Cols}
	for _, f := range []struct {
		acc         *float64
		train, test *tensor.Mat
	}{{&out.PixelAccuracy, px, hx}, {&out.CodeAccuracy, cx, chx}} {
		m, err := FitSoftmax(f.train, pl, data.Classes, ProbeSettings)
		if err != nil {
			return FewLabelScores{}, err
		}
		*f.acc = m.Accuracy(f.test, hl)
	}
	return out, nil
}
