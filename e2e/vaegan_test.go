package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// vaeGANReady is true once the four models' twenty samples each are on
// screen and the figures' table is filled.
const vaeGANReady = `document.querySelectorAll(".vaegan-samples canvas.digit[data-empty=false]").length === 80 && document.querySelectorAll("#vaegan-figures tbody tr").length === 4`

// The VAE-against-GAN view: twenty samples from each of vae-20, cvae-20,
// gan and cgan; the manifest's figures for each; a drawing rebuilt by the
// VAE; and the GAN's panel saying that it has no encoder. At 1280×800 and
// on a 375×667 phone, no wider than the screen.
func TestVAEAgainstGAN(t *testing.T) {
	url := serve(t, siteDir, "")
	for _, size := range []screen{desktop, phone} {
		p := size.open(t)
		p.open(url + "vae-vs-gan")
		p.waitFor("the four models' samples and the figures", vaeGANReady)
		for _, slot := range []string{"vae-20", "cvae-20", "gan", "cgan"} {
			imgs := readAll(p, "#samples-"+slot+" canvas.digit")
			if len(imgs) != 20 {
				t.Fatalf("%s: %d samples, want 20", slot, len(imgs))
			}
			// An MNIST digit has 60–200 units of ink; a blank sample is 0.
			if s := ink(imgs[0]); s < 30 {
				t.Errorf("%s's first sample is nearly blank (ink %.1f)", slot, s)
			}
			cells := eval[[]string](p, `[...document.querySelectorAll("#vaegan-figures tr[data-model='`+slot+`'] td")].map(c => c.textContent)`)
			if len(cells) != 4 {
				t.Fatalf("%s's row has %d figures, want 4", slot, len(cells))
			}
			for i, c := range cells[:3] {
				if c == "—" || c == "" {
					t.Errorf("%s's figure %d is missing", slot, i)
				}
			}
			if conditional := strings.HasPrefix(slot, "c"); conditional != (cells[3] != "—") {
				t.Errorf("%s's label accuracy reads %q", slot, cells[3])
			}
		}
		if size.name == "phone" {
			if w := eval[float64](p, `document.scrollingElement.scrollWidth`); w > 375 {
				t.Errorf("the view is %.0f px wide on a 375 px phone", w)
			}
		}

		drawSeven(p)
		p.waitFor("the VAE's rebuild", `document.querySelector("#vaegan-rebuilt")?.dataset.empty === "false"`)
		if s := ink(readAll(p, "#vaegan-rebuilt")[0]); s < 30 {
			t.Errorf("the VAE's rebuild is nearly blank (ink %.1f)", s)
		}
		if txt := eval[string](p, `document.querySelector("#gan-rebuild").textContent`); !strings.Contains(txt, "has no encoder") {
			t.Errorf("the GAN's panel does not say it has no encoder: %q", txt)
		}
		// What the GAN has instead: a search for the z nearest the drawing.
		p.run(chromedp.Click("#search-z"))
		p.waitFor("the GAN's nearest image", `document.querySelector("#gan-rebuild .rebuild").dataset.found === "true" && document.querySelector("#gan-found").dataset.empty === "false"`)
		if s := ink(readAll(p, "#gan-found")[0]); s < 30 {
			t.Errorf("the GAN's nearest image is nearly blank (ink %.1f)", s)
		}
		res := eval[string](p, `document.querySelector("#search-result").textContent`)
		if !strings.Contains(res, "the GAN's nearest image 0.") || !strings.Contains(res, "the VAE's rebuild 0.") {
			t.Errorf("the search's result does not give both errors: %q", res)
		}
		t.Logf("%s: %s", size.name, res)
		eval[bool](p, `(() => { window.scrollTo(0, 0); return true; })()`)
		for _, theme := range []string{"light", "dark"} {
			eval[bool](p, `(() => { document.documentElement.dataset.theme = "`+theme+`"; return true; })()`)
			p.screenshot("vae-vs-gan-" + size.name + "-" + theme)
		}
		p.noConsoleProblems()
	}
}
