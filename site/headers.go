package site

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// ContentSecurityPolicy is the policy the app runs under: its own scripts,
// styles and workers only; WebAssembly compiled from its own files
// ('wasm-unsafe-eval' allows WebAssembly.instantiate, nothing else); style
// attributes (go-app sets sizes through them); images from data: URLs (the
// latent map and manifolds are BMP data URLs); never framed.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
	"worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Headers are sent with every file of the site: by Handler (make serve),
// and by any host that reads a _headers file (Cloudflare's Workers Static
// Assets and Pages, Netlify), which the build writes with WriteHeadersFile.
// COOP and COEP make the page cross-origin isolated (finer timers, and
// SharedArrayBuffer where a browser offers it); everything the app loads
// is its own, so nothing needs an exception.
var Headers = [][2]string{
	{"Content-Security-Policy", ContentSecurityPolicy},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Embedder-Policy", "require-corp"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
}

// setHeaders puts Headers on a response.
func setHeaders(h http.Header) {
	for _, kv := range Headers {
		h.Set(kv[0], kv[1])
	}
}

// HostFiles are the files the build writes for a static host to read as
// configuration (Cloudflare's Workers Static Assets and Pages read both;
// Netlify reads _headers). A host never serves them, so the build does not
// compress them either: a _headers.br would be served as a file of its own.
var HostFiles = []string{"_headers", ".assetsignore"}

// AssetsIgnore is the .assetsignore the build writes: the files Workers
// Static Assets must not upload or serve. The brotli copies are for
// Handler (latentplay serve), which sends them as Content-Encoding; a host
// that compresses on its own would serve them as files of their own.
const AssetsIgnore = "*.br\n"

// WriteAssetsIgnore writes dir/.assetsignore (AssetsIgnore).
func WriteAssetsIgnore(dir string) error {
	return os.WriteFile(filepath.Join(dir, ".assetsignore"), []byte(AssetsIgnore), 0o644)
}

// WriteHeadersFile writes dir/_headers: Headers for every path, in the
// format Cloudflare and Netlify read.
func WriteHeadersFile(dir string) error {
	var b strings.Builder
	b.WriteString("/*\n")
	for _, kv := range Headers {
		fmt.Fprintf(&b, "  %s: %s\n", kv[0], kv[1])
	}
	return os.WriteFile(filepath.Join(dir, "_headers"), []byte(b.String()), 0o644)
}
