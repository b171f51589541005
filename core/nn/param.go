package nn

import "latentplay/core/tensor"

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
