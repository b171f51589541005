package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// laeNumber reads a numeric data attribute of the lesson's status.
func laeNumber(p *page, name string) float64 {
	p.t.Helper()
	v, err := strconv.ParseFloat(dataAttr(p, "#lae-status", name), 64)
	if err != nil {
		p.t.Fatalf("#lae-status data-%s: %v", name, err)
	}
	return v
}

// laeRunEnded is true once a Play run has stopped after its iterations.
const laeRunEnded = `(() => { const s = document.querySelector("#lae-status").dataset; return s.running === "false" && Number(s.runIters) > 0; })()`

// Lesson 7's first "Try this" on the lecture path: Press Play, and the
// angle between the learnt plane and PCA's ends below 2°.
func init() {
	firstTry["linear-ae"] = func(p *page) {
		p.waitFor("the cloud", `document.querySelector("#lae-status")?.dataset.have === "true"`)
		eval[bool](p, `(() => { document.querySelector("#lae-play").scrollIntoView({block: "center"}); return true; })()`)
		p.run(chromedp.Click("#lae-play"))
		p.waitFor("the run to end", laeRunEnded)
		if a := laeNumber(p, "angle"); !(a <= 2) {
			p.t.Errorf("after Play the planes are %.2f° apart, want ≤ 2°", a)
		}
	}
}

// Lesson 7, as its first "Try this" says: Play trains x̂ = U·V·x on the
// default cloud, the loss falls and the learnt plane ends within 2° of
// PCA's; the view turns when dragged; a drawn digit comes back rebuilt by
// the linear autoencoder, PCA-20 and the deep autoencoder, each with its
// error, beside U's columns and PCA's components.
func TestLinearAE(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "linear-ae")
	p.waitFor("the cloud", `document.querySelector("#lae-status")?.dataset.have === "true" && document.querySelector("#lae-cloud")?.dataset.painted === "0"`)
	if try := eval[string](p, `document.querySelector(".try li strong").textContent`); !strings.HasPrefix(try, "Press Play.") {
		t.Fatalf("the first Try this is %q", try)
	}
	startAngle, startLoss := laeNumber(p, "angle"), laeNumber(p, "loss")
	startU := eval[string](p, `document.querySelector("#lae-u").textContent`)
	view := canvasPixels(p, "#lae-cloud")

	p.run(chromedp.Click("#lae-play"))
	p.waitFor("Play to start", `document.querySelector("#lae-status").dataset.running === "true"`)
	p.waitFor("the run to end", laeRunEnded)
	angle, loss, floor := laeNumber(p, "angle"), laeNumber(p, "loss"), laeNumber(p, "pcaLoss")
	iters, ms := laeNumber(p, "runIters"), laeNumber(p, "runMs")
	reached, reachedMs := laeNumber(p, "reached"), laeNumber(p, "reachedMs")
	t.Logf("Play: %.0f iterations in %.2f s in the browser; angle %.1f° → %.2f° (below 2° from iteration %.0f, %.2f s after Play); loss %.4f → %.5f, PCA's %.5f",
		iters, ms/1000, startAngle, angle, reached, reachedMs/1000, startLoss, loss, floor)
	t.Logf("status: %s", eval[string](p, `document.querySelector("#lae-status").textContent`))
	if iters != 500 || laeNumber(p, "iter") != 500 {
		t.Errorf("Play ran %.0f iterations, want the budget of 500", iters)
	}
	if !(angle <= 2) || !(reached > 0) {
		t.Errorf("after Play the planes are %.2f° apart (below 2° from iteration %.0f), want ≤ 2°", angle, reached)
	}
	if !(loss < startLoss/10) || loss < floor*(1-1e-6) {
		t.Errorf("loss %.5f → %.5f, PCA's floor %.5f", startLoss, loss, floor)
	}
	if eval[string](p, `document.querySelector("#lae-u").textContent`) == startU {
		t.Error("U's numbers did not change")
	}
	for _, id := range []string{"#lae-loss", "#lae-angle"} {
		if n := eval[int](p, fmt.Sprintf(`document.querySelector(%q + " polyline")?.points.numberOfItems ?? 0`, id)); n < 100 {
			t.Errorf("%s has a curve of %d points", id, n)
		}
	}
	trained := canvasPixels(p, "#lae-cloud")
	if d := pixelsDiffer(view, trained); d < 500 {
		t.Errorf("training changed %d pixels of the 3-D view", d)
	}
	// Dragging turns the view, and so do the arrow keys.
	p.stroke("#lae-cloud", [][2]float64{{0.3, 0.5}, {0.7, 0.45}})
	turned := canvasPixels(p, "#lae-cloud")
	if d := pixelsDiffer(trained, turned); d < 500 {
		t.Errorf("dragging the view changed %d pixels", d)
	}
	eval[bool](p, `document.querySelector("#lae-cloud").dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowRight", bubbles: true}))`)
	if d := pixelsDiffer(turned, canvasPixels(p, "#lae-cloud")); d < 200 {
		t.Errorf("the arrow key changed %d pixels", d)
	}

	// MNIST: drawing loads the models and PCA, then rebuilds three ways.
	eval[bool](p, `(document.querySelector("#lae-mnist canvas.pad").scrollIntoView({block: "center"}), true)`)
	p.stroke("#lae-mnist canvas.pad", seven)
	p.waitFor("U's columns and PCA's components", `document.querySelectorAll("#lae-u canvas.digit[data-empty=false]").length === 20 && document.querySelectorAll("#lae-pca canvas.digit[data-empty=false]").length === 20`)
	p.waitFor("the three rebuilds", `document.querySelectorAll("#lae-rebuilds canvas.digit[data-empty=false]").length === 3 && (document.querySelector("#lae-rebuilds").dataset.mse ?? "").split(",").length === 3`)
	mse := floatList(p, "#lae-rebuilds", "mse")
	t.Logf("the drawn 7: error of the linear autoencoder %.4f, PCA-20 %.4f, autoencoder %.4f; %s", mse[0], mse[1], mse[2], eval[string](p, `document.querySelector("#lae-mnist-status").textContent`))
	if !(mse[2] < mse[0] && mse[2] < mse[1]) || mse[0] > 1.5*mse[1] || mse[1] > 1.5*mse[0] {
		t.Errorf("errors %v: want the linear autoencoder's near PCA's, the deep one's below both", mse)
	}
	for i, id := range []string{"#lae-rebuilt-linear", "#lae-rebuilt-pca", "#lae-rebuilt-ae"} {
		caption := eval[string](p, fmt.Sprintf(`document.querySelector(%q).closest("figure").textContent`, id))
		if !strings.Contains(caption, fmt.Sprintf("error %.4f", mse[i])) {
			t.Errorf("%s's caption %q does not give its error", id, caption)
		}
	}
	if r := correlation(readDigit(p, "#lae-rebuilt-linear"), readDigit(p, "#lae-rebuilt-pca")); r < 0.9 {
		t.Errorf("the linear autoencoder's and PCA's rebuilds correlate %.3f", r)
	}
	figures := eval[[]string](p, `Array.from(document.querySelectorAll("#lae-figures tbody td:nth-child(2)"), td => td.textContent)`)
	t.Logf("test MSE shown (linear AE, PCA-20, AE): %v", figures)
	if len(figures) != 3 {
		t.Errorf("the table of test errors has %d rows", len(figures))
	}
	p.screenshot("linear-ae")
	p.noConsoleProblems()
}

// Lesson 7 on a 375×667 phone: nothing wider than the screen, the 3-D
// view's and the plots' text at least 11 CSS pixels; it still trains.
func TestLinearAEPhone(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 375, 667)
	p.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	p.open(url + "linear-ae")
	p.waitFor("the cloud", `document.querySelector("#lae-status")?.dataset.have === "true"`)
	p.run(chromedp.Click("#lae-play"))
	p.waitFor("the run to end", laeRunEnded)
	if a := laeNumber(p, "angle"); !(a <= 2) {
		t.Errorf("on the phone the planes end %.2f° apart", a)
	}
	p.run(chromedp.Click("#lae-mnist-load"))
	p.waitFor("U's columns", `document.querySelectorAll("#lae-u canvas.digit[data-empty=false]").length === 20`)
	if w := eval[float64](p, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the page is %.0f px wide on a 375 px screen", w)
	}
	// The plots' text is 12 units of a 340-unit viewBox; the 3-D view's
	// is set in canvas pixels from the canvas's width on screen.
	for sel, canvas := range map[string]bool{"#lae-cloud": true, "#lae-loss": false, "#lae-angle": false} {
		box := eval[[]float64](p, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.right, r.width]; })()`, sel))
		if box[0] > 375 {
			t.Errorf("%s reaches %.0f px", sel, box[0])
		}
		px := box[1] * 12 / 340
		if canvas {
			c := eval[[]float64](p, `(() => { const c = document.querySelector("#lae-cloud"); return [parseFloat(c.getContext("2d").font), c.width]; })()`)
			px = c[0] * box[1] / c[1]
		}
		if px < 11 {
			t.Errorf("%s is %.0f px wide: its text is %.1f CSS px", sel, box[1], px)
		}
	}
	p.screenshot("linear-ae-phone")
	p.noConsoleProblems()
}
