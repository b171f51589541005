package web

import (
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/draw"
)

// The pad keeps its own ink in Go at padSide×padSide; the brush is ~9% of
// the side, so a digit drawn across most of the pad has strokes in MNIST's
// proportion (about an eighth of the digit's height).
const (
	padSide  = 280
	padBrush = 22.0
)

// point is a pen position in pad pixels.
type point struct{ X, Y float64 }

// drawingState is the go-app state holding the strokes, so the drawing
// follows the person from view to view.
const drawingState = "drawing"

// DrawPad is where a person draws a digit with mouse, pen or finger. It
// keeps the ink in Go, paints only what a stroke touched, and tells its
// parent the 28×28 model input at most once per animation frame.
type DrawPad struct {
	app.Compo

	// IOnChange receives the model input after each change (nil once the
	// pad is cleared or blank).
	IOnChange func(ctx app.Context, input []float32)
	// IState names the go-app state the strokes live in (default: the
	// drawing every view shares).
	IState string
	// ILabel is the pad's accessible name.
	ILabel string
	// IShare adds the Share button, and loads the drawing a shared link
	// carries (?share=ID or #drawing=…) when the pad mounts.
	IShare bool
	// IOnEvent, if set, receives the time (performance.now()) each pointer
	// move is handled, for latency measurements. (Chrome delivers moves
	// aligned to animation frames, up to a frame after their timeStamp;
	// no page can answer sooner than it is told.)
	IOnEvent func(handled float64)

	canvas, ctx2d app.Value
	ink           []float32
	strokes       [][]point
	drawing       bool
	frameQueued   bool
	lastPublish   float64 // performance.now() of the last published input
	input         []float32
	brush         float64 // the pen's width; 0 is padBrush (a shared drawing may differ)

	sharing   bool
	shareLink string // the last link made
	copied    bool   // the link is on the clipboard
	shareNote string // how the link works
	shareErr  string
}

// publishEvery is the shortest time between two inputs sent on at once; a
// faster pen is caught up at the next animation frame.
const publishEvery = 12.0 // ms

// OnMount keeps the mounted canvas and its 2-D context: go-app re-creates
// element values on each render, but the DOM node stays.
func (d *DrawPad) OnMount(ctx app.Context) {
	d.canvas = ctx.JSSrc().Call("querySelector", "canvas")
	d.ctx2d = d.canvas.Call("getContext", "2d")
	d.ink = make([]float32, padSide*padSide)
	ctx.GetState(d.state(), &d.strokes)
	ctx.GetState(d.state()+brushState, &d.brush)
	d.redraw(ctx)
	if d.IShare {
		d.openShared(ctx)
	}
}

// brushState is the go-app state, beside the strokes, holding the pen's width.
const brushState = "/brush"

func (d *DrawPad) brushWidth() float64 {
	if d.brush > 0 {
		return d.brush
	}
	return padBrush
}

func (d *DrawPad) state() string {
	if d.IState != "" {
		return d.IState
	}
	return drawingState
}

func (d *DrawPad) label() string {
	if d.ILabel != "" {
		return d.ILabel
	}
	return "Drawing pad: draw one digit with the mouse, a pen or a finger"
}

// Render is the pad, its buttons, and the input it makes for the models.
func (d *DrawPad) Render() app.UI {
	return app.Div().Class("drawpad").Body(
		app.Canvas().
			Class("pad").
			Width(padSide).Height(padSide).
			Aria("label", d.label()).
			Attr("role", "img").
			TabIndex(0).
			On("pointerdown", d.pointerDown).
			On("pointermove", d.pointerMove).
			On("pointerup", d.pointerUp).
			On("pointercancel", d.pointerUp).
			On("keydown", d.keyDown),
		app.Div().Class("pad-side").Body(
			app.Button().Class("clear").Text("Clear").Aria("label", "Clear the drawing").OnClick(d.clear),
			app.Button().Class("undo").Text("Undo").Aria("label", "Undo the last stroke").OnClick(d.undo),
			app.Figure().Class("input").Body(
				&Digit{IID: d.inputID(), IPixels: d.input, IAlt: "Your drawing as the models see it: 28×28, centred like MNIST", ISize: 56},
				app.FigCaption().Text("28×28 input"),
			),
			app.If(d.IShare, func() app.UI {
				return app.Button().Class("share").Text("Share").Aria("label", "Share a link to this drawing").
					Title(map[bool]string{true: "Draw something to share first", false: "Share a link to this drawing"}[len(d.strokes) == 0]).
					Disabled(d.sharing || len(d.strokes) == 0).OnClick(d.share)
			}),
		),
		app.If(d.shareLink != "", func() app.UI {
			return app.P().Class("share-link").Attr("role", "status").Body(
				app.Text(d.shareNote+" "),
				app.A().ID("share-link").Href(d.shareLink).Title(d.shareLink).Text(shortLink(d.shareLink)),
				app.Text(" "),
				app.Button().ID("copy-link").Class("copy").Text(d.copyLabel()).OnClick(d.copyLink),
			)
		}),
		app.If(d.shareErr != "", func() app.UI { return app.P().Class("error share-error").Attr("role", "alert").Text(d.shareErr) }),
	)
}

func (d *DrawPad) copyLabel() string {
	if d.copied {
		return "Copied"
	}
	return "Copy link"
}

// copyLink puts the link on the clipboard.
func (d *DrawPad) copyLink(ctx app.Context, e app.Event) {
	link := d.shareLink
	ctx.Async(func() {
		_, err := await(app.Window().Get("navigator").Get("clipboard").Call("writeText", link))
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				d.shareErr = "The link could not be copied (" + err.Error() + "); select it and copy it by hand."
				return
			}
			d.copied = true
		})
	})
}

// padPoint maps an event's position to pad pixels, whatever size CSS
// gives the canvas.
func (d *DrawPad) padPoint(e app.Event) point {
	w := d.canvas.Get("clientWidth").Float()
	h := d.canvas.Get("clientHeight").Float()
	if w == 0 || h == 0 {
		w, h = padSide, padSide
	}
	return point{X: e.Get("offsetX").Float() * padSide / w, Y: e.Get("offsetY").Float() * padSide / h}
}

func (d *DrawPad) pointerDown(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	e.PreventDefault()
	d.canvas.Call("setPointerCapture", e.Get("pointerId"))
	d.drawing = true
	p := d.padPoint(e)
	d.strokes = append(d.strokes, []point{p})
	dirty := d.segment(p, p)
	d.changed(ctx)
	d.repaint(dirty)
}

func (d *DrawPad) pointerMove(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if !d.drawing || len(d.strokes) == 0 {
		return
	}
	// Browsers coalesce fast pointer moves; take every point for smooth strokes.
	events := []app.Value{e.JSValue()}
	if e.Get("getCoalescedEvents").Truthy() {
		if list := e.Call("getCoalescedEvents"); list.Get("length").Int() > 0 {
			events = events[:0]
			for i := range list.Get("length").Int() {
				events = append(events, list.Index(i))
			}
		}
	}
	if d.IOnEvent != nil {
		d.IOnEvent(now())
	}
	dirty := rect{x0: padSide, y0: padSide}
	for _, ev := range events {
		p := d.padPoint(app.Event{Value: ev})
		s := d.strokes[len(d.strokes)-1]
		dirty = dirty.union(d.segment(s[len(s)-1], p))
		d.strokes[len(d.strokes)-1] = append(s, p)
	}
	// The models first, the pad after: the engine works on the new input
	// while this thread repaints the pad.
	d.changed(ctx)
	d.repaint(dirty)
}

func (d *DrawPad) pointerUp(ctx app.Context, e app.Event) {
	ctx.PreventUpdate()
	if d.drawing {
		d.drawing = false
		ctx.SetState(d.state(), d.strokes)
	}
}

// keyDown lets a keyboard user clear (Delete, Backspace, Escape) or undo (z).
func (d *DrawPad) keyDown(ctx app.Context, e app.Event) {
	switch e.Get("key").String() {
	case "Delete", "Backspace", "Escape":
		d.clear(ctx, e)
	case "z", "Z":
		d.undo(ctx, e)
	}
}

// rect is the pad region [x0,x1)×[y0,y1).
type rect struct{ x0, y0, x1, y1 int }

func (r rect) union(o rect) rect {
	return rect{min(r.x0, o.x0), min(r.y0, o.y0), max(r.x1, o.x1), max(r.y1, o.y1)}
}

// segment inks the line from a to b and returns the region it touched.
func (d *DrawPad) segment(a, b point) rect {
	draw.Stroke(d.ink, padSide, padSide, a.X, a.Y, b.X, b.Y, d.brushWidth())
	r := d.brushWidth()/2 + 2
	return rect{
		int(math.Floor(min(a.X, b.X) - r)), int(math.Floor(min(a.Y, b.Y) - r)),
		int(math.Ceil(max(a.X, b.X) + r)), int(math.Ceil(max(a.Y, b.Y) + r)),
	}
}

// repaint copies the ink in r to the canvas with one putImageData.
func (d *DrawPad) repaint(r rect) {
	x0, y0 := max(r.x0, 0), max(r.y0, 0)
	x1, y1 := min(r.x1, padSide), min(r.y1, padSide)
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 || d.ctx2d == nil {
		return
	}
	region := make([]float32, 0, w*h)
	for y := y0; y < y1; y++ {
		region = append(region, d.ink[y*padSide+x0:y*padSide+x1]...)
	}
	rgba := make([]byte, 4*w*h)
	draw.ToRGBA(region, rgba)
	img := d.ctx2d.Call("createImageData", w, h)
	data := img.Get("data")
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(data.Get("buffer")), rgba)
	d.ctx2d.Call("putImageData", img, x0, y0)
}

func (d *DrawPad) inputID() string { return "input-" + d.state() }

// changed sends the new input on at once when the last one went out more
// than publishEvery ago (an idle pen gets the quickest answer), and
// otherwise on the next animation frame, at most once per frame.
func (d *DrawPad) changed(ctx app.Context) {
	if t := now(); t-d.lastPublish >= publishEvery {
		d.publish(ctx)
		return
	}
	if d.frameQueued {
		return
	}
	d.frameQueued = true
	var f app.Func
	f = app.FuncOf(func(app.Value, []app.Value) any {
		f.Release()
		ctx.Dispatch(func(ctx app.Context) {
			d.frameQueued = false
			d.publish(ctx)
		})
		return nil
	})
	app.Window().Call("requestAnimationFrame", f)
}

// publish turns the ink into the 28×28 input, shows it, and hands it to
// the parent.
func (d *DrawPad) publish(ctx app.Context) {
	d.lastPublish = now()
	input, err := draw.Normalize(d.ink, padSide, padSide)
	if err != nil { // blank
		input = nil
	}
	d.input = input
	if d.IOnChange != nil {
		d.IOnChange(ctx, input)
	}
	paintByID(d.inputID(), input) // now, even inside a handler that skips rendering
}

func (d *DrawPad) clear(ctx app.Context, e app.Event) {
	d.strokes, d.brush = nil, 0
	ctx.SetState(d.state()+brushState, d.brush)
	ctx.SetState(d.state(), d.strokes)
	clear(d.ink)
	d.repaint(rect{0, 0, padSide, padSide})
	d.publish(ctx)
}

// undo removes the last stroke by redrawing the others.
func (d *DrawPad) undo(ctx app.Context, e app.Event) {
	if len(d.strokes) == 0 {
		return
	}
	d.strokes = d.strokes[:len(d.strokes)-1]
	d.redraw(ctx)
}

// redraw inks every stroke afresh and publishes the result.
func (d *DrawPad) redraw(ctx app.Context) {
	clear(d.ink)
	for _, s := range d.strokes {
		for i := range s {
			a := s[max(i-1, 0)]
			draw.Stroke(d.ink, padSide, padSide, a.X, a.Y, s[i].X, s[i].Y, d.brushWidth())
		}
	}
	d.repaint(rect{0, 0, padSide, padSide})
	ctx.SetState(d.state(), d.strokes)
	d.publish(ctx)
}

func itoa(n int) string { return strconv.Itoa(n) }
