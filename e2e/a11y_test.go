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

// Every control has a name and every picture a text alternative, on every
// view; and the pad takes keyboard focus.
func TestEveryViewIsLabelled(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1400)
	for _, view := range []string{"", "generate", "latent", "interpolate", "train", "perceptron", "activations", "network", "descent", "classifier", "autoencoders", "why-autoencoders", "limits", "generative", "vae", "elbo", "reparam"} {
		p.open(url + view)
		p.waitFor("the view's first results", `document.querySelector(".status")?.textContent === "" || document.querySelector(".status")?.textContent.startsWith("Ready") || document.querySelector(".status")?.textContent.startsWith("Draw") || document.querySelector("#status") || document.querySelector("#perceptron-status")?.dataset.correct || document.querySelector("canvas.heat[data-painted=true]") || document.querySelector("#net-map")?.dataset.epoch || document.querySelector("#descent-map")?.dataset.painted || document.querySelector("#unit-weights")?.dataset.for`)
		if bad := eval[[]string](p, unlabelled); len(bad) > 0 {
			t.Errorf("/%s has unnamed elements:\n%s", view, strings.Join(bad, "\n"))
		}
	}
	focused := eval[string](p, `(() => { const c = document.querySelector("canvas.pad"); if (!c) return "no pad"; c.focus(); return document.activeElement === c ? "" : "the pad cannot take focus"; })()`)
	if focused != "" && focused != "no pad" {
		t.Error(focused)
	}
	p.noConsoleProblems()
}
