package web

import (
	"fmt"
	"math"
	"testing"
)

// The colour-vision deficiencies, as Machado, Oliveira & Fernandes (2009)
// simulate them at full severity on linear RGB.
var deficiencies = map[string][3][3]float64{
	"protanopia":   {{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}},
	"deuteranopia": {{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}},
	"tritanopia":   {{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}},
	"typical":      {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
}

func toLinear(c byte) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// seen is colour c as a person with deficiency m sees it, in CIELAB (D65).
func seen(c [3]byte, m [3][3]float64) [3]float64 {
	l := [3]float64{toLinear(c[0]), toLinear(c[1]), toLinear(c[2])}
	var s [3]float64
	for i := range 3 {
		s[i] = math.Max(0, math.Min(1, m[i][0]*l[0]+m[i][1]*l[1]+m[i][2]*l[2]))
	}
	x := (0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]) / 0.95047
	y := 0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2]
	z := (0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]) / 1.08883
	f := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

func deltaE(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

// The ten digits' colours stay apart for people with each common
// colour-vision deficiency (ΔE*ab ≥ 15 between any two, as the deficiency
// is simulated), and each stands out from the plots' dark ground.
func TestClassColoursSurviveColourBlindness(t *testing.T) {
	ground := [3]byte{0x0d, 0x0f, 0x13}
	for name, m := range deficiencies {
		for i, a := range classColours {
			if d := deltaE(seen(a, m), seen(ground, m)); d < 45 {
				t.Errorf("%s: digit %d's colour is %.1f from the ground", name, i, d)
			}
			for j := i + 1; j < len(classColours); j++ {
				if d := deltaE(seen(a, m), seen(classColours[j], m)); d < 15 {
					t.Errorf("%s: digits %d and %d are %.1f apart", name, i, j, d)
				}
			}
		}
	}
	// The palette this replaced failed: its bluish green and light red met under
	// protanopia (the test can fail).
	old := [][3]byte{{0, 158, 115}, {255, 110, 110}}
	if d := deltaE(seen(old[0], deficiencies["protanopia"]), seen(old[1], deficiencies["protanopia"])); d >= 15 {
		t.Errorf("the check passes the old palette (%s)", fmt.Sprint(d))
	}
}
