package e2e

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// elboFigures reads the shown point's figures from the β lab's status.
func elboFigures(p *page) (beta, recon, kl, active float64) {
	p.t.Helper()
	f := func(name string) float64 {
		v, err := strconv.ParseFloat(dataAttr(p, "#elbo-status", name), 64)
		if err != nil {
			p.t.Fatalf("#elbo-status data-%s: %v", name, err)
		}
		return v
	}
	return f("beta"), f("recon"), f("kl"), f("active")
}

// trainAtBeta types β into its box and trains, waiting for the point.
func trainAtBeta(p *page, beta string, points int) {
	p.t.Helper()
	eval[bool](p, fmt.Sprintf(`(() => { const el = document.getElementById("elbo-beta"); el.value = %q; el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, beta))
	p.waitFor("the button to take β "+beta, fmt.Sprintf(`document.querySelector("#elbo-train")?.textContent.endsWith(%q)`, "= "+beta))
	p.run(chromedp.Click("#elbo-train"))
	p.waitFor("the point at β "+beta, fmt.Sprintf(`Number(document.querySelector("#elbo-curve")?.dataset.points) === %d && document.querySelector("#elbo-status").dataset.state === "idle" && document.querySelector("#elbo-status").dataset.beta === %q && document.querySelectorAll("#elbo-rebuilt canvas.digit[data-empty=false]").length === 8`, points, beta))
}

// spreadOf is the mean squared difference of the digits from their mean.
func spreadOf(imgs [][]float64) float64 {
	mean := make([]float64, len(imgs[0]))
	for _, img := range imgs {
		for i, v := range img {
			mean[i] += v / float64(len(imgs))
		}
	}
	var s float64
	for _, img := range imgs {
		for i, v := range img {
			s += (v - mean[i]) * (v - mean[i])
		}
	}
	return s / float64(len(imgs)*len(mean))
}

// The README's figures for the β lab, with the tolerance each is held to
// (the run is seeded; the tolerance covers another count of workers
// adding in another order).
const (
	elboLowRecon, elboLowKL = 115.1, 25.2 // nats at β 0.3, each ± elboTol
	elboHighRecon           = 201.0       // nats at β 30, ± elboTol
	elboTol                 = 2.0
	elboCollapsedKL         = 0.01 // nats: below it at β 30
	elboLatent              = 10
)

// The β lab: a small β and a large one become two points on each curve,
// KL falling and reconstruction rising; at β 0.3 every one of the 10
// dimensions is active, at β 30 the posterior collapses (none is, KL
// under 0.01 nats) and every digit is rebuilt alike.
func TestELBOLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "elbo")

	// Absurd β: a message, and the control keeps its β.
	eval[bool](p, `(() => { const el = document.getElementById("elbo-beta"); el.value = "500"; el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	p.waitFor("the β error", `document.querySelector("#elbo-lab .error")?.textContent.includes("from 0.1 to 30")`)
	if b := eval[string](p, `document.querySelector("#elbo-train").textContent`); b != "Train at β = 1" {
		t.Errorf("after a bad β the button reads %q", b)
	}
	// The slider reads log₁₀ β: 1 is β = 10.
	setRange(p, "elbo-beta-slider", 1)
	p.waitFor("β from the slider", `document.querySelector("#elbo-train").textContent === "Train at β = 10" && document.querySelector("#elbo-beta").value === "10"`)
	empty := eval[string](p, `document.querySelector("#elbo-curve").outerHTML`)

	trainAtBeta(p, "0.3", 1)
	lb, lr, lk, la := elboFigures(p)
	low := readAll(p, "#elbo-rebuilt canvas.digit")
	lowPx := canvasPixels(p, "#elbo-rebuilt-0")
	if eval[string](p, `document.querySelector("#elbo-curve").outerHTML`) == empty {
		t.Error("the curve plot did not change")
	}
	p.screenshot("elbo-low-beta")

	trainAtBeta(p, "30", 2)
	hb, hr, hk, ha := elboFigures(p)
	high := readAll(p, "#elbo-rebuilt canvas.digit")
	t.Logf("β %g: recon %.1f nats, KL %.2f nats, %v active; β %g: recon %.1f, KL %.2f, %v active", lb, lr, lk, la, hb, hr, hk, ha)
	if !(hk < lk) || !(hr > lr) {
		t.Errorf("β 0.3 → 30: recon %.1f → %.1f, KL %.2f → %.2f; want recon up and KL down", lr, hr, lk, hk)
	}
	if la != elboLatent || ha != 0 {
		t.Errorf("active dimensions %v at β 0.3, %v at β 30; want all %d, then none", la, ha, elboLatent)
	}
	if math.Abs(lr-elboLowRecon) > elboTol || math.Abs(lk-elboLowKL) > elboTol {
		t.Errorf("β 0.3: recon %.1f, KL %.2f nats; want %.1f and %.1f, each ± %.0f", lr, lk, elboLowRecon, elboLowKL, elboTol)
	}
	if math.Abs(hr-elboHighRecon) > elboTol || !(hk < elboCollapsedKL) {
		t.Errorf("β 30: recon %.1f, KL %.4f nats; want %.1f ± %.0f and under %g", hr, hk, elboHighRecon, elboTol, elboCollapsedKL)
	}
	if d := pixelsDiffer(lowPx, canvasPixels(p, "#elbo-rebuilt-0")); d < 50 {
		t.Errorf("the rebuilt digit changed in only %d pixels", d)
	}
	// Collapse: the eight rebuilds become one picture.
	if a, b := spreadOf(low), spreadOf(high); !(b < a/3) {
		t.Errorf("the rebuilds' spread across digits: %.4f at β 0.3, %.4f at β 30", a, b)
	}
	if n := eval[int](p, `document.querySelectorAll("#elbo-table tbody tr").length`); n != 2 {
		t.Errorf("%d rows in the table", n)
	}
	if bars := eval[int](p, `document.querySelectorAll("#elbo-dims rect[tabindex]").length`); bars != 10 {
		t.Errorf("%d dimension bars", bars)
	}
	p.screenshot("elbo-high-beta")
	p.noConsoleProblems()
}
