package nn

import "testing"

func TestActivationValues(t *testing.T) {
	for _, tc := range []struct {
		a    Activation
		x    float32
		want float32
	}{
		{Step, -0.1, 0}, {Step, 0, 1}, {Step, 3, 1},
		{Sigmoid, 0, 0.5}, {Sigmoid, -200, 0}, {Sigmoid, 200, 1},
		{Tanh, 0, 0},
		{ReLU, -2, 0}, {ReLU, 2, 2},
		{LeakyReLU(0.1), -2, -0.2},
		{Identity, -3, -3},
	} {
		if got := tc.a.F(tc.x); got != tc.want {
			t.Errorf("%s(%v) = %v, want %v", tc.a.Name, tc.x, got, tc.want)
		}
	}
}

func TestActivationByName(t *testing.T) {
	for _, a := range Activations {
		got, err := ActivationByName(a.Name)
		if err != nil || got.Name != a.Name {
			t.Errorf("ActivationByName(%q) = %q, %v", a.Name, got.Name, err)
		}
	}
	if a, err := ActivationByName("leaky-relu:0.2"); err != nil || a.F(-1) != -0.2 {
		t.Errorf("leaky-relu:0.2 gave %v, %v", a.Name, err)
	}
	for _, bad := range []string{"", "softplus", "leaky-relu:x", "leaky-relu:2", "leaky-relu:NaN"} {
		if _, err := ActivationByName(bad); err == nil {
			t.Errorf("ActivationByName(%q) gave no error", bad)
		}
	}
}

// TestApplyMatchesF holds each activation's slice form to its scalar one.
func TestApplyMatchesF(t *testing.T) {
	src := make([]float32, 2001)
	for i := range src {
		src[i] = float32(i-1000) / 50
	}
	for _, a := range append(Activations, LeakyReLU(0.2)) {
		if a.Apply == nil {
			continue
		}
		dst := make([]float32, len(src))
		a.Apply(dst, src)
		for i, x := range src {
			if want := a.F(x); dst[i] != want && ulps(dst[i], want) > 3 {
				t.Fatalf("%s: Apply gives %g at %g, F gives %g", a.Name, dst[i], x, want)
			}
		}
	}
}
