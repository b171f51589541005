package models

import (
	"math"
	"testing"

	"latentplay/core/nn"
)

// Stepping through the table a row at a time is the rule's epoch, split
// anywhere: 8 steps from row 0 make RuleEpoch's mistakes and weights, and
// steps wrap round the table.
func TestRuleStepsWrap(t *testing.T) {
	xs, ts := festival()
	a, b := NewPerceptron(3), NewPerceptron(3)
	for range 5 {
		want := a.RuleEpoch(xs, ts, 1)
		got := b.RuleSteps(xs, ts, 0, 3, 1) + b.RuleSteps(xs, ts, 3, 5, 1)
		if got != want || a.B != b.B || a.W[0] != b.W[0] || a.W[1] != b.W[1] || a.W[2] != b.W[2] {
			t.Fatalf("3 + 5 steps: %d mistakes, w %v b %v; an epoch: %d, w %v b %v", got, b.W, b.B, want, a.W, a.B)
		}
	}
	// From row 7, a second step visits row 0: x = 000 with target 0, which
	// zero weights get wrong (step(0) = 1), so b falls by one.
	p := NewPerceptron(3)
	p.W[0] = 1 // row 7 (x = 111, target 1) is right already
	if m := p.RuleSteps(xs, ts, 7, 2, 1); m != 1 || p.B != -1 {
		t.Errorf("rows 7 then 0: %d mistakes, b = %v; want 1 and −1", m, p.B)
	}
}

// Read gives each row's net and sigmoid and counts the rows the step gets
// right.
func TestPerceptronRead(t *testing.T) {
	xs, ts := festival()
	p := &Perceptron{W: []float32{2, -1, 0.5}, B: -1.25, Act: nn.Step}
	r := p.Read(xs, ts)
	correct := 0
	for k, x := range xs {
		net := 2*x[0] - x[1] + 0.5*x[2] - 1.25
		if math.Abs(float64(r.Net[k]-net)) > 1e-6 {
			t.Errorf("row %d: net %v, want %v", k, r.Net[k], net)
		}
		if s := 1 / (1 + math.Exp(-float64(net))); math.Abs(float64(r.Sigmoid[k])-s) > 1e-6 {
			t.Errorf("row %d: σ %v, want %v", k, r.Sigmoid[k], s)
		}
		if (net >= 0) == (ts[k] == 1) {
			correct++
		}
	}
	// Y = x₁ fails only where x₁ = 1, x₂ = 1, x₃ = 0: net 2 − 1 − 1.25 < 0.
	if r.Correct != correct || correct != 7 {
		t.Errorf("%d rows right, want %d (and 7)", r.Correct, correct)
	}
}
