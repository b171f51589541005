package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The networks lesson's layer views: the shipped classifier's stages, one
// picture each, and the neighbour accuracy rising through the hidden
// layers and from the input to the output; on a phone the pictures fit
// the screen.
func TestLayers(t *testing.T) {
	url := serve(t, siteDir, "")
	for _, size := range []screen{{"network-layers", 1280, 900, false}, {"network-layers-phone", 375, 667, true}} {
		t.Run(size.name, func(t *testing.T) {
			p := size.open(t)
			p.open(url + "network")
			p.waitFor("the layer views", `document.querySelector("#layer-views")?.dataset.state === "ready"`)
			var acc []float64
			for _, f := range strings.Fields(eval[string](p, `document.querySelector("#layer-views").dataset.accuracy`)) {
				a, err := strconv.ParseFloat(f, 64)
				if err != nil {
					t.Fatal(err)
				}
				acc = append(acc, a)
			}
			t.Logf("5-NN accuracy by stage: %v", acc)
			if len(acc) != 4 {
				t.Fatalf("%d stages, want the input, two hidden layers and the output", len(acc))
			}
			for i := 1; i < len(acc)-1; i++ {
				if !(acc[i] > acc[i-1]) {
					t.Errorf("hidden layer %d: %.3f, not above the stage before's %.3f", i, acc[i], acc[i-1])
				}
			}
			if !(acc[3] > acc[0]+0.2) {
				t.Errorf("the output's %.3f against the input's %.3f", acc[3], acc[0])
			}
			if a := eval[float64](p, `Number(document.querySelector("#layer-views").dataset.classifierAccuracy)`); !(a > 0.95) {
				t.Errorf("the classifier's accuracy %v", a)
			}
			if n := eval[int](p, `document.querySelectorAll("#layer-views .stage-view img").length`); n != 4 {
				t.Errorf("%d pictures", n)
			}
			// A bar a stage, and the classifier's own accuracy beside the output's.
			if bars := eval[int](p, `document.querySelectorAll("#layer-accuracy rect[tabindex]").length`); bars != 5 {
				t.Errorf("%d bars in the accuracy plot", bars)
			}
			caption := eval[string](p, `document.querySelector("#layer-views .caption").textContent`)
			if !strings.Contains(caption, "rises from") {
				t.Errorf("caption %q", caption)
			}
			// Nothing wider than the screen.
			if w := eval[float64](p, `Math.max(...[...document.querySelectorAll("#layer-views *")].map(e => e.getBoundingClientRect().right))`); w > float64(size.w) {
				t.Errorf("the layer views reach %.0f px on a %d px screen: %s", w, size.w, eval[string](p, `[...document.querySelectorAll("#layer-views *")].filter(e => e.getBoundingClientRect().right > `+strconv.Itoa(size.w)+`).map(e => e.tagName + "." + e.getAttribute("class")).slice(0, 5).join(", ")`))
			}
			p.screenshotOf("#layer-views", size.name)
			p.noConsoleProblems()
		})
	}
}

// screenshotOf writes the element sel matches, alone, to out/NAME.png.
func (p *page) screenshotOf(sel, name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS(sel), 2))
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outDir, name+".png"), b, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
