package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"latentplay/site"
)

// peersBench runs bench/peers/peers.html in headless Chromium: the VAE and
// the autoencoder trained by the engine (in its Web Worker), by
// TensorFlow.js 4.22.0 on its wasm and cpu backends and by ConvNetJS, in
// one tab, on the same MNIST digits. The peers come from npm
// (bench/peers/package.json, `make bench` installs them).
func peersBench(dist string, results map[string]float64) error {
	modules := filepath.Join("bench", "peers", "node_modules")
	if _, err := os.Stat(filepath.Join(modules, "@tensorflow", "tfjs", "dist", "tf.min.js")); err != nil {
		return errors.New("the peers are not installed: run npm ci in bench/peers (make bench does)")
	}
	mux := http.NewServeMux()
	mux.Handle("/web/", http.FileServer(http.Dir(dist)))
	mux.Handle("/node_modules/", http.StripPrefix("/node_modules/", http.FileServer(http.Dir(modules))))
	mux.Handle("/", http.FileServer(http.Dir(filepath.Join("bench", "peers"))))
	// Cross-origin isolated, as the site is: the engines then share their
	// gradients through SharedArrayBuffers, and TensorFlow.js may use its
	// threads.
	// (The site's isolation headers, not its content security policy, which
	// is the app's and not the peers'.)
	isolated := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, kv := range site.Headers {
			if strings.HasPrefix(kv[0], "Cross-Origin-") {
				w.Header().Set(kv[0], kv[1])
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
	ctx, cancelRun := context.WithTimeout(ctx, 15*time.Minute)
	defer cancelRun()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/peers.html"),
		chromedp.Poll[chromedp.Void](`window.peerResults !== undefined`, chromedp.WithPollingTimeout(10*time.Minute))); err != nil {
		return fmt.Errorf("the side-by-side page: %w", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`window.peerResults`))
	if err != nil {
		return err
	}
	if msg, ok := got["error"].(string); ok {
		return fmt.Errorf("the side-by-side page failed: %s", strings.SplitN(msg, "\n", 2)[0])
	}
	for k, v := range got {
		if x, ok := v.(float64); ok {
			results[k] = x
		}
	}
	return nil
}
