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
