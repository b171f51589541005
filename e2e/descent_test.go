package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// descentRows reads the table: each method's steps cell, loss evaluations
// and lowest loss.
func descentRows(p *page) map[string][3]string {
	p.t.Helper()
	out := map[string][3]string{}
	for _, m := range []string{"gd", "momentum", "adam", "hill", "restarts"} {
		sel := "#row-" + m
		out[m] = [3]string{eval[string](p, fmt.Sprintf(`document.querySelector("%s .steps").textContent`, sel)), dataAttr(p, sel, "evals"), dataAttr(p, sel, "best")}
	}
	return out
}

// The descent lab: the table fills in for all five methods, each lowering
// the loss from the start; a click moves the start and repaints the paths;
// another surface repaints the contours; a learning rate too large for
// the bowl's steep side makes gradient descent diverge, and an absurd
// budget is refused, keeping the last results.
func TestDescentLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1400)
	p.open(url + "descent")
	const shown = `document.querySelector("#descent-map")?.dataset.painted === "true" && document.querySelector("#descent-table").dataset.for === document.querySelector("#descent-map").dataset.for`
	p.waitFor("the first comparison", shown)
	start, _ := strconv.ParseFloat(dataAttr(p, "#descent-table", "startLoss"), 64)
	for m, r := range descentRows(p) {
		best, err := strconv.ParseFloat(r[2], 64)
		if r[0] == "" || err != nil || !(best < start) {
			t.Errorf("%s: steps %q, lowest loss %q, from %g at the start", m, r[0], r[2], start)
		}
		if n, _ := strconv.Atoi(r[1]); n < 2 {
			t.Errorf("%s made %d loss evaluations", m, n)
		}
		t.Logf("neuron from the default start: %-9s steps %s, loss evaluations %s, lowest loss %s (start %g)", m, r[0], r[1], r[2], start)
	}
	before := canvasPixels(p, "#descent-map")
	was := dataAttr(p, "#descent-map", "for")

	// A click moves the start: new paths on the same contours.
	box := eval[[]float64](p, `(() => { const r = document.querySelector("#descent-map").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	p.run(chromedp.MouseClickXY(box[0]+0.8*box[2], box[1]+0.2*box[3]))
	p.waitFor("the paths from the clicked start", shown+` && document.querySelector("#descent-map").dataset.for !== `+strconv.Quote(was))
	// The neuron's box is [−6, 6]²: the click at (0.8, 0.2) of it is (3.6, 3.6).
	if f := dataAttr(p, "#descent-map", "for"); !strings.Contains(f, "(3.6, 3.6)") {
		t.Errorf("clicked at (3.6, 3.6), the picture is of %q", f)
	}
	moved := canvasPixels(p, "#descent-map")
	if d := pixelsDiffer(before, moved); d < 300 {
		t.Errorf("moving the start changed %d pixels", d)
	}
	p.screenshot("descent-neuron")

	// The elongated bowl: η = 1 is past 2/curvature across it, so plain
	// gradient descent blows up; the table says so.
	setField(p, "descent-surface", "bowl")
	p.waitFor("the bowl", shown+` && document.querySelector("#descent-map").dataset.for.startsWith("bowl")`)
	if d := pixelsDiffer(moved, canvasPixels(p, "#descent-map")); d < 5000 {
		t.Errorf("another surface changed %d pixels", d)
	}
	// The surface brings its own learning rate, and the box shows it.
	if lr := eval[string](p, `document.getElementById("descent-lr").value`); !strings.Contains(dataAttr(p, "#descent-map", "for"), "η="+lr+" ") {
		t.Errorf("the learning-rate box says %s; the picture is of %q", lr, dataAttr(p, "#descent-map", "for"))
	}
	setField(p, "descent-lr", 1)
	p.waitFor("the bowl at η = 1", shown+` && document.querySelector("#descent-map").dataset.for.includes("η=1 ")`)
	rows := descentRows(p)
	if !strings.HasPrefix(rows["gd"][0], "diverged") {
		t.Errorf("gradient descent at η = 1 on the bowl: %q, want it to diverge", rows["gd"][0])
	}
	setField(p, "descent-lr", 0.1)
	p.waitFor("the bowl at η = 0.1", shown+` && document.querySelector("#descent-map").dataset.for.includes("η=0.1 ")`)
	rows = descentRows(p)
	for m, r := range rows {
		t.Logf("bowl from (-2.5, 2), η = 0.1: %-9s steps %s, loss evaluations %s", m, r[0], r[1])
	}
	if _, err := strconv.Atoi(rows["gd"][0]); err != nil {
		t.Errorf("gradient descent at η = 0.1 on the bowl: %q, want a step count", rows["gd"][0])
	}
	good := dataAttr(p, "#descent-map", "for")

	// An absurd budget is refused with a message; the pictures stay.
	setField(p, "descent-budget", 0)
	p.waitFor("the message", `document.querySelector("[role=alert]")?.textContent.includes("budget")`)
	if f := dataAttr(p, "#descent-table", "for"); f != good {
		t.Errorf("after a refused budget the table is of %q, want %q", f, good)
	}
	p.screenshot("descent-bowl")
	p.noConsoleProblems()
}
