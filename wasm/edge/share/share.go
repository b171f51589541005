// Package share is the share API the edge Worker serves: a person uploads a
// model file or a drawing document and gets back an id, the hex SHA-256 of
// the bytes; anyone with the id downloads exactly those bytes. It is a plain
// http.Handler over a Store, so it runs the same under workerd (KV) and in
// native tests (a map).
package share

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"latentplay/core/drawdoc"
	"latentplay/core/models"
	"latentplay/wasm/edge/shareapi"
)

// MaxBytes is the largest model upload, 8 MiB: every shipped model fits (the
// largest, mlp.lpm, is 1.1 MB), as does a model trained with the Train
// view's defaults (2.6 MB in float32) and any with up to ~1,200 hidden
// units. Each request runs in its own Go instance inside a 128 MB isolate,
// so the limit also bounds what concurrent uploads hold in memory.
const MaxBytes = 8 << 20

// The API's paths, media types and answers (package shareapi).
const (
	Prefix    = shareapi.Prefix
	TypeModel = shareapi.TypeModel
	TypeDoc   = shareapi.TypeDoc
)

type (
	Created = shareapi.Created
	Problem = shareapi.Problem
)

var (
	ID      = shareapi.ID
	ValidID = shareapi.ValidID
)

// modelMagic opens every model file; it tells the two kinds apart on GET.
const modelMagic = "LATENTPL"

// ErrNotFound is what a Store returns for an id it does not hold.
var ErrNotFound = errors.New("share: not found")

// Store keeps shared bytes by id. Ids are content hashes, so a second Put
// of an id stores the same bytes again.
type Store interface {
	Get(id string) ([]byte, error)
	Put(id string, b []byte) error
}

// Memory is a Store in a map, for native tests and the Worker run natively.
type Memory struct {
	mu sync.Mutex
	m  map[string][]byte
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory { return &Memory{m: map[string][]byte{}} }

func (s *Memory) Get(id string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[id]
	if !ok {
		return nil, ErrNotFound
	}
	return bytes.Clone(b), nil
}

func (s *Memory) Put(id string, b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[id] = bytes.Clone(b)
	return nil
}

// New returns the API over s. It answers every request it is given,
// whatever its path, method or headers, and every error is JSON (Problem)
// with the security headers.
func New(s Store) http.Handler {
	h := &handler{store: s}
	return secured(http.HandlerFunc(h.route))
}

type handler struct{ store Store }

// route sends a request to the handler of its path, which must be exactly
// Prefix or Prefix/ID: nothing is cleaned or redirected (ServeMux would
// redirect /api//share, with an HTML body).
func (h *handler) route(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == Prefix:
		h.collection(w, r)
	case strings.HasPrefix(p, Prefix+"/"):
		h.item(w, r, p[len(Prefix)+1:])
	default:
		fail(w, http.StatusNotFound, fmt.Sprintf("no such API path: %q", p))
	}
}

// secured sets the headers every answer carries.
func secured(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurity(w.Header())
		next.ServeHTTP(w, r)
	})
}

// setSecurity sets the security headers. The API serves data, never
// pages: nothing may run in, frame or sniff it. It is same-origin with the
// app, so it sends no CORS headers.
func setSecurity(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// Fail answers with an API error of its own: status, a JSON Problem
// saying msg, and the security headers. The Worker's glue answers with it
// when the handler cannot.
func Fail(w http.ResponseWriter, status int, msg string) {
	setSecurity(w.Header())
	fail(w, status, msg)
}

// collection takes uploads, and says that it does.
func (h *handler) collection(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPost:
	case http.MethodGet, http.MethodHead:
		reply(w, http.StatusOK, shareapi.Service{Keeps: true})
		return
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		fail(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here: POST a model file or a drawing")
		return
	}
	media, err := uploadType(r.Header)
	if err != nil {
		fail(w, http.StatusUnsupportedMediaType, err.Error())
		return
	}
	// A drawing has its own, smaller limit (drawdoc.MaxBytes).
	limit := int64(MaxBytes)
	if media == TypeDoc {
		limit = drawdoc.MaxBytes
	}
	if r.ContentLength > limit {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%d bytes is over the %d-byte limit", r.ContentLength, limit))
		return
	}
	var buf bytes.Buffer
	buf.Grow(int(max(r.ContentLength, 0)) + bytes.MinRead) // one allocation when the length is known
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit)); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			// Read the rest (without keeping it) before answering: workerd's
			// dev proxy fails the next request on a connection whose
			// upload was cut short. Cloudflare stops bodies at 100 MB.
			io.CopyN(io.Discard, r.Body, 100<<20)
			fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the upload is over the %d-byte limit", limit))
			return
		}
		fail(w, http.StatusBadRequest, "reading the upload: "+err.Error())
		return
	}
	b := buf.Bytes()
	kind, err := check(media, b)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	id := ID(b)
	if err := h.store.Put(id, b); err != nil {
		fail(w, http.StatusServiceUnavailable, "storing the upload failed: "+err.Error())
		return
	}
	c := Created{ID: id, Kind: kind, URL: Prefix + "/" + id}
	w.Header().Set("Location", c.URL)
	reply(w, http.StatusCreated, c)
}

// uploadType is an upload's media type: one Content-Type, a single
// well-formed media type, one of the two the API takes. Parameters are
// allowed, but a drawing's charset, if given, must be UTF-8.
func uploadType(h http.Header) (string, error) {
	want := fmt.Sprintf("Content-Type must be %s (a model file) or %s (a drawing)", TypeModel, TypeDoc)
	vs := h.Values("Content-Type")
	if len(vs) != 1 {
		return "", fmt.Errorf("%s, once; this request has %d", want, len(vs))
	}
	media, params, err := mime.ParseMediaType(vs[0])
	if err != nil {
		return "", fmt.Errorf("%s, not %q (%v)", want, vs[0], err)
	}
	if media != TypeModel && media != TypeDoc {
		return "", fmt.Errorf("%s, not %q", want, media)
	}
	if cs, ok := params["charset"]; ok && media == TypeDoc && !strings.EqualFold(cs, "utf-8") {
		return "", fmt.Errorf("Content-Type: a drawing is UTF-8 JSON, not charset %q", cs)
	}
	return media, nil
}

// check reads an upload as the app will read it back, without building
// anything from it: drawdoc.Decode for a drawing, models.Check for a model
// (what models.Unmarshal checks, without the network, so that validating
// an 8 MiB upload takes kilobytes, not the 100 MiB its network would).
func check(media string, b []byte) (kind string, err error) {
	if media == TypeDoc {
		if _, err := drawdoc.Decode(b); err != nil {
			return "", err
		}
		return "drawing", nil
	}
	if _, err := models.Check(b); err != nil {
		return "", fmt.Errorf("not a valid model file: %w", err)
	}
	return "model", nil
}

// item serves stored bytes: to HEAD, the same answer without the body.
func (h *handler) item(w http.ResponseWriter, r *http.Request, id string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		fail(w, http.StatusMethodNotAllowed, r.Method+" is not allowed here: GET a shared item")
		return
	}
	if !ValidID(id) {
		fail(w, http.StatusBadRequest, "malformed id: an id is 64 lower-case hex digits")
		return
	}
	b, err := h.store.Get(id)
	if errors.Is(err, ErrNotFound) {
		fail(w, http.StatusNotFound, "nothing is shared under "+id)
		return
	}
	if err != nil {
		fail(w, http.StatusServiceUnavailable, "reading the store failed: "+err.Error())
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", TypeDoc)
	if strings.HasPrefix(string(b[:min(len(b), len(modelMagic))]), modelMagic) {
		hdr.Set("Content-Type", TypeModel)
	}
	hdr.Set("Content-Length", fmt.Sprint(len(b)))
	hdr.Set("ETag", `"`+id+`"`)
	// The id is the hash of the bytes: they never change.
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(b)
	}
}

func fail(w http.ResponseWriter, status int, msg string) {
	reply(w, status, Problem{Status: status, Error: msg})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
