package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The conditional VAE lesson's first prompt joins the lecture's path.
func init() { firstTry["cvae"] = cvaeFirstTry }

// rowImages is each of the one-z row's ten digits as a data URL.
const rowImages = `[...document.querySelectorAll("#one-z canvas.digit")].map(c => c.toDataURL())`

// cvaeFirstTry drags the z₁ slider: all ten digits change together, and
// each is still read as the digit its label names.
func cvaeFirstTry(p *page) {
	p.t.Helper()
	p.waitFor("the row of ten", `document.querySelector("#one-z")?.dataset.read?.length === 10 && document.querySelectorAll("#one-z canvas.digit[data-empty=false]").length === 10`)
	before := eval[[]string](p, rowImages)
	if n, _ := strconv.Atoi(dataAttr(p, "#one-z", "right")); n < 9 {
		p.t.Errorf("at z = %s the classifier reads %s: want at least 9 of the ten labels", dataAttr(p, "#one-z", "z"), dataAttr(p, "#one-z", "read"))
	}
	eval[bool](p, `(() => { document.getElementById("cvae-z1").scrollIntoView({block: "center"}); return true; })()`)
	setRange(p, "cvae-z1", -2)
	p.waitFor("the row at z₁ = −2", `document.querySelector("#one-z").dataset.z === "-2.00,0.00" && document.querySelector("#one-z").dataset.read.length === 10`)
	after := eval[[]string](p, rowImages)
	changed := 0
	for i := range after {
		if i < len(before) && after[i] != before[i] {
			changed++
		}
	}
	if changed != 10 {
		p.t.Errorf("moving z₁ changed %d of the ten digits, want all ten", changed)
	}
	if n, _ := strconv.Atoi(dataAttr(p, "#one-z", "right")); n < 9 {
		p.t.Errorf("at z = (−2, 0) the classifier reads %s: the label should still name each digit", dataAttr(p, "#one-z", "read"))
	}
}

// styleLatest holds once the ten digits on screen were written from the
// latest drawing: the lesson numbers the drawings it is handed and marks
// which one its digits came from.
const styleLatest = `(() => {
	const s = document.querySelector("#your-style");
	return s && s.dataset.input !== "0" && s.dataset.input === s.dataset.shown && s.dataset.read?.length === 10 &&
		document.querySelectorAll("#your-style canvas.digit[data-empty=false]").length === 10;
})()`

// knnFigures are the lesson's two 5-NN accuracies and the manifest's.
type knnFigures struct {
	VAE, CVAE, ManVAE, ManCVAE float64
}

// The conditional VAE lesson: z₁ restyles all ten digits at once; a drawn
// 7 comes back as all ten digits; both latent maps are drawn, and the
// 5-nearest-neighbour figure shows cvae-2's codes far less sorted by class
// than vae-2's, as `latentplay eval` measured them; a tap on cvae-2's map
// moves z. The same page on a 375 px phone fits its width.
func TestCVAELesson(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1280, 900)
	p.open(url + "cvae")
	if got := eval[string](p, `document.querySelector(".lesson-line")?.textContent ?? ""`); !strings.HasPrefix(got, "Lesson 14 of ") {
		t.Errorf("lesson line %q", got)
	}
	cvaeFirstTry(p)
	t.Logf("z = (−2, 0): read as %s", dataAttr(p, "#one-z", "read"))

	drawSeven(p)
	p.waitFor("the finished drawing's style as ten digits", styleLatest)
	read, _ := strconv.Atoi(dataAttr(p, "#your-style", "right"))
	t.Logf("the drawn 7 written as every digit, read as %s", dataAttr(p, "#your-style", "read"))
	if read < 8 {
		t.Errorf("the drawing's style as ten digits is read as %s: want at least 8 of the ten labels", dataAttr(p, "#your-style", "read"))
	}
	if c := eval[string](p, `document.querySelector("#your-style .caption").textContent`); !strings.Contains(c, "reads your drawing as a 7") {
		t.Errorf("caption %q: the classifier should read the drawn 7", c)
	}

	p.waitFor("both maps", `["vae-2", "cvae-2"].every(s => document.querySelector("#map-" + s)?.dataset.points === "2000" && document.querySelector("#map-" + s + " img.map")?.naturalWidth === 360)`)
	p.waitFor("the 5-NN figure", `document.querySelector("#knn-bars")?.dataset.done === "true"`)
	f := eval[knnFigures](p, `(async () => {
		const m = await (await fetch("/web/models/index.json")).json();
		const knn = (n) => m.models.find(e => e.name === n)?.eval?.knn5_code_accuracy ?? -1;
		const b = document.querySelector("#knn-bars").dataset;
		return {VAE: Number(b.vae), CVAE: Number(b.cvae), ManVAE: knn("vae-2"), ManCVAE: knn("cvae-2")};
	})()`)
	t.Logf("5-NN class accuracy of the 2-D test codes: vae-2 %.4f (manifest %.4f), cvae-2 %.4f (manifest %.4f)", f.VAE, f.ManVAE, f.CVAE, f.ManCVAE)
	if !(f.VAE > 0.7 && f.CVAE < f.VAE-0.3) {
		t.Errorf("vae-2 %.3f, cvae-2 %.3f: want vae-2's above 0.7 and cvae-2's at least 0.3 below it", f.VAE, f.CVAE)
	}
	for _, c := range [][2]float64{{f.VAE, f.ManVAE}, {f.CVAE, f.ManCVAE}} {
		if d := c[0] - c[1]; d > 0.002 || d < -0.002 {
			t.Errorf("the page shows %.4f, the manifest %.4f", c[0], c[1])
		}
	}
	if c := eval[string](p, `document.querySelector(".cvae-knn .caption").textContent`); !strings.Contains(c, "vae-2's neighbours name the class") {
		t.Errorf("the figure's caption gives no figures: %q", c)
	}

	// A tap on cvae-2's map moves z there.
	was := dataAttr(p, "#one-z", "z")
	eval[bool](p, `(() => { document.querySelector("#map-cvae-2 img.map").scrollIntoView({block: "center"}); return true; })()`)
	box := eval[[]float64](p, `(() => { const r = document.querySelector("#map-cvae-2 img.map").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	p.run(chromedp.MouseClickXY(box[0]+0.75*box[2], box[1]+0.25*box[3]))
	p.waitFor("the row at the tapped z", `document.querySelector("#one-z").dataset.z !== `+strconv.Quote(was)+` && document.querySelector("#one-z").dataset.z.startsWith("1.7")`)
	t.Logf("tapped z = %s, read as %s", dataAttr(p, "#one-z", "z"), dataAttr(p, "#one-z", "read"))

	if bad := eval[[]string](p, unlabelled); len(bad) > 0 {
		t.Errorf("unnamed elements:\n%s", strings.Join(bad, "\n"))
	}
	eval[bool](p, `(() => { window.scrollTo(0, 0); return true; })()`)
	p.screenshot("cvae")
	p.noConsoleProblems()

	phone := newPage(t, 375, 667)
	phone.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	phone.open(url + "cvae")
	phone.waitFor("the row, both maps and the figure", `document.querySelector("#one-z")?.dataset.read?.length === 10 && document.querySelector("#map-cvae-2")?.dataset.points === "2000" && document.querySelector("#knn-bars")?.dataset.done === "true"`)
	drawSeven(phone)
	phone.waitFor("the finished drawing's style", styleLatest)
	if w := eval[float64](phone, `document.scrollingElement.scrollWidth`); w > 375 {
		t.Errorf("the lesson is %.0f px wide on a 375 px phone", w)
	}
	wide := eval[[]string](phone, `[...document.querySelectorAll("main *")].filter(el => el.getBoundingClientRect().right > 375.5).map(el => el.tagName + "#" + el.id + "." + el.className)`)
	if len(wide) > 0 {
		t.Errorf("elements past the phone's right edge: %v", wide)
	}
	eval[bool](phone, `(() => { window.scrollTo(0, 0); return true; })()`)
	phone.screenshot("cvae-phone")
	phone.noConsoleProblems()
}
