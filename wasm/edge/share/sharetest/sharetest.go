// Package sharetest is the share API's contract as a test suite over HTTP,
// run against the handler natively (httptest) and against the Worker under
// workerd (wrangler dev), so both are held to the same cases.
package sharetest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"latentplay/core/drawdoc"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	"latentplay/wasm/edge/share"
	"latentplay/wasm/edge/shareapi"
)

// Models returns the shipped model files by name, read from static/models.
func Models(t testing.TB) map[string][]byte {
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "..", "..", "..", "static", "models")
	paths, err := filepath.Glob(filepath.Join(dir, "*.lpm"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no shipped models in %s: %v", dir, err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	return out
}

// LargestModel is the largest model file the API accepts: an MLP
// classifier 4096→H→10 in int8 (one byte a value, the densest storage),
// with H as wide as MaxBytes allows (2038: 8.37 million values, a few
// hundred bytes under 8 MiB). It is written here byte by byte, in the
// format core/modelfile documents, so that making it does not hold its
// 33 MB of float32 values; a native test loads it with the app's loader.
func LargestModel() []byte {
	// Every hidden unit adds 4096+1+10 int8 values and two float32 column
	// scales (fc0.W's and fc0.b's) to a file of one unit.
	const perUnit = 4096 + 1 + 10 + 2*4
	one := mlpInt8Size(4096, 1, 10)
	h := 1 + (share.MaxBytes-one)/perUnit
	if mlpInt8Size(4096, h, 10) > share.MaxBytes || mlpInt8Size(4096, h+1, 10) <= share.MaxBytes {
		panic(fmt.Sprintf("sharetest: %d hidden units are not the most that fit %d bytes", h, share.MaxBytes))
	}
	return mlpInt8(4096, h, 10)
}

type layerSpec struct {
	name       string
	rows, cols int
}

// mlpLayout is the configuration and tensors of a ReLU MLP
// in→hidden→classes.
func mlpLayout(in, hidden, classes int) ([]byte, []layerSpec) {
	cfg, _ := json.Marshal(models.ClassifierConfig{Inputs: in, Hidden: []int{hidden}, Classes: classes, Activation: "relu"})
	return cfg, []layerSpec{{"fc0.W", in, hidden}, {"fc0.b", 1, hidden}, {"fc1.W", hidden, classes}, {"fc1.b", 1, classes}}
}

// mlpInt8Size is the length of mlpInt8(in, hidden, classes).
func mlpInt8Size(in, hidden, classes int) int {
	cfg, tensors := mlpLayout(in, hidden, classes)
	n := 8 + 2 + 2 + 2 + len(models.KindMLP) + 4 + len(cfg) + 4 + 4 + 4
	for _, t := range tensors {
		n += 2 + len(t.name) + 2 + 8 + 4*t.cols + t.rows*t.cols
	}
	return n
}

// mlpInt8 writes an int8 model file of a ReLU MLP in→hidden→classes whose
// weights are a fixed pseudo-random pattern, in one allocation.
func mlpInt8(in, hidden, classes int) []byte {
	cfg, tensors := mlpLayout(in, hidden, classes)
	le := binary.LittleEndian
	b := make([]byte, 0, mlpInt8Size(in, hidden, classes))
	b = append(b, "LATENTPL"...)
	b = le.AppendUint16(b, 1) // version
	b = le.AppendUint16(b, 0) // flags
	b = le.AppendUint16(b, uint16(len(models.KindMLP)))
	b = append(b, models.KindMLP...)
	b = le.AppendUint32(b, uint32(len(cfg)))
	b = append(b, cfg...)
	b = le.AppendUint32(b, 0) // no meta
	b = le.AppendUint32(b, uint32(len(tensors)))
	x := uint32(1)
	for _, t := range tensors {
		b = le.AppendUint16(b, uint16(len(t.name)))
		b = append(b, t.name...)
		b = append(b, byte(modelfile.Int8), 2)
		b = le.AppendUint32(b, uint32(t.rows))
		b = le.AppendUint32(b, uint32(t.cols))
		for range t.cols {
			b = le.AppendUint32(b, 0x3c23d70a) // scale 0.01
		}
		for range t.rows * t.cols {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b = append(b, byte(int8(x%255-127)))
		}
	}
	return le.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

// Artefacts are paths of build files the site's host must not serve: the
// host's configuration (_headers, .assetsignore), a compressed copy of it
// (which the build no longer writes), and the brotli copies that only
// latentplay serve sends. Requests for them reach the Worker, which
// answers them as it does any path outside the API.
var Artefacts = []string{"/_headers", "/_headers.br", "/.assetsignore", "/index.html.br", "/app.js.br", "/web/app.wasm.br"}

// Drawing is a valid drawing document.
const Drawing = `{"v":1,"side":280,"brush":22,"strokes":[[[140,40],[140,240]],[[120,60],[140,40]]]}`

// Post uploads b with the content type and returns the response and body.
func Post(t testing.TB, c *http.Client, base, ctype string, b []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+share.Prefix, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	return do(t, c, req)
}

// Get fetches path.
func Get(t testing.TB, c *http.Client, base, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

// Raw sends a request whose target is written on the wire as given, even
// where Go's URL parser would refuse it (a malformed escape, as a browser
// or curl sends it).
func Raw(t testing.TB, c *http.Client, method, base, target, ctype string, body []byte) (*http.Response, []byte) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Opaque = target
	req := &http.Request{Method: method, URL: u, Header: http.Header{}, Host: u.Host}
	if body != nil {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return do(t, c, req)
}

func do(t testing.TB, c *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", req.Method, req.URL.Path, err)
	}
	return resp, body
}

// Run holds the API at base (e.g. http://127.0.0.1:8787), reached through
// c, to its contract.
func Run(t *testing.T, base string, c *http.Client) {
	t.Run("round trip", func(t *testing.T) {
		uploads := []struct {
			name, ctype, kind string
			b                 []byte
		}{
			{"drawing", share.TypeDoc, "drawing", []byte(Drawing)},
			{"the largest model", share.TypeModel, "model", LargestModel()},
			// Parameters are allowed; the media type is case-insensitive.
			{"drawing; charset=utf-8", share.TypeDoc + "; charset=utf-8", "drawing", []byte(Drawing + " ")},
			{"drawing;charset=UTF-8", "Application/JSON;charset=UTF-8", "drawing", []byte(Drawing + "  ")},
			{"model; a parameter", share.TypeModel + "; note=x", "model", Models(t)["vae-2.lpm"]},
			// One media type whose parameter holds a comma: a header is not
			// a list to be split at its commas.
			{"drawing; a quoted comma", share.TypeDoc + `; note="a, b"`, "drawing", []byte(Drawing + "   ")},
		}
		for name, b := range Models(t) {
			uploads = append(uploads, struct {
				name, ctype, kind string
				b                 []byte
			}{name, share.TypeModel, "model", b})
		}
		for _, u := range uploads {
			resp, body := Post(t, c, base, u.ctype, u.b)
			secure(t, resp)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("POST %s: %d %s", u.name, resp.StatusCode, body)
			}
			var got share.Created
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("POST %s: %v in %s", u.name, err, body)
			}
			if got.ID != share.ID(u.b) || got.Kind != u.kind || got.URL != share.Prefix+"/"+got.ID {
				t.Fatalf("POST %s answered %+v; want id %s kind %s", u.name, got, share.ID(u.b), u.kind)
			}
			resp, back := Get(t, c, base, got.URL)
			secure(t, resp)
			if resp.StatusCode != http.StatusOK || !bytes.Equal(back, u.b) {
				t.Fatalf("GET %s: %d, %d bytes back of %d sent", u.name, resp.StatusCode, len(back), len(u.b))
			}
			want := share.TypeModel
			if u.kind == "drawing" {
				want = share.TypeDoc
			}
			if ct := resp.Header.Get("Content-Type"); ct != want {
				t.Errorf("GET %s: Content-Type %q, want %q", u.name, ct, want)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("GET %s: Cache-Control %q", u.name, cc)
			}
			// HEAD answers as GET, without the body.
			head, body := Raw(t, c, http.MethodHead, base, got.URL, "", nil)
			secure(t, head)
			if head.StatusCode != http.StatusOK || len(body) != 0 {
				t.Fatalf("HEAD %s: %d with %d bytes of body", u.name, head.StatusCode, len(body))
			}
			for _, k := range []string{"Content-Type", "Cache-Control", "ETag"} {
				if head.Header.Get(k) != resp.Header.Get(k) {
					t.Errorf("HEAD %s: %s %q, GET's %q", u.name, k, head.Header.Get(k), resp.Header.Get(k))
				}
			}
			if cl := head.Header.Get("Content-Length"); cl != strconv.Itoa(len(u.b)) {
				t.Errorf("HEAD %s: Content-Length %q, want %d", u.name, cl, len(u.b))
			}
		}
	})

	model := Models(t)["linear-ae-20.lpm"]
	foreign, err := modelfile.Marshal(&modelfile.File{Kind: "spaceship", Config: json.RawMessage(`{}`)}, modelfile.Float32)
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, share.MaxBytes+1)
	copy(big, model)
	client := c
	for _, c := range []struct {
		name, method, path, ctype string
		body                      []byte
		status                    int
		says                      string // a word the error must contain
		chunked                   bool   // sent without a Content-Length
	}{
		{"model over the limit", "POST", share.Prefix, share.TypeModel, big, 413, "limit", false},
		{"model over the limit, chunked", "POST", share.Prefix, share.TypeModel, big, 413, "limit", true},
		// Straight after a cut-short upload: the next one is answered.
		{"drawing over the limit", "POST", share.Prefix, share.TypeDoc, append([]byte(Drawing), bytes.Repeat([]byte(" "), share.MaxBytes)...), 413, "limit", false},
		{"drawing over its own limit", "POST", share.Prefix, share.TypeDoc, append([]byte(Drawing), bytes.Repeat([]byte(" "), drawdoc.MaxBytes)...), 413, "1048576-byte limit", false},
		{"drawing over its own limit, chunked", "POST", share.Prefix, share.TypeDoc, append([]byte(Drawing), bytes.Repeat([]byte(" "), drawdoc.MaxBytes)...), 413, "1048576-byte limit", true},
		{"empty model", "POST", share.Prefix, share.TypeModel, nil, 400, "model", false},
		{"not a model", "POST", share.Prefix, share.TypeModel, []byte("PK\x03\x04 a zip"), 400, "bad magic", false},
		{"truncated model", "POST", share.Prefix, share.TypeModel, model[:len(model)/2], 400, "model", false},
		{"model of an unknown kind", "POST", share.Prefix, share.TypeModel, foreign, 400, "spaceship", false},
		{"drawing that is not JSON", "POST", share.Prefix, share.TypeDoc, []byte("<svg/>"), 400, "not a drawing document", false},
		{"drawing with an unknown field", "POST", share.Prefix, share.TypeDoc, []byte(`{"v":1,"side":280,"brush":22,"strokes":[],"x":1}`), 400, "unknown field", false},
		{"drawing off the pad", "POST", share.Prefix, share.TypeDoc, []byte(`{"v":1,"side":280,"brush":22,"strokes":[[[1,900]]]}`), 400, "off the pad", false},
		{"model sent as a drawing", "POST", share.Prefix, share.TypeDoc, model, 400, "drawing", false},
		{"other content type", "POST", share.Prefix, "text/plain", []byte(Drawing), 415, "Content-Type", false},
		{"unknown id", "GET", share.Prefix + "/" + strings.Repeat("0", 64), "", nil, 404, "nothing is shared", false},
		{"short id", "GET", share.Prefix + "/abc", "", nil, 400, "malformed id", false},
		{"upper-case id", "GET", share.Prefix + "/" + strings.Repeat("A", 64), "", nil, 400, "malformed id", false},
		{"id that is not hex", "GET", share.Prefix + "/" + strings.Repeat("g", 64), "", nil, 400, "malformed id", false},
		{"PUT the collection", "PUT", share.Prefix, share.TypeDoc, []byte(Drawing), 405, "PUT", false},
		{"DELETE an item", "DELETE", share.Prefix + "/" + share.ID([]byte(Drawing)), "", nil, 405, "DELETE", false},
		{"POST an item", "POST", share.Prefix + "/" + share.ID([]byte(Drawing)), share.TypeDoc, []byte(Drawing), 405, "POST", false},
		{"unknown API path", "GET", "/api/nope", "", nil, 404, "no such API path", false},
		{"collection with a trailing slash", "GET", share.Prefix + "/", "", nil, 400, "malformed id", false},
		{"id with a path after it", "GET", share.Prefix + "/" + strings.Repeat("0", 64) + "/x", "", nil, 400, "malformed id", false},
		{"path with an empty segment", "GET", "/api//share", "", nil, 404, "no such API path", false},
		// A list-valued Content-Type is not one media type.
		{"list-valued content type", "POST", share.Prefix, share.TypeDoc + ", text/plain", []byte(Drawing), 415, "Content-Type", false},
		{"list of the two accepted types", "POST", share.Prefix, share.TypeModel + ", " + share.TypeDoc, model, 415, "Content-Type", false},
		{"drawing in another charset", "POST", share.Prefix, share.TypeDoc + "; charset=latin1", []byte(Drawing), 415, "charset", false},
		{"content type with a broken parameter", "POST", share.Prefix, share.TypeDoc + "; charset", []byte(Drawing), 415, "Content-Type", false},
		{"no content type", "POST", share.Prefix, "", []byte(Drawing), 415, "Content-Type", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, base+c.path, bytes.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.chunked {
				req.ContentLength = 0 // unknown: the client streams it chunked
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			resp, body := do(t, client, req)
			problem(t, resp, body, c.status, c.says)
		})
	}
	t.Run("the collection says the host keeps shares", func(t *testing.T) {
		resp, body := Raw(t, c, "GET", base, share.Prefix, "", nil)
		secure(t, resp)
		var s shareapi.Service
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &s) != nil || !s.Keeps {
			t.Fatalf("GET %s: %d %q; want 200 and the service saying it keeps shares", share.Prefix, resp.StatusCode, body)
		}
	})
	t.Run("repeated content type", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, base+share.Prefix, strings.NewReader(Drawing))
		if err != nil {
			t.Fatal(err)
		}
		req.Header["Content-Type"] = []string{share.TypeDoc, "text/plain"}
		resp, body := do(t, c, req)
		problem(t, resp, body, http.StatusUnsupportedMediaType, "Content-Type")
	})

	// Targets as a browser or curl sends them, with an escape Go's URL
	// parser refuses, in every position of the API's paths; and HEAD on
	// what is not there.
	stored := share.Prefix + "/" + share.ID(model)
	for _, c2 := range []struct {
		method, target, ctype string
		body                  []byte
		status                int
		says                  string
	}{
		{"GET", "/%zz", "", nil, 404, "no such API path"},
		{"GET", "/%", "", nil, 404, "no such API path"},
		{"GET", "/api/%zz", "", nil, 404, "no such API path"},
		{"GET", "/api%zz/share", "", nil, 404, "no such API path"},
		{"GET", "/api/share%zz", "", nil, 404, "no such API path"},
		{"GET", share.Prefix + "/%zz", "", nil, 400, "malformed id"},
		{"GET", share.Prefix + "/%", "", nil, 400, "malformed id"},
		{"GET", share.Prefix + "/" + strings.Repeat("a", 62) + "%4", "", nil, 400, "malformed id"},
		{"GET", share.Prefix + "/" + strings.Repeat("a", 63) + "%", "", nil, 400, "malformed id"},
		{"GET", stored + "/%zz", "", nil, 400, "malformed id"},
		{"GET", stored + "?v=%zz", "", nil, 200, ""},
		{"HEAD", share.Prefix + "/%zz", "", nil, 400, "malformed id"},
		{"HEAD", "/api/%zz", "", nil, 404, "no such API path"},
		{"HEAD", share.Prefix + "/" + strings.Repeat("0", 64), "", nil, 404, "nothing is shared"},
		{"HEAD", share.Prefix, "", nil, 200, ""},
		{"DELETE", share.Prefix + "/%zz", "", nil, 405, "DELETE"},
		{"POST", share.Prefix + "/%zz", share.TypeDoc, []byte(Drawing), 405, "POST"},
		{"POST", share.Prefix + "?%zz", share.TypeDoc, []byte(Drawing), 201, ""},
		{"POST", share.Prefix + "%zz", share.TypeDoc, []byte(Drawing), 404, "no such API path"},
	} {
		t.Run(c2.method+" "+c2.target, func(t *testing.T) {
			resp, body := Raw(t, c, c2.method, base, c2.target, c2.ctype, c2.body)
			if c2.status < 400 {
				secure(t, resp)
				if resp.StatusCode != c2.status {
					t.Fatalf("%d %s; want %d", resp.StatusCode, body, c2.status)
				}
				return
			}
			problem(t, resp, body, c2.status, c2.says)
		})
	}

	// The site's host serves none of its own files, nor the build's
	// copies for latentplay serve: those paths come to the API, which
	// has nothing there.
	for _, p := range Artefacts {
		t.Run("GET "+p, func(t *testing.T) {
			resp, body := Get(t, c, base, p)
			problem(t, resp, body, http.StatusNotFound, "no such API path")
		})
	}

	t.Run("nothing lost to bad input", func(t *testing.T) {
		// The bad uploads above were not stored; the good ones still are.
		for _, b := range [][]byte{model[:len(model)/2], foreign} {
			if resp, _ := Get(t, c, base, share.Prefix+"/"+share.ID(b)); resp.StatusCode != 404 {
				t.Errorf("a rejected upload is served: %d", resp.StatusCode)
			}
		}
		if resp, back := Get(t, c, base, share.Prefix+"/"+share.ID(model)); resp.StatusCode != 200 || !bytes.Equal(back, model) {
			t.Errorf("a good upload is gone: %d", resp.StatusCode)
		}
	})
}

// problem checks an error answer: the status, the security headers, and a
// JSON Problem of that status whose message contains says (to HEAD: the
// JSON type, with no body).
func problem(t testing.TB, resp *http.Response, body []byte, status int, says string) {
	t.Helper()
	secure(t, resp)
	method := resp.Request.Method
	if resp.StatusCode != status {
		t.Fatalf("%s %s: %d %s; want %d saying %q", method, resp.Request.URL.RequestURI(), resp.StatusCode, body, status, says)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("%d: Content-Type %q, not a JSON error: %s", resp.StatusCode, ct, body)
	}
	if status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
	if method == http.MethodHead {
		if len(body) != 0 {
			t.Fatalf("HEAD answered with %d bytes of body", len(body))
		}
		return
	}
	var p share.Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("%d: not a JSON error (%v): %s", resp.StatusCode, err, body)
	}
	if p.Status != status || !strings.Contains(p.Error, says) {
		t.Fatalf("%d %s; want %d saying %q", resp.StatusCode, body, status, says)
	}
}

// secure checks the headers every API answer carries.
func secure(t testing.TB, resp *http.Response) {
	t.Helper()
	h := resp.Header
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("Content-Security-Policy %q lacks %s", csp, d)
		}
	}
	if v := h.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("CORS is open (%q): the API is same-origin with the app", v)
	}
}
