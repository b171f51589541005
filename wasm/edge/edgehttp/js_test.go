//go:build js && wasm

package edgehttp

import (
	"io"
	"net/http"
	"strings"
	"syscall/js"
	"testing"
)

// call runs Func(h) on a Request made by JavaScript's own constructor
// (Node's, as workerd's, keeps a malformed escape in the URL) and returns
// the Response's status, headers and body (null: "<null>").
func call(t *testing.T, h http.HandlerFunc, url string, init map[string]any) (int, js.Value, string) {
	t.Helper()
	f := Func(h, failJSON)
	defer f.Release()
	req := js.Global().Get("Request").New(url, init)
	resp, err := await(f.Invoke(req))
	if err != nil {
		t.Fatal(err)
	}
	body := "<null>"
	if !resp.Get("body").IsNull() {
		text, err := await(resp.Call("text"))
		if err != nil {
			t.Fatal(err)
		}
		body = text.String()
	}
	return resp.Get("status").Int(), resp.Get("headers"), body
}

func TestFuncCarriesTheRequest(t *testing.T) {
	var path, ctype, got string
	var length int64
	h := func(w http.ResponseWriter, r *http.Request) {
		path, ctype, length = r.URL.Path, r.Header.Get("Content-Type"), r.ContentLength
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(201)
		io.WriteString(w, "made")
	}
	body := strings.Repeat("0123456789", 10000) // more than one chunk
	status, headers, answer := call(t, h, "http://h/api/share/%zz", map[string]any{
		"method":  "POST",
		"headers": map[string]any{"Content-Type": "application/json, text/plain", "Content-Length": "100000"},
		"body":    body,
	})
	if path != "/api/share/%zz" || ctype != "application/json, text/plain" || got != body || length != 100000 {
		t.Errorf("the handler saw path %q, Content-Type %q, ContentLength %d, %d bytes", path, ctype, length, len(got))
	}
	if status != 201 || headers.Call("get", "content-type").String() != "text/plain" || answer != "made" {
		t.Errorf("answer %d %q", status, answer)
	}
}

func TestFuncHEAD(t *testing.T) {
	h := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5")
		w.WriteHeader(200)
		if r.Method == http.MethodGet {
			io.WriteString(w, "hello")
		}
	}
	status, headers, body := call(t, h, "http://h/x", map[string]any{"method": "HEAD"})
	if status != 200 || body != "<null>" || headers.Call("get", "content-length").String() != "5" {
		t.Errorf("HEAD: %d, body %q, Content-Length %v", status, body, headers.Call("get", "content-length"))
	}
	if status, _, body := call(t, h, "http://h/x", map[string]any{"method": "GET"}); status != 200 || body != "hello" {
		t.Errorf("GET: %d %q", status, body)
	}
}

// TestFuncFails: an answer the runtime cannot make (a header value it
// refuses) is fail's.
func TestFuncFails(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"bad header": func(w http.ResponseWriter, r *http.Request) { w.Header().Set("X-Bad", "a\nb") },
		"status 700": func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(700) },
		"panic":      func(w http.ResponseWriter, r *http.Request) { panic("boom") },
	} {
		status, headers, body := call(t, h, "http://h/x", map[string]any{"method": "GET"})
		if status != 500 || headers.Call("get", "x-failed").String() != "1" || !strings.Contains(body, "failed") {
			t.Errorf("%s: %d %q", name, status, body)
		}
	}
}

// TestFuncLeavesTheBody: the request body is locked only while the handler
// reads it, so that the runtime can drain what it left (wrangler dev
// fails the connection when it cannot).
func TestFuncLeavesTheBody(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"unread":    func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(413) },
		"read some": func(w http.ResponseWriter, r *http.Request) { r.Body.Read(make([]byte, 10)); w.WriteHeader(413) },
	} {
		f := Func(h, failJSON)
		req := js.Global().Get("Request").New("http://h/x", map[string]any{"method": "POST", "body": strings.Repeat("x", 1000)})
		resp, err := await(f.Invoke(req))
		f.Release()
		if err != nil || resp.Get("status").Int() != 413 {
			t.Fatalf("%s: %v", name, err)
		}
		if req.Get("body").Get("locked").Bool() {
			t.Errorf("%s: the request body is still locked", name)
		}
	}
}
