package web

import (
	"math"
	"strings"
	"testing"

	"latentplay/core/data"
)

// The squared error read back from the Gaussian reconstruction term.
func TestEtaPointMSE(t *testing.T) {
	const eta, mse = 0.1, 0.03
	d := float64(data.Pixels)
	p := etaPoint{eta: eta, recon: mse*d/(2*eta) + d/2*math.Log(2*math.Pi*eta)}
	if got := p.mse(); math.Abs(got-mse) > 1e-12 {
		t.Errorf("mse %v, want %v", got, mse)
	}
}

// The caption names the direction the KL and the error went, and the η
// whose test ELBO is best.
func TestEtaCaption(t *testing.T) {
	d := float64(data.Pixels)
	pt := func(eta, mse, kl float64) etaPoint {
		return etaPoint{eta: eta, kl: kl, recon: mse*d/(2*eta) + d/2*math.Log(2*math.Pi*eta)}
	}
	s := etaCaption([]etaPoint{pt(0.01, 0.027, 49.5), pt(0.1, 0.030, 18.2), pt(1, 0.049, 3.3)})
	for _, want := range []string{"the KL falls from 49.5 to 3.3 nats", "grows from 0.027 to 0.049", "best at η = 0.1", "0.030 here"} {
		if !strings.Contains(s, want) {
			t.Errorf("caption %q lacks %q", s, want)
		}
	}
	if s := etaCaption([]etaPoint{pt(0.01, 0.05, 1), pt(1, 0.02, 2)}); !strings.Contains(s, "the KL rises") || !strings.Contains(s, "shrinks") {
		t.Errorf("caption %q", s)
	}
	if got := etaNames(); got != "0.01, 0.1 and 1" {
		t.Errorf("η named %q", got)
	}
}
