//go:build !js

package share_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"latentplay/core/drawdoc"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	"latentplay/wasm/edge/edgehttp"
	"latentplay/wasm/edge/share"
	"latentplay/wasm/edge/share/sharetest"
	"latentplay/wasm/edge/shareapi"
)

// recording is a Memory that remembers what was Put.
type recording struct {
	*share.Memory
	mu  sync.Mutex
	put map[string][]byte
}

func (s *recording) Put(id string, b []byte) error {
	s.mu.Lock()
	s.put[id] = bytes.Clone(b)
	s.mu.Unlock()
	return s.Memory.Put(id, b)
}

// tinyModel is a small valid model file, so that the fuzzer's uploads
// start inside the model checks without the cost of a shipped model.
func tinyModel(t testing.TB) []byte {
	c, err := models.NewClassifier(models.ClassifierConfig{Inputs: 4, Hidden: []int{3}, Classes: 2, Activation: "relu"}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := models.Marshal(c, nil, modelfile.Int8)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzAPI sends the share API requests of any method, target, headers and
// body, through the Worker's glue (edgehttp, in the form workerd hands a
// request over), to a store holding a drawing and a model. Whatever the
// request: no answer is a 5xx; every answer has the security headers;
// every error is JSON with its status (to HEAD, the JSON type and no
// body); an item's bytes hash to its id; and everything stored is stored
// under its hash and opens with the app's own decoders (drawdoc.Decode,
// models.Unmarshal). The seeds are the contract suite's request classes.
// header is "name: value" lines.
func FuzzAPI(f *testing.F) {
	model := tinyModel(f)
	drawing := []byte(sharetest.Drawing)
	item := share.Prefix + "/" + share.ID(model)
	j, m := "content-type: "+share.TypeDoc, "content-type: "+share.TypeModel
	for _, s := range []struct {
		method, target, header string
		body                   []byte
	}{
		{"POST", share.Prefix, j, drawing},
		{"POST", share.Prefix, m, model},
		{"POST", share.Prefix, m, sharetest.LargestModel()},
		{"POST", share.Prefix, m, model[:len(model)-3]},
		{"POST", share.Prefix, j, model},
		{"POST", share.Prefix, m, drawing},
		{"POST", share.Prefix, "content-type: application/json, text/plain", drawing},
		{"POST", share.Prefix, "content-type: application/json; charset=utf-8", drawing},
		{"POST", share.Prefix, "content-type: application/json; charset=latin1", drawing},
		{"POST", share.Prefix, "content-type: application/json; note=\"a, b\"", drawing},
		{"POST", share.Prefix, "content-type: application/octet-stream; x=\"y\"\ncontent-length: 3", model},
		{"POST", share.Prefix, j + "\n" + j, drawing},
		{"POST", share.Prefix + "?%zz", j, drawing},
		{"POST", share.Prefix + "%zz", j, drawing},
		{"PUT", share.Prefix, j, drawing},
		{"GET", item, "", nil},
		{"HEAD", item, "", nil},
		{"HEAD", share.Prefix + "/" + strings.Repeat("0", 64), "", nil},
		{"HEAD", share.Prefix, "", nil},
		{"GET", share.Prefix + "/%zz", "", nil},
		{"GET", share.Prefix + "/%", "", nil},
		{"GET", share.Prefix + "/" + strings.Repeat("a", 62) + "%4", "", nil},
		{"GET", "/api/%zz", "", nil},
		{"GET", "/%zz", "", nil},
		{"GET", "/api//share", "", nil},
		{"GET", item + "/..", "", nil},
		{"DELETE", item, "", nil},
		{"OPTIONS", "*", "", nil},
		{"", "", "", nil},
	} {
		f.Add(s.method, s.target, s.header, s.body)
	}
	for _, p := range sharetest.Artefacts {
		f.Add("GET", p, "", []byte(nil))
	}
	f.Fuzz(func(t *testing.T, method, target, header string, body []byte) {
		store := &recording{Memory: share.NewMemory(), put: map[string][]byte{}}
		store.Memory.Put(share.ID(model), model)
		store.Memory.Put(share.ID(drawing), drawing)
		in := &edgehttp.Request{Method: method, URL: "http://share.test/" + strings.TrimPrefix(target, "/")}
		for _, line := range strings.Split(header, "\n") {
			name, value, ok := strings.Cut(line, ":")
			if name = strings.ToLower(strings.TrimSpace(name)); ok && name != "" {
				in.Header = append(in.Header, [2]string{name, strings.TrimSpace(value)})
			}
		}
		if len(body) > 0 || method != http.MethodGet && method != http.MethodHead {
			in.Body = io.NopCloser(bytes.NewReader(body))
		}
		req := in.HTTP(context.Background())
		a := edgehttp.Serve(share.New(store), req, share.Fail)

		what := method + " " + target
		if a.Status >= 500 {
			t.Fatalf("%s: %d %s", what, a.Status, a.Body)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
			if a.Header.Get(k) != want {
				t.Fatalf("%s: %d without %s", what, a.Status, k)
			}
		}
		if !strings.Contains(a.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("%s: %d without the Content-Security-Policy", what, a.Status)
		}
		if method == http.MethodHead && a.Body != nil {
			t.Fatalf("%s: a body", what)
		}
		if a.Status >= 400 {
			if ct := a.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Fatalf("%s: %d with Content-Type %q", what, a.Status, ct)
			}
			var p share.Problem
			if method != http.MethodHead && (json.Unmarshal(a.Body, &p) != nil || p.Status != a.Status || p.Error == "") {
				t.Fatalf("%s: %d with body %q", what, a.Status, a.Body)
			}
		}
		if a.Status == http.StatusOK && method == http.MethodGet && req.URL.Path == share.Prefix {
			var s shareapi.Service
			if err := json.Unmarshal(a.Body, &s); err != nil || !s.Keeps {
				t.Fatalf("%s: %q, not the service saying it keeps shares", what, a.Body)
			}
		} else if a.Status == http.StatusOK && method == http.MethodGet {
			if id := strings.TrimPrefix(req.URL.Path, share.Prefix+"/"); share.ID(a.Body) != id {
				t.Fatalf("%s: bytes that hash to %s", what, share.ID(a.Body))
			}
		}
		if a.Status == http.StatusCreated {
			var c share.Created
			if err := json.Unmarshal(a.Body, &c); err != nil || c.ID != share.ID(body) || !bytes.Equal(store.put[c.ID], body) {
				t.Fatalf("%s: created %s for bytes that hash to %s", what, a.Body, share.ID(body))
			}
		}
		for id, b := range store.put {
			if share.ID(b) != id {
				t.Fatalf("%s: stored under %s bytes that hash to %s", what, id, share.ID(b))
			}
			if bytes.HasPrefix(b, []byte("LATENTPL")) {
				if _, _, err := models.Unmarshal(b); err != nil {
					t.Fatalf("%s: stored a model the app cannot open: %v", what, err)
				}
			} else if _, err := drawdoc.Decode(b); err != nil {
				t.Fatalf("%s: stored a drawing the app cannot open: %v", what, err)
			}
		}
		if a.Status != http.StatusCreated && len(store.put) > 0 {
			t.Fatalf("%s: %d, yet stored", what, a.Status)
		}
	})
}
