package linearae

import (
	"math"
	"math/rand/v2"
)

// AE is the linear autoencoder of 3-D points through a code of two
// numbers: the encoder V (2×3) projects x to the code V·x, the decoder U
// (3×2) takes the code back to space, x̂ = U·V·x. Every x̂ lies on the
// plane U's two columns span.
type AE struct {
	U [3][2]float64 `json:"u"`
	V [2][3]float64 `json:"v"`
}

// NewAE draws every weight from N(0, scale²) with seed.
func NewAE(seed uint64, scale float64) AE {
	rng := rand.New(rand.NewPCG(seed, 0xae))
	var a AE
	for i := range 3 {
		for k := range 2 {
			a.U[i][k] = scale * rng.NormFloat64()
		}
	}
	for k := range 2 {
		for j := range 3 {
			a.V[k][j] = scale * rng.NormFloat64()
		}
	}
	return a
}

// Code is V·x.
func (a *AE) Code(x [3]float64) [2]float64 {
	var z [2]float64
	for k := range 2 {
		for j := range 3 {
			z[k] += a.V[k][j] * x[j]
		}
	}
	return z
}

// Rebuild is x̂ = U·V·x.
func (a *AE) Rebuild(x [3]float64) [3]float64 {
	z := a.Code(x)
	var r [3]float64
	for i := range 3 {
		r[i] = a.U[i][0]*z[0] + a.U[i][1]*z[1]
	}
	return r
}

// Product is U·V, the 3×3 matrix that takes x to x̂.
func (a *AE) Product() [3][3]float64 {
	var p [3][3]float64
	for i := range 3 {
		for j := range 3 {
			p[i][j] = a.U[i][0]*a.V[0][j] + a.U[i][1]*a.V[1][j]
		}
	}
	return p
}

// Loss is the mean over the cloud's points of |x̂ − x|².
func (a *AE) Loss(c *Cloud) float64 {
	var s float64
	for i := range c.N {
		x := c.Point(i)
		r := a.Rebuild(x)
		for j := range 3 {
			d := r[j] - x[j]
			s += d * d
		}
	}
	return s / float64(c.N)
}

// Gradient is ∂L/∂U and ∂L/∂V of L = (1/N) Σ |U·V·x − x|², and L. With
// the code z = V·x and the error e = U·z − x of each point,
//
//	∂L/∂U = (2/N) Σ e·zᵀ,   ∂L/∂V = (2/N) Σ (Uᵀ·e)·xᵀ.
func (a *AE) Gradient(c *Cloud) (g AE, loss float64) {
	scale := 2 / float64(c.N)
	for i := range c.N {
		x := c.Point(i)
		z := a.Code(x)
		var e [3]float64
		for j := range 3 {
			e[j] = a.U[j][0]*z[0] + a.U[j][1]*z[1] - x[j]
			loss += e[j] * e[j]
		}
		for j := range 3 {
			for k := range 2 {
				g.U[j][k] += scale * e[j] * z[k]
			}
		}
		for k := range 2 {
			ue := a.U[0][k]*e[0] + a.U[1][k]*e[1] + a.U[2][k]*e[2]
			for j := range 3 {
				g.V[k][j] += scale * ue * x[j]
			}
		}
	}
	return g, loss / float64(c.N)
}

// Step moves U and V one step of gradient descent at rate lr down the
// loss over the whole cloud: θ ← θ − lr·∂L/∂θ.
func (a *AE) Step(c *Cloud, lr float64) {
	g, _ := a.Gradient(c)
	for i := range 3 {
		for k := range 2 {
			a.U[i][k] -= lr * g.U[i][k]
			a.V[k][i] -= lr * g.V[k][i]
		}
	}
}

// Finite reports whether every weight is a finite number.
func (a *AE) Finite() bool {
	for i := range 3 {
		for k := range 2 {
			if math.IsNaN(a.U[i][k]) || math.IsInf(a.U[i][k], 0) || math.IsNaN(a.V[k][i]) || math.IsInf(a.V[k][i], 0) {
				return false
			}
		}
	}
	return true
}
