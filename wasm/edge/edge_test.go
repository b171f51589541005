//go:build !js

package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"latentplay/site"
	"latentplay/wasm/edge/share/sharetest"
	"latentplay/wasm/edge/wranglertest"
)

// TestWorker holds the Worker, built to wasm and run by workerd, to the
// share API's contract, and checks the site is still served beside it.
func TestWorker(t *testing.T) {
	base := wranglertest.Start(t)
	sharetest.Run(t, base)

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET / through the Worker's host: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	// The site's own files carry the site's headers (from dist/_headers),
	// and that file itself is not served.
	for _, p := range []string{"/", "/train", "/web/engine.wasm", "/web/engine.js"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, kv := range site.Headers {
			if got := resp.Header.Get(kv[0]); got != kv[1] {
				t.Errorf("GET %s: %s = %q, want %q", p, kv[0], got, kv[1])
			}
		}
	}
	resp, err = http.Get(base + "/_headers")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /_headers: %s, want 404", resp.Status)
	}
}

// TestBinding: wrangler.toml binds the KV namespace under the name main uses.
func TestBinding(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(wranglertest.Dir(), "wrangler.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `binding = "`+sharesBinding+`"`) {
		t.Errorf("wrangler.toml does not bind %q", sharesBinding)
	}
}
