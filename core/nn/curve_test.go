package nn

import (
	"math"
	"testing"
)

// Each curve's f and f′ at z = −2, −1, 0, 1, 2.
func TestCurveSample(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Curve
		f, d []float32
	}{
		{"step", CurveOf(Step), []float32{0, 0, 1, 1, 1}, []float32{0, 0, 0, 0, 0}},
		{"relu", CurveOf(ReLU), []float32{0, 0, 0, 1, 2}, []float32{0, 0, 0, 1, 1}},
		{"leaky-relu", CurveOf(LeakyReLU(0.25)), []float32{-0.5, -0.25, 0, 1, 2}, []float32{0.25, 0.25, 0.25, 1, 1}},
		{"sigmoid", CurveOf(Sigmoid), []float32{0.1192, 0.2689, 0.5, 0.7311, 0.8808}, []float32{0.105, 0.1966, 0.25, 0.1966, 0.105}},
		{"tanh", CurveOf(Tanh), []float32{-0.9640, -0.7616, 0, 0.7616, 0.9640}, []float32{0.0707, 0.42, 1, 0.42, 0.0707}},
		// One piece is the line z; two are |z| − ½ (at the kink the first
		// piece wins the tie); three add the flat 0.
		{"maxout/1", MaxoutCurve(1), []float32{-2, -1, 0, 1, 2}, []float32{1, 1, 1, 1, 1}},
		{"maxout/2", MaxoutCurve(2), []float32{1.5, 0.5, -0.5, 0.5, 1.5}, []float32{-1, -1, -1, 1, 1}},
		{"maxout/3", MaxoutCurve(3), []float32{1.5, 0.5, 0, 0.5, 1.5}, []float32{-1, -1, 0, 1, 1}},
	} {
		f, d := tc.c.Sample(-2, 2, 5)
		if len(f) != 5 || len(d) != 5 {
			t.Fatalf("%s: %d and %d values, want 5", tc.name, len(f), len(d))
		}
		for i := range 5 {
			if math.Abs(float64(f[i]-tc.f[i])) > 1e-3 || math.Abs(float64(d[i]-tc.d[i])) > 1e-3 {
				t.Errorf("%s at z = %d: f = %v, f′ = %v; want %v, %v", tc.name, i-2, f[i], d[i], tc.f[i], tc.d[i])
			}
		}
	}
}

// The neuron's raster runs x₁ left to right and x₂ from the top down, at
// the cells' centres.
func TestCurveNeuron(t *testing.T) {
	id := CurveOf(Identity)
	const n = 4
	x1 := id.Neuron(1, 0, 0, n)
	x2 := id.Neuron(0, 1, 0.5, n)
	for i := range n {
		for j := range n {
			want1 := -1 + 2*(float32(j)+0.5)/n
			want2 := 1 - 2*(float32(i)+0.5)/n + 0.5
			if got := x1[i*n+j]; math.Abs(float64(got-want1)) > 1e-6 {
				t.Errorf("cell (%d, %d): x₁ = %v, want %v", i, j, got, want1)
			}
			if got := x2[i*n+j]; math.Abs(float64(got-want2)) > 1e-6 {
				t.Errorf("cell (%d, %d): x₂ + ½ = %v, want %v", i, j, got, want2)
			}
		}
	}
	// Through ReLU the lower-left half, where x₁ + x₂ < 0, is off.
	r := CurveOf(ReLU).Neuron(1, 1, 0, n)
	if r[n*(n-1)] != 0 || !(r[n-1] > 0) {
		t.Errorf("ReLU(x₁ + x₂): bottom left %v, top right %v", r[n*(n-1)], r[n-1])
	}
}
