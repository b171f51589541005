package gan2d

import (
	"math"

	"latentplay/core/tensor"
)

// mbstd is the minibatch standard deviation layer (Karras et al. 2018,
// "Progressive growing of GANs", §3): it appends to every point of a batch
// one number, the batch's spread
//
//	s = ½ Σⱼ σⱼ,   σⱼ = √( (1/B) Σᵢ (xᵢⱼ − x̄ⱼ)² + ε )
//
// so D sees whole batches, not points one by one. A generator that has
// collapsed onto one mode makes batches far tighter than the data's, which
// D can now tell apart whatever mode they sit on; G's gradient through s
// pushes its points apart.
type mbstd struct {
	x, y, dx *tensor.Mat
	mean     [2]float32
	sd       [2]float32
}

const mbEps = 1e-8

// spread is s for the batch x (B×2).
func (m *mbstd) spread(x *tensor.Mat) float32 {
	b := float32(x.Rows)
	m.mean = [2]float32{}
	for i := range x.Rows {
		m.mean[0] += x.Data[2*i] / b
		m.mean[1] += x.Data[2*i+1] / b
	}
	var v [2]float32
	for i := range x.Rows {
		for j := range 2 {
			d := x.Data[2*i+j] - m.mean[j]
			v[j] += d * d / b
		}
	}
	for j := range 2 {
		m.sd[j] = float32(math.Sqrt(float64(v[j] + mbEps)))
	}
	return (m.sd[0] + m.sd[1]) / 2
}

// withSpread returns the B×3 matrix [x | s].
func withSpread(x *tensor.Mat, s float32) *tensor.Mat {
	y := tensor.New(x.Rows, 3)
	for i := range x.Rows {
		y.Data[3*i], y.Data[3*i+1], y.Data[3*i+2] = x.Data[2*i], x.Data[2*i+1], s
	}
	return y
}

// Forward returns [x | s] (B×3).
func (m *mbstd) Forward(x *tensor.Mat) *tensor.Mat {
	m.x = x
	s := m.spread(x)
	m.y = tensor.Ensure(m.y, x.Rows, 3)
	for i := range x.Rows {
		m.y.Data[3*i], m.y.Data[3*i+1], m.y.Data[3*i+2] = x.Data[2*i], x.Data[2*i+1], s
	}
	return m.y
}

// Backward takes dy = ∂L/∂[x | s] (B×3) to ∂L/∂x (B×2):
//
//	∂L/∂xᵢⱼ = dyᵢⱼ + (Σₖ dyₖ,s) · ∂s/∂xᵢⱼ,   ∂s/∂xᵢⱼ = ½ (xᵢⱼ − x̄ⱼ) / (B σⱼ)
//
// (the mean's own term vanishes because Σᵢ (xᵢⱼ − x̄ⱼ) = 0).
func (m *mbstd) Backward(dy *tensor.Mat) *tensor.Mat {
	x := m.x
	b := float32(x.Rows)
	var ds float32
	for i := range x.Rows {
		ds += dy.Data[3*i+2]
	}
	m.dx = tensor.Ensure(m.dx, x.Rows, 2)
	for i := range x.Rows {
		for j := range 2 {
			m.dx.Data[2*i+j] = dy.Data[3*i+j] + ds*0.5*(x.Data[2*i+j]-m.mean[j])/(b*m.sd[j])
		}
	}
	return m.dx
}
