package e2e

import (
	"strings"
	"testing"
)

// unlabelled lists the controls and pictures on the page that a screen
// reader could not name: form controls without a label, buttons without
// text, images without alternative text.
const unlabelled = `(() => {
	const named = (el) => (el.getAttribute("aria-label") || "").trim() ||
		(el.labels && [...el.labels].map((l) => l.textContent).join("").trim()) ||
		(el.closest("label")?.textContent || "").trim();
	const out = [];
	for (const el of document.querySelectorAll("input, select, textarea")) if (!named(el)) out.push(el.outerHTML.slice(0, 80));
	for (const el of document.querySelectorAll("button")) if (!el.textContent.trim() && !named(el)) out.push(el.outerHTML.slice(0, 80));
	for (const el of document.querySelectorAll("img")) if (!el.alt) out.push(el.outerHTML.slice(0, 80));
	for (const el of document.querySelectorAll("canvas, svg, [role=img]")) if (!el.getAttribute("aria-label")) out.push(el.outerHTML.slice(0, 80));
	return out;
})()`

// padsFocusable counts the drawing pads on the page and lists those that
// cannot take keyboard focus (by script, and by Tab: a tabindex of 0 or more).
const padsFocusable = `(() => {
	const pads = [...document.querySelectorAll("canvas.pad")];
	const bad = pads.filter((c) => { c.focus(); return document.activeElement !== c || c.tabIndex < 0; }).map((c) => c.getAttribute("aria-label") || c.outerHTML.slice(0, 80));
	return {n: pads.length, bad};
})()`

// Every control has a name and every picture a text alternative, on every
// view; and every view with a drawing pad has its pads, each taking
// keyboard focus.
func TestEveryViewIsLabelled(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1400)
	// The views and how many drawing pads each has.
	views := []struct {
		path string
		pads int
	}{
		{"", 1}, {"generate", 1}, {"latent", 1}, {"interpolate", 2}, {"vae-vs-gan", 1}, {"train", 0}, {"perceptron", 0},
		{"activations", 0}, {"network", 0}, {"descent", 0}, {"classifier", 1}, {"autoencoders", 1},
		{"why-autoencoders", 0}, {"limits", 0}, {"generative", 1}, {"vae", 1}, {"elbo", 0}, {"reparam", 0},
	}
	for _, view := range views {
		p.open(url + view.path)
		p.waitFor("the view's first results", `document.querySelector(".status")?.textContent === "" || document.querySelector(".status")?.textContent.startsWith("Ready") || document.querySelector(".status")?.textContent.startsWith("Draw") || document.querySelector("#status") || document.querySelector("#perceptron-status")?.dataset.correct || document.querySelector("canvas.heat[data-painted=true]") || document.querySelector("#net-map")?.dataset.epoch || document.querySelector("#descent-map")?.dataset.painted || document.querySelector("#unit-weights")?.dataset.for || document.querySelector("#elbo-status") || document.querySelector("#reparam-graph")`)
		if bad := eval[[]string](p, unlabelled); len(bad) > 0 {
			t.Errorf("/%s has unnamed elements:\n%s", view.path, strings.Join(bad, "\n"))
		}
		pads := eval[struct {
			N   int      `json:"n"`
			Bad []string `json:"bad"`
		}](p, padsFocusable)
		if pads.N != view.pads {
			t.Errorf("/%s has %d drawing pads, want %d", view.path, pads.N, view.pads)
		}
		if len(pads.Bad) > 0 {
			t.Errorf("/%s: these pads cannot take keyboard focus: %s", view.path, strings.Join(pads.Bad, "; "))
		}
	}
	p.noConsoleProblems()
}
