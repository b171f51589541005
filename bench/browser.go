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
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"latentplay/site"
)

// browserBench measures the playground in headless Chromium on 127.0.0.1
// with a fresh profile: cold start, bytes over the wire, draw-to-rebuild
// latency, main-thread stalls while training, and the wasm sizes.
func browserBench(dist string, results map[string]float64) error {
	for _, f := range []struct{ key, file string }{{"app_wasm_gzip_bytes", "app.wasm"}, {"engine_wasm_gzip_bytes", "engine.wasm"}} {
		n, err := gzipSize(filepath.Join(dist, "web", f.file))
		if err != nil {
			return fmt.Errorf("%v (run make site first)", err)
		}
		results[f.key] = float64(n)
	}

	// Bytes sent, by path: the cold start counts what the VAE needs, not
	// the other models the page fetches right after.
	var mu sync.Mutex
	sent := map[string]int64{}
	h := site.Handler(dist, "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		mu.Lock()
		sent[r.URL.Path] += cw.n
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

	// Cold start: a fresh profile, nothing cached, until the VAE is in the
	// engine and can rebuild a drawing.
	if err := run(3*time.Minute, chromedp.Navigate(srv.URL+"/"), poll(`document.documentElement.dataset.readyAt`)); err != nil {
		return fmt.Errorf("cold start: %w", err)
	}
	vaeAt, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Number(document.documentElement.dataset.vaeReadyAt)`))
	if err != nil {
		return err
	}
	results["cold_start_ms"] = vaeAt
	mu.Lock()
	var total, others int64
	for p, n := range sent {
		total += n
		if strings.HasPrefix(p, "/web/models/") && p != "/web/models/vae-20.lpm" {
			others += n
		}
	}
	mu.Unlock()
	results["transfer_bytes"] = float64(total - others)
	results["transfer_bytes_all_models"] = float64(total)

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
