// Package estimator puts numbers on the reparameterisation trick. A VAE
// needs the gradient of an expectation over its own sample,
//
//	∂/∂μ E_{z~N(μ, diag σ²)}[L(z)],
//
// and there are two unbiased Monte Carlo estimates of it, one a draw:
//
//   - pathwise: write z = μ + σ⊙ε with ε ~ N(0, I) (Kingma & Welling 2013,
//     the reparameterisation trick). The expectation is then over ε, which
//     does not depend on μ, so the gradient moves inside:
//     ∂E[L]/∂μ = E[∂L/∂z], one backward pass through L a draw;
//   - score function (REINFORCE; Williams 1992): without the trick z is
//     drawn from a distribution that depends on μ and no gradient passes
//     the sampling, but ∂E[L]/∂μ = E[L(z)·∂log q(z)/∂μ] = E[L(z)·(z − μ)/σ²],
//     which needs L and not its gradient.
//
// Both are right on average; the point is how much a draw scatters.
package estimator

import (
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/tensor"
)

// An Objective is L at each row of z, with its gradient ∂L/∂z (a matrix
// of z's shape, one row a draw).
type Objective func(z *tensor.Mat) (loss []float32, grad *tensor.Mat)

// Estimates are draws' estimates of ∂E[L]/∂μ, one row a draw.
type Estimates struct {
	Eps      *tensor.Mat // ε ~ N(0, I), draws×K
	Loss     []float32   // L(z) at z = μ + σ⊙ε
	Pathwise *tensor.Mat // ∂L/∂z at z
	Score    *tensor.Mat // L(z)·(z − μ)/σ² = L(z)·ε/σ
}

// Gradients draws ε from rng, draws times, row by row, and estimates
// ∂E[L]/∂μ at each z = μ + σ⊙ε both ways. σ must be positive.
func Gradients(mu, sigma []float32, draws int, rng *rand.Rand, f Objective) Estimates {
	k := len(mu)
	if len(sigma) != k || k == 0 || draws < 1 {
		panic(fmt.Sprintf("estimator: %d means, %d deviations, %d draws", k, len(sigma), draws))
	}
	e := Estimates{Eps: tensor.New(draws, k), Score: tensor.New(draws, k)}
	z := tensor.New(draws, k)
	for i := range e.Eps.Data {
		e.Eps.Data[i] = float32(rng.NormFloat64())
		z.Data[i] = mu[i%k] + sigma[i%k]*e.Eps.Data[i]
	}
	e.Loss, e.Pathwise = f(z)
	if len(e.Loss) != draws || e.Pathwise.Rows != draws || e.Pathwise.Cols != k {
		panic(fmt.Sprintf("estimator: the objective gave %d losses and a %d×%d gradient for %d draws of %d", len(e.Loss), e.Pathwise.Rows, e.Pathwise.Cols, draws, k))
	}
	for i, l := range e.Loss {
		for j := range k {
			e.Score.Data[i*k+j] = l * e.Eps.Data[i*k+j] / sigma[j]
		}
	}
	return e
}

// MeanLoss is the draws' mean L, the Monte Carlo estimate of E[L].
func (e Estimates) MeanLoss() float64 {
	var s float64
	for _, l := range e.Loss {
		s += float64(l)
	}
	return s / float64(len(e.Loss))
}

// Spread is each column's mean and sample standard deviation over the
// rows, √(Σᵢ(xᵢ − x̄)²/(n − 1)): for an estimator, its estimate and how
// far one draw strays from it.
type Spread struct {
	Mean, Std []float64
}

// SpreadOf is the spread of the columns of m (at least two rows).
func SpreadOf(m *tensor.Mat) Spread {
	n, k := m.Rows, m.Cols
	if n < 2 {
		panic(fmt.Sprintf("estimator: the spread of %d rows", n))
	}
	s := Spread{Mean: make([]float64, k), Std: make([]float64, k)}
	for i := range n {
		for j, v := range m.Row(i) {
			s.Mean[j] += float64(v) / float64(n)
		}
	}
	for i := range n {
		for j, v := range m.Row(i) {
			d := float64(v) - s.Mean[j]
			s.Std[j] += d * d
		}
	}
	for j := range s.Std {
		s.Std[j] = math.Sqrt(s.Std[j] / float64(n-1))
	}
	return s
}

// MeanStd is the columns' standard deviations averaged: one number for
// how much an estimator scatters.
func (s Spread) MeanStd() float64 {
	var t float64
	for _, v := range s.Std {
		t += v / float64(len(s.Std))
	}
	return t
}
