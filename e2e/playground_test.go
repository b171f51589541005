package e2e

import (
	"fmt"
	"github.com/chromedp/chromedp"
	"math"
	"testing"
)

// A "7" as a person would draw it: a bar, then the down stroke; and a "1".
var (
	seven = [][2]float64{{0.25, 0.22}, {0.75, 0.22}, {0.68, 0.40}, {0.55, 0.62}, {0.45, 0.85}}
	one   = [][2]float64{{0.5, 0.15}, {0.5, 0.85}}
)

// readDigit returns the 28×28 image on the canvas matching selector, as
// values in [0,1].
func readDigit(p *page, selector string) []float64 {
	p.t.Helper()
	return eval[[]float64](p, fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		const d = c.getContext("2d").getImageData(0, 0, 28, 28).data;
		const out = [];
		for (let i = 0; i < d.length; i += 4) out.push(d[i] / 255);
		return out;
	})()`, selector))
}

func correlation(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// minCorrelation is how closely a reconstruction must match the drawing it
// rebuilds. Measured by this test (it logs both): the drawn "7" and its
// rebuilds correlate 0.94–0.98 pixel by pixel, while the rebuilds and a
// drawn "1" correlate about 0.2–0.3. 0.6 separates the two with room on
// both sides, and the test checks that it does.
const minCorrelation = 0.6

func TestDrawAndReconstruct(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 900)
	p.open(url)
	// The site's headers isolate the page (COOP/COEP) and its content
	// security policy lets everything run: a violation would be a console
	// error, which fails the test below.
	if !eval[bool](p, `crossOriginIsolated`) {
		t.Error("the page is not cross-origin isolated")
	}
	p.waitFor("the models to load", `document.querySelector(".status")?.textContent.startsWith("Ready")`)
	p.stroke("canvas.pad", seven)
	p.waitFor("reconstructions of the finished drawing", rebuiltLatest)
	input := readDigit(p, "figure.input canvas")
	selectors := []string{"#ae-20 canvas.digit", "#vae-20 canvas.digit", "#cvae-20 canvas.digit"}
	rebuilt := map[string][]float64{}
	for _, sel := range selectors {
		rebuilt[sel] = readDigit(p, sel)
		r := correlation(input, rebuilt[sel])
		t.Logf("%s correlates %.3f with the drawn 7", sel, r)
		if !(r >= minCorrelation) {
			t.Errorf("%s: correlation %.3f with the drawing, want ≥ %.2f", sel, r, minCorrelation)
		}
	}
	p.screenshot("playground")

	// The control: the same rebuilds against a different digit fall below the bar.
	p.run(chromedp.Click("button.clear"))
	p.stroke("canvas.pad", one)
	p.waitFor("reconstructions of the 1", rebuiltLatest)
	other := readDigit(p, "figure.input canvas")
	for _, sel := range selectors {
		r := correlation(other, rebuilt[sel])
		t.Logf("%s of the 7 correlates %.3f with a drawn 1", sel, r)
		if r >= minCorrelation {
			t.Errorf("%s: the 7's rebuild correlates %.3f with a 1: the bar does not discriminate", sel, r)
		}
	}
	p.noConsoleProblems()
}

// rebuiltLatest holds once the rebuilds on screen were made from the
// latest input: the playground numbers its inputs and marks which one its
// results came from.
const rebuiltLatest = `(() => {
	const s = document.querySelector("section.rebuilds");
	return s && s.dataset.input !== "0" && s.dataset.input === s.dataset.shown &&
		document.querySelectorAll("#ae-20 canvas.digit[data-empty=false], #vae-20 canvas.digit[data-empty=false], #cvae-20 canvas.digit[data-empty=false]").length === 6;
})()`
