package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A phone: 375×667, touch only. A finger draws, the models rebuild, and
// the pad fits the screen.
func TestPhoneTouchDrawing(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 375, 667)
	p.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	p.open(url)
	p.waitFor("the models to load", `document.querySelector(".status")?.textContent.startsWith("Ready")`)
	if w := eval[float64](p, `document.querySelector("canvas.pad").getBoundingClientRect().right`); w > 375 {
		t.Errorf("the pad reaches %.0f px on a 375 px screen", w)
	}
	if w := eval[float64](p, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the page is %.0f px wide on a 375 px screen: it scrolls sideways", w)
	}
	p.touchStroke("canvas.pad", seven)
	p.waitFor("rebuilds of the touch drawing", rebuiltLatest)
	input := readDigit(p, "figure.input canvas")
	if r := correlation(input, readDigit(p, "#vae-20 canvas.digit")); r < minCorrelation {
		t.Errorf("the VAE's rebuild of a finger-drawn 7 correlates %.3f, want ≥ %.2f", r, minCorrelation)
	}
	p.screenshot("phone")
	p.noConsoleProblems()
}

// The same site built for a sub-path (as on GitHub Pages) works there.
func TestUnderASubPath(t *testing.T) {
	const prefix = "/latentplay"
	url := serve(t, subSiteDir, prefix)
	p := newPage(t, 1200, 900)
	p.open(url)
	p.waitFor("the models to load", `document.querySelector(".status")?.textContent.startsWith("Ready")`)
	p.stroke("canvas.pad", seven)
	p.waitFor("rebuilds under the sub-path", rebuiltLatest)
	if r := correlation(readDigit(p, "figure.input canvas"), readDigit(p, "#ae-20 canvas.digit")); r < minCorrelation {
		t.Errorf("rebuild correlates %.3f, want ≥ %.2f", r, minCorrelation)
	}
	p.screenshot("subpath")
	p.noConsoleProblems()
}

func TestLatentMap(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1200)
	p.open(url + "latent")
	p.waitFor("the map", `Number(document.querySelector("#map")?.dataset.points) === 2000 && document.querySelector("img.manifold")`)
	p.stroke("canvas.pad", one)
	p.waitFor("the drawing on the map", `document.querySelector("#locate")?.textContent.includes("μ = (")`)
	// Hovering decodes the point under the pointer.
	box := eval[[]float64](p, `(() => { const r = document.querySelector("img.map").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	p.run(chromedp.MouseEvent(chromedp.MouseMoved, box[0]+box[2]/2, box[1]+box[3]/2))
	p.waitFor("the decoded point", `document.querySelector(".hover canvas.digit[data-empty=false]")`)
	if s := ink(readDigit(p, ".hover canvas.digit")); s < 20 {
		t.Errorf("the centre of the VAE's map decodes to a blank (ink %.1f)", s)
	}
	p.screenshot("latent-vae")
	p.run(chromedp.SetValue("#map-model", "ae-2"))
	eval[bool](p, `(() => { document.getElementById("map-model").dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	p.waitFor("the autoencoder's map", `Number(document.querySelector("#map")?.dataset.points) === 2000 && document.querySelector("#map").textContent.includes("no prior")`)
	p.screenshot("latent-ae")
	p.noConsoleProblems()
}
