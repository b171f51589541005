package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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

// The network lab: training lowers the loss and changes the map; the URL
// holds the run, and opening it again gives the same loss curve; a weight
// edited by hand changes the picture.
func TestNetworkLab(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "network?data=xor&n=300&noise=0.1&test=0.3&layers=6-tanh,4-relu&loss=ce&opt=adam&lr=0.02&batch=10&seed=7&epochs=60")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelectorAll("canvas.units-map[data-painted=true]").length === 2`)
	before := canvasPixels(p, "#net-map")
	unitBefore := canvasPixels(p, "#unitmap-0")
	p.run(chromedp.Click("#net-train"))
	fps := eval[float64](p, framesPerSecond)
	p.waitFor("60 epochs", `document.querySelector("#net-map").dataset.epoch === "60" && document.querySelector("#net-status").dataset.running === "false"`)
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
	if d := pixelsDiffer(unitBefore, canvasPixels(p, "#unitmap-0")); d < 50 {
		t.Errorf("training changed %d pixels of the first hidden layer's unit maps", d)
	}
	p.screenshot("network-xor")

	// The link reproduces the run: a fresh browser, the same curve.
	link := eval[string](p, `location.href`)
	q := newPage(t, 1200, 1800)
	q.open(link)
	q.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0"`)
	q.run(chromedp.Click("#net-train"))
	q.waitFor("60 epochs", `document.querySelector("#net-map").dataset.epoch === "60" && document.querySelector("#net-status").dataset.running === "false"`)
	if again := netCurve(q); again != curve {
		t.Errorf("the link's run differs:\n%s\n%s", curve, again)
	}
	q.noConsoleProblems()

	// Hovering an edge reads its weight; a click puts it in the editor. The
	// diagram's first edge column runs from x₁ (top) to unit 1.1 (top).
	d := eval[[]float64](p, `(() => { const r = document.querySelector("#net-diagram").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	fx := func(x float64) float64 { return d[0] + x/560*d[2] }
	fy := func(y float64) float64 { return d[1] + y/240*d[3] }
	// x₁ sits at (30, 106), unit 1.1 at (30 + 500/3, 50): a tenth of the way along.
	p.run(chromedp.MouseEvent(chromedp.MouseMoved, fx(30+0.1*500/3), fy(106+0.1*(50-106))))
	p.waitFor("the edge's value", `document.querySelector("#edge-value").textContent.startsWith("x₁ → unit 1.1: w = ")`)
	p.run(chromedp.MouseClickXY(fx(30+0.1*500/3), fy(106+0.1*(50-106))))
	p.waitFor("the edge in the editor", `document.querySelector("#edge-value").textContent.includes("in the editor") && document.querySelector("#edit-layer").value === "0" && document.querySelector("#edit-from").value === "0" && document.querySelector("#edit-to").value === "0"`)

	// A weight set by hand moves the decision.
	trained := canvasPixels(p, "#net-map")
	setField(p, "edit-layer", 2)
	setField(p, "edit-from", -1)
	setField(p, "edit-to", 0)
	setField(p, "edit-value", 50)
	p.run(chromedp.Click("#edit-set"))
	p.waitFor("the edited weight", `document.querySelector(".weight-editor .caption").textContent.includes("50.000")`)
	if d := pixelsDiffer(trained, canvasPixels(p, "#net-map")); d < 2000 {
		t.Errorf("a bias of 50 on class 1 changed %d pixels of the map", d)
	}
	p.noConsoleProblems()
}

// Spirals, two hidden layers of 8 tanh units: at least 95% of the held-out
// points right.
func TestNetworkLabSpirals(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "network?data=spirals&n=500&noise=0&test=0.5&layers=8-tanh,8-tanh&loss=ce&opt=adam&lr=0.01&batch=16&seed=2&epochs=1000")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0"`)
	p.run(chromedp.Click("#net-train"))
	fps := eval[float64](p, framesPerSecond)
	p.waitFor("1000 epochs", `document.querySelector("#net-map").dataset.epoch === "1000" && document.querySelector("#net-status").dataset.running === "false"`)
	acc, _ := strconv.ParseFloat(dataAttr(p, "#net-status", "testAcc"), 64)
	t.Logf("spirals, 2×8 tanh, 1000 epochs: test accuracy %.3f; %.0f frames a second while training", acc, fps)
	if acc < 0.95 {
		t.Errorf("test accuracy %.3f, want ≥ 0.95", acc)
	}
	p.screenshot("network-spirals")
	p.noConsoleProblems()
}

// Points placed by clicking, three classes (a click on a point removes
// it): the network separates them; a learning rate that blows up says so
// and keeps the last good weights.
func TestNetworkLabOwnPoints(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	p.open(url + "network?data=custom&classes=3&test=0&layers=8-tanh&lr=0.03&batch=4&epochs=100")
	p.waitFor("the empty map's message", `document.querySelector(".error")?.textContent.includes("place at least two points")`)
	clicks := []struct {
		class string
		at    [2]float64
	}{
		{"0", [2]float64{0.2, 0.8}}, {"0", [2]float64{0.25, 0.7}}, {"0", [2]float64{0.15, 0.75}},
		{"1", [2]float64{0.8, 0.8}}, {"1", [2]float64{0.75, 0.7}}, {"1", [2]float64{0.85, 0.75}},
		{"2", [2]float64{0.5, 0.2}}, {"2", [2]float64{0.45, 0.25}}, {"2", [2]float64{0.55, 0.15}},
	}
	box := eval[[]float64](p, `(() => { const r = document.querySelector("#net-map").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	for i, c := range clicks {
		setField(p, "place-class", c.class)
		p.run(chromedp.MouseClickXY(box[0]+c.at[0]*box[2], box[1]+c.at[1]*box[3]))
		p.waitFor("the point in the URL", fmt.Sprintf(`new URLSearchParams(location.search).get("points")?.split(";").length === %d`, i+1))
	}
	// A click on a point removes that one point; another click puts it back.
	last := clicks[len(clicks)-1].at
	p.waitFor("the map of 9 points", `document.querySelector("#net-map").getAttribute("aria-label").includes("9 training")`)
	sum := `(() => { const c = document.querySelector("#net-map"); return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data).reduce((a, v, i) => (a + v * (i % 9973 + 1)) % 1000000007, 0); })()`
	eval[bool](p, `(window.mapSum = `+sum+`, true)`)
	p.run(chromedp.MouseClickXY(box[0]+last[0]*box[2], box[1]+last[1]*box[3]))
	p.waitFor("the point removed", `new URLSearchParams(location.search).get("points")?.split(";").length === 8`)
	p.waitFor("the map of 8 points repainted", `document.querySelector("#net-map").getAttribute("aria-label").includes("8 training") && `+sum+` !== window.mapSum`)
	p.run(chromedp.MouseClickXY(box[0]+last[0]*box[2], box[1]+last[1]*box[3]))
	p.waitFor("the point back", `new URLSearchParams(location.search).get("points")?.split(";").length === 9`)
	p.waitFor("the untrained map of 9 points", `document.querySelector("#net-status").dataset.epoch === "0" && document.querySelector("#net-status").textContent.includes("Accuracy")`)
	p.run(chromedp.Click("#net-train"))
	p.waitFor("100 epochs", `document.querySelector("#net-map").dataset.epoch === "100" && document.querySelector("#net-status").dataset.running === "false"`)
	if acc := eval[string](p, `document.querySelector("#net-status").textContent`); !strings.Contains(acc, "train 100.0%") {
		t.Errorf("nine points in three clumps: %s", acc)
	}
	// Three classes: three colours on the map.
	px := canvasPixels(p, "#net-map")
	seen := map[string]bool{}
	for _, at := range [][2]int{{60, 260}, {260, 260}, {160, 40}} { // the three clumps, as canvas pixels (top-left origin)
		i := 4 * ((320-at[1])*320 + at[0])
		seen[fmt.Sprint(px[i:i+3])] = true
	}
	if len(seen) != 3 {
		t.Errorf("the map shows %d colours where the three clumps are, want 3", len(seen))
	}
	p.screenshot("network-own-points")

	good := dataAttr(p, "#net-status", "curve")
	setField(p, "opt", "sgd")
	setField(p, "lr", 10)
	setField(p, "loss", "mse")
	setField(p, "act-0", "relu")
	setField(p, "units-0", 64)
	p.waitFor("the new run", `document.querySelector("#net-status").dataset.epoch === "0" && document.querySelector("#unitmap-0")?.width === 8 * 26 && new URLSearchParams(location.search).get("layers") === "64-relu"`)
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
// layer can be added; each layer's 64 unit maps are drawn, 8 by 8, and the
// diagram holds every unit; the worker trains it for 50 epochs, the
// training loss falling. The log gives its pace, which the lab's caption
// quotes (the pace is not asserted: speed lives in make bench).
func TestNetworkLabLargest(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
	layers := strings.TrimSuffix(strings.Repeat("64-relu,", 7), ",")
	p.open(url + "network?data=spirals&n=500&test=0.5&layers=" + layers + "&lr=0.003&batch=16&seed=1&epochs=50")
	p.waitFor("the untrained map", `document.querySelector("#net-map")?.dataset.epoch === "0" && document.querySelectorAll("canvas.units-map[data-painted=true]").length === 6`)
	if n := eval[int](p, `document.querySelectorAll(".layer-row").length`); n != 6 {
		t.Errorf("a link with 7 layers built %d, want 6", n)
	}
	if !eval[bool](p, `document.querySelector("#add-layer").disabled`) {
		t.Error("a seventh layer can be added")
	}
	if maxes := eval[[]float64](p, `Array.from(document.querySelectorAll("input[id^=units-]"), (el) => Number(el.max))`); fmt.Sprint(maxes) != "[64 64 64 64 64 64]" {
		t.Errorf("the units boxes' limits: %v, want 64 for each of 6", maxes)
	}
	// 64 maps tile 8 columns by 8 rows, each 26 cells with its gap.
	if sizes := eval[[]string](p, `Array.from(document.querySelectorAll("canvas.units-map"), (c) => c.width + "x" + c.height)`); strings.Join(sizes, " ") != strings.TrimSpace(strings.Repeat("208x208 ", 6)) {
		t.Errorf("unit-map canvases %v, want six of 208x208", sizes)
	}
	if label := eval[string](p, `document.querySelector("#net-diagram").getAttribute("aria-label")`); !strings.Contains(label, "2 64 64 64 64 64 64 2 units by layer") {
		t.Errorf("the diagram's label: %q", label)
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
	t.Logf("6×64 ReLU on 250 training points: train loss %.4f → %.4f; 50 epochs in %.1f s (%.0f epochs a second, the map redrawn every 10); %.0f frames a second while training", first, last, secs, 50/secs, fps)
	if !(last < first) {
		t.Errorf("train loss %.4f → %.4f in 50 epochs", first, last)
	}
	p.screenshot("network-largest")
	p.noConsoleProblems()
}

// Input features, as in TensorFlow Playground: with no hidden layer a
// network cannot draw a circle from x₁ and x₂, and can from x₁² and x₂²;
// the features are in the link, which reproduces the run; the last
// feature cannot be taken away.
func TestNetworkLabFeatures(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 1200, 1800)
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
	p.screenshot("network-features")

	curve := netCurve(p)
	link := eval[string](p, `location.href`)
	q := newPage(t, 1200, 1800)
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
