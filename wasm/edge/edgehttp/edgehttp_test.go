package edgehttp

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRequestURL(t *testing.T) {
	for _, c := range []struct{ raw, path, query string }{
		{"http://h/api/share/abc?x=1", "/api/share/abc", "x=1"},
		{"http://h/a%20b", "/a b", ""},
		// What the runtime's parser keeps and Go's refuses: "%" as itself.
		{"http://h/api/share/%zz", "/api/share/%zz", ""},
		{"http://h/api/share/%", "/api/share/%", ""},
		{"http://h/api/share/aa%4", "/api/share/aa%4", ""},
		{"http://h/%zz/%41?q=%zz#%zz", "/%zz/A", "q=%zz"},
		// Anything else Go refuses stays text.
		{"http://h/a\x00b?c", "/a\x00b", "c"},
		{"http://h:bad/p", "/p", ""},
		{"/no/scheme\x7f", "/no/scheme\x7f", ""},
	} {
		u := requestURL(c.raw)
		if u.Path != c.path || u.RawQuery != c.query {
			t.Errorf("requestURL(%q): path %q query %q; want %q %q", c.raw, u.Path, u.RawQuery, c.path, c.query)
		}
	}
}

func TestHTTPKeepsHeadersWhole(t *testing.T) {
	in := &Request{
		Method: "POST",
		URL:    "http://h/x",
		Header: [][2]string{{"content-type", "application/json, text/plain"}, {"accept", "a, b"}, {"content-length", "5"}, {"cf-connecting-ip", "192.0.2.1"}},
		Body:   io.NopCloser(strings.NewReader("hello")),
	}
	r := in.HTTP(context.Background())
	if vs := r.Header.Values("Content-Type"); len(vs) != 1 || vs[0] != "application/json, text/plain" {
		t.Errorf("Content-Type reached the handler as %q", vs)
	}
	if r.ContentLength != 5 || r.RemoteAddr != "192.0.2.1" || r.Host != "h" || r.RequestURI != "/x" {
		t.Errorf("ContentLength %d, RemoteAddr %q, Host %q, RequestURI %q", r.ContentLength, r.RemoteAddr, r.Host, r.RequestURI)
	}
	chunked := &Request{Method: "POST", URL: "http://h/x", Body: io.NopCloser(strings.NewReader("hello"))}
	if r := chunked.HTTP(context.Background()); r.ContentLength != -1 {
		t.Errorf("a body of unknown length: ContentLength %d", r.ContentLength)
	}
	bodiless := &Request{Method: "GET", URL: "http://h/x"}
	if r := bodiless.HTTP(context.Background()); r.Body != http.NoBody || r.ContentLength != 0 {
		t.Errorf("no body: Body %v, ContentLength %d", r.Body, r.ContentLength)
	}
}

func failJSON(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Failed", "1")
	w.WriteHeader(status)
	io.WriteString(w, `{"error":"`+msg+`"}`)
}

func serve(h http.HandlerFunc, method string) *Answer {
	in := &Request{Method: method, URL: "http://h/x"}
	return Serve(h, in.HTTP(context.Background()), failJSON)
}

func TestServeHEAD(t *testing.T) {
	declared := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "11")
		w.WriteHeader(200)
		if r.Method != http.MethodHead {
			io.WriteString(w, "hello world")
		}
	}
	undeclared := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		io.WriteString(w, `{"status":404}`)
	}
	for name, c := range map[string]struct {
		h      http.HandlerFunc
		status int
		length string
	}{"declared length": {declared, 200, "11"}, "error written to HEAD": {undeclared, 404, "14"}} {
		get, head := serve(c.h, "GET"), serve(c.h, "HEAD")
		if head.Status != c.status || head.Body != nil || head.Header.Get("Content-Length") != c.length || len(get.Body) != 11 && len(get.Body) != 14 {
			t.Errorf("%s: HEAD %d %q body %v; GET %d bytes", name, head.Status, head.Header.Get("Content-Length"), head.Body, len(get.Body))
		}
	}
}

func TestServeAnswers(t *testing.T) {
	if a := serve(func(w http.ResponseWriter, r *http.Request) {}, "GET"); a.Status != 200 || a.Body == nil || len(a.Body) != 0 {
		t.Errorf("a handler that writes nothing: %d %q", a.Status, a.Body)
	}
	a := serve(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
		if _, err := w.Write([]byte("x")); err != http.ErrBodyNotAllowed {
			t.Errorf("a body after 204: %v", err)
		}
	}, "GET")
	if a.Status != 204 || a.Body != nil {
		t.Errorf("204: %d %q", a.Status, a.Body)
	}
	// The header is what it was at WriteHeader.
	a = serve(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("A", "1")
		w.WriteHeader(201)
		w.Header().Set("B", "2")
		w.WriteHeader(500)
	}, "POST")
	if a.Status != 201 || a.Header.Get("A") != "1" || a.Header.Get("B") != "" {
		t.Errorf("after WriteHeader: %d %v", a.Status, a.Header)
	}
}

func TestServePanic(t *testing.T) {
	for _, h := range []http.HandlerFunc{
		func(w http.ResponseWriter, r *http.Request) { panic("boom") },
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Half", "1")
			w.WriteHeader(200)
			io.WriteString(w, "half")
			panic("boom")
		},
		func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(1000) },
	} {
		a := serve(h, "GET")
		if a.Status != 500 || a.Header.Get("X-Failed") != "1" || a.Header.Get("X-Half") != "" || !strings.Contains(string(a.Body), "failed") {
			t.Errorf("a panicking handler: %d %v %s", a.Status, a.Header, a.Body)
		}
	}
}

// TestTransport: a target Go's URL parser refuses reaches the handler as
// sent, repeated headers joined.
func TestTransport(t *testing.T) {
	var got *http.Request
	c := &http.Client{Transport: &Transport{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		io.WriteString(w, "ok")
	}), Fail: failJSON}}
	req, _ := http.NewRequest("GET", "http://h/", nil)
	req.URL.Opaque = "/api/share/%zz"
	req.Header["X-Dup"] = []string{"a", "b"}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "ok" || got.URL.Path != "/api/share/%zz" || got.Header.Get("X-Dup") != "a, b" || len(got.Header.Values("X-Dup")) != 1 {
		t.Errorf("body %q; the handler saw path %q, X-Dup %q", body, got.URL.Path, got.Header.Values("X-Dup"))
	}
}
