package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/drawdoc"
	"latentplay/wasm/edge/shareapi"
)

// Links to shared things: /?share=ID opens a drawing, /train?share=ID a
// model; /#drawing=… carries a drawing itself, for hosts without the API.
const (
	shareParam     = "share"
	fragmentPrefix = "drawing="
)

// errNoAPI means the site is on a static host: nothing answered the API.
var errNoAPI = errors.New("this host has no share API")

// siteURL is the absolute URL of path under the site's root (which may
// be a sub-path).
func siteURL(path string) string {
	u := app.Window().URL()
	root := strings.TrimSuffix(app.Getenv("GOAPP_STATIC_RESOURCES_URL"), "/web")
	return u.Scheme + "://" + u.Host + root + path
}

// fetch calls the browser's fetch and returns the status and body. (The
// browser's, not net/http's: the app does not carry an HTTP client.)
func fetch(method, url, ctype string, body []byte) (int, []byte, error) {
	opts := map[string]any{"method": method}
	if body != nil {
		opts["headers"] = map[string]any{"Content-Type": ctype}
		opts["body"] = bytesToJS(body)
	}
	resp, err := await(app.Window().Call("fetch", url, opts))
	if err != nil {
		return 0, nil, err
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return 0, nil, err
	}
	u8 := app.Window().Get("Uint8Array").New(buf)
	b := make([]byte, u8.Get("length").Int())
	app.CopyBytesToGo(b, u8)
	return resp.Get("status").Int(), b, nil
}

// hostKeeps reports whether this host keeps shared items, asking it once
// (GET Prefix: the share Worker says yes, the static site's own file no),
// so that a static host never sees an upload it would refuse.
func hostKeeps() bool {
	hostService.once.Do(func() {
		status, body, err := fetch("GET", siteURL(shareapi.Prefix), "", nil)
		var s shareapi.Service
		hostService.keeps = err == nil && status == 200 && json.Unmarshal(body, &s) == nil && s.Keeps
	})
	return hostService.keeps
}

var hostService struct {
	once  sync.Once
	keeps bool
}

// postShare uploads b and returns the link's id. A host without the API
// gives errNoAPI, as does one that does not answer as the API does; the
// API's refusals come back with its message.
func postShare(ctype string, b []byte) (string, error) {
	if !hostKeeps() {
		return "", errNoAPI
	}
	status, body, err := fetch("POST", siteURL(shareapi.Prefix), ctype, b)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errNoAPI, err)
	}
	if status == 201 {
		var c shareapi.Created
		if err := json.Unmarshal(body, &c); err != nil || !shareapi.ValidID(c.ID) {
			return "", errNoAPI
		}
		return c.ID, nil
	}
	var p shareapi.Problem
	if json.Unmarshal(body, &p) != nil || p.Error == "" {
		return "", errNoAPI // a static host's 404 or 405 page
	}
	return "", errors.New(p.Error)
}

// getShare downloads the shared bytes under id.
func getShare(id string) ([]byte, error) {
	if !shareapi.ValidID(id) {
		return nil, errors.New("the link's id is malformed")
	}
	status, body, err := fetch("GET", siteURL(shareapi.Prefix+"/"+id), "", nil)
	if err != nil {
		return nil, err
	}
	if status != 200 {
		var p shareapi.Problem
		if json.Unmarshal(body, &p) == nil && p.Error != "" {
			return nil, errors.New(p.Error)
		}
		return nil, fmt.Errorf("the share API answered %d", status)
	}
	if shareapi.ID(body) != id {
		return nil, errors.New("the shared bytes do not match their id")
	}
	return body, nil
}

// shortLink is a link as the page shows it: the host and the start of
// the id, or, for a drawing carried in the link, how long the link is.
func shortLink(link string) string {
	if i := strings.Index(link, "#"+fragmentPrefix); i >= 0 {
		return fmt.Sprintf("%s… (the drawing itself, %d characters)", strings.TrimPrefix(strings.TrimPrefix(link[:i], "https://"), "http://"), len(link))
	}
	if i := strings.Index(link, shareParam+"="); i >= 0 && len(link) > i+len(shareParam)+1+8 {
		return strings.TrimPrefix(strings.TrimPrefix(link[:i+len(shareParam)+1+8], "https://"), "http://") + "…"
	}
	return link
}

// sharedID is the ?share= id in the page's URL, if any.
func sharedID() string {
	return app.Window().URL().Query().Get(shareParam)
}

// drawingDoc is the pad's strokes and settings as a document.
func drawingDoc(strokes [][]point, brush float64) drawdoc.Doc {
	d := drawdoc.Doc{Version: drawdoc.Version, Side: padSide, Brush: brush, Strokes: make([][]drawdoc.Point, len(strokes))}
	for i, s := range strokes {
		d.Strokes[i] = make([]drawdoc.Point, len(s))
		for j, p := range s {
			// A pen dragged off the pad keeps reporting points; the pad
			// clips them, and so does the document. A hundredth of a pad
			// pixel is finer than the ink shows and keeps links short.
			d.Strokes[i][j] = drawdoc.Point{docCoord(p.X), docCoord(p.Y)}
		}
	}
	return d
}

func docCoord(v float64) float64 {
	return math.Round(min(max(v, 0), padSide)*100) / 100
}

// padStrokes are a document's strokes and brush in this pad's pixels.
func padStrokes(d drawdoc.Doc) ([][]point, float64) {
	k := padSide / d.Side
	out := make([][]point, len(d.Strokes))
	for i, s := range d.Strokes {
		out[i] = make([]point, len(s))
		for j, p := range s {
			out[i][j] = point{p[0] * k, p[1] * k}
		}
	}
	return out, d.Brush * k
}

// fragmentLink is a link that carries the document itself.
func fragmentLink(b []byte) string {
	return siteURL("/#" + fragmentPrefix + base64.RawURLEncoding.EncodeToString(b))
}

// fragmentDoc decodes the document a fragment link carries; ok is false
// when the page's URL has none.
func fragmentDoc() (d drawdoc.Doc, ok bool, err error) {
	frag, found := strings.CutPrefix(app.Window().URL().Fragment, fragmentPrefix)
	if !found {
		return d, false, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(frag)
	if err != nil {
		return d, true, errors.New("the link's drawing is not readable")
	}
	d, err = drawdoc.Decode(b)
	return d, true, err
}

// share uploads the drawing and shows its link; on a static host the
// drawing goes into the link's fragment instead.
func (d *DrawPad) share(ctx app.Context, e app.Event) {
	b, err := drawdoc.Encode(drawingDoc(d.strokes, d.brushWidth()))
	if err != nil {
		d.shareErr = "This drawing cannot be shared: " + err.Error()
		return
	}
	d.sharing, d.shareErr, d.copied = true, "", false
	ctx.Async(func() {
		id, err := postShare(shareapi.TypeDoc, b)
		ctx.Dispatch(func(ctx app.Context) {
			d.sharing = false
			switch {
			case err == nil:
				d.shareLink, d.shareNote = siteURL("/?"+shareParam+"="+id), "Anyone with this link sees your drawing:"
			case errors.Is(err, errNoAPI):
				d.shareLink, d.shareNote = fragmentLink(b), "This host keeps nothing, so the drawing is in the link itself:"
			default:
				d.shareLink, d.shareErr = "", "Sharing failed: "+err.Error()
			}
		})
	})
}

// openShared loads the drawing the page's link carries, if it carries one.
func (d *DrawPad) openShared(ctx app.Context) {
	if doc, ok, err := fragmentDoc(); ok {
		// After the mount, as a fetched drawing would be: the pad's input
		// figure is on the page by then.
		ctx.Dispatch(func(ctx app.Context) { d.loadShared(ctx, doc, err) })
		return
	}
	id := sharedID()
	if id == "" {
		return
	}
	ctx.Async(func() {
		var doc drawdoc.Doc
		b, err := getShare(id)
		if err == nil {
			doc, err = drawdoc.Decode(b)
		}
		ctx.Dispatch(func(ctx app.Context) { d.loadShared(ctx, doc, err) })
	})
}

func (d *DrawPad) loadShared(ctx app.Context, doc drawdoc.Doc, err error) {
	if err != nil {
		d.shareErr = "The shared drawing could not be opened: " + err.Error()
		return
	}
	d.strokes, d.brush = padStrokes(doc)
	ctx.SetState(d.state()+brushState, d.brush)
	d.redraw(ctx)
}
