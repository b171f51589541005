package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// canvasPixels reads a canvas's RGBA bytes.
func canvasPixels(p *page, selector string) []byte {
	p.t.Helper()
	vals := eval[[]int](p, fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data);
	})()`, selector))
	out := make([]byte, len(vals))
	for i, v := range vals {
		out[i] = byte(v)
	}
	return out
}

// pixelsDiffer counts the pixels that differ between two readings.
func pixelsDiffer(a, b []byte) int {
	n := 0
	for i := 0; i+3 < len(a) && i+3 < len(b); i += 4 {
		if a[i] != b[i] || a[i+1] != b[i+1] || a[i+2] != b[i+2] {
			n++
		}
	}
	return n
}

func dataAttr(p *page, selector, name string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf(`document.querySelector(%q)?.dataset[%q] ?? ""`, selector, name))
}

// setRange moves a slider as a person would, firing input.
func setRange(p *page, id string, value any) {
	p.t.Helper()
	eval[bool](p, fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %q; el.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, id, fmt.Sprint(value)))
}

// The festival perceptron: sliders and dragging change the cube, the rule
// learns Y = x₁ to 8/8 and never settles on XOR, saying why.
func TestFestivalPerceptron(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1600)
	p.open(url + "perceptron")
	p.waitFor("the first evaluation", `document.querySelector("#perceptron-status")?.dataset.correct === "4"`)
	cube := canvasPixels(p, "#cube")

	// A weight moves the plane: the cube's pixels change, and so do the numbers.
	setRange(p, "w1", 2)
	p.waitFor("the new weight's outputs", `document.querySelector("#equation").textContent.includes("2.00·")`)
	p.waitFor("the cube repainted", `document.querySelector("#cube").dataset.plane?.startsWith("2.00 ")`)
	after := canvasPixels(p, "#cube")
	if d := pixelsDiffer(cube, after); d < 200 {
		t.Errorf("moving w₁ changed %d pixels of the cube", d)
	}
	// Dragging turns the cube.
	p.stroke("#cube", [][2]float64{{0.3, 0.5}, {0.7, 0.45}})
	turned := canvasPixels(p, "#cube")
	if d := pixelsDiffer(after, turned); d < 200 {
		t.Errorf("dragging the cube changed %d pixels", d)
	}
	// The switches pick the row the decision and equation speak of.
	p.run(chromedp.Click("#x1"))
	p.waitFor("the decision for weather alone", `document.querySelector("#equation").textContent.includes("·1 + ")`)

	// Back to zero weights; the rule learns Y = x₁.
	p.run(chromedp.Click("#rule-reset"))
	p.waitFor("zero weights", `document.querySelector("#cube").dataset.plane === "0.00 0.00 0.00 0.00" && !document.querySelector("#rule-step").disabled`)
	p.run(chromedp.Click("#rule-step"))
	p.waitFor("one step", `document.querySelector("#truth tr.current")`)
	p.run(chromedp.Click("#rule-run"))
	p.waitFor("the rule to settle", `document.querySelector("#perceptron-status").dataset.settled === "true"`)
	if c := dataAttr(p, "#perceptron-status", "correct"); c != "8" {
		t.Errorf("settled with %s/8 rows right", c)
	}
	epochs, _ := strconv.Atoi(dataAttr(p, "#perceptron-status", "epochs"))
	t.Logf("Y = x1: settled with 8/8 after %d epochs; %s", epochs, eval[string](p, `document.querySelector("#equation").textContent`))
	p.screenshot("perceptron-weather")

	// XOR of weather and friend: no plane makes it; the rule never settles.
	p.run(chromedp.SetValue("#preset", "xor"))
	eval[bool](p, `(() => { document.getElementById("preset").dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	p.waitFor("the XOR table", `document.querySelector("#perceptron-status").dataset.separable === "false"`)
	p.run(chromedp.Click("#rule-run"))
	p.waitFor("30 epochs of the rule on XOR", `Number(document.querySelector("#perceptron-status").dataset.epochs) >= 30`)
	p.run(chromedp.Click("#rule-run")) // stop
	p.waitFor("the run to stop", `document.querySelector("#perceptron-status").dataset.running === "false"`)
	if s := dataAttr(p, "#perceptron-status", "settled"); s != "false" {
		t.Error("the rule settled on XOR")
	}
	if m, _ := strconv.Atoi(dataAttr(p, "#perceptron-status", "lastMistakes")); m < 1 {
		t.Errorf("the last XOR epoch made %d mistakes", m)
	}
	msg := eval[string](p, `document.querySelector("#perceptron-status").textContent`)
	for _, want := range []string{"not linearly separable", "never settles"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the status %q does not say %q", msg, want)
		}
	}
	if bars := eval[int](p, `document.querySelectorAll("svg.plot rect").length`); bars < 30 {
		t.Errorf("the mistakes plot has %d bars after 30 epochs", bars)
	}
	t.Logf("XOR: %s", msg)
	p.screenshot("perceptron-xor")
	p.noConsoleProblems()
}

// The activation lab: six curves and heatmaps; the slope, the pieces and the
// weights change the pictures.
func TestActivationFunctions(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1400)
	p.open(url + "activations")
	const painted = `document.querySelectorAll("canvas.heat[data-painted=true]").length === 6 && document.querySelectorAll("svg.act-plot").length === 6`
	p.waitFor("six heatmaps and plots", painted)
	heat := func(name string) []byte { return canvasPixels(p, "#heat-"+name) }
	before := map[string][]byte{}
	for _, n := range []string{"step", "sigmoid", "tanh", "relu", "leaky-relu", "maxout"} {
		before[n] = heat(n)
	}
	// Step's heatmap is two flat colours: the line w·x + b = 0 splits it.
	colours := map[[3]byte]bool{}
	for i := 0; i < len(before["step"]); i += 4 {
		colours[[3]byte{before["step"][i], before["step"][i+1], before["step"][i+2]}] = true
	}
	if len(colours) != 2 {
		t.Errorf("the step neuron's heatmap has %d colours, want 2", len(colours))
	}
	// ReLU is off (background) where x₁ + x₂ < 0: half the map, bottom left.
	if d := pixelsDiffer(before["relu"], before["leaky-relu"]); d < 64*64/3 {
		t.Errorf("ReLU and leaky ReLU (α = 0.1) differ in %d pixels; the leak should show below zero", d)
	}

	slope := eval[string](p, `document.querySelector("#act-leaky-relu polyline:last-of-type").getAttribute("points")`)
	setRange(p, "alpha", 0.4)
	p.waitFor("the new slope painted", `document.querySelector("#heat-leaky-relu").dataset.for?.includes("α=0.4 ")`)
	if d := pixelsDiffer(before["leaky-relu"], heat("leaky-relu")); d < 500 {
		t.Errorf("the leaky ReLU's heatmap changed in %d pixels with α 0.1 → 0.4", d)
	}
	if now := eval[string](p, `document.querySelector("#act-leaky-relu polyline:last-of-type").getAttribute("points")`); now == slope {
		t.Error("the leaky ReLU's curve did not move with α")
	}
	if d := pixelsDiffer(before["relu"], heat("relu")); d != 0 {
		t.Errorf("the slope changed the plain ReLU's heatmap (%d pixels)", d)
	}

	setRange(p, "pieces", 1)
	p.waitFor("one maxout piece painted", `document.querySelector("#heat-maxout").dataset.for?.includes("k=1 ")`)
	if d := pixelsDiffer(before["maxout"], heat("maxout")); d < 500 {
		t.Errorf("the maxout heatmap changed in %d pixels with k 3 → 1", d)
	}

	setRange(p, "w2", -2)
	for _, n := range []string{"step", "sigmoid", "tanh"} {
		p.waitFor("the new weight painted", `document.querySelector("#heat-`+n+`").dataset.for?.includes("w=1,-2 ")`)
	}
	for _, n := range []string{"step", "sigmoid", "tanh"} {
		if d := pixelsDiffer(before[n], heat(n)); d < 500 {
			t.Errorf("%s: w₂ 1 → −2 changed %d pixels of the heatmap", n, d)
		}
	}
	p.screenshot("activations")
	p.noConsoleProblems()
}

// On a 375 px phone the labs fit the screen: nothing scrolls sideways.
func TestLabsOnAPhone(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 375, 667)
	p.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	for _, view := range []string{"perceptron", "activations", "network", "descent", "classifier", "why-autoencoders"} {
		p.open(url + view)
		p.waitFor("the lab's pictures", `document.querySelector("#cube")?.dataset.plane || document.querySelector("canvas.heat[data-painted=true]") || document.querySelector("#net-map")?.dataset.epoch || document.querySelector("#descent-map")?.dataset.painted || document.querySelector("#unit-weights")?.dataset.for || document.querySelector("#few-bars")?.dataset.done === "true"`)
		if w := eval[float64](p, `document.documentElement.scrollWidth`); w > 375 {
			wide := eval[[]string](p, `[...document.querySelectorAll("*")].filter(e => e.getBoundingClientRect().right > 375).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right)).slice(0, 8)`)
			t.Errorf("/%s is %.0f px wide on a 375 px screen: it scrolls sideways (%v)", view, w, wide)
		}
		p.screenshot("phone-" + view)
	}
	p.noConsoleProblems()
}

// framesPerSecond counts animation frames over one second.
const framesPerSecond = `new Promise(r => { let n = 0; const t0 = performance.now(); const f = (t) => { n++; if (t - t0 < 1000) requestAnimationFrame(f); else r(n * 1000 / (t - t0)); }; requestAnimationFrame(f); })`

func netCurve(p *page) string { return dataAttr(p, "#net-status", "curve") }

// netPage is a tab with a 1280×800 window, the screen the lab is laid
// out for.
func netPage(t *testing.T) *page {
	t.Helper()
	p := newPage(t, 1280, 800)
	p.run(chromedp.EmulateViewport(1280, 800))
	return p
}

// screenOnly writes what the window shows, not the whole page, to
// out/NAME.png.
func screenOnly(p *page, name string) {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outDir, name+".png"), b, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// netUnit is where unit j of layer l (0: the inputs) stands on the
// network's graph, in the window's pixels, scrolled into view.
func netUnit(p *page, l, j int) (x, y float64) {
	p.t.Helper()
	r := eval[[]float64](p, fmt.Sprintf(`(() => {
		const c = document.querySelector("#net-graph"); c.scrollIntoView({block: "center"});
		const b = c.getBoundingClientRect(), at = c.dataset.layout.split(" ")[%d].split("|").map(Number);
		return [b.left + at[0], b.top + at[1] + %d * at[2]];
	})()`, l, j))
	return r[0], r[1]
}

// unitPixels reads the picture in unit j of layer l's square on the graph.
func unitPixels(p *page, l, j int) []byte {
	p.t.Helper()
	vals := eval[[]int](p, fmt.Sprintf(`(() => {
		const c = document.querySelector("#net-graph"), k = c.width / c.clientWidth;
		const at = c.dataset.layout.split(" ")[%d].split("|").map(Number), s = at[3];
		const x = Math.round((at[0] - s / 2) * k) + 1, y = Math.round((at[1] + %d * at[2] - s / 2) * k) + 1, w = Math.floor(s * k) - 2;
		return Array.from(c.getContext("2d").getImageData(x, y, w, w).data);
	})()`, l, j))
	out := make([]byte, len(vals))
	for i, v := range vals {
		out[i] = byte(v)
	}
	return out
}

// The network lab: training lowers the loss and changes the map and the
// units' pictures; a link that asks to stop at an epoch stops there and
// says so; the URL holds the run, and opening it again gives the same
// loss curve; an edge or a unit of the graph tells its weight or bias
// under the pointer, and a click opens an editor where a value set by
// hand changes the picture; the buttons above the layers change them.
func TestNetworkLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := netPage(t)
	p.open(url + "network?data=xor&n=300&noise=0.1&test=0.3&layers=6-tanh,4-relu&loss=ce&opt=adam&lr=0.02&batch=10&seed=7&epochs=60")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelector("#net-graph")?.dataset.units === "2"`)
	before := canvasPixels(p, "#net-map")
	unitBefore := unitPixels(p, 1, 0)
	if len(unitBefore) < 4*20*20 {
		t.Fatalf("unit 1.1's picture has %d pixels", len(unitBefore)/4)
	}
	p.run(chromedp.Click("#net-train"))
	fps := eval[float64](p, framesPerSecond)
	p.waitFor("60 epochs", `document.querySelector("#net-map").dataset.epoch === "60" && document.querySelector("#net-status").dataset.running === "false"`)
	if note := eval[string](p, `document.querySelector(".net-note")?.textContent || ""`); !strings.Contains(note, "Paused at epoch 60") {
		t.Errorf("the run stopped at the link's epoch without saying so (%q)", note)
	}
	if e := eval[string](p, `document.querySelector("#net-epoch").textContent`); e != "000,060" {
		t.Errorf("the epoch counter says %q", e)
	}
	curve := netCurve(p)
	points := strings.Fields(curve)
	if len(points) != 7 { // epoch 0, then every 10
		t.Fatalf("curve %q: want 7 points", curve)
	}
	first, _ := strconv.ParseFloat(strings.Split(points[0], ":")[1], 64)
	last, _ := strconv.ParseFloat(strings.Split(points[len(points)-1], ":")[1], 64)
	acc := dataAttr(p, "#net-status", "testAcc")
	t.Logf("XOR: train loss %.4f → %.4f in 60 epochs, test accuracy %s; %.0f frames a second while training", first, last, acc, fps)
	if !(last < first/2) {
		t.Errorf("train loss %.4f → %.4f", first, last)
	}
	if d := pixelsDiffer(before, canvasPixels(p, "#net-map")); d < 2000 {
		t.Errorf("training changed %d pixels of the decision map", d)
	}
	if d := pixelsDiffer(unitBefore, unitPixels(p, 1, 0)); d < 50 {
		t.Errorf("training changed %d pixels of unit 1.1's picture", d)
	}
	eval[bool](p, `(window.scrollTo(0, 0), true)`)
	p.screenshot("network-xor")

	// The link reproduces the run: a fresh browser, the same curve.
	link := eval[string](p, `location.href`)
	q := netPage(t)
	q.open(link)
	q.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0"`)
	q.run(chromedp.Click("#net-train"))
	q.waitFor("60 epochs", `document.querySelector("#net-map").dataset.epoch === "60" && document.querySelector("#net-status").dataset.running === "false"`)
	if again := netCurve(q); again != curve {
		t.Errorf("the link's run differs:\n%s\n%s", curve, again)
	}
	q.noConsoleProblems()

	// Pointing at the edge from x₁ to unit 1.1, 30% of the way along,
	// reads its weight; a click opens the editor on it.
	x0, y0 := netUnit(p, 0, 0)
	x1, y1 := netUnit(p, 1, 0)
	ex, ey := x0+0.3*(x1-x0), y0+0.3*(y1-y0)
	p.run(chromedp.MouseEvent(chromedp.MouseMoved, ex, ey))
	p.waitFor("the edge's value", `document.querySelector("#edge-value").textContent.startsWith("x₁ → unit 1.1: w = ")`)
	p.run(chromedp.MouseClickXY(ex, ey))
	p.waitFor("the editor on that edge", `document.querySelector(".weight-editor label")?.textContent === "Weight x₁ → unit 1.1" && document.activeElement?.id === "edit-value"`)
	// The same weight, chosen by its units from the keyboard's drop-downs.
	setField(p, "edit-from", 1)
	p.waitFor("the editor on x₂'s edge", `document.querySelector(".weight-editor label")?.textContent === "Weight x₂ → unit 1.1"`)

	p.run(chromedp.Click("#edit-close"))
	p.waitFor("the editor closed", `document.querySelector(".weight-editor") === null`)

	// The output class 1 tells its bias, and a click opens it; a bias of
	// 50 set by hand moves the decision.
	trained := canvasPixels(p, "#net-map")
	ox, oy := netUnit(p, 3, 0)
	p.run(chromedp.MouseEvent(chromedp.MouseMoved, ox, oy))
	p.waitFor("the bias's value", `document.querySelector("#edge-value").textContent.startsWith("class 1: bias b = ")`)
	p.run(chromedp.MouseClickXY(ox, oy))
	p.waitFor("the editor on the bias", `document.querySelector(".weight-editor label")?.textContent === "Bias of class 1"`)
	setField(p, "edit-value", 50)
	p.run(chromedp.Click("#edit-set"))
	p.waitFor("the edited bias", `document.querySelector(".weight-editor .caption").textContent.includes("50.000")`)
	if d := pixelsDiffer(trained, canvasPixels(p, "#net-map")); d < 2000 {
		t.Errorf("a bias of 50 on class 1 changed %d pixels of the map", d)
	}
	screenOnly(p, "network-edit")
	p.run(chromedp.KeyEvent(kb.Escape))
	p.waitFor("the editor closed by Escape", `document.querySelector(".weight-editor") === null`)

	// The buttons above the layers: a unit fewer, a layer more and less;
	// a data set by its thumbnail. Each starts the run over.
	for _, c := range []struct{ click, layers, data string }{
		{"#units-fewer-1", "6-tanh,3-relu", "xor"},
		{"#units-more-0", "7-tanh,3-relu", "xor"},
		{"#add-layer", "7-tanh,3-relu,4-relu", "xor"},
		{"#remove-layer", "7-tanh,3-relu", "xor"},
		{"#data-circles", "7-tanh,3-relu", "circles"},
	} {
		p.run(chromedp.Click(c.click))
		p.waitFor(c.click+" in the URL", fmt.Sprintf(`new URLSearchParams(location.search).get("layers") === %q && new URLSearchParams(location.search).get("data") === %q && document.querySelector("#net-status").dataset.epoch === "0"`, c.layers, c.data))
	}
	if !eval[bool](p, `document.querySelector("#data-circles").getAttribute("aria-pressed") === "true" && document.querySelector("#data-xor").getAttribute("aria-pressed") === "false"`) {
		t.Error("the thumbnails do not show which data set is chosen")
	}

	// Train again after the link's stop: the run goes on until paused, and
	// the link no longer stops it.
	p.run(chromedp.Click("#net-train"))
	p.waitFor("the link's stop again", `document.querySelector("#net-status").dataset.epoch === "60" && document.querySelector("#net-status").dataset.running === "false"`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("training past it", `Number(document.querySelector("#net-status").dataset.epoch) >= 100 && document.querySelector("#net-status").dataset.running === "true" && !new URLSearchParams(location.search).has("epochs")`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("the pause", `document.querySelector("#net-status").dataset.running === "false" && !document.querySelector(".net-note")`)
	p.noConsoleProblems()
}

// Spirals with the lab's own network, two hidden layers of 4 tanh units,
// chosen by a person's clicks: from x₁ and x₂ alone it stalls short of
// 80% of the test points right; reading the sines as well (TensorFlow
// Playground's way to the spirals) it gets at least 95% of the held-out
// points right, timed in the browser, and training runs on past epoch
// 500 until paused. Then a link's network of 2×8 tanh units, from x₁ and
// x₂ alone, to the epoch the link names.
func TestNetworkLabSpirals(t *testing.T) {
	url := serve(t, siteDir, "")
	p := netPage(t)
	p.open(url + "network")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0"`)
	p.run(chromedp.Click("#data-spirals"))
	p.waitFor("the spirals", `new URLSearchParams(location.search).get("data") === "spirals" && document.querySelector("#net-map").getAttribute("aria-label").includes("200 training")`)
	// From x₁ and x₂ alone the network stalls short of 80%, as the lesson
	// says.
	p.run(chromedp.Click("#net-train"))
	p.waitFor("epoch 1000", `Number(document.querySelector("#net-status").dataset.epoch) >= 1000`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("the pause", `document.querySelector("#net-status").dataset.running === "false"`)
	plain, _ := strconv.ParseFloat(dataAttr(p, "#net-status", "testAcc"), 64)
	t.Logf("spirals, 2×4 tanh from x₁, x₂: test accuracy %.3f at epoch %s", plain, dataAttr(p, "#net-status", "epoch"))
	if plain >= 0.8 {
		t.Errorf("from x₁ and x₂ alone: test accuracy %.3f, the lesson says it stalls short of 0.8", plain)
	}
	p.run(chromedp.Click("#feat-sinx1"))
	p.run(chromedp.Click("#feat-sinx2"))
	p.waitFor("the sines", `new URLSearchParams(location.search).get("features") === "x1,x2,sinx1,sinx2" && new URLSearchParams(location.search).get("layers") === "4-tanh,4-tanh" && document.querySelector("#net-status").dataset.epoch === "0" && document.querySelector("#net-graph").dataset.layout.split(" ").length === 4`)
	// The lesson's other picture, the MNIST classifier's layers, keeps the
	// engine busy for a moment after the page opens: the clock starts when
	// it is done.
	p.waitFor("the layer views", `document.querySelector("#layer-views")?.dataset.state === "ready"`)
	eval[bool](p, `(window.scrollTo(0, 0), window.netStart = performance.now(), true)`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("95% of the test points right", `Number(document.querySelector("#net-status").dataset.testAcc) >= 0.95 && (window.netReached = window.netReached || [performance.now(), document.querySelector("#net-status").dataset.epoch])`)
	reached := eval[[]float64](p, `[(window.netReached[0] - window.netStart) / 1000, Number(window.netReached[1]), Number(document.querySelector("#net-status").dataset.testAcc)]`)
	t.Logf("spirals, 2×4 tanh from x₁, x₂, sin πx₁, sin πx₂: test accuracy %.3f at epoch %.0f, %.1f s after Train was pressed", reached[2], reached[1], reached[0])
	screenOnly(p, "network-spirals-screen")
	p.screenshot("network-spirals")
	p.waitFor("epoch 600", `Number(document.querySelector("#net-status").dataset.epoch) >= 600`)
	if eval[string](p, `document.querySelector("#net-status").dataset.running`) != "true" {
		t.Error("training stopped before it was paused")
	}
	p.run(chromedp.Click("#net-train"))
	p.waitFor("the pause", `document.querySelector("#net-status").dataset.running === "false"`)
	if acc, _ := strconv.ParseFloat(dataAttr(p, "#net-status", "testAcc"), 64); acc < 0.9 {
		t.Errorf("paused at test accuracy %.3f", acc)
	}
	p.noConsoleProblems()

	q := netPage(t)
	q.open(url + "network?data=spirals&n=500&noise=0&test=0.5&layers=8-tanh,8-tanh&loss=ce&opt=adam&lr=0.01&batch=16&seed=2&epochs=1000")
	q.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0"`)
	q.run(chromedp.Click("#net-train"))
	fps := eval[float64](q, framesPerSecond)
	q.waitFor("1000 epochs", `document.querySelector("#net-map").dataset.epoch === "1000" && document.querySelector("#net-status").dataset.running === "false"`)
	acc, _ := strconv.ParseFloat(dataAttr(q, "#net-status", "testAcc"), 64)
	t.Logf("spirals, 2×8 tanh from x₁, x₂, 1000 epochs: test accuracy %.3f; %.0f frames a second while training", acc, fps)
	if acc < 0.95 {
		t.Errorf("test accuracy %.3f, want ≥ 0.95", acc)
	}
	q.noConsoleProblems()
}

// Points placed by clicking, three classes (a click on a point removes
// it): the network separates them; a learning rate that blows up says so
// and keeps the last good weights.
func TestNetworkLabOwnPoints(t *testing.T) {
	url := serve(t, siteDir, "")
	p := netPage(t)
	p.open(url + "network?data=custom&classes=3&test=0&layers=8-tanh&lr=0.03&batch=4&epochs=100")
	p.waitFor("the empty map's message", `document.querySelector(".error")?.textContent.includes("Place at least two points")`)
	clicks := []struct {
		class string
		at    [2]float64
	}{
		{"0", [2]float64{0.2, 0.8}}, {"0", [2]float64{0.25, 0.7}}, {"0", [2]float64{0.15, 0.75}},
		{"1", [2]float64{0.8, 0.8}}, {"1", [2]float64{0.75, 0.7}}, {"1", [2]float64{0.85, 0.75}},
		{"2", [2]float64{0.5, 0.2}}, {"2", [2]float64{0.45, 0.25}}, {"2", [2]float64{0.55, 0.15}},
	}
	mapBox := func() []float64 {
		return eval[[]float64](p, `(() => { const c = document.querySelector("#net-map"); c.scrollIntoView({block: "center"}); const r = c.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	}
	for i, c := range clicks {
		setField(p, "place-class", c.class)
		box := mapBox()
		p.run(chromedp.MouseClickXY(box[0]+c.at[0]*box[2], box[1]+c.at[1]*box[3]))
		p.waitFor("the point in the URL", fmt.Sprintf(`new URLSearchParams(location.search).get("points")?.split(";").length === %d`, i+1))
	}
	// A click on a point removes that one point; another click puts it back.
	last := clicks[len(clicks)-1].at
	p.waitFor("the map of 9 points", `document.querySelector("#net-map").getAttribute("aria-label").includes("9 training")`)
	sum := `(() => { const c = document.querySelector("#net-map"); return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data).reduce((a, v, i) => (a + v * (i % 9973 + 1)) % 1000000007, 0); })()`
	eval[bool](p, `(window.mapSum = `+sum+`, true)`)
	box := mapBox()
	p.run(chromedp.MouseClickXY(box[0]+last[0]*box[2], box[1]+last[1]*box[3]))
	p.waitFor("the point removed", `new URLSearchParams(location.search).get("points")?.split(";").length === 8`)
	p.waitFor("the map of 8 points repainted", `document.querySelector("#net-map").getAttribute("aria-label").includes("8 training") && `+sum+` !== window.mapSum`)
	box = mapBox()
	p.run(chromedp.MouseClickXY(box[0]+last[0]*box[2], box[1]+last[1]*box[3]))
	p.waitFor("the point back", `new URLSearchParams(location.search).get("points")?.split(";").length === 9`)
	p.waitFor("the untrained map of 9 points", `document.querySelector("#net-status").dataset.epoch === "0" && document.querySelector("#net-map").getAttribute("aria-label").includes("9 training")`)
	if !eval[bool](p, `document.querySelector("#thumb-custom") && document.querySelector("#data-custom").getAttribute("aria-pressed") === "true"`) {
		t.Error("the own points' thumbnail is not the chosen one")
	}
	p.run(chromedp.Click("#net-train"))
	p.waitFor("100 epochs", `document.querySelector("#net-map").dataset.epoch === "100" && document.querySelector("#net-status").dataset.running === "false"`)
	if acc := dataAttr(p, "#net-status", "trainAcc"); acc != "1" {
		t.Errorf("nine points in three clumps: training accuracy %s", acc)
	}
	// Three classes: three colours on the map, beside the three clumps.
	px := canvasPixels(p, "#net-map")
	side := eval[int](p, `document.querySelector("#net-map").width`)
	seen := map[string]bool{}
	for _, at := range [][2]float64{{0.1, 0.9}, {0.9, 0.9}, {0.5, 0.06}} { // fractions of the map from its top left
		i := 4 * (int(at[1]*float64(side))*side + int(at[0]*float64(side)))
		seen[fmt.Sprint(px[i:i+3])] = true
	}
	if len(seen) != 3 {
		t.Errorf("the map shows %d colours beside the three clumps, want 3", len(seen))
	}
	eval[bool](p, `(window.scrollTo(0, 0), true)`)
	p.screenshot("network-own-points")

	good := dataAttr(p, "#net-status", "curve")
	setField(p, "opt", "sgd")
	setField(p, "lr", 10)
	setField(p, "loss", "mse")
	setField(p, "act-0", "relu")
	setField(p, "units-0", 64)
	p.waitFor("the new run", `document.querySelector("#net-status").dataset.epoch === "0" && document.querySelector("#net-graph").dataset.layout.split(" ")[1].split("|")[3] < 10 && new URLSearchParams(location.search).get("layers") === "64-relu"`)
	before := canvasPixels(p, "#net-map")
	p.run(chromedp.Click("#net-train"))
	p.waitFor("the blow-up message", `document.querySelector(".error")?.textContent.includes("too high")`)
	p.waitFor("the run to stop", `document.querySelector("#net-status").dataset.running === "false"`)
	if e := dataAttr(p, "#net-status", "epoch"); e != "0" {
		t.Fatalf("the run blew up in its first chunk, yet shows epoch %s", e)
	}
	if d := pixelsDiffer(before, canvasPixels(p, "#net-map")); d > 0 {
		t.Errorf("the map changed by %d pixels though the weights were kept", d)
	}
	t.Logf("good run %s; then: %s", good, eval[string](p, `document.querySelector(".error").textContent`))
	p.noConsoleProblems()
}

// The largest network the lab builds, six hidden layers of 64 ReLU units,
// on 500 spiral points: a seventh layer in the link is not built and no
// layer can be added; the graph holds every unit, each hidden one with
// its picture; the worker trains it for 50 epochs, the training loss
// falling, while the page keeps drawing at 30 frames a second or more.
func TestNetworkLabLargest(t *testing.T) {
	url := serve(t, siteDir, "")
	p := netPage(t)
	layers := strings.TrimSuffix(strings.Repeat("64-relu,", 7), ",")
	p.open(url + "network?data=spirals&n=500&test=0.5&layers=" + layers + "&lr=0.003&batch=16&seed=1&epochs=50")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelector("#net-graph")?.dataset.units === "6"`)
	if n := eval[int](p, `document.querySelectorAll(".net-layer").length`); n != 6 {
		t.Errorf("a link with 7 layers built %d, want 6", n)
	}
	if !eval[bool](p, `document.querySelector("#add-layer").disabled`) {
		t.Error("a seventh layer can be added")
	}
	if maxes := eval[[]float64](p, `Array.from(document.querySelectorAll("input[id^=units-]"), (el) => Number(el.max))`); fmt.Sprint(maxes) != "[64 64 64 64 64 64]" {
		t.Errorf("the units boxes' limits: %v, want 64 for each of 6", maxes)
	}
	if !eval[bool](p, `[...document.querySelectorAll("button[id^=units-more-]")].every(b => b.disabled)`) {
		t.Error("a 65th unit can be added")
	}
	if label := eval[string](p, `document.querySelector("#net-graph").getAttribute("aria-label")`); !strings.Contains(label, "2 64 64 64 64 64 64 2 units by layer") {
		t.Errorf("the graph's label: %q", label)
	}
	// The graph and its controls stay inside the page.
	if w := eval[float64](p, `document.documentElement.scrollWidth`); w > 1280 {
		t.Errorf("the page is %.0f px wide", w)
	}
	start := eval[float64](p, `performance.now()`)
	p.run(chromedp.Click("#net-train"))
	fps := eval[float64](p, framesPerSecond)
	p.waitFor("50 epochs", `document.querySelector("#net-map").dataset.epoch === "50" && document.querySelector("#net-status").dataset.running === "false"`)
	secs := (eval[float64](p, `performance.now()`) - start) / 1000
	curve := strings.Fields(netCurve(p))
	if len(curve) != 6 { // epoch 0, then every 10
		t.Fatalf("curve %q: want 6 points", curve)
	}
	first, _ := strconv.ParseFloat(strings.Split(curve[0], ":")[1], 64)
	last, _ := strconv.ParseFloat(strings.Split(curve[5], ":")[1], 64)
	t.Logf("6×64 ReLU on 250 training points: train loss %.4f → %.4f; 50 epochs in %.1f s (%.0f epochs a second, the pictures redrawn every 10); %.0f frames a second while training", first, last, secs, 50/secs, fps)
	if !(last < first) {
		t.Errorf("train loss %.4f → %.4f in 50 epochs", first, last)
	}
	if fps < 30 {
		t.Errorf("%.0f frames a second while the largest network trains, want 30 or more", fps)
	}
	eval[bool](p, `(window.scrollTo(0, 0), true)`)
	screenOnly(p, "network-largest")
	p.noConsoleProblems()
}

// Input features, as in TensorFlow Playground: with no hidden layer a
// network cannot draw a circle from x₁ and x₂, and can from x₁² and x₂²;
// the features are in the link, which reproduces the run; the last
// feature cannot be taken away.
func TestNetworkLabFeatures(t *testing.T) {
	url := serve(t, siteDir, "")
	p := netPage(t)
	p.open(url + "network?data=circles&n=300&noise=0&test=0.5&layers=&loss=ce&opt=adam&lr=0.05&batch=10&seed=3&epochs=100&features=x1,x2")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelector("#feat-x1").checked && !document.querySelector("#feat-x1sq").checked`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("100 epochs", `document.querySelector("#net-map").dataset.epoch === "100" && document.querySelector("#net-status").dataset.running === "false"`)
	linear, _ := strconv.ParseFloat(dataAttr(p, "#net-status", "testAcc"), 64)
	before := canvasPixels(p, "#net-map")

	p.run(chromedp.Click("#feat-x1sq"))
	p.waitFor("x₁² in the URL", `new URLSearchParams(location.search).get("features") === "x1,x2,x1sq"`)
	p.run(chromedp.Click("#feat-x2sq"))
	p.waitFor("x₂² in the URL", `new URLSearchParams(location.search).get("features") === "x1,x2,x1sq,x2sq" && document.querySelector("#net-map").dataset.epoch === "0"`)
	p.waitFor("four inputs on the graph", `document.querySelector("#net-graph").dataset.layout.split(" ").length === 2 && document.querySelector("#net-graph").getAttribute("aria-label").includes(" 4 2 units by layer")`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("100 epochs", `document.querySelector("#net-map").dataset.epoch === "100" && document.querySelector("#net-status").dataset.running === "false"`)
	squares, _ := strconv.ParseFloat(dataAttr(p, "#net-status", "testAcc"), 64)
	t.Logf("circles, no hidden layer, 100 epochs: test accuracy %.3f from x₁, x₂; %.3f with x₁², x₂² too", linear, squares)
	if !(squares >= 0.95) || !(linear < 0.8) {
		t.Errorf("test accuracy %.3f from x₁, x₂ and %.3f with the squares", linear, squares)
	}
	if d := pixelsDiffer(before, canvasPixels(p, "#net-map")); d < 2000 {
		t.Errorf("the squares changed %d pixels of the map", d)
	}
	eval[bool](p, `(window.scrollTo(0, 0), true)`)
	p.screenshot("network-features")

	curve := netCurve(p)
	link := eval[string](p, `location.href`)
	q := netPage(t)
	q.open(link)
	q.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelector("#feat-x2sq").checked`)
	q.run(chromedp.Click("#net-train"))
	q.waitFor("100 epochs", `document.querySelector("#net-map").dataset.epoch === "100" && document.querySelector("#net-status").dataset.running === "false"`)
	if again := netCurve(q); again != curve {
		t.Errorf("the link's run differs:\n%s\n%s", curve, again)
	}
	q.noConsoleProblems()

	for _, f := range []string{"x1", "x2", "x1sq"} {
		p.run(chromedp.Click("#feat-" + f))
	}
	p.waitFor("x₂² alone", `new URLSearchParams(location.search).get("features") === "x2sq"`)
	p.run(chromedp.Click("#feat-x2sq"))
	p.waitFor("the refusal", `document.querySelector(".error")?.textContent.includes("at least one input feature")`)
	if on := eval[bool](p, `document.querySelector("#feat-x2sq").checked`); !on || eval[string](p, `new URLSearchParams(location.search).get("features")`) != "x2sq" {
		t.Error("the last feature was taken away")
	}
	p.noConsoleProblems()
}

// On a 375 px phone the network lab fits the screen: nothing is wider,
// no text is under 11 px (the graph's names are drawn at 12), and the map
// comes right under the buttons.
func TestNetworkLabOnAPhone(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 375, 667)
	p.run(chromedp.EmulateViewport(375, 667, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	p.open(url + "network")
	p.waitFor("the pictures", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelector("#net-graph")?.dataset.units === "2"`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("epoch 100", `Number(document.querySelector("#net-status").dataset.epoch) >= 100`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("the pause", `document.querySelector("#net-status").dataset.running === "false"`)
	if w := eval[float64](p, `document.documentElement.scrollWidth`); w > 375 {
		wide := eval[[]string](p, `[...document.querySelectorAll("*")].filter(e => e.getBoundingClientRect().right > 375).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right)).slice(0, 8)`)
		t.Errorf("the lab is %.0f px wide on a 375 px screen (%v)", w, wide)
	}
	small := eval[[]string](p, `[...document.querySelectorAll("#net-lab *")].filter(e => e.offsetParent && e.childNodes.length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && parseFloat(getComputedStyle(e).fontSize) < 11).map(e => e.tagName + "#" + e.id + "." + e.className).slice(0, 8)`)
	if len(small) > 0 {
		t.Errorf("text under 11 px: %v", small)
	}
	if f := eval[string](p, `document.querySelector("#net-graph").getContext("2d").font`); !strings.HasPrefix(f, "12px") {
		t.Errorf("the graph's names are drawn in %q", f)
	}
	// On a phone the map comes first, under the buttons; then the data
	// and the network.
	if !eval[bool](p, `document.querySelector(".net-out").getBoundingClientRect().top < document.querySelector(".net-data").getBoundingClientRect().top`) {
		t.Error("on a phone the map is not the first thing under the buttons")
	}
	for i, sel := range []string{".net-top", ".net-data", "#net-graph"} {
		eval[bool](p, fmt.Sprintf(`(document.querySelector(%q).scrollIntoView(), true)`, sel))
		screenOnly(p, fmt.Sprintf("network-phone-%d", i+1))
	}
	p.noConsoleProblems()
}
