// Package sharetest is the share API's contract as a test suite over HTTP,
// run against the handler natively (httptest) and against the Worker under
// workerd (wrangler dev), so both are held to the same cases.
package sharetest

import (
	"bytes"
	"encoding/json"

	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"latentplay/core/drawdoc"
	"latentplay/core/modelfile"
	"latentplay/wasm/edge/share"
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

// Run holds the API at base (e.g. http://127.0.0.1:8787) to its contract.
func Run(t *testing.T, base string) {
	c := &http.Client{}
	t.Run("round trip", func(t *testing.T) {
		uploads := []struct {
			name, ctype, kind string
			b                 []byte
		}{
			{"drawing", share.TypeDoc, "drawing", []byte(Drawing)},
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
			if ct := resp.Header.Get("Content-Type"); ct != u.ctype {
				t.Errorf("GET %s: Content-Type %q, want %q", u.name, ct, u.ctype)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("GET %s: Cache-Control %q", u.name, cc)
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
		{"GET the collection", "GET", share.Prefix, "", nil, 405, "GET", false},
		{"PUT the collection", "PUT", share.Prefix, share.TypeDoc, []byte(Drawing), 405, "PUT", false},
		{"DELETE an item", "DELETE", share.Prefix + "/" + share.ID([]byte(Drawing)), "", nil, 405, "DELETE", false},
		{"POST an item", "POST", share.Prefix + "/" + share.ID([]byte(Drawing)), share.TypeDoc, []byte(Drawing), 405, "POST", false},
		{"unknown API path", "GET", "/api/nope", "", nil, 404, "no such API path", false},
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
			resp, body := do(t, &http.Client{}, req)
			secure(t, resp)
			var p share.Problem
			if err := json.Unmarshal(body, &p); err != nil || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("%d %q: not a JSON error: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if resp.StatusCode != c.status || p.Status != c.status || !strings.Contains(p.Error, c.says) {
				t.Fatalf("%s %s: %d %s; want %d saying %q", c.method, c.path, resp.StatusCode, body, c.status, c.says)
			}
			if c.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without Allow")
			}
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
