package nn

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// Dropout zeroes each input with probability Rate while training and scales
// the survivors by 1/(1−Rate), so inference needs no change (inverted
// dropout; Srivastava et al. 2014). It is the identity when not training.
type Dropout struct {
	Rate     float32
	training bool
	rng      *rand.Rand

	mask, y, dx *tensor.Mat
}

// NewDropout returns a dropout layer drawing its masks from rng.
func NewDropout(rate float32, rng *rand.Rand) *Dropout {
	if rate < 0 || rate >= 1 {
		panic(fmt.Sprintf("nn: dropout rate %g outside [0, 1)", rate))
	}
	return &Dropout{Rate: rate, rng: rng}
}

// SetTraining turns dropping on or off.
func (d *Dropout) SetTraining(on bool) { d.training = on }

// Forward drops inputs while training.
func (d *Dropout) Forward(x *tensor.Mat) *tensor.Mat {
	if !d.training || d.Rate == 0 {
		return x
	}
	d.mask = tensor.Ensure(d.mask, x.Rows, x.Cols)
	d.y = tensor.Ensure(d.y, x.Rows, x.Cols)
	keep := 1 / (1 - d.Rate)
	for i, v := range x.Data {
		m := float32(0)
		if d.rng.Float32() >= d.Rate {
			m = keep
		}
		d.mask.Data[i] = m
		d.y.Data[i] = v * m
	}
	return d.y
}

// Backward passes the gradient through the kept inputs only.
func (d *Dropout) Backward(dy *tensor.Mat) *tensor.Mat {
	if !d.training || d.Rate == 0 {
		return dy
	}
	d.dx = tensor.Ensure(d.dx, dy.Rows, dy.Cols)
	for i, g := range dy.Data {
		d.dx.Data[i] = g * d.mask.Data[i]
	}
	return d.dx
}

// Params is empty.
func (d *Dropout) Params() []*Param { return nil }
