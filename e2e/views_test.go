package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// readAll reads every image matching selector.
func readAll(p *page, selector string) [][]float64 {
	p.t.Helper()
	return eval[[][]float64](p, fmt.Sprintf(`[...document.querySelectorAll(%q)].map(c => {
		const d = c.getContext("2d").getImageData(0, 0, 28, 28).data;
		const out = [];
		for (let i = 0; i < d.length; i += 4) out.push(d[i] / 255);
		return out;
	})`, selector))
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
	p.stroke(".pads > :nth-child(1) canvas.pad", seven)
	p.stroke(".pads > :nth-child(2) canvas.pad", one)
	p.waitFor("both strips, from both finished drawings", `(() => {
		const s = document.querySelector("section.results");
		return document.querySelectorAll("figure.input canvas[data-empty=false]").length === 2 && s.dataset.input === s.dataset.shown &&
			document.querySelectorAll("#linear canvas.digit[data-empty=false]").length === 10 && document.querySelectorAll("#spherical canvas.digit[data-empty=false]").length === 10;
	})()`)
	for _, sel := range []string{"#linear .strip canvas.digit", "#spherical .strip canvas.digit"} {
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
	// Each frame says its t, from 0 (the first drawing) to 1 (the second).
	if ts := eval[[]string](p, `[...document.querySelectorAll("#linear .frame figcaption")].map(f => f.textContent)`); len(ts) != 10 || ts[0] != "0" || ts[9] != "1" {
		t.Errorf("the frames are labelled %q, want ten values of t from 0 to 1", ts)
	}
	// The model is named.
	if s := eval[string](p, `document.querySelector("#in-use summary").textContent`); !strings.Contains(s, "vae-20") {
		t.Errorf("the view does not name its model: %q", s)
	}
	p.screenshot("interpolate")
	p.noConsoleProblems()
}
