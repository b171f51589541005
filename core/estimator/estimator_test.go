package estimator

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/tensor"
)

// quadratic is L(z) = ½‖z − a‖², whose expectation under N(μ, σ²) has the
// gradient μ − a in μ, and whose pathwise estimate z − a = μ − a + σ⊙ε
// scatters by exactly σ.
func quadratic(a []float32, seen **tensor.Mat) Objective {
	return func(z *tensor.Mat) ([]float32, *tensor.Mat) {
		*seen = z
		loss, grad := make([]float32, z.Rows), tensor.New(z.Rows, z.Cols)
		for i := range z.Rows {
			for j, v := range z.Row(i) {
				d := v - a[j]
				loss[i] += d * d / 2
				grad.Set(i, j, d)
			}
		}
		return loss, grad
	}
}

// Both estimates are unbiased, the pathwise one scatters by σ, the score
// function's far more; the objective sees z = μ + σ⊙ε.
func TestEstimatesOfAQuadratic(t *testing.T) {
	mu, sigma, a := []float32{1, -2, 0.5}, []float32{0.5, 1, 0.2}, []float32{-1, 1, 0.5}
	const draws = 20000
	var z *tensor.Mat
	e := Gradients(mu, sigma, draws, rand.New(rand.NewPCG(1, 2)), quadratic(a, &z))
	for i := range z.Data {
		if want := mu[i%3] + sigma[i%3]*e.Eps.Data[i]; z.Data[i] != want {
			t.Fatalf("z[%d] = %v, want μ + σε = %v", i, z.Data[i], want)
		}
	}
	path, score := SpreadOf(e.Pathwise), SpreadOf(e.Score)
	var wantLoss float64
	for j := range mu {
		grad := float64(mu[j] - a[j])
		wantLoss += (grad*grad + float64(sigma[j])*float64(sigma[j])) / 2
		for _, est := range []struct {
			name string
			s    Spread
		}{{"pathwise", path}, {"score function", score}} {
			if se := est.s.Std[j] / math.Sqrt(draws); math.Abs(est.s.Mean[j]-grad) > 5*se {
				t.Errorf("μ%d: %s mean %.4f ± %.4f, the gradient is %.4f", j+1, est.name, est.s.Mean[j], se, grad)
			}
		}
		if math.Abs(path.Std[j]-float64(sigma[j])) > 0.03*float64(sigma[j]) {
			t.Errorf("μ%d: pathwise std %.4f, want σ = %v", j+1, path.Std[j], sigma[j])
		}
	}
	if !(score.MeanStd() > 5*path.MeanStd()) {
		t.Errorf("std averaged over the coordinates: pathwise %.3f, score function %.3f", path.MeanStd(), score.MeanStd())
	}
	if got := e.MeanLoss(); math.Abs(got-wantLoss) > 0.03*wantLoss {
		t.Errorf("mean loss %.4f, E[L] = %.4f", got, wantLoss)
	}
	for i := range draws {
		for j := range mu {
			if want := e.Loss[i] * e.Eps.At(i, j) / sigma[j]; e.Score.At(i, j) != want {
				t.Fatalf("draw %d: score estimate %v, want L·ε/σ = %v", i, e.Score.At(i, j), want)
			}
		}
	}
	again := Gradients(mu, sigma, draws, rand.New(rand.NewPCG(1, 2)), quadratic(a, &z))
	if again.Eps.Data[draws] != e.Eps.Data[draws] {
		t.Error("the same source drew different ε")
	}
}

func TestSpreadOf(t *testing.T) {
	s := SpreadOf(tensor.FromSlice(4, 2, []float32{1, 0, 2, 0, 3, 0, 6, 4}))
	if s.Mean[0] != 3 || s.Mean[1] != 1 {
		t.Errorf("means %v, want [3 1]", s.Mean)
	}
	// Σ(x − x̄)²: 4 + 1 + 0 + 9 = 14 and 1 + 1 + 1 + 9 = 12, over n − 1 = 3.
	if math.Abs(s.Std[0]-math.Sqrt(14.0/3)) > 1e-12 || math.Abs(s.Std[1]-2) > 1e-12 {
		t.Errorf("standard deviations %v", s.Std)
	}
	if want := (math.Sqrt(14.0/3) + 2) / 2; math.Abs(s.MeanStd()-want) > 1e-12 {
		t.Errorf("mean std %v, want %v", s.MeanStd(), want)
	}
}
