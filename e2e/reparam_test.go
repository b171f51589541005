package e2e

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// svgPixels renders an inline SVG to a canvas and reads its RGBA bytes.
func svgPixels(p *page, selector string) []byte {
	p.t.Helper()
	vals := eval[[]int](p, `(async () => {
		const svg = document.querySelector(`+strconv.Quote(selector)+`);
		const box = svg.viewBox.baseVal;
		const img = new Image();
		img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
		await img.decode();
		const c = document.createElement("canvas");
		c.width = box.width; c.height = box.height;
		const g = c.getContext("2d");
		g.drawImage(img, 0, 0, c.width, c.height);
		return Array.from(g.getImageData(0, 0, c.width, c.height).data);
	})()`)
	out := make([]byte, len(vals))
	for i, v := range vals {
		out[i] = byte(v)
	}
	return out
}

// The README's figures: over the first 500 draws, the standard deviations
// of the pathwise and score-function estimates averaged over vae-20's 20
// coordinates, each ± 5% (the draws are seeded; the width covers
// floating-point order).
const reparamPathStd, reparamScoreStd, reparamTol = 3.92, 218.0, 0.05

// reparamAverages reads the averaged figures from the lab's summary.
var reparamAverages = regexp.MustCompile(`Averaged over all (\d+) coordinates: ([0-9.e+]+) against ([0-9.e+]+)\.`)

// The reparameterisation lab: the toggle redraws the graph with the
// gradient's path reaching the encoder or stopping at z; the engine's
// pathwise estimates scatter far less than the score function's, by the
// README's figures, and a new draw or another coordinate repaints the
// histograms.
func TestReparamLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "reparam")
	p.waitFor("the estimates", `document.querySelector("#reparam-strips")?.dataset.pathStd !== undefined && document.querySelector("#reparam-digit")?.dataset.empty === "false"`)

	with := svgPixels(p, "#reparam-graph")
	if n := dataAttr(p, "#reparam-graph", "gradEdges"); n != "7" {
		t.Errorf("with the trick, %s gradient edges; want 7, back to the encoder", n)
	}
	p.run(chromedp.Click("#reparam-trick"))
	p.waitFor("the graph without the trick", `document.querySelector("#reparam-graph").dataset.trick === "false"`)
	if n := dataAttr(p, "#reparam-graph", "gradEdges"); n != "3" {
		t.Errorf("without the trick, %s gradient edges; want 3, stopping at z", n)
	}
	if d := pixelsDiffer(with, svgPixels(p, "#reparam-graph")); d < 500 {
		t.Errorf("the graph changed in only %d pixels", d)
	}
	p.screenshot("reparam-without-trick")
	p.run(chromedp.Click("#reparam-trick"))
	p.waitFor("the graph with the trick", `document.querySelector("#reparam-graph").dataset.trick === "true"`)

	std := func(name string) float64 {
		v, err := strconv.ParseFloat(dataAttr(p, "#reparam-strips", name), 64)
		if err != nil {
			t.Fatalf("data-%s: %v", name, err)
		}
		return v
	}
	path, score := std("pathStd"), std("scoreStd")
	t.Logf("coordinate %s over 500 draws: pathwise std %.3g, score-function std %.3g (%s)", dataAttr(p, "#reparam-strips", "dim"), path, score, eval[string](p, `document.querySelector("#reparam-status").textContent`))
	if !(path > 0) || !(path*5 < score) {
		t.Errorf("pathwise std %.3g, score-function std %.3g: want the pathwise far smaller", path, score)
	}
	summary := eval[string](p, `document.querySelector("#reparam-status").textContent`)
	if m := reparamAverages.FindStringSubmatch(summary); m == nil || m[1] != "20" {
		t.Errorf("no average over 20 coordinates in %q", summary)
	} else {
		avgPath, _ := strconv.ParseFloat(m[2], 64)
		avgScore, _ := strconv.ParseFloat(m[3], 64)
		if math.Abs(avgPath/reparamPathStd-1) > reparamTol || math.Abs(avgScore/reparamScoreStd-1) > reparamTol {
			t.Errorf("averaged over 20 coordinates: pathwise std %g, score-function std %g; want %g and %g, each ± %.0f%%", avgPath, avgScore, reparamPathStd, reparamScoreStd, 100*reparamTol)
		}
	}
	const barHeights = `[...document.querySelectorAll("#reparam-strips rect[tabindex]")].map(r => r.getAttribute("height"))`
	before := eval[[]string](p, barHeights)
	if len(before) != 2*41 {
		t.Errorf("%d histogram bars, want 41 for each estimate", len(before))
	}
	p.run(chromedp.Click("#reparam-again"))
	p.waitFor("new draws", `document.querySelector("#reparam-strips").dataset.seed === "2"`)
	after := eval[[]string](p, barHeights)
	changed := 0
	for i := range min(len(before), len(after)) {
		if before[i] != after[i] {
			changed++
		}
	}
	if changed < 10 {
		t.Errorf("new draws changed only %d of the histograms' %d bars", changed, len(after))
	}
	eval[bool](p, `(() => { const el = document.getElementById("reparam-dim"); el.value = el.value === "0" ? "1" : "0"; el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	p.waitFor("another coordinate", `document.querySelector("#reparam-strips").dataset.dim === document.getElementById("reparam-dim").value`)
	p.screenshot("reparam")
	p.noConsoleProblems()
}
