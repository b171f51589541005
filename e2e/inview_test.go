package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// mainInteraction is a view's main interaction: the control a person
// uses, what it produces, what to do and when it is done. The control and
// its result must fit on one screen, so a person sees one while using the
// other.
type mainInteraction struct {
	view, control, result string
	act                   func(p *page)
	done                  string
	after                 func(p *page) // puts the view back at rest, if it keeps working
}

// seven is drawn where a view has a pad, without scrolling first.
func drawHere(selector string) func(p *page) {
	return func(p *page) { p.stroke(selector, [][2]float64{{0.25, 0.2}, {0.75, 0.2}, {0.45, 0.85}}) }
}

func click(selector string) func(p *page) {
	return func(p *page) { p.run(chromedp.Click(selector)) }
}

func slide(id string, value any) func(p *page) {
	return func(p *page) { setRange(p, id, value) }
}

var mainInteractions = []mainInteraction{
	{"perceptron", "#rule-run", "#cube", func(p *page) {
		eval[bool](p, `(() => { const s = document.getElementById("preset"); s.value = "weather"; s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
		p.run(chromedp.Click("#rule-run"))
	}, `document.querySelector("#perceptron-status").dataset.settled === "true"`, nil},
	{"activations", "#bias", "canvas.heat", slide("bias", 1), `[...document.querySelectorAll("canvas.heat")].every(c => c.dataset.for?.includes("1"))`, nil},
	{"network", "#net-train", "#net-map", click("#net-train"), `Number(document.querySelector("#net-map").dataset.epoch) > 0`, nil},
	{"descent", "#descent-step", "#descent-map", click("#descent-play"), `!!document.querySelector("#descent-map").dataset.painted`, nil},
	{"classifier", "canvas.pad", "#class-bars", drawHere("canvas.pad"), `document.querySelector("#class-bars").dataset.best !== "-1"`, nil},
	{"autoencoders", "canvas.pad", "#ae-rebuilt", drawHere("canvas.pad"), `document.querySelector("#ae-rebuilt")?.dataset.empty === "false"`, nil},
	{"linear-ae", "#lae-play", "#lae-cloud", click("#lae-play"), laeRunEnded, nil},
	{"generative", "#resample", "#prior", click("#resample"), `document.querySelectorAll("#prior canvas.digit[data-empty=false]").length === 64`, nil},
	{"vae", "canvas.pad", "#map", drawHere("canvas.pad"), `document.querySelector("#locate")?.textContent.includes("μ = (")`, nil},
	{"elbo", "#elbo-train", "#elbo-curve", click("#elbo-train"), `Number(document.querySelector("#elbo-curve")?.dataset.points) >= 1 && document.querySelector("#elbo-status").dataset.state === "idle"`, nil},
	{"reparam", "#reparam-trick", "#reparam-graph", click("#reparam-trick"), `document.querySelector("#reparam-graph").dataset.trick === "false"`, nil},
	{"cvae", "#cvae-z1", "#one-z", slide("cvae-z1", -2), `document.querySelector("#one-z").dataset.z === "-2.00,0.00"`, nil},
	{"gan", "#gan-step", "#gan-map", click("#gan-step"), `document.querySelector("#gan-map").dataset.step === "1"`, nil},
	{"", "canvas.pad", ".rebuilds", drawHere("canvas.pad"), rebuiltLatest, nil},
	{"generate", "canvas.pad", "#style", drawHere("canvas.pad"), `document.querySelectorAll("#style canvas.digit[data-empty=false]").length >= 10 && document.querySelectorAll("#prior canvas.digit[data-empty=false]").length === 64`, nil},
	{"latent", "canvas.pad", "#map", drawHere("canvas.pad"), `document.querySelector("#locate")?.textContent.includes("μ = (")`, nil},
	{"interpolate", "canvas.pad", "#linear", func(p *page) {
		p.stroke("canvas.pad", seven)
		p.stroke(".pads > :nth-child(2) canvas.pad", one)
	}, `document.querySelectorAll("#linear canvas.digit[data-empty=false]").length >= 8`, nil},
	{"vae-vs-gan", "canvas.pad", "#vaegan-rebuilt", drawHere("canvas.pad"), `document.querySelector("#vaegan-rebuilt")?.dataset.empty === "false"`, nil},
	{"train", "#start", "#plot", click("#start"), `Number(document.querySelector("#status").dataset.events) >= 2`, click("#stop")},
}

// readyFor is what a view must have shown before its control does anything.
var readyFor = map[string]string{
	"linear-ae": `document.querySelector("#lae-status")?.dataset.have === "true"`,
	"generate":  `document.querySelectorAll("#prior canvas.digit[data-empty=false]").length === 64`,
	"network":   `document.querySelector("#net-map")?.dataset.epoch === "0"`,
	"cvae":      `document.querySelector("#one-z")?.dataset.read?.length === 10`,
	"gan":       `document.querySelector("#gan-map")?.dataset.step === "0"`,
}

// visible is the share of an element's height on screen (of the screen's
// height, for an element taller than the screen), and whether it lies
// within the screen's width.
const visible = `((sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  const h = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
  return [h / Math.max(1, Math.min(r.height, innerHeight)), r.left >= -1 && r.right <= innerWidth + 1 ? 1 : 0]; })`

// Results in view: on every view with an interaction, at 1280×800 and on a
// 375×667 phone, the control and what it produces share one screen: with
// the two scrolled into view together, the whole control and at least
// half of its result (or half a screen of it) show without scrolling.
// After the interaction, on the phone, no view is wider than the screen.
// Each leaves inview-VIEW-SIZE.png: the screen as the person sees it then.
func TestResultsInView(t *testing.T) {
	url := serve(t, siteDir, "")
	for _, size := range []screen{desktop, phone} {
		p := size.open(t)
		for _, m := range mainInteractions {
			name := m.view
			if name == "" {
				name = "playground"
			}
			p.open(url + m.view)
			p.waitFor("/"+m.view+" to settle", `document.querySelector(".shell")?.dataset.live === "true" && ![...document.querySelectorAll(".status, [role=status]")].some(e => e.textContent.startsWith("Loading")) && !!document.querySelector(`+quote(m.result)+`) && !!document.querySelector(`+quote(m.control)+`)`)
			if ready, ok := readyFor[m.view]; ok {
				p.waitFor("/"+m.view+" to be ready", ready)
			}
			// Scroll the control and the result into view together, or,
			// where the result is taller than what is left of the screen,
			// the control to the edge of the screen away from it.
			span := eval[float64](p, fmt.Sprintf(`(() => {
				const a = document.querySelector(%s).getBoundingClientRect(), b = document.querySelector(%s).getBoundingClientRect();
				const top = Math.min(a.top, b.top), bottom = Math.max(a.bottom, b.bottom);
				if (bottom - top <= innerHeight) window.scrollBy(0, top - (innerHeight - (bottom - top)) / 2);
				else window.scrollBy(0, b.top >= a.top ? a.top : a.bottom - innerHeight);
				return bottom - top; })()`, quote(m.control), quote(m.result)))
			t.Logf("/%s, %s: the control and its result span %.0f px", m.view, size.name, span)
			m.act(p)
			p.waitFor("/"+m.view+"'s result", m.done)
			for i, sel := range []string{m.control, m.result} {
				v := eval[[]float64](p, visible+"("+quote(sel)+")")
				if v[0] < []float64{0.9, 0.5}[i] || v[1] == 0 {
					t.Errorf("/%s, %s: after the interaction only %.0f%% of %s is on screen (within the width: %v)", m.view, size.name, 100*v[0], sel, v[1] == 1)
				}
			}
			if size.phone {
				if w := eval[float64](p, `document.scrollingElement.scrollWidth`); w > 375 {
					t.Errorf("/%s is %.0f px wide on a 375 px phone after its interaction", m.view, w)
				}
			}
			p.screenshotScreen(fmt.Sprintf("inview-%s-%s", name, size.name))
			if m.after != nil {
				m.after(p)
			}
		}
	}
}

func quote(s string) string { return fmt.Sprintf("%q", s) }
