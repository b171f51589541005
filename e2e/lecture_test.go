package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// lectureOrder is the lessons' page ids in the slides' order.
var lectureOrder = []string{
	"perceptron", "activations", "network", "descent", "classifier", "autoencoders", "linear-ae",
	"why-ae", "limits", "generative", "vae", "elbo", "reparam", "cvae", "gan",
}

// drawSeven draws a 7 on the pad, scrolled into view first.
func drawSeven(p *page) {
	p.t.Helper()
	eval[bool](p, `(() => { document.querySelector("canvas.pad").scrollIntoView({block: "center"}); return true; })()`)
	p.stroke("canvas.pad", [][2]float64{{0.25, 0.2}, {0.75, 0.2}, {0.45, 0.85}})
}

// firstTry does a lesson's first "Try this" prompt and waits for what it
// says the person will see.
var firstTry = map[string]func(p *page){
	"perceptron": func(p *page) {
		p.waitFor("the first evaluation", `document.querySelector("#perceptron-status")?.dataset.correct !== undefined`)
		eval[bool](p, `(() => { const s = document.getElementById("preset"); s.value = "weather"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
		p.run(chromedp.Click("#rule-run"))
		p.waitFor("the rule to settle with every row right", `document.querySelector("#perceptron-status").dataset.settled === "true" && document.querySelector("#perceptron-status").dataset.correct === "8"`)
	},
	"activations": func(p *page) {
		p.waitFor("the six maps", `document.querySelectorAll("canvas.heat[data-painted=true]").length === 6`)
		before := eval[string](p, `[...document.querySelectorAll("canvas.heat")].map(c => c.dataset.for).join("|")`)
		setRange(p, "bias", 1)
		p.waitFor("every map redrawn for the new bias", fmt.Sprintf(`(() => { const now = [...document.querySelectorAll("canvas.heat")].map(c => c.dataset.for); const was = %q.split("|"); return now.length === 6 && now.every((f, i) => f !== was[i]); })()`, before))
	},
	"network": func(p *page) {
		p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0"`)
		p.run(chromedp.Click("#net-train"))
		p.waitFor("test accuracy above 0.9", `Number(document.querySelector("#net-status").dataset.testAcc) > 0.9`)
		if eval[bool](p, `document.querySelector("#net-status").dataset.running === "true"`) {
			p.run(chromedp.Click("#net-train"))
		}
	},
	"descent": func(p *page) {
		p.waitFor("the first comparison", `!!document.querySelector("#descent-map")?.dataset.painted`)
		was := dataAttr(p, "#descent-map", "for")
		eval[bool](p, `(() => { document.querySelector("#descent-map").scrollIntoView({block: "center"}); return true; })()`)
		box := eval[[]float64](p, `(() => { const r = document.querySelector("#descent-map").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
		p.run(chromedp.MouseClickXY(box[0]+0.8*box[2], box[1]+0.2*box[3]))
		p.waitFor("the paths from the new start", `document.querySelector("#descent-map").dataset.for !== `+strconv.Quote(was)+` && document.querySelectorAll("#descent-table tr[data-evals]").length >= 5`)
	},
	"classifier": func(p *page) {
		p.waitFor("the shipped classifier", `document.querySelector("#unit-weights")?.dataset.for === "mlp"`)
		drawSeven(p)
		p.waitFor("the ten probabilities", `document.querySelector("#class-bars")?.dataset.for?.startsWith("mlp ") && document.querySelector("#class-bars").dataset.best !== "-1"`)
	},
	"autoencoders": func(p *page) {
		p.waitFor("the autoencoder", `document.querySelector(".status")?.textContent.startsWith("Draw")`)
		drawSeven(p)
		p.waitFor("the 20-number code and the rebuild", `document.querySelector("#bottleneck")?.dataset.code === "20" && document.querySelector("#ae-rebuilt")?.dataset.empty === "false"`)
	},
	"why-ae": func(p *page) {
		p.waitFor("the two bars", `document.querySelector("#few-bars")?.dataset.done === "true"`)
		code, _ := strconv.ParseFloat(dataAttr(p, "#few-bars", "code"), 64)
		pixel, _ := strconv.ParseFloat(dataAttr(p, "#few-bars", "pixel"), 64)
		if !(code > pixel) {
			p.t.Errorf("codes %.3f, pixels %.3f: the prompt says the codes do better", code, pixel)
		}
	},
	"limits": func(p *page) {
		p.waitFor("both strips", `document.querySelectorAll("#not-generative .strip canvas.digit[data-empty=false]").length === 16`)
	},
	"generative": func(p *page) {
		p.waitFor("the samples", `document.querySelectorAll("#prior canvas.digit[data-empty=false]").length === 64`)
		eval[bool](p, `(() => { window.firstSample = document.querySelector("#prior canvas.digit").toDataURL(); return true; })()`)
		p.run(chromedp.Click("#resample"))
		p.waitFor("new samples", `document.querySelectorAll("#prior canvas.digit[data-empty=false]").length === 64 && document.querySelector("#prior canvas.digit").toDataURL() !== window.firstSample`)
	},
	"vae": func(p *page) {
		p.waitFor("the map", `Number(document.querySelector("#map")?.dataset.points) === 2000`)
		drawSeven(p)
		p.waitFor("the drawing's code with its ellipse", `document.querySelector("#locate")?.textContent.includes("ellipse is ±2σ")`)
	},
	"elbo": func(p *page) {
		p.waitFor("the β lab", `!!document.querySelector("#elbo-train")`)
		eval[bool](p, `(() => { document.querySelector("#elbo-train").scrollIntoView({block: "center"}); return true; })()`)
		p.run(chromedp.Click("#elbo-train"))
		p.waitFor("the point at β = 1", `Number(document.querySelector("#elbo-curve")?.dataset.points) === 1 && document.querySelector("#elbo-status").dataset.state === "idle"`)
	},
	"reparam": func(p *page) {
		p.waitFor("the estimates", `document.querySelector("#reparam-strips")?.dataset.pathStd !== undefined`)
		eval[bool](p, `(() => { document.querySelector("#reparam-trick").scrollIntoView({block: "center"}); return true; })()`)
		p.run(chromedp.Click("#reparam-trick"))
		p.waitFor("the graph without the trick", `document.querySelector("#reparam-graph").dataset.trick === "false"`)
	},
}

// The lecture as one path: from lesson 1, following rel="next" to the last
// lesson, at 1280×800, on a 375×667 phone and in presenter mode (where →
// steps): every lesson says where it sits, its first "Try this" does what
// it says, and presenter mode survives each step.
func TestLecturePath(t *testing.T) {
	url := serve(t, siteDir, "")
	for _, mode := range []struct {
		screen
		query   string
		present bool
	}{
		{desktop, "", false},
		{phone, "", false},
		{screen{"present", 1280, 800, false}, "?present=1", true},
	} {
		t.Run(mode.name, func(t *testing.T) {
			p := mode.open(t)
			p.open(url + "perceptron" + mode.query)
			var seen []string
			for n := 1; ; n++ {
				p.waitFor("lesson "+fmt.Sprint(n), fmt.Sprintf(`document.querySelector(".shell")?.dataset.live === "true" && document.querySelector(".lesson-line")?.textContent.startsWith("Lesson %d of ")`, n))
				id := eval[string](p, `document.querySelector("main").id`)
				seen = append(seen, id)
				if cur := eval[string](p, `document.querySelector("nav.lecture a[aria-current=page]")?.textContent || ""`); cur != fmt.Sprint(n) {
					t.Errorf("lesson %d (%s): the navigation marks %q as current", n, id, cur)
				}
				if mode.present && !eval[bool](p, `!!document.querySelector(".shell.present") && new URLSearchParams(location.search).get("present") === "1"`) {
					t.Fatalf("lesson %d (%s): presenter mode was lost on the way", n, id)
				}
				start := time.Now()
				if try, ok := firstTry[id]; ok {
					try(p)
					t.Logf("lesson %d (%s): the first prompt's result in %.1f s", n, id, time.Since(start).Seconds())
				} else {
					t.Errorf("lesson %d (%s): no first prompt to try", n, id)
				}
				if mode.phone {
					if w := eval[float64](p, `document.scrollingElement.scrollWidth`); w > 375 {
						t.Logf("lesson %d (%s) is %.0f px wide on a 375 px screen", n, id, w)
					}
				}
				p.screenshot(fmt.Sprintf("lecture-%s-%02d-%s", mode.name, n, id))
				if !eval[bool](p, `!!document.querySelector('a[rel="next"]')`) {
					break
				}
				if mode.present {
					eval[bool](p, `(() => { document.activeElement?.blur(); window.scrollTo(0, 0); return true; })()`)
					p.run(chromedp.KeyEvent(kb.ArrowRight))
				} else {
					eval[bool](p, `(() => { document.querySelector('a[rel="next"]').scrollIntoView({block: "center"}); return true; })()`)
					p.run(chromedp.Click(`a[rel="next"]`))
				}
				p.waitFor("the next lesson", fmt.Sprintf(`document.querySelector(".lesson-line")?.textContent.startsWith("Lesson %d of ")`, n+1))
			}
			if strings.Join(seen, " ") != strings.Join(lectureOrder, " ") {
				t.Errorf("the path went %v, want %v", seen, lectureOrder)
			}
			p.noConsoleProblems()
		})
	}
}
