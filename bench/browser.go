package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/systeminfo"
	"github.com/chromedp/chromedp"

	"latentplay/site"
)

// browserBench measures the playground in headless Chromium on 127.0.0.1
// with a fresh profile: cold start, bytes over the wire, draw-to-rebuild
// latency, main-thread stalls while training, the time the Train view's
// VAE takes to 110 nats and the tab's memory meanwhile, the network lab's
// frame rate, and the wasm sizes. With only = "train" it measures the
// Train view's run to 110 nats and its memory alone, after a short run
// that puts MNIST in the browser's cache.
func browserBench(dist, only string, results map[string]float64) error {
	if only != "" && only != "cold" && only != "train" && only != "gan" {
		return fmt.Errorf("-only %q: want cold, train or gan", only)
	}
	for _, f := range []struct{ key, file string }{{"app_wasm_gzip_bytes", "app.wasm"}} {
		n, err := gzipSize(filepath.Join(dist, "web", f.file))
		if err != nil {
			return fmt.Errorf("%v (run make site first)", err)
		}
		results[f.key] = float64(n)
	}

	// Bytes sent, request by request. The page asks its service worker to
	// cache the rest of the app once it is ready; those requests (made by
	// the worker, so referred by its script) are not what a drawing needs.
	var mu sync.Mutex
	var sentNeeded, sentAll int64
	var navigated time.Time
	var served []servedFile // the cold start's requests, as the server saw them
	h := site.Handler(dist, "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		mu.Lock()
		sentAll += cw.n
		if !strings.HasSuffix(r.Referer(), "/app-worker.js") {
			sentNeeded += cw.n
		}
		if len(served) < 100 {
			served = append(served, servedFile{r.URL.Path, r.Referer(), start.Sub(navigated), time.Since(navigated), cw.n})
		}
		mu.Unlock()
	}))
	defer srv.Close()

	ctx, closeBrowser, err := startChromium()
	if err != nil {
		return err
	}
	defer closeBrowser()
	run := func(timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) error {
		c, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return chromedp.Do(c, actions...)
	}
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(2*time.Minute))
	}

	if only == "train" || only == "gan" {
		if err := run(3*time.Minute,
			chromedp.Navigate(srv.URL+"/train"),
			poll(`document.querySelector(".shell")?.dataset.live === "true" && document.getElementById("start")`),
			script(`(() => { const el = document.getElementById("images"); el.value = "100"; el.dispatchEvent(new Event("change", {bubbles: true})); })()`),
			chromedp.Click("#start"),
			poll(`document.querySelector("#status").dataset.state === "running"`),
			chromedp.Click("#stop"),
			poll(`["stopped", "done"].includes(document.querySelector("#status").dataset.state)`),
		); err != nil {
			return fmt.Errorf("caching MNIST: %w", err)
		}
		if only == "gan" {
			if err := trainGANToConfidence(ctx, srv.URL+"/train", results); err != nil {
				return fmt.Errorf("training a GAN to confidence %g: %w", targetConfidence, err)
			}
			return nil
		}
		if err := trainToELBO(ctx, srv.URL+"/train", results); err != nil {
			return fmt.Errorf("training to %g nats: %w", targetELBO, err)
		}
		return nil
	}

	// Cold start: a fresh profile, nothing cached, from navigation until
	// the playground's four models (ae-20, vae-20, cvae-20, mlp) are in the
	// engine and its status says Ready; then a stroke on the pad, until all
	// its rebuilds are on screen (the e2e suite's rebuiltLatest). Times are
	// the page's clock, which starts at navigation.
	mu.Lock()
	navigated = time.Now()
	mu.Unlock()
	if err := run(3*time.Minute, chromedp.Navigate(srv.URL+"/"),
		poll(`document.querySelector(".status")?.textContent.startsWith("Ready") && document.documentElement.dataset.readyAt`)); err != nil {
		return fmt.Errorf("cold start: %w", err)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[Number(document.documentElement.dataset.readyAt), Number(document.documentElement.dataset.vaeReadyAt)]`))
	if err != nil {
		return err
	}
	results["cold_start_ms"] = marks[0]
	results["cold_start_vae_ms"] = marks[1]
	strokeAt, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.now()`))
	if err != nil {
		return err
	}
	if err := run(time.Minute, stroke("canvas.pad", seven)); err != nil {
		return fmt.Errorf("cold start: drawing: %w", err)
	}
	rebuiltAt, err := chromedp.Run(ctx, chromedp.Poll[float64](`(`+rebuiltLatest+`) && performance.now()`, chromedp.WithPollingTimeout(2*time.Minute)))
	if err != nil {
		return fmt.Errorf("cold start: the first rebuild: %w", err)
	}
	mu.Lock()
	results["transfer_bytes"] = float64(sentNeeded)
	results["transfer_bytes_all_models"] = float64(sentAll) // with the service worker's caching so far
	mu.Unlock()
	results["cold_start_first_rebuild_ms"] = rebuiltAt
	results["cold_start_stroke_to_rebuild_ms"] = rebuiltAt - strokeAt
	mu.Lock()
	fmt.Fprintln(os.Stderr, "bench: the cold start's requests, as the server saw them (ms from asking Chromium to navigate):")
	for _, f := range served {
		fmt.Fprintf(os.Stderr, "  %7.0f – %7.0f  %-34s %9d bytes  (from %s)\n", ms(f.start), ms(f.end), f.path, f.bytes, strings.TrimPrefix(f.referer, srv.URL))
	}
	mu.Unlock()
	if err := coldTimeline(ctx); err != nil {
		return fmt.Errorf("cold start: the timeline: %w", err)
	}
	if only == "cold" {
		return nil
	}

	// Draw-to-rebuild latency over a long scribble, on a page that has
	// finished loading: its service worker has cached the rest of the app
	// (the cold start above is measured on its own).
	if err := run(time.Minute, poll(`document.documentElement.dataset.offlineAt`)); err != nil {
		return fmt.Errorf("waiting for the offline cache: %w", err)
	}
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector("canvas.pad").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil {
		return err
	}
	var actions []chromedp.Action[chromedp.Void]
	for stroke := range 4 {
		x0 := box[0] + box[2]*(0.2+0.15*float64(stroke))
		actions = append(actions, chromedp.MouseEvent(chromedp.MousePressed, x0, box[1]+box[3]*0.2, chromedp.ButtonLeft, chromedp.ClickCount(1)))
		for k := range 60 {
			y := box[1] + box[3]*(0.2+0.6*float64(k)/59)
			x := x0 + 8*float64(k%5)
			actions = append(actions, chromedp.MouseEvent(chromedp.MouseMoved, x, y, chromedp.ButtonType(input.MouseButtonLeft), func(p *input.DispatchMouseEventParams) { p.Buttons = 1 }))
		}
		actions = append(actions, chromedp.MouseEvent(chromedp.MouseReleased, x0, box[1]+box[3]*0.8, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	}
	actions = append(actions, poll(`(() => { const s = document.querySelector("section.rebuilds"); return s && s.dataset.input === s.dataset.shown; })()`))
	if err := run(3*time.Minute, actions...); err != nil {
		return fmt.Errorf("drawing: %w", err)
	}
	lat, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`window.latentplayLatencies || []`))
	if err != nil || len(lat) == 0 {
		return fmt.Errorf("no latencies recorded (%v)", err)
	}
	sort.Float64s(lat)
	results["reconstruct_p50_ms"] = quantile(lat, 0.5)
	results["reconstruct_p99_ms"] = quantile(lat, 0.99)
	results["reconstruct_samples"] = float64(len(lat))

	// Main-thread stalls while the engine trains in its worker.
	if err := run(3*time.Minute,
		chromedp.Navigate(srv.URL+"/train"),
		poll(`document.querySelector(".shell")?.dataset.live === "true"`),
		script(`(() => {
			window.benchLongTasks = []; window.benchFrameGap = 0;
			new PerformanceObserver((l) => l.getEntries().forEach((e) => benchLongTasks.push(e.duration))).observe({type: "longtask"});
			let last = performance.now();
			const tick = (t) => { if (window.benchTraining) benchFrameGap = Math.max(benchFrameGap, t - last); last = t; requestAnimationFrame(tick); };
			requestAnimationFrame(tick);
			for (const [id, v] of [["images", "10000"], ["epochs", "50"]]) { const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event("change", {bubbles: true})); }
		})()`),
		chromedp.Click("#start"),
		poll(`document.querySelector("#status").dataset.state === "running"`),
		script(`window.benchTraining = true`),
		poll(`Number(document.querySelector("#status").dataset.events) >= 50`),
		script(`window.benchTraining = false`),
		chromedp.Click("#stop"),
	); err != nil {
		return fmt.Errorf("training: %w", err)
	}
	stalls, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[Math.max(0, ...benchLongTasks), benchFrameGap]`))
	if err != nil {
		return err
	}
	results["longtask_max_ms_during_training"] = stalls[0]
	results["frame_gap_max_ms_during_training"] = stalls[1]

	// The Train view's default VAE recipe with all workers, from pressing
	// Train until the test-set −ELBO is at most 110 nats (MNIST is in the
	// browser's cache since the run above), and the memory the tab holds
	// meanwhile.
	if err := trainToELBO(ctx, srv.URL+"/train", results); err != nil {
		return fmt.Errorf("training to %g nats: %w", targetELBO, err)
	}
	// The Train view's GAN, until the shipped mlp reads its samples as
	// digits with the target confidence.
	if err := trainGANToConfidence(ctx, srv.URL+"/train", results); err != nil {
		return fmt.Errorf("training a GAN to confidence %g: %w", targetConfidence, err)
	}

	// The network lab's frame rate while it trains: the spirals on 2×8 tanh
	// units, and the largest network (6×64 ReLU), each counted over two
	// seconds of animation frames mid-run.
	for _, lab := range []struct{ key, query string }{
		{"network_lab_fps", "data=spirals&n=500&noise=0&test=0.5&layers=8-tanh,8-tanh&loss=ce&opt=adam&lr=0.01&batch=16&seed=2&epochs=100000"},
		{"network_lab_fps_6x64", "data=spirals&n=500&noise=0&test=0.5&layers=64-relu,64-relu,64-relu,64-relu,64-relu,64-relu&loss=ce&opt=adam&lr=0.003&batch=16&seed=2&epochs=100000"},
	} {
		if err := run(3*time.Minute,
			chromedp.Navigate(srv.URL+"/network?"+lab.query),
			poll(`document.querySelector(".shell")?.dataset.live === "true" && document.querySelector("#net-map")?.dataset.epoch === "0"`),
			chromedp.Click("#net-train"),
			poll(`Number(document.querySelector("#net-map").dataset.epoch) >= 20`),
		); err != nil {
			return fmt.Errorf("network lab: %w", err)
		}
		fps, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`new Promise(r => { let n = 0; const t0 = performance.now(); const f = (t) => { n++; if (t - t0 < 2000) requestAnimationFrame(f); else r([n * 1000 / (t - t0), document.querySelector("#net-status").dataset.running === "true" ? 1 : 0]); }; requestAnimationFrame(f); })`, chromedp.EvalAwaitPromise))
		if err != nil {
			return err
		}
		if fps[1] != 1 {
			return errors.New("network lab: the run stopped before its frame rate was counted")
		}
		results[lab.key] = fps[0]
	}
	return nil
}

// servedFile is one request the bench's server answered: when it came and
// when its last byte was written, after the cold start's navigation.
type servedFile struct {
	path, referer string
	start, end    time.Duration
	bytes         int64
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// coldTimeline prints where the cold start's time went, on the page's
// clock: each file the page fetched (from its request to its last byte,
// with the bytes that crossed the wire), and the page's performance marks
// (web/measure.go), in time order.
func coldTimeline(ctx context.Context) error {
	type entry struct {
		Name  string  `json:"name"`
		Kind  string  `json:"kind"`
		Start float64 `json:"start"`
		End   float64 `json:"end"`
		Bytes float64 `json:"bytes"`
	}
	entries, err := chromedp.Run(ctx, chromedp.Evaluate[[]entry](`[
		...performance.getEntriesByType("resource").map((e) => ({name: e.name.replace(location.origin, ""), kind: "fetch", start: e.startTime, end: e.responseEnd, bytes: e.transferSize})),
		...performance.getEntriesByType("mark").map((e) => ({name: e.name, kind: "mark", start: e.startTime, end: e.startTime + e.duration})),
	].sort((a, b) => a.start - b.start)`))
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "bench: the cold start's timeline (ms from navigation):")
	for _, e := range entries {
		switch {
		case e.Kind == "fetch":
			fmt.Fprintf(os.Stderr, "  %7.0f – %7.0f  %-34s %9.0f bytes\n", e.Start, e.End, e.Name, e.Bytes)
		default:
			fmt.Fprintf(os.Stderr, "  %7.0f            %s\n", e.Start, e.Name)
		}
	}
	return nil
}

// seven is a stroke drawing a 7, in fractions of the pad (the e2e suite's).
var seven = [][2]float64{{0.25, 0.22}, {0.75, 0.22}, {0.68, 0.40}, {0.55, 0.62}, {0.45, 0.85}}

// rebuiltLatest holds once the rebuilds on screen were made from the
// latest input, by all three generative models (as in the e2e suite).
const rebuiltLatest = `(() => {
	const s = document.querySelector("section.rebuilds");
	return s && s.dataset.input !== "0" && s.dataset.input === s.dataset.shown &&
		document.querySelectorAll("#ae-20 canvas.digit[data-empty=false], #vae-20 canvas.digit[data-empty=false], #cvae-20 canvas.digit[data-empty=false]").length === 6;
})()`

// stroke draws the polyline pts (fractions of the element's box) with the
// mouse, several moves a segment as a pen gives.
func stroke(selector string, pts [][2]float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		box, err := chromedp.Evaluate[[]float64](fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, selector))(ctx, t)
		if err != nil {
			return err
		}
		at := func(q [2]float64) (float64, float64) { return box[0] + q[0]*box[2], box[1] + q[1]*box[3] }
		x, y := at(pts[0])
		actions := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1))}
		for i := 1; i < len(pts); i++ {
			for k := 1; k <= 4; k++ {
				f := float64(k) / 4
				x, y := at([2]float64{pts[i-1][0] + f*(pts[i][0]-pts[i-1][0]), pts[i-1][1] + f*(pts[i][1]-pts[i-1][1])})
				actions = append(actions, chromedp.MouseEvent(chromedp.MouseMoved, x, y, chromedp.ButtonType(input.MouseButtonLeft), func(p *input.DispatchMouseEventParams) { p.Buttons = 1 }))
			}
		}
		x, y = at(pts[len(pts)-1])
		actions = append(actions, chromedp.MouseEvent(chromedp.MouseReleased, x, y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
		_, err = chromedp.Steps(actions...)(ctx, t)
		return err
	})
}

// targetELBO is the test-set −ELBO, in nats per image, that the Train
// view's default VAE is timed to reach; trainTimeout is how long it gets
// (bench's -train-timeout).
const targetELBO = 110.0

var trainTimeout = 10 * time.Minute

// trainWorkers is how many workers the run to 110 nats asks for (bench's
// -train-workers; 0: one per core, navigator.hardwareConcurrency).
var trainWorkers = 0

// trainToELBO opens the Train view, keeps its default VAE recipe
// (train.QuickVAE: PyTorch examples/vae's 784-400-20 on all of MNIST in
// batches of 128, Adam at 5e-3 halving every epoch) with all workers (one
// per core), lets it run for up to 100 epochs, presses Train
// and records the seconds until #status's data-test-elbo (the latest
// test-set −ELBO, per image; 0 before the first) is at most targetELBO,
// with the epoch it was measured after (data-test-set-epoch, or data-epoch). Every 250 ms it reads the resident memory of the tab's
// renderer, where the page, the engine's workers and their WebAssembly
// memories live: the peak while training, and what is left once stopped.
// On timeout it records what was reached.
func trainToELBO(ctx context.Context, url string, results map[string]float64) error {
	if err := openTrain(ctx, url, [2]string{"epochs", "100"}, [2]string{"workers", fmt.Sprintf("String(%d || navigator.hardwareConcurrency || 1)", trainWorkers)}); err != nil {
		return err
	}
	if err := chromedp.Do(ctx,
		script(`(() => {
			window.benchReached = null;
			const target = `+fmt.Sprint(targetELBO)+`;
			const check = () => {
				const s = document.getElementById("status");
				if (!s || window.benchReached) return;
				const elbo = Number(s.dataset.testElbo); // 0 until the first epoch's evaluation
				if (elbo > 0 && elbo <= target) window.benchReached = {t: performance.now(), elbo, epoch: Number(s.dataset.testSetEpoch || s.dataset.epoch)};
			};
			new MutationObserver(check).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["data-test-elbo"]});
			window.benchRunningAt = 0; // the first step's event: MNIST loaded, the helpers started
			window.benchStepMS = [];   // the status line's step time, event by event
			window.benchEpochAt = [];  // each test-set evaluation's arrival: an epoch's end
			new MutationObserver(() => {
				const s = document.getElementById("status");
				if (s?.dataset.state !== "running") return;
				if (!benchRunningAt) benchRunningAt = performance.now();
				if (Number(s.dataset.testSetEpoch || 0) > benchEpochAt.length) benchEpochAt.push(performance.now());
				const m = s.querySelector("p")?.textContent.match(/\(([\d.]+) ms a step/);
				if (m) benchStepMS.push(Number(m[1]));
			}).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["data-events"]});
		})()`),
	); err != nil {
		return err
	}
	// The tab before training: the page and its engine, idle.
	before, pid, err := rendererMemory(ctx)
	if err != nil {
		return err
	}
	results["train_memory_before_mb"] = before
	fmt.Fprintf(os.Stderr, "bench: the renderer before training, %.0f MB; its mappings of 4 MB or more resident:\n%s", before, largeMappings(pid))
	// The main thread's busy time meanwhile (Chromium's TaskDuration),
	// which the workers share the machine's cores with.
	if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
		return err
	}
	busy := func() float64 {
		r, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
		if err != nil {
			return 0
		}
		for _, m := range r.Metrics {
			if m.Name == "TaskDuration" {
				return m.Value
			}
		}
		return 0
	}
	busyBefore := busy()
	_, rpid, err := rendererMemory(ctx)
	if err != nil {
		return err
	}
	cpuBefore := threadCPU(rpid)
	if err := chromedp.Do(ctx, script(`(() => { window.benchStartedAt = performance.now(); document.getElementById("start").click(); })()`),
		// The view shows the last run's end until the new one starts.
		chromedp.Poll[chromedp.Void](`["loading", "running"].includes(document.getElementById("status")?.dataset.state)`, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		return err
	}
	type state struct {
		State   string  `json:"state"`
		ELBO    float64 `json:"elbo"`
		HasELBO bool    `json:"hasElbo"`
		Epoch   float64 `json:"epoch"`
		Reached *struct {
			T, ELBO, Epoch float64
		} `json:"reached"`
		Started float64   `json:"started"`
		Running float64   `json:"running"`
		StepMS  []float64 `json:"stepMS"`
		EpochAt []float64 `json:"epochAt"`
	}
	read := chromedp.Evaluate[state](`(() => {
		const s = document.getElementById("status");
		const r = window.benchReached;
		return {state: s?.dataset.state || "", elbo: Number(s?.dataset.testElbo || 0), hasElbo: !!s?.dataset.testElbo,
			epoch: Number(s?.dataset.testSetEpoch || s?.dataset.epoch || 0), started: benchStartedAt,
			running: benchRunningAt, stepMS: benchStepMS, epochAt: benchEpochAt,
			reached: r && {T: r.t, ELBO: r.elbo, Epoch: r.epoch}};
	})()`)
	var peak, peakPSS float64
	var peakMaps string
	deadline := time.Now().Add(trainTimeout)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var st state
	for range tick.C {
		if mb, pid, err := rendererMemory(ctx); err == nil && mb > peak {
			peak = mb
			peakMaps = largeMappings(pid)
			peakPSS = proportionalMB(pid)
		}
		var err error
		if st, err = chromedp.Run(ctx, read); err != nil {
			return err
		}
		if st.Reached != nil || time.Now().After(deadline) || (st.State != "running" && st.State != "" && st.State != "loading" && st.State != "paused") {
			break
		}
	}
	results["train_main_thread_busy_s"] = busy() - busyBefore
	// CPU time by thread of the renderer meanwhile: the page's main
	// thread, the engine's workers, the rest.
	var lines []string
	for name, secs := range threadCPU(rpid) {
		if d := secs - cpuBefore[name]; d >= 0.05 {
			lines = append(lines, fmt.Sprintf("  %7.2f s  %s", d, name))
			if name == "CrRendererMain" {
				results["train_main_thread_cpu_s"] = d
			}
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(lines)))
	fmt.Fprintf(os.Stderr, "bench: CPU time by renderer thread while training:\n%s\n", strings.Join(lines, "\n"))
	if st.Reached != nil {
		results["train_vae_to_110_s"] = (st.Reached.T - st.Started) / 1000
		results["train_vae_to_110_epoch"] = st.Reached.Epoch
		for _, k := range []string{"train_vae_timeout_s", "train_vae_reached_elbo", "train_vae_reached_epoch"} {
			delete(results, k)
		}
	} else {
		fmt.Fprintf(os.Stderr, "bench: the Train view's VAE did not reach %g nats in %v (state %q, epoch %g, test −ELBO %g)\n", float64(targetELBO), trainTimeout, st.State, st.Epoch, st.ELBO)
		if !st.HasELBO {
			fmt.Fprintln(os.Stderr, "bench: the Train view's #status carries no data-test-elbo")
		}
		delete(results, "train_vae_to_110_s")
		delete(results, "train_vae_to_110_epoch")
		results["train_vae_timeout_s"] = trainTimeout.Seconds()
		results["train_vae_reached_elbo"] = st.ELBO
		results["train_vae_reached_epoch"] = st.Epoch
	}
	results["train_peak_memory_mb"] = peak
	results["train_peak_memory_pss_mb"] = peakPSS
	if st.Running > 0 {
		results["train_vae_startup_s"] = (st.Running - st.Started) / 1000
	}
	// Each epoch's seconds, from the end of the one before (the first:
	// from its first step's event) to its test-set loss on the page, the
	// evaluation included: a step that slows as training goes on shows
	// here, where the median step time hides it.
	for k, at := range st.EpochAt {
		from := st.Running
		if k > 0 {
			from = st.EpochAt[k-1]
		}
		results[fmt.Sprintf("train_vae_epoch%d_s", k+1)] = (at - from) / 1000
	}
	if len(st.StepMS) > 0 {
		sort.Float64s(st.StepMS)
		results["train_vae_step_ms_in_view"] = quantile(st.StepMS, 0.5)
	}
	fmt.Fprintf(os.Stderr, "bench: the renderer at its peak of %.0f MB while training; its mappings of 4 MB or more resident:\n%s", peak, peakMaps)
	if err := chromedp.Do(ctx, script(`document.getElementById("stop")?.click()`),
		chromedp.Poll[chromedp.Void](`["stopped", "done", "diverged", "failed"].includes(document.getElementById("status")?.dataset.state)`, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		return fmt.Errorf("stopping: %w", err)
	}
	after, _, err := rendererMemory(ctx)
	if err != nil {
		return err
	}
	results["train_memory_after_mb"] = after
	return nil
}

// openTrain opens the Train view and sets its fields in turn: each is an
// element's id and a JavaScript expression for its value. Choosing a
// model ("kind") sets the others to its defaults, so it goes first and is
// waited for.
func openTrain(ctx context.Context, url string, fields ...[2]string) error {
	actions := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](`document.querySelector(".shell")?.dataset.live === "true" && document.getElementById("start")`, chromedp.WithPollingTimeout(2*time.Minute)),
	}
	for _, f := range fields {
		actions = append(actions, script(fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %s; el.dispatchEvent(new Event("change", {bubbles: true})); })()`, f[0], f[1])))
		if f[0] == "kind" {
			actions = append(actions, chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById("kind").value === %s && !document.getElementById("start").disabled`, f[1]), chromedp.WithPollingTimeout(time.Minute)))
		}
	}
	return chromedp.Do(ctx, actions...)
}

// rendererMemory is the resident memory (VmRSS, MiB) of the largest of
// the browser's renderer processes, and its pid: with one tab, the tab's,
// which holds its dedicated workers too.
func rendererMemory(ctx context.Context) (mb float64, pid int, err error) {
	info, err := chromedp.CallBrowser(ctx, systeminfo.GetProcessInfo, cdp.Empty{})
	if err != nil {
		return 0, 0, err
	}
	var most float64
	for _, p := range info.ProcessInfo {
		if p.Type != "renderer" {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.ID))
		if err != nil {
			continue // gone meanwhile
		}
		for line := range strings.Lines(string(b)) {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				if kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64); err == nil && kb/1024 > most {
					most, pid = kb/1024, int(p.ID)
				}
			}
		}
	}
	if most == 0 {
		return 0, 0, errors.New("no renderer process found")
	}
	return most, pid, nil
}

// threadCPU is the CPU time (user and system, seconds) each of process
// pid's threads has used, by name; threads of one name (the engine's
// workers are all DedicatedWorker threads) are numbered in the order of
// their ids.
func threadCPU(pid int) map[string]float64 {
	out := map[string]float64{}
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return out
	}
	seen := map[string]int{}
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, t.Name()))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... utime stime: fields 14 and 15, counted
		// after the comm's closing parenthesis.
		st := string(b)
		open, shut := strings.IndexByte(st, '('), strings.LastIndexByte(st, ')')
		if open < 0 || shut < open {
			continue
		}
		name, f := st[open+1:shut], strings.Fields(st[shut+1:])
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseFloat(f[11], 64)
		stt, _ := strconv.ParseFloat(f[12], 64)
		seen[name]++
		if seen[name] > 1 {
			name = fmt.Sprintf("%s #%d", name, seen[name])
		}
		out[name] += (ut + stt) / 100 // clock ticks, USER_HZ = 100
	}
	return out
}

// proportionalMB is process pid's proportional set size (Pss, MiB): its
// resident memory with each page shared with other processes (Chromium's
// own code, mapped by every one of its processes) counted as its share.
func proportionalMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "Pss:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// largeMappings lists the mappings of process pid with 4 MiB or more
// resident, largest first, one a line: a WebAssembly memory is one
// mapping of its own (a reservation of gigabytes, resident as far as the
// instance has grown and touched it), V8's heaps and the allocator's
// arenas others.
func largeMappings(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return err.Error() + "\n"
	}
	type mapping struct {
		head      string
		size, rss float64 // MiB
	}
	var maps []mapping
	var cur *mapping
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if !strings.HasSuffix(f[0], ":") { // a mapping's first line: range perms offset dev inode [path]
			maps = append(maps, mapping{head: strings.TrimSpace(line)})
			cur = &maps[len(maps)-1]
			continue
		}
		if cur == nil || len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "Size:":
			cur.size = kb / 1024
		case "Rss:":
			cur.rss = kb / 1024
		}
	}
	sort.Slice(maps, func(i, j int) bool { return maps[i].rss > maps[j].rss })
	var out strings.Builder
	var rest float64
	for _, m := range maps {
		if m.rss >= 4 {
			fmt.Fprintf(&out, "  %7.1f MB resident of %9.1f MB  %s\n", m.rss, m.size, m.head)
		} else {
			rest += m.rss
		}
	}
	fmt.Fprintf(&out, "  %7.1f MB in smaller mappings\n", rest)
	return out.String()
}

// script runs JS for its effect.
func script(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[bool]("("+js+", true)")(ctx, t)
		return err
	})
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

func gzipSize(path string) (int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	return buf.Len(), nil
}

func quantile(sorted []float64, q float64) float64 {
	i := int(q * float64(len(sorted)-1))
	return sorted[i]
}

// startChromium starts Debian's Chromium headless with a fresh profile
// (nothing cached), as this machine needs it started.
func startChromium() (ctx context.Context, stop func(), err error) {
	profile, err := os.MkdirTemp("", "latentplay-bench-")
	if err != nil {
		return nil, nil, err
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1200, 900))
	ctx, cancel := chromedp.NewContext(actx)
	stop = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting chromium: %w", err)
	}
	return ctx, stop, nil
}
