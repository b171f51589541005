package e2e

import (
	"math"
	"strconv"
	"testing"
)

// The README's figures: from 100 labels, 74.1% on the codes against 70.6%
// on the pixels, each ± 0.5 points (the run is seeded: the width covers
// floating-point order, 25 of the 5,000 held-out digits).
const teachCode, teachPixel, teachTol = 0.741, 0.706, 0.005

// Lessons 8 and 9: from 100 labels, softmax regression on the VAE's codes
// beats it on the pixels, by the README's figures; the same prior samples
// decode through both 2-D models, and both latent maps are drawn.
func TestTeachLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "why-autoencoders")
	p.waitFor("the accuracies", `document.querySelector("#few-bars")?.dataset.done === "true"`)
	code, _ := strconv.ParseFloat(dataAttr(p, "#few-bars", "code"), 64)
	pixel, _ := strconv.ParseFloat(dataAttr(p, "#few-bars", "pixel"), 64)
	t.Logf("100 labels: %.1f%% on the VAE's codes, %.1f%% on the pixels", 100*code, 100*pixel)
	// Ten classes: chance is 10%.
	if !(pixel > 0.3) || !(code > pixel) {
		t.Errorf("codes %.4f, pixels %.4f: the codes should win", code, pixel)
	}
	if math.Abs(code-teachCode) > teachTol || math.Abs(pixel-teachPixel) > teachTol {
		t.Errorf("codes %.4f, pixels %.4f; want %.3f and %.3f, each ± %.3f", code, pixel, teachCode, teachPixel, teachTol)
	}
	if bars := eval[int](p, `document.querySelectorAll("#few-bars rect").length`); bars != 2 {
		t.Errorf("%d accuracy bars", bars)
	}

	p.screenshot("why-autoencoders")
	p.open(url + "limits")
	p.waitFor("both strips and maps", `document.querySelectorAll("#not-generative .strip canvas.digit[data-empty=false]").length === 16 && Number(document.querySelector("#map-ae-2")?.dataset.points) === 2000 && Number(document.querySelector("#map-vae-2")?.dataset.points) === 2000 && document.querySelectorAll("#not-generative img.map").length === 2`)
	ae := readAll(p, "#strip-ae-2 canvas.digit")
	vae := readAll(p, "#strip-vae-2 canvas.digit")
	same := 0
	for i := range vae {
		// An MNIST digit has 60–200 units of ink; a VAE's prior sample is a digit.
		if s := ink(vae[i]); s < 30 {
			t.Errorf("the VAE's sample %d is nearly blank (ink %.1f)", i, s)
		}
		if correlation(ae[i], vae[i]) > 0.99 {
			same++
		}
	}
	if same == len(vae) {
		t.Error("the two models decode the prior samples alike")
	}
	p.screenshot("limits")
	p.noConsoleProblems()
}
