//go:build !js

package main

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
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
	sharetest.Run(t, base, &http.Client{})
	unserved(t, base)

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
	for _, p := range []string{"/", "/train", "/web/app.wasm", "/web/engine.js"} {
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
}

// unserved: no file of dist/ that the host must not serve is served,
// found by walking the build (sharetest.Artefacts names a few; this is
// every one): the host's files and every brotli copy come to the API,
// which answers 404. Each is checked to exist, so the walk cannot pass
// by finding nothing.
func unserved(t *testing.T, base string) {
	dist := filepath.Join(wranglertest.Dir(), "..", "..", "dist")
	var paths []string
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		if slices.Contains(site.HostFiles, rel) || filepath.Ext(p) == ".br" {
			paths = append(paths, "/"+filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/_headers", "/.assetsignore", "/web/app.wasm.br"} {
		if !slices.Contains(paths, want) {
			t.Fatalf("dist has no %s: build it with make site", want)
		}
	}
	for _, p := range paths {
		resp, body := sharetest.Get(t, &http.Client{}, base, p)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "no such API path") {
			t.Errorf("GET %s: %d %.80q; want the API's 404", p, resp.StatusCode, body)
		}
	}
	t.Logf("%d build files not served", len(paths))
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
