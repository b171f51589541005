package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// After one visit the playground works with the server gone: the service
// worker has cached the app, the engine and the models.
func TestOfflineAfterFirstVisit(t *testing.T) {
	url, stop := serveStoppable(t, siteDir, "")
	p := newPage(t, 1200, 900)
	p.open(url)
	p.waitFor("the models to load", `document.querySelector(".status")?.textContent.startsWith("Ready")`)
	p.waitFor("the service worker's cache", `(async () => {
		if (!navigator.serviceWorker.controller) return false;
		const keys = await caches.keys();
		if (keys.length === 0) return false;
		const cache = await caches.open(keys[0]);
		for (const u of ["/", "/web/app.wasm", "/web/engine.js", "/web/wasm_exec.js", "/web/models/vae-20.lpm", "/web/models/cvae-20.lpm", "/web/models/mlp.lpm", "/web/models/ae-20.lpm"]) {
			if (!(await cache.match(u))) return false;
		}
		return true;
	})()`)
	stop()
	p.run(chromedp.Reload())
	p.waitFor("the app to start offline", `document.querySelector(".shell")?.dataset.live === "true"`)
	p.waitFor("the models, offline", `document.querySelector(".status")?.textContent.startsWith("Ready")`)
	p.stroke("canvas.pad", seven)
	p.waitFor("rebuilds, offline", rebuiltLatest)
	if r := correlation(readDigit(p, "figure.input canvas"), readDigit(p, "#vae-20 canvas.digit")); r < minCorrelation {
		t.Errorf("offline rebuild correlates %.3f, want ≥ %.2f", r, minCorrelation)
	}
	p.screenshot("offline")
}
