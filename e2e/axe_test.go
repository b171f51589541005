package e2e

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// axeSource is axe-core, as e2e/axe/package-lock.json pins it (make test
// installs it).
const axeSource = "axe/node_modules/axe-core/axe.min.js"

// everyView is every page: the lecture's lessons, then the playground.
var everyView = []string{
	"perceptron", "activations", "network", "descent", "classifier", "autoencoders", "linear-ae",
	"why-autoencoders", "limits", "generative", "vae", "elbo", "reparam", "cvae", "gan",
	"", "generate", "latent", "interpolate", "vae-vs-gan", "train",
}

// axeResult is what the page's run of axe found.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  int    `json:"nodes"`
	} `json:"violations"`
}

// On every view, at 1280×800 and on a 375×667 phone, in the light and the
// dark theme, axe-core finds no serious or critical violation; on the
// phone no view is wider than the screen. Every combination leaves a
// screenshot (view-NAME-SIZE-THEME.png).
func TestAxeEveryViewBothSizesBothThemes(t *testing.T) {
	src, err := os.ReadFile(axeSource)
	if err != nil {
		t.Fatalf("axe-core is not installed (make test installs it): %v", err)
	}
	url := serve(t, siteDir, "")
	counts := map[string]int{}
	for _, size := range []screen{desktop, phone} {
		p := size.open(t)
		for _, view := range everyView {
			name := view
			if name == "" {
				name = "playground"
			}
			p.open(url + view)
			p.waitFor("/"+view+" to settle", `document.querySelector(".shell")?.dataset.live === "true" && ![...document.querySelectorAll(".status, [role=status]")].some(e => e.textContent.startsWith("Loading"))`)
			if !eval[bool](p, `typeof axe !== "undefined"`) {
				eval[bool](p, string(src)+";true")
			}
			for _, theme := range []string{"light", "dark"} {
				eval[bool](p, fmt.Sprintf(`(() => { document.documentElement.dataset.theme = %q; return true; })()`, theme))
				var r axeResult
				r = eval[axeResult](p, `axe.run(document, {resultTypes: ["violations"]}).then(r => ({violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.length}))}))`)
				var found []string
				for _, v := range r.Violations {
					counts[v.Impact]++
					found = append(found, fmt.Sprintf("%s (%s, %d)", v.ID, v.Impact, v.Nodes))
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("/%s, %s, %s theme: %s — %s on %d elements", view, size.name, theme, v.Impact, v.Help, v.Nodes)
					}
				}
				sort.Strings(found)
				t.Logf("/%s, %s, %s: %d violations %s", view, size.name, theme, len(r.Violations), strings.Join(found, ", "))
				if size.phone {
					if w := eval[float64](p, `document.scrollingElement.scrollWidth`); w > 375 {
						t.Errorf("/%s is %.0f px wide on a 375 px phone (%s theme)", view, w, theme)
					}
				}
				p.screenshot(fmt.Sprintf("view-%s-%s-%s", name, size.name, theme))
			}
		}
	}
	t.Logf("violations by impact over every view, size and theme: %v", counts)
}
