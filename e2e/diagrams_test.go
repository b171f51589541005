package e2e

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// diagramShape reads a diagram's viewBox, its width on the page, and the
// texts drawn under 11 px there (font-size times the drawing's scale).
func diagramShape(p *page, sel string) (w, h, shown float64, small []string) {
	p.t.Helper()
	v := eval[[]any](p, `(() => {
		const svg = document.querySelector(`+strconv.Quote(sel)+`), box = svg.viewBox.baseVal;
		const scale = svg.getBoundingClientRect().width / box.width;
		const small = [...svg.querySelectorAll("text")].
			filter(t => parseFloat(t.getAttribute("font-size")) * scale < 11 || t.getBoundingClientRect().height < 11).
			map(t => t.textContent + " at " + (parseFloat(t.getAttribute("font-size")) * scale).toFixed(1) + " px");
		return [box.width, box.height, svg.getBoundingClientRect().width, svg.getBoundingClientRect().right, small];
	})()`)
	if right := v[3].(float64); right > float64(phone.w)+0.5 && v[2].(float64) < float64(phone.w) {
		p.t.Errorf("%s reaches %.0f px, past a 375 px screen", sel, right)
	}
	for _, s := range v[4].([]any) {
		small = append(small, s.(string))
	}
	return v[0].(float64), v[1].(float64), v[2].(float64), small
}

// On a phone the reparameterisation and conditional VAE graphs stand in a
// column, every word of them 11 px or more, and the page is no wider than
// the screen; on a desktop they keep their row; and a desktop window made
// phone-narrow turns them.
func TestDiagramsOnAPhone(t *testing.T) {
	url := serve(t, siteDir, "")
	for _, d := range []struct{ view, sel, ready string }{
		{"reparam", "#reparam-graph", `document.querySelector("#reparam-graph") !== null`},
		{"cvae", "#cvae-graph", `document.querySelector("#cvae-graph") !== null`},
	} {
		for _, s := range []screen{desktop, phone} {
			p := s.open(t)
			p.open(url + d.view)
			p.waitFor("the graph", d.ready)
			states := []string{"with the trick", "without the trick"}
			if d.view == "cvae" {
				states = []string{"as drawn"}
			}
			for i, state := range states {
				if i > 0 {
					p.run(chromedp.Click("#reparam-trick"))
					p.waitFor("the graph without the trick", `document.querySelector("#reparam-graph").dataset.trick === "false"`)
				}
				w, h, shown, small := diagramShape(p, d.sel)
				t.Logf("%s on the %s %s: %g×%g drawn %.0f px wide", d.sel, s.name, state, w, h, shown)
				if s.phone {
					if !(h > w) {
						t.Errorf("%s on a phone %s: %g×%g, not a column", d.sel, state, w, h)
					}
					if len(small) > 0 {
						t.Errorf("%s on a phone %s: text under 11 px: %v", d.sel, state, small)
					}
					if sw := eval[float64](p, `document.scrollingElement.scrollWidth`); sw > float64(s.w) {
						t.Errorf("/%s is %.0f px wide on a 375 px phone", d.view, sw)
					}
				} else if !(w > h) {
					t.Errorf("%s on a desktop %s: %g×%g, not a row", d.sel, state, w, h)
				}
				eval[bool](p, fmt.Sprintf(`(document.querySelector(%q).scrollIntoView(), true)`, d.sel))
				p.screenshotScreen(fmt.Sprintf("diagram-%s-%s-%d", d.view, s.name, i+1))
			}
			if !s.phone {
				// The window narrows to a phone's: the graph turns.
				p.run(chromedp.EmulateViewport(int64(phone.w), int64(phone.h)))
				p.waitFor("the graph in a column", `(b => b.height > b.width)(document.querySelector(`+strconv.Quote(d.sel)+`).viewBox.baseVal)`)
				if _, _, _, small := diagramShape(p, d.sel); len(small) > 0 {
					t.Errorf("%s narrowed: text under 11 px: %v", d.sel, small)
				}
			}
			p.noConsoleProblems()
		}
	}
}
