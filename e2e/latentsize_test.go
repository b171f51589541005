package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// floatList reads a comma-separated data attribute.
func floatList(p *page, selector, name string) []float64 {
	p.t.Helper()
	var out []float64
	for _, f := range strings.Split(dataAttr(p, selector, name), ",") {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			p.t.Fatalf("%s data-%s: %v", selector, name, err)
		}
		out = append(out, v)
	}
	return out
}

// readEach reads every digit canvas selector matches, in page order, as
// grey levels in [0, 1].
func readEach(p *page, selector string) [][]float64 {
	p.t.Helper()
	return eval[[][]float64](p, fmt.Sprintf(`Array.from(document.querySelectorAll(%q), c => {
		const d = c.getContext("2d").getImageData(0, 0, 28, 28).data;
		const out = [];
		for (let i = 0; i < d.length; i += 4) out.push(d[i] / 255);
		return out;
	})`, selector))
}

// sqDiff is the mean squared difference of two digits.
func sqDiff(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return s / float64(len(a))
}

// The latent-size lab: five autoencoders train in the engine; PCA's test
// error falls with K, and so does theirs; the rebuilt digit comes closer
// to the original as K grows, by both.
func TestLatentSizeLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "limits")
	p.waitFor("the button", `document.querySelector("#latent-train") !== null`)
	before := eval[string](p, `document.querySelector("#latent-curve").outerHTML`)
	p.run(chromedp.Click("#latent-train"))
	p.waitFor("training to start", `document.querySelector("#latent-status").dataset.state === "running"`)
	p.waitFor("the curves", `document.querySelector("#latent-curve")?.dataset.done === "true" && document.querySelectorAll("#latent-pca canvas.digit[data-empty=false]").length === 5`)
	if eval[string](p, `document.querySelector("#latent-curve").outerHTML`) == before {
		t.Error("the plot did not change")
	}
	ae, pc := floatList(p, "#latent-curve", "ae"), floatList(p, "#latent-curve", "pca")
	t.Logf("test MSE at K = 2, 5, 10, 20, 50: autoencoder %v, PCA %v; %s", ae, pc, eval[string](p, `document.querySelector("#latent-status").textContent`))
	if len(ae) != 5 || len(pc) != 5 {
		t.Fatalf("%d and %d points", len(ae), len(pc))
	}
	for i := 1; i < 5; i++ {
		if !(pc[i] < pc[i-1]) || !(ae[i] < ae[i-1]) {
			t.Errorf("the errors did not fall from point %d to %d: autoencoder %v, PCA %v", i-1, i, ae, pc)
		}
	}
	orig := readDigit(p, "#latent-original")
	aeDigits := readEach(p, "#latent-ae canvas.digit")
	pcaDigits := readEach(p, "#latent-pca canvas.digit")
	if len(aeDigits) != 5 || len(pcaDigits) != 5 {
		t.Fatalf("%d and %d rebuilt digits", len(aeDigits), len(pcaDigits))
	}
	if a, b := sqDiff(pcaDigits[0], orig), sqDiff(pcaDigits[4], orig); !(b < a) {
		t.Errorf("PCA's rebuild is no closer at K = 50 (%.4f) than at K = 2 (%.4f)", b, a)
	}
	if a, b := sqDiff(aeDigits[0], orig), sqDiff(aeDigits[4], orig); !(b < a) {
		t.Errorf("the autoencoder's rebuild is no closer at K = 50 (%.4f) than at K = 2 (%.4f)", b, a)
	}
	p.screenshot("latent-size")
	p.noConsoleProblems()
}
