package nn

import (
	"strconv"

	"latentplay/core/tensor"
)

// Param is a trainable tensor θ with its accumulated gradient ∂L/∂θ.
type Param struct {
	Name  string
	Value *tensor.Mat
	Grad  *tensor.Mat
}

func newParam(name string, r, c int) *Param {
	return &Param{Name: name, Value: tensor.New(r, c), Grad: tensor.New(r, c)}
}

// ZeroGrads clears the gradients of ps.
func ZeroGrads(ps []*Param) {
	for _, p := range ps {
		p.Grad.Zero()
	}
}

// CountParams is the number of scalars in ps.
func CountParams(ps []*Param) int {
	n := 0
	for _, p := range ps {
		n += p.Value.Len()
	}
	return n
}

// AllFinite reports whether every value in ps is a finite number.
func AllFinite(ps []*Param) bool {
	for _, p := range ps {
		if !p.Value.AllFinite() {
			return false
		}
	}
	return true
}

// Grads copies the gradients of ps, in order, into one flat slice (grown
// from dst's storage): what a data-parallel worker sends its leader.
func Grads(ps []*Param, dst []float32) []float32 {
	dst = dst[:0]
	for _, p := range ps {
		dst = append(dst, p.Grad.Data...)
	}
	return dst
}

// FlattenGrads moves the gradients of ps into one slice, laid out as Grads
// lays them out, and returns it: each parameter's gradient is then a view
// of it, so a worker sends or receives the whole gradient without copying
// it parameter by parameter.
func FlattenGrads(ps []*Param) []float32 {
	flat := make([]float32, 0, CountParams(ps))
	for _, p := range ps {
		n := len(flat)
		flat = append(flat, p.Grad.Data...) // within its capacity: the views stay
		p.Grad.Data = flat[n:len(flat):len(flat)]
	}
	return flat
}

// SetGrads sets the gradients of ps from a flat slice laid out as Grads
// lays it out; it panics if the length does not match.
func SetGrads(ps []*Param, src []float32) {
	if n := CountParams(ps); len(src) != n {
		panic("nn: SetGrads: " + itoa(len(src)) + " values for " + itoa(n) + " parameters")
	}
	for _, p := range ps {
		src = src[copy(p.Grad.Data, src):]
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
