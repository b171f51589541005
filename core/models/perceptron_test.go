package models

import (
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/nn"
	"latentplay/core/tensor"
)

func festival() ([][]float32, []float32) {
	var xs [][]float32
	for _, r := range data.FestivalInputs() {
		xs = append(xs, []float32{r[0], r[1], r[2]})
	}
	return xs, data.FestivalWeather()
}

var xorInputs = [][]float32{{0, 0}, {0, 1}, {1, 0}, {1, 1}}
var xorTargets = []float32{0, 1, 1, 0}

func TestPerceptronRuleLearnsFestival(t *testing.T) {
	xs, ys := festival()
	p := NewPerceptron(3)
	epochs := 0
	for p.RuleEpoch(xs, ys, 1) > 0 {
		if epochs++; epochs > 100 {
			t.Fatal("the perceptron rule did not converge on Y = x1 in 100 epochs")
		}
	}
	for k, x := range xs {
		if got := p.Output(x); got != ys[k] {
			t.Errorf("row %v: Y = %v, want %v (w = %v, b = %v)", x, got, ys[k], p.W, p.B)
		}
	}
	// Only the weather may matter: the plane must separate on x1 alone.
	if !(p.W[0] > 0 && p.B < 0 && p.W[0]+p.B >= 0) {
		t.Errorf("w = %v, b = %v: not a plane that splits on x1", p.W, p.B)
	}
}

func TestGradientDescentLearnsFestival(t *testing.T) {
	xs, ys := festival()
	p := NewPerceptron(3)
	p.Act = nn.Sigmoid
	first := p.GradientStep(xs, ys, 1)
	var last float64
	for range 2000 {
		last = p.GradientStep(xs, ys, 1)
	}
	if p.Accuracy(xs, ys) != 1 {
		t.Fatalf("accuracy %v after gradient descent, want 8/8 (w = %v, b = %v)", p.Accuracy(xs, ys), p.W, p.B)
	}
	if !(last < first/10) {
		t.Errorf("cross-entropy fell only from %.3f to %.3f", first, last)
	}
	// Sigmoid outputs are confident away from the plane: near 1 for x1 = 1.
	for k, x := range xs {
		if y := p.Output(x); (ys[k] == 1) != (y > 0.9) {
			t.Errorf("row %v: σ = %.3f", x, y)
		}
	}
}

func TestPerceptronCannotFitXOR(t *testing.T) {
	p := NewPerceptron(2)
	for epoch := range 1000 {
		if p.RuleEpoch(xorInputs, xorTargets, 1) == 0 {
			t.Fatalf("the perceptron rule settled on XOR at epoch %d: w = %v, b = %v", epoch, p.W, p.B)
		}
	}
	// No line separates XOR: the best a perceptron can do is 3 of 4.
	g := NewPerceptron(2)
	g.Act = nn.Sigmoid
	for range 5000 {
		g.GradientStep(xorInputs, xorTargets, 1)
	}
	if acc := g.Accuracy(xorInputs, xorTargets); acc > 0.75 {
		t.Fatalf("a single neuron fit XOR with accuracy %v", acc)
	}
}

func TestTwoTwoOneNetworkFitsXOR(t *testing.T) {
	net := nn.NewMLP("xor", []int{2, 2, 1}, nn.Tanh, rand.New(rand.NewPCG(7, 7)))
	x := tensor.FromSlice(4, 2, []float32{0, 0, 0, 1, 1, 0, 1, 1})
	y := tensor.FromSlice(4, 1, xorTargets)
	grad := tensor.New(4, 1)
	opt := nn.NewAdam(0.05)
	var loss float64
	for range 2000 {
		out := net.Forward(x)
		loss = nn.BCEWithLogits.Eval(out, y, grad)
		net.Backward(grad)
		opt.Step(net.Params())
	}
	out := net.Forward(x)
	for i, want := range xorTargets {
		if got := out.Data[i] > 0; got != (want == 1) {
			t.Fatalf("row %d: logit %.3f, want class %v (loss %.4f)", i, out.Data[i], want, loss)
		}
	}
	if loss > 0.05 {
		t.Errorf("final loss %.4f, want < 0.05", loss)
	}
}

// Of the 2⁸ = 256 decisions over three yes/no facts, exactly 104 are
// threshold functions (a single perceptron can make them); Separable must
// find all of those and no other.
func TestSeparableCountsThresholdFunctions(t *testing.T) {
	xs, _ := festival()
	n := 0
	for table := range 256 {
		ts := make([]float32, 8)
		for r := range ts {
			ts[r] = float32(table >> r & 1)
		}
		if Separable(xs, ts) {
			n++
		}
	}
	if n != 104 {
		t.Errorf("%d of 256 tables separable, want 104", n)
	}
	xor := make([]float32, 8) // x1 XOR x2, whatever x3
	for r, x := range xs {
		if x[0] != x[1] {
			xor[r] = 1
		}
	}
	if Separable(xs, xor) {
		t.Error("x1 XOR x2 reported separable")
	}
	if !Separable(xs, data.FestivalWeather()) {
		t.Error("Y = x1 reported not separable")
	}
}
