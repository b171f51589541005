package site

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestHandlerServesCompressedUnderPrefix(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "web"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>root</html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "train.html"), []byte("<html>train</html>"), 0o644)
	wasm := "\x00asm" + strings.Repeat(" wasm bytes", 100)
	os.WriteFile(filepath.Join(dir, "web", "app.wasm"), []byte(wasm), 0o644)
	h := Handler(dir, "/sub")
	for _, tc := range []struct{ path, want, ctype string }{
		{"/sub/", "<html>root</html>", "text/html; charset=utf-8"},
		{"/sub/train", "<html>train</html>", "text/html; charset=utf-8"},
		{"/sub/web/app.wasm", wasm, "application/wasm"},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: %d, encoding %q", tc.path, rec.Code, rec.Header().Get("Content-Encoding"))
		}
		if ct := rec.Header().Get("Content-Type"); ct != tc.ctype {
			t.Errorf("%s: content type %q, want %q", tc.path, ct, tc.ctype)
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		if string(body) != tc.want {
			t.Errorf("%s: body %q, want %q", tc.path, body, tc.want)
		}
		for _, kv := range Headers {
			if got := rec.Header().Get(kv[0]); got != kv[1] {
				t.Errorf("%s: %s = %q, want %q", tc.path, kv[0], got, kv[1])
			}
		}
	}
	// Brotli where the build left a .br file; a revalidation costs a 304.
	if err := Precompress(dir); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/sub/web/app.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(brotli.NewReader(rec.Body))
	if rec.Header().Get("Content-Encoding") != "br" || string(body) != wasm {
		t.Fatalf("brotli: encoding %q, body %q", rec.Header().Get("Content-Encoding"), body)
	}
	etag := rec.Header().Get("ETag")
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if etag == "" || rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("revalidation with %q gave %d and %d bytes", etag, rec.Code, rec.Body.Len())
	}

	// A client that takes no compression gets the plain files.
	for path, want := range map[string]string{"/sub/": "<html>root</html>", "/sub/train": "<html>train</html>"} {
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK || rec.Body.String() != want {
			t.Errorf("%s without compression: %d %q", path, rec.Code, rec.Body.String())
		}
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/sub/missing.js", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("a missing file gave %d", rec.Code)
	}
}

// TestHeadersFile: the _headers file a static host reads carries every
// header, for every path.
// TestHostFilesStayPlain: the build compresses the site's files but not
// the host's (_headers, .assetsignore), and removes a stale _headers.br.
func TestHostFilesStayPlain(t *testing.T) {
	dir := t.TempDir()
	if err := WriteHeadersFile(dir); err != nil {
		t.Fatal(err)
	}
	if err := WriteAssetsIgnore(dir); err != nil {
		t.Fatal(err)
	}
	page := strings.Repeat("<p>a page that compresses</p>", 50)
	for name, body := range map[string]string{"index.html": page, "web/_headers": page, "_headers.br": "stale"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Precompress(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"index.html.br": true, "web/_headers.br": true, "_headers.br": false, ".assetsignore.br": false} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", name, err == nil, want)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, ".assetsignore"))
	if err != nil || string(b) != AssetsIgnore {
		t.Errorf(".assetsignore = %q, %v", b, err)
	}
}

func TestHeadersFile(t *testing.T) {
	dir := t.TempDir()
	if err := WriteHeadersFile(dir); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "_headers"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "/*" || len(lines) != 1+len(Headers) {
		t.Fatalf("_headers:\n%s", b)
	}
	for i, kv := range Headers {
		if want := "  " + kv[0] + ": " + kv[1]; lines[1+i] != want {
			t.Errorf("line %d = %q, want %q", i+2, lines[1+i], want)
		}
	}
}
