package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ganBudget is the steps the lesson measures the ring's coverage after
// (gan2d.Budget): Train pauses there by itself.
const ganBudget = 1000

// ganRunEnded is true once a Train run has paused at the budget.
const ganRunEnded = `(() => { const s = document.querySelector("#gan-status").dataset; return s.running === "false" && Number(s.step) === 1000; })()`

// ganNumber reads a numeric data attribute of the lab's status.
func ganNumber(p *page, name string) int {
	p.t.Helper()
	v, err := strconv.Atoi(dataAttr(p, "#gan-status", name))
	if err != nil {
		p.t.Fatalf("#gan-status data-%s: %v", name, err)
	}
	return v
}

// ganTrain presses Train on the lab at step 0 and waits for it to pause
// at the budget; it returns the coverage and how long the run took.
func ganTrain(p *page) (covered int, took time.Duration) {
	p.t.Helper()
	p.waitFor("the run at step 0", `document.querySelector("#gan-map")?.dataset.step === "0"`)
	eval[bool](p, `(() => { document.querySelector("#gan-train").scrollIntoView({block: "center"}); return true; })()`)
	start := time.Now()
	p.run(chromedp.Click("#gan-train"))
	p.waitFor("Train to start", `document.querySelector("#gan-status").dataset.running === "true" || Number(document.querySelector("#gan-status").dataset.step) > 0`)
	p.waitFor("the run to pause at the budget", ganRunEnded)
	return ganNumber(p, "covered"), time.Since(start)
}

// The GAN lesson's first "Try this": on the ring, Train runs to the
// budget and G covers fewer than eight modes.
func init() {
	firstTry["gan"] = func(p *page) {
		if n, _ := ganTrain(p); n >= 8 {
			p.t.Errorf("with the defaults G covers %d of 8 modes after %d steps, want fewer (the collapse the lesson shows)", n, ganBudget)
		}
	}
}

// The GAN lab, as its lesson says: with the defaults on the ring of
// eight, G covers fewer than eight modes after the budget of 1,000
// steps; Start over with the remedy ticked and the same budget covers
// all eight. The plane, the loss curves and the readout follow the run;
// the lab fits a phone; the console stays clean.
func TestGAN2D(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1280, 800)
	p.open(url + "gan")
	covered, took := ganTrain(p)
	t.Logf("defaults: %d of 8 modes covered after %d steps (%.1f s in the browser); %s", covered, ganBudget, took.Seconds(),
		eval[string](p, `document.querySelector("#gan-coverage").textContent`))
	if covered >= 8 {
		t.Errorf("with the defaults G covers %d of 8 modes after %d steps, want fewer", covered, ganBudget)
	}
	if got := eval[string](p, `document.querySelector("#gan-coverage").textContent`); got != fmt.Sprintf("Modes covered: %d of 8", covered) {
		t.Errorf("the readout says %q", got)
	}
	if n := eval[int](p, `document.querySelector("#gan-loss polyline")?.points.numberOfItems ?? 0`); n < 40 {
		t.Errorf("the loss chart has a curve of %d points, want one per request (50)", n)
	}
	if eval[string](p, `document.querySelector("#gan-map").dataset.step`) != "1000" {
		t.Error("the plane was not drawn at step 1000")
	}
	p.screenshotScreen("gan-ring-defaults-1280")

	// The remedy: ticking it starts the run over with D seeing each
	// batch's spread; the URL keeps it.
	p.run(chromedp.Click("#gan-remedy"))
	p.waitFor("the run to start over", `document.querySelector("#gan-status").dataset.step === "0"`)
	if u := eval[string](p, `location.search`); !strings.Contains(u, "remedy=minibatch-std") {
		t.Errorf("the URL %q does not keep the remedy", u)
	}
	covered, took = ganTrain(p)
	t.Logf("remedy: %d of 8 modes covered after %d steps (%.1f s in the browser)", covered, ganBudget, took.Seconds())
	if covered != 8 {
		t.Errorf("with the remedy G covers %d of 8 modes after %d steps, want 8", covered, ganBudget)
	}
	p.screenshotScreen("gan-ring-remedy-1280")
	eval[bool](p, `(() => { document.documentElement.dataset.theme = "light"; return true; })()`)
	p.screenshotScreen("gan-ring-remedy-1280-light")

	// Your own points: three clicks on the plane place three points (the
	// URL keeps them), and one step trains on them.
	p.run(chromedp.Click("#gan-data-custom"))
	p.waitFor("the empty plane", `document.querySelector("#gan-map")?.dataset.step === ""`)
	for _, at := range [][2]float64{{0.3, 0.3}, {0.7, 0.4}, {0.5, 0.8}} {
		eval[bool](p, fmt.Sprintf(`(() => { const c = document.querySelector("#gan-map"), r = c.getBoundingClientRect();
			c.dispatchEvent(new MouseEvent("click", {bubbles: true, clientX: r.left + %g * r.width, clientY: r.top + %g * r.height})); return true; })()`, at[0], at[1]))
	}
	p.waitFor("a run on the three points", `document.querySelector("#gan-map")?.dataset.step === "0" && (new URLSearchParams(location.search).get("points") || "").split(";").length === 3`)
	p.run(chromedp.Click("#gan-step"))
	p.waitFor("one step", `document.querySelector("#gan-map")?.dataset.step === "1"`)
	p.noConsoleProblems()

	// A link with the remedy opens it; on a phone nothing is wider than
	// the screen, before and after a few steps.
	phone := newPage(t, 375, 667)
	phone.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	phone.open(url + "gan?data=moons&steps=100")
	phone.waitFor("the run at step 0", `document.querySelector("#gan-map")?.dataset.step === "0"`)
	phone.run(chromedp.Click("#gan-train"))
	phone.waitFor("the run to pause at the link's 100 steps", `(() => { const s = document.querySelector("#gan-status").dataset; return s.running === "false" && s.step === "100"; })()`)
	if w := eval[float64](phone, `document.scrollingElement.scrollWidth`); w > 375 {
		t.Errorf("the GAN lab is %.0f px wide on a 375 px phone", w)
	}
	if m := eval[string](phone, `document.querySelector("#gan-status").dataset.modes`); m != "0" {
		t.Errorf("on the moons the status counts %s modes, want 0 (coverage is the ring's)", m)
	}
	phone.screenshotScreen("gan-moons-375")
	phone.screenshot("gan-moons-375-full")
	phone.noConsoleProblems()
}
