// Package edgehttp carries a request from the Workers runtime's Fetch API
// to a Go http.Handler and its answer back. The Worker still runs on
// github.com/syumai/workers (its loader, Ready and KV); this replaces the
// library's request and answer conversion (v0.33.0), which
//
//   - parses request.url with Go's url.Parse, which refuses what the
//     runtime's URL parser keeps (a "%" that begins no escape, as in
//     /api/share/%zz): the Worker's promise is rejected and the runtime
//     answers 500 with the Go error and a stack trace;
//   - splits every header value at its commas, so a list-valued
//     Content-Type reaches the handler as its first item;
//   - streams an answer of the length the handler declared through a
//     FixedLengthStream, which fails when a HEAD answer declares a length
//     and (rightly) has no body.
//
// This file is plain Go: what the runtime hands over (Request), how it
// becomes an *http.Request, and the handler's whole answer (Serve). It is
// tested natively, and the share API's contract and fuzz tests reach the
// handler through it (Transport). js.go is the part that reads and makes
// the JavaScript objects.
package edgehttp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// Request is an incoming request as the Fetch API presents it.
type Request struct {
	Method string
	// URL is request.url: absolute, as the runtime's (WHATWG) URL parser
	// wrote it.
	URL string
	// Header is request.headers' entries: lower-case names, the values of
	// a repeated name joined by ", ".
	Header [][2]string
	Body   io.ReadCloser // nil when request.body is null
}

// HTTP returns r as the server-side *http.Request a handler expects. It
// never fails: a URL Go's parser refuses is read as the runtime read it
// (see requestURL), and each header keeps its value whole.
func (r *Request) HTTP(ctx context.Context) *http.Request {
	u := requestURL(r.URL)
	h := make(http.Header, len(r.Header))
	for _, kv := range r.Header {
		h.Add(http.CanonicalHeaderKey(kv[0]), kv[1])
	}
	req := &http.Request{
		Method:     r.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Body:       http.NoBody,
		Host:       u.Host,
		RemoteAddr: h.Get("Cf-Connecting-Ip"),
		RequestURI: u.RequestURI(),
	}
	if r.Body != nil {
		req.Body = r.Body
		req.ContentLength = -1 // unknown, unless the client said
		if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil && n >= 0 && len(h.Values("Content-Length")) == 1 {
			req.ContentLength = n
		}
	}
	return req.WithContext(ctx)
}

// requestURL parses the runtime's request.url. Where Go's url.Parse
// refuses it, the runtime's parser has kept something Go's does not: a
// "%" that begins no escape (%zz, a lone % at the end) is, to the runtime,
// the character "%" itself, so in the path it is read as %25. Anything else Go refuses
// is kept as text: the scheme and host cut off, the rest the path.
func requestURL(raw string) *url.URL {
	if u, err := url.Parse(raw); err == nil {
		return u
	}
	if u, err := url.Parse(escapeStrayPercents(raw)); err == nil {
		// Go's parser takes a query as it is: keep it so.
		if i := strings.IndexAny(raw, "?#"); i >= 0 && raw[i] == '?' {
			u.RawQuery, _, _ = strings.Cut(raw[i+1:], "#")
		}
		return u
	}
	u := &url.URL{}
	rest := raw
	if scheme, after, ok := strings.Cut(raw, "://"); ok {
		end := strings.IndexAny(after, "/?#")
		if end < 0 {
			end = len(after)
		}
		u.Scheme, u.Host, rest = scheme, after[:end], after[end:]
	}
	rest, u.Fragment, _ = strings.Cut(rest, "#")
	u.Path, u.RawQuery, _ = strings.Cut(rest, "?")
	return u
}

// escapeStrayPercents writes every "%" not followed by two hex digits as
// "%25".
func escapeStrayPercents(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Answer is a handler's whole answer.
type Answer struct {
	Status int
	Header http.Header
	// Body is nil for an answer without one: to HEAD, and with a status
	// that has none (1xx, 204, 205, 304).
	Body []byte
}

// FailFunc answers a request with an error of its own, for when the
// handler cannot: it panicked, or its answer could not be handed over.
type FailFunc func(w http.ResponseWriter, status int, msg string)

// Serve runs h on req and returns its answer, whole. A HEAD request
// reaches h as HEAD; whatever body h writes is counted, not kept, and is
// the answer's Content-Length unless h set one, as net/http's server
// does. If h panics, the answer is fail's, with status 500, and the panic
// goes to standard error (the Worker's log).
func Serve(h http.Handler, req *http.Request, fail FailFunc) (a *Answer) {
	w := newRecorder(req.Method == http.MethodHead)
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(os.Stderr, "edgehttp: %s %s: panic: %v\n%s", req.Method, req.URL.Path, v, debug.Stack())
			w = newRecorder(req.Method == http.MethodHead)
			fail(w, http.StatusInternalServerError, "the server failed to answer")
			a = w.answer()
		}
	}()
	h.ServeHTTP(w, req)
	return w.answer()
}

// recorder is the http.ResponseWriter Serve gives a handler.
type recorder struct {
	header http.Header // what the handler sets
	sent   http.Header // header as it was at WriteHeader
	status int
	body   bytes.Buffer
	head   bool // a HEAD request: count the body, do not keep it
	n      int  // bytes of body written
}

func newRecorder(head bool) *recorder { return &recorder{header: http.Header{}, head: head} }

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if status < 100 || status > 999 {
		panic(fmt.Sprintf("edgehttp: invalid WriteHeader code %d", status)) // as net/http does
	}
	if w.status != 0 || status < 200 { // a second call, or informational: not the answer
		return
	}
	w.status = status
	w.sent = w.header.Clone()
}

func (w *recorder) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	w.n += len(p)
	if !w.head {
		w.body.Write(p)
	}
	return len(p), nil
}

func (w *recorder) answer() *Answer {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	a := &Answer{Status: w.status, Header: w.sent}
	switch {
	case !bodyAllowed(w.status):
	case w.head:
		if a.Header.Get("Content-Length") == "" && w.n > 0 {
			a.Header.Set("Content-Length", strconv.Itoa(w.n))
		}
	default:
		a.Body = w.body.Bytes()
		if a.Body == nil {
			a.Body = []byte{}
		}
	}
	return a
}

// bodyAllowed reports whether an answer with status may have a body.
func bodyAllowed(status int) bool {
	switch {
	case status < 200, status == http.StatusNoContent, status == http.StatusResetContent, status == http.StatusNotModified:
		return false
	}
	return true
}

// Transport hands a client's requests to Handler in process, in the form
// the Workers runtime gives them to the Worker: the request target as the
// client sent it (so a malformed escape arrives as it would), the values
// of a repeated header joined by ", ", names in lower case. It returns
// Serve's answer. It stands in for workerd where the share API's contract
// runs natively.
type Transport struct {
	Handler http.Handler
	Fail    FailFunc
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	in := &Request{Method: req.Method, URL: req.URL.Scheme + "://" + req.URL.Host + req.URL.RequestURI()}
	in.Header = append(in.Header, [2]string{"host", req.URL.Host})
	for name, vs := range req.Header {
		in.Header = append(in.Header, [2]string{strings.ToLower(name), strings.Join(vs, ", ")})
	}
	if req.Body != nil && req.Body != http.NoBody {
		in.Body = req.Body
		defer req.Body.Close()
	}
	switch {
	case req.ContentLength > 0:
		in.Header = append(in.Header, [2]string{"content-length", strconv.FormatInt(req.ContentLength, 10)})
	case in.Body == nil && (req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch):
		in.Header = append(in.Header, [2]string{"content-length", "0"})
	}
	a := Serve(t.Handler, in.HTTP(req.Context()), t.Fail)
	resp := &http.Response{
		Status:        fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status)),
		StatusCode:    a.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        a.Header,
		Body:          io.NopCloser(bytes.NewReader(a.Body)),
		ContentLength: int64(len(a.Body)),
		Request:       req,
	}
	if a.Body != nil {
		resp.Header.Set("Content-Length", strconv.Itoa(len(a.Body)))
	} else if n, err := strconv.ParseInt(a.Header.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = n
	}
	return resp, nil
}
