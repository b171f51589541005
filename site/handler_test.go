package site

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestHandlerServesCompressedUnderPrefix(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "web"), 0o755)
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>root</html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "train.html"), []byte("<html>train</html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "web", "app.wasm"), []byte("\x00asm wasm bytes"), 0o644)
	h := Handler(dir, "/sub")
	for _, tc := range []struct{ path, want, ctype string }{
		{"/sub/", "<html>root</html>", "text/html; charset=utf-8"},
		{"/sub/train", "<html>train</html>", "text/html; charset=utf-8"},
		{"/sub/web/app.wasm", "\x00asm wasm bytes", "application/wasm"},
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
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff header", tc.path)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/sub/missing.js", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("a missing file gave %d", rec.Code)
	}
}
