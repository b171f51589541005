package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"latentplay/core/drawdoc"
	"latentplay/wasm/edge/shareapi"
	"latentplay/wasm/edge/wranglertest"
)

// The share load test: uploads, then downloads, from many clients at once
// against the Worker under wrangler dev on 127.0.0.1.
const (
	shareUploads   = 2000
	shareDownloads = 10000
	shareClients   = 50
	shareModels    = 40 // of the uploads, shipped model files; the rest drawings
)

// shareBench runs the load test and records share_lost (acknowledged
// uploads a download did not find), share_corrupt (downloads whose bytes do
// not hash to their id), share_errors (other failed requests), latency
// quantiles, and the Worker's compressed wasm size.
func shareBench(results map[string]float64) error {
	bin := os.Getenv(wranglertest.Env)
	if bin == "" {
		return fmt.Errorf("%s is not set (make bench and make bench-share set it)", wranglertest.Env)
	}
	gz, err := gzipSize(filepath.Join(wranglertest.Dir(), "build", "app.wasm"))
	if err != nil {
		return fmt.Errorf("the Worker's wasm (make edge-build): %w", err)
	}
	results["edge_wasm_gzip_bytes"] = float64(gz)

	state, err := os.MkdirTemp("", "latentplay-share-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(state)
	dev, err := wranglertest.Launch(bin, state)
	if err != nil {
		return err
	}
	defer dev.Stop()

	uploads, err := shareUploadSet()
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: shareClients}}
	var (
		mu                 sync.Mutex
		upMs, downMs       []float64
		stored             []string // ids acknowledged with 201
		lost, corrupt, bad atomic.Int64
	)
	timed := func(req *http.Request) (int, []byte, float64, error) {
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, body, float64(time.Since(start).Microseconds()) / 1000, err
	}

	begin := time.Now()
	run(len(uploads), func(i int) {
		u := uploads[i]
		req, _ := http.NewRequest(http.MethodPost, dev.URL+shareapi.Prefix, bytes.NewReader(u.body))
		req.Header.Set("Content-Type", u.ctype)
		status, body, ms, err := timed(req)
		var c shareapi.Created
		if err != nil || status != http.StatusCreated || json.Unmarshal(body, &c) != nil || c.ID != shareapi.ID(u.body) {
			bad.Add(1)
			fmt.Fprintf(os.Stderr, "bench: upload %d: %d %v %.200s\n", i, status, err, body)
			return
		}
		mu.Lock()
		upMs, stored = append(upMs, ms), append(stored, c.ID)
		mu.Unlock()
	})
	// Every acknowledged upload is downloaded at least once, the rest at random.
	ids := make([]string, shareDownloads)
	for i := range ids {
		if i < len(stored) {
			ids[i] = stored[i]
		} else if len(stored) > 0 {
			ids[i] = stored[rand.IntN(len(stored))]
		}
	}
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	run(len(ids), func(i int) {
		req, _ := http.NewRequest(http.MethodGet, dev.URL+shareapi.Prefix+"/"+ids[i], nil)
		status, body, ms, err := timed(req)
		switch {
		case err != nil || status != http.StatusOK && status != http.StatusNotFound:
			bad.Add(1)
			fmt.Fprintf(os.Stderr, "bench: download %s: %d %v %.200s\n", ids[i], status, err, body)
			return
		case status == http.StatusNotFound:
			lost.Add(1)
		case shareapi.ID(body) != ids[i]:
			corrupt.Add(1)
		}
		mu.Lock()
		downMs = append(downMs, ms)
		mu.Unlock()
	})
	elapsed := time.Since(begin).Seconds()

	all := append(append([]float64(nil), upMs...), downMs...)
	sort.Float64s(all)
	sort.Float64s(upMs)
	sort.Float64s(downMs)
	results["share_lost"] = float64(lost.Load())
	results["share_corrupt"] = float64(corrupt.Load())
	results["share_errors"] = float64(bad.Load())
	results["share_uploads"] = float64(len(upMs))
	results["share_downloads"] = float64(len(downMs))
	results["share_p99_ms"] = quantile(all, 0.99)
	results["share_p50_ms"] = quantile(all, 0.50)
	results["share_upload_p99_ms"] = quantile(upMs, 0.99)
	results["share_download_p99_ms"] = quantile(downMs, 0.99)
	results["share_requests_per_sec"] = float64(len(all)) / elapsed
	return nil
}

type upload struct {
	ctype string
	body  []byte
}

// shareUploadSet is shareUploads distinct drawings, with a shipped model
// file in place of every (shareUploads/shareModels)th.
func shareUploadSet() ([]upload, error) {
	paths, err := filepath.Glob("static/models/*.lpm")
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no shipped models in static/models: %v", err)
	}
	var files [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, b)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]upload, shareUploads)
	for i := range out {
		if i%(shareUploads/shareModels) == 0 {
			out[i] = upload{shareapi.TypeModel, files[(i/(shareUploads/shareModels))%len(files)]}
			continue
		}
		// A few strokes of a few dozen points, like a drawn digit.
		d := drawdoc.Doc{Version: drawdoc.Version, Side: 280, Brush: 22}
		for range 1 + rng.IntN(3) {
			s := make([]drawdoc.Point, 10+rng.IntN(60))
			for j := range s {
				s[j] = drawdoc.Point{float64(rng.IntN(28000)) / 100, float64(rng.IntN(28000)) / 100}
			}
			d.Strokes = append(d.Strokes, s)
		}
		b, err := drawdoc.Encode(d)
		if err != nil {
			return nil, err
		}
		out[i] = upload{shareapi.TypeDoc, b}
	}
	return out, nil
}

// run calls f(0) … f(n-1) from shareClients goroutines.
func run(n int, f func(int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range shareClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}
