package e2e

import (
	"fmt"
	"testing"
)

// readAll reads every image matching selector.
func readAll(p *page, selector string) [][]float64 {
	p.t.Helper()
	n := eval[int](p, fmt.Sprintf(`document.querySelectorAll(%q).length`, selector))
	out := make([][]float64, n)
	for i := range n {
		out[i] = readDigit(p, fmt.Sprintf("%s:nth-child(%d)", selector, i+1))
	}
	return out
}

func ink(img []float64) float64 {
	var s float64
	for _, v := range img {
		s += v
	}
	return s
}

func TestSamplesAreDistinctDigits(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1400)
	p.open(url + "generate")
	p.waitFor("samples", `document.querySelectorAll("#prior canvas.digit[data-empty=false]").length === 64 && document.querySelectorAll("#classed canvas.digit[data-empty=false]").length === 64`)
	for _, sel := range []string{"#prior .grid canvas.digit", "#classed .grid canvas.digit"} {
		imgs := readAll(p, sel)[:16]
		for i, a := range imgs {
			// An MNIST digit has 60–200 units of ink (pixels summed); blank is 0.
			if s := ink(a); s < 30 {
				t.Errorf("%s #%d is nearly blank (ink %.1f)", sel, i, s)
			}
			for j := range i {
				if r := correlation(a, imgs[j]); r > 0.99 {
					t.Errorf("%s #%d and #%d are the same digit (correlation %.3f)", sel, i, j, r)
				}
			}
		}
	}
	p.screenshot("generate")
	p.noConsoleProblems()
}

func TestInterpolateBetweenTwoDrawings(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1400)
	p.open(url + "interpolate")
	p.waitFor("the VAE", `document.querySelector(".status")?.textContent.startsWith("Draw a digit in each pad")`)
	p.stroke(".drawpad:nth-of-type(1) canvas.pad", seven)
	p.stroke("section.controls > .drawpad:nth-of-type(2) canvas.pad", one)
	p.waitFor("both strips, from both finished drawings", `(() => {
		const s = document.querySelector("section.results");
		return document.querySelectorAll("figure.input canvas[data-empty=false]").length === 2 && s.dataset.input === s.dataset.shown &&
			document.querySelectorAll("#linear canvas.digit[data-empty=false]").length === 10 && document.querySelectorAll("#spherical canvas.digit[data-empty=false]").length === 10;
	})()`)
	for _, sel := range []string{"#linear .grid canvas.digit", "#spherical .grid canvas.digit"} {
		strip := readAll(p, sel)
		first, last := strip[0], strip[len(strip)-1]
		// The ends decode the two drawings' codes: far apart from each other.
		if r := correlation(first, last); r > 0.7 {
			t.Errorf("%s: the two ends correlate %.3f; they should be different digits", sel, r)
		}
		// Each step is a small move from the one before.
		for i := 1; i < len(strip); i++ {
			if r := correlation(strip[i-1], strip[i]); r < 0.5 {
				t.Errorf("%s: step %d jumps (correlation %.3f with the step before)", sel, i, r)
			}
		}
	}
	p.screenshot("interpolate")
	p.noConsoleProblems()
}
