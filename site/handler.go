// Package site serves a built latentplay site: the files, gzip-compressed
// where that helps, with the headers the app needs. The CLI's serve
// command and the benchmarks use it.
package site

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// Handler serves a built site from dir under prefix: brotli where the
// build left a .br file and the browser takes it, gzip (made once, kept in
// memory) where it takes only that, with an ETag so a revalidation costs a
// 304 and no body; plus the headers the app needs.
func Handler(dir, prefix string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		setHeaders(hdr)
		hdr.Set("Cache-Control", "no-cache") // revalidate; the service worker does the caching
		p := path.Clean("/" + r.URL.Path)
		if ext := path.Ext(p); ext == "" && p != "/" {
			// go-app writes each route as NAME.html.
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)+".html")); err == nil {
				p += ".html"
			}
		}
		r.URL.Path = p // http.FileServer serves a folder's index.html itself
		file, name := filepath.Join(dir, filepath.FromSlash(p)), p
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			file, name = filepath.Join(file, "index.html"), path.Join(p, "index.html")
		}
		if compressible(name) {
			if body, enc, err := encoded(file, r.Header.Get("Accept-Encoding")); err == nil && enc != "" {
				sum := sha256.Sum256(body)
				etag := fmt.Sprintf(`"%x"`, sum[:12])
				hdr.Set("Content-Encoding", enc)
				hdr.Set("Vary", "Accept-Encoding")
				hdr.Set("ETag", etag)
				if ct := contentType(name); ct != "" {
					hdr.Set("Content-Type", ct)
				}
				if r.Header.Get("If-None-Match") == etag {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				hdr.Set("Content-Length", fmt.Sprint(len(body)))
				if r.Method != http.MethodHead {
					w.Write(body)
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

// encoded returns file's body in the best encoding the browser accepts:
// the build's .br file, or gzip made on first use; enc is "" for neither.
func encoded(file, accept string) (body []byte, enc string, err error) {
	if strings.Contains(accept, "br") {
		if b, err := os.ReadFile(file + ".br"); err == nil {
			return b, "br", nil
		}
	}
	if !strings.Contains(accept, "gzip") {
		return nil, "", nil
	}
	if b, ok := gzipCache.Load(file); ok {
		return b.([]byte), "gzip", nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, "", err
	}
	b := gzipBytes(raw)
	gzipCache.Store(file, b)
	return b, "gzip", nil
}

var gzipCache sync.Map // file → gzipped body; a served site does not change

func compressible(p string) bool {
	switch path.Ext(p) {
	case ".wasm", ".js", ".css", ".html", ".json", ".svg", ".webmanifest", ".lpm", "":
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
	case ".lpm":
		return "application/octet-stream"
	}
	return ""
}
