package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"latentplay/core/models"
	"latentplay/core/train"
	"latentplay/site"
)

// The side-by-side page trains on the first peerDigits MNIST training
// images, and each side takes its steps from the same peerSteps batches of
// peerBatch in the same order.
const (
	peerDigits = 1024
	peerBatch  = 128
	peerSteps  = 64
	peerSeed   = 1 // the engine's run's seed in peers.js
)

// peerBatches is which of the first peerDigits digits each of the first
// peerSteps steps trains on: the batches the engine's own training loop
// draws for a run of seed peerSeed on those digits, so that the peers train
// on the engine's batches in the engine's order.
func peerBatches() ([][]int, error) {
	var order [][]int
	l := &train.Loop{N: peerDigits, Batch: peerBatch, Epochs: 1000, Seed: peerSeed}
	l.Step = func(idx []int) (models.Losses, error) {
		order = append(order, slices.Clone(idx))
		return models.Losses{}, nil
	}
	for len(order) < peerSteps {
		if _, err := l.Next(); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// peersBench runs bench/peers/peers.html in headless Chromium: the VAE and
// the autoencoder trained by the engine (in its Web Worker), by jax-js
// 0.1.25 on its wasm backend, by TensorFlow.js 4.22.0 on its wasm and cpu
// backends and by ConvNetJS, in one tab, on the same MNIST batches in the
// same order. The page runs twice: without cross-origin isolation, where
// jax-js has no threads, for its single-threaded step, timed in rounds
// alternating with the engine's; then isolated, as the site is, for
// everyone's figures. The peers come from npm
// (bench/peers/package.json, `make bench` installs them).
func peersBench(dist string, results map[string]float64) error {
	modules := filepath.Join("bench", "peers", "node_modules")
	for _, f := range []string{"@tensorflow/tfjs/dist/tf.min.js", "@jax-js/jax/dist/index.js"} {
		if _, err := os.Stat(filepath.Join(modules, f)); err != nil {
			return errors.New("the peers are not installed: run npm ci in bench/peers (make bench does)")
		}
	}
	order, err := peerBatches()
	if err != nil {
		return err
	}
	orderJSON, err := json.Marshal(map[string]any{"digits": peerDigits, "batches": order})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/batches.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(orderJSON)
	})
	mux.Handle("/web/", http.FileServer(http.Dir(dist)))
	mux.Handle("/node_modules/", http.StripPrefix("/node_modules/", http.FileServer(http.Dir(modules))))
	mux.Handle("/", http.FileServer(http.Dir(filepath.Join("bench", "peers"))))
	// Cross-origin isolated, as the site is: the engines then share their
	// gradients through SharedArrayBuffers, and TensorFlow.js and jax-js may
	// use their threads.
	// (The site's isolation headers, not its content security policy, which
	// is the app's and not the peers'.) A document asked for with
	// ?isolated=0 comes without them.
	isolated := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("isolated") != "0" {
			for _, kv := range site.Headers {
				if strings.HasPrefix(kv[0], "Cross-Origin-") {
					w.Header().Set(kv[0], kv[1])
				}
			}
		}
		mux.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(isolated)
	defer srv.Close()

	ctx, closeBrowser, err := startChromium()
	if err != nil {
		return err
	}
	defer closeBrowser()
	messages := chromedp.Console(ctx)
	go func() { // the page logs each figure as it measures it
		for m, err := range messages {
			if err != nil {
				return
			}
			fmt.Fprintf(os.Stderr, "bench: peers: %s\n", m.Text)
		}
	}()
	for _, page := range []string{"/peers.html?isolated=0", "/peers.html"} {
		if err := peersPage(ctx, srv.URL+page, results); err != nil {
			return err
		}
	}
	return nil
}

// peersPage opens the side-by-side page at url, waits for its figures and
// records them.
func peersPage(ctx context.Context, url string, results map[string]float64) error {
	ctx, cancelRun := context.WithTimeout(ctx, 15*time.Minute)
	defer cancelRun()
	if err := chromedp.Do(ctx, chromedp.Navigate(url),
		chromedp.Poll[chromedp.Void](`window.peerResults !== undefined`, chromedp.WithPollingTimeout(10*time.Minute))); err != nil {
		return fmt.Errorf("the side-by-side page %s: %w", url, err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.peerResults`))
	if err != nil {
		return err
	}
	if msg, ok := got["error"].(string); ok {
		return fmt.Errorf("the side-by-side page %s failed: %s", url, strings.SplitN(msg, "\n", 2)[0])
	}
	for k, v := range got {
		if x, ok := v.(float64); ok {
			results[k] = x
		}
	}
	return nil
}
