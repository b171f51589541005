// Package site serves a built latentplay site: the files, gzip-compressed
// where that helps, with the headers the app needs. The CLI's serve
// command and the benchmarks use it.
package site

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Handler serves a built site from dir under prefix, gzip-compressing
// what compresses and sending the headers the app needs.
func Handler(dir, prefix string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Cache-Control", "no-cache") // revalidate; go-app's service worker does the caching
		p := path.Clean("/" + r.URL.Path)
		if ext := path.Ext(p); ext == "" && p != "/" {
			// go-app writes each route as NAME.html.
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)+".html")); err == nil {
				r.URL.Path = p + ".html"
			}
		}
		if compressible(r.URL.Path) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			if b, err := gzipped(filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))); err == nil {
				hdr.Set("Content-Encoding", "gzip")
				hdr.Set("Vary", "Accept-Encoding")
				if ct := contentType(r.URL.Path); ct != "" {
					hdr.Set("Content-Type", ct)
				}
				hdr.Set("Content-Length", fmt.Sprint(len(b)))
				if r.Method != http.MethodHead {
					w.Write(b)
				}
				return
			}
		}
		files.ServeHTTP(w, r)
	})
	if p := strings.TrimSuffix(prefix, "/"); p != "" {
		h = http.StripPrefix(p, h)
	}
	return h
}

func compressible(p string) bool {
	switch path.Ext(p) {
	case ".wasm", ".js", ".css", ".html", ".json", ".svg", ".webmanifest", "":
		return true
	}
	return false
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".wasm":
		return "application/wasm"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html", "":
		return "text/html; charset=utf-8"
	case ".json":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".webmanifest":
		return "application/manifest+json"
	}
	return ""
}

var gzipCache sync.Map // path → []byte; the site does not change while served

func gzipped(file string) ([]byte, error) {
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		file = filepath.Join(file, "index.html")
	}
	if b, ok := gzipCache.Load(file); ok {
		return b.([]byte), nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(raw)
	zw.Close()
	gzipCache.Store(file, buf.Bytes())
	return buf.Bytes(), nil
}
