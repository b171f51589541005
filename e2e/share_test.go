package e2e

import (
	"io"
	"math"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"latentplay/core/drawdoc"
	"latentplay/core/models"
	"latentplay/wasm/edge/share"
	"latentplay/wasm/edge/wranglertest"
)

var idInLink = regexp.MustCompile(`[?&]share=([0-9a-f]{64})$`)

// drawAndShare draws a 7 on the Draw view at url, presses Share and
// returns the link shown and the 28×28 input the drawing made. On a static
// host as through the Worker the console stays clean: the page asks once
// whether the host keeps shares, and a static host is never sent an
// upload.
func drawAndShare(t *testing.T, url string) (link string, input []float64) {
	p := newPage(t, 1200, 900)
	p.open(url)
	p.waitFor("the models to load", `document.querySelector(".status")?.textContent.startsWith("Ready") || document.querySelector(".status")?.textContent.startsWith("Reads")`)
	p.stroke("canvas.pad", seven)
	p.waitFor("reconstructions of the drawing", rebuiltLatest)
	input = readDigit(p, "figure.input canvas")
	p.run(chromedp.Click("button.share"))
	p.waitFor("the share link", `!!document.querySelector("#share-link")`)
	p.screenshot("share-" + strings.ReplaceAll(t.Name(), "/", "-"))
	p.noConsoleProblems()
	return eval[string](p, `document.querySelector("#share-link").href`), input
}

// openSharedDrawing opens link in a fresh browser and checks the pad shows
// the same drawing and the models rebuild it.
func openSharedDrawing(t *testing.T, link string, input []float64) {
	p := newPage(t, 1200, 900)
	p.open(link)
	p.waitFor("the models to load", `document.querySelector(".status")?.textContent.startsWith("Ready") || document.querySelector(".status")?.textContent.startsWith("Reads")`)
	p.waitFor("rebuilds of the shared drawing", `Number(document.querySelector(".rebuilds")?.dataset.shown) > 0 && `+rebuiltLatest)
	got := readDigit(p, "figure.input canvas")
	worst := 0.0
	for i := range got {
		worst = math.Max(worst, math.Abs(got[i]-input[i]))
	}
	if worst > 1.0/255 {
		t.Errorf("the shared drawing's input differs from the original by up to %.3f", worst)
	}
	if r := correlation(got, readDigit(p, "#vae-20 canvas.digit")); !(r >= minCorrelation) {
		t.Errorf("the VAE's rebuild of the shared drawing correlates %.3f with it, want ≥ %.2f", r, minCorrelation)
	}
	p.noConsoleProblems()
}

// Through the Worker under workerd: Share stores the drawing and the link
// names it by id; a fresh browser opening the link gets the same drawing.
func TestShareDrawingThroughWorker(t *testing.T) {
	base := wranglertest.Start(t)
	link, input := drawAndShare(t, base+"/")
	m := idInLink.FindStringSubmatch(link)
	if !strings.HasPrefix(link, base+"/?share=") || m == nil {
		t.Fatalf("link %q is not %s/?share=ID", link, base)
	}
	resp, err := http.Get(base + share.Prefix + "/" + m[1])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	doc, err := drawdoc.Decode(b)
	if err != nil || len(doc.Strokes) != 1 || doc.Side != 280 {
		t.Fatalf("the API holds %s (%v); want the one stroke of the 7 on a 280-pixel pad", b, err)
	}
	openSharedDrawing(t, link, input)

	// A link to nothing says so, and the pad stays usable.
	p := newPage(t, 1200, 900)
	p.open(base + "/?share=" + strings.Repeat("0", 64))
	p.waitFor("the error", `document.querySelector(".share-error")?.textContent.includes("nothing is shared")`)
}

// On a static host (no API) the same button puts the drawing in the link,
// at the root or under a sub-path.
func TestShareDrawingInFragment(t *testing.T) {
	for _, site := range []struct{ dir, prefix string }{{siteDir, ""}, {subSiteDir, "/latentplay"}} {
		t.Run("prefix="+site.prefix, func(t *testing.T) {
			url := serve(t, site.dir, site.prefix)
			link, input := drawAndShare(t, url)
			if !strings.HasPrefix(link, url+"#drawing=") {
				t.Fatalf("link %q does not carry the drawing in its fragment under %s", link, url)
			}
			openSharedDrawing(t, link, input)
		})
	}
}

// A model shared from the Train view opens in the Train view of a fresh
// browser, the same model.
func TestShareModelThroughWorker(t *testing.T) {
	base := wranglertest.Start(t)
	p := newPage(t, 1200, 1400)
	p.open(base + "/train")
	file, err := filepath.Abs("../static/models/linear-ae-20.lpm")
	if err != nil {
		t.Fatal(err)
	}
	p.run(chromedp.SetUploadFiles("#import", []string{file}))
	p.waitFor("the import", `document.querySelector(".info")?.textContent.includes("Imported linear-ae-20.lpm")`)
	imported := eval[string](p, `document.querySelector(".info").textContent`)
	p.run(chromedp.Click("#share"))
	p.waitFor("the share link", `!!document.querySelector("#share-link")`)
	link := eval[string](p, `document.querySelector("#share-link").href`)
	m := idInLink.FindStringSubmatch(link)
	if !strings.HasPrefix(link, base+"/train?share=") || m == nil {
		t.Fatalf("link %q is not %s/train?share=ID", link, base)
	}
	resp, err := http.Get(base + share.Prefix + "/" + m[1])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	model, _, err := models.Unmarshal(b)
	if err != nil || model.Kind() != "linear-ae" {
		t.Fatalf("the API holds %d bytes that are not the linear AE: %v", len(b), err)
	}
	p.noConsoleProblems()

	q := newPage(t, 1200, 1400)
	q.open(link)
	q.waitFor("the shared model", `document.querySelector(".info")?.textContent.includes("The shared model is loaded")`)
	got := eval[string](q, `document.querySelector(".info").textContent`)
	// Both say "a linear-ae with 20 latent dimensions, N parameters."
	if want := strings.TrimPrefix(imported, "Imported linear-ae-20.lpm"); !strings.HasSuffix(got, want) {
		t.Errorf("the shared model is %q; the imported one was %q", got, imported)
	}
	q.run(chromedp.Click("#use"))
	q.waitFor("the shared model in use", `document.querySelector(".info")?.textContent.includes("now use your model as ae-20: a linear-ae")`)
	q.screenshot("share-model")
	q.noConsoleProblems()

	bad := newPage(t, 1200, 1400)
	bad.open(base + "/train?share=" + strings.Repeat("0", 64))
	bad.waitFor("the error", `document.querySelector(".error")?.textContent.includes("nothing is shared")`)
}
