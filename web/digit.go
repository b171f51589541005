package web

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/data"
	"latentplay/core/draw"
)

// Digit shows one 28×28 image on a canvas, scaled up by CSS with its
// pixels kept square. A view that must show a result the moment it arrives
// may paint the canvas itself (paintDigit, by IID) before its next render.
type Digit struct {
	app.Compo

	IID     string    // the canvas's id, for painting it directly
	IPixels []float32 // data.Pixels values in [0,1]; nil shows an empty frame
	IAlt    string
	ISize   int // CSS pixels per side

	canvas app.Value
}

// Render is the canvas; its pixels are painted on mount and on update.
func (d *Digit) Render() app.UI {
	size := d.ISize
	if size == 0 {
		size = 84
	}
	c := app.Canvas().Class("digit").Width(data.Side).Height(data.Side).
		Style("width", px(size)).Style("max-width", "100%").Style("height", "auto").Style("aspect-ratio", "1").
		Aria("label", d.IAlt).Attr("role", "img").
		Attr("data-empty", len(d.IPixels) != data.Pixels)
	if d.IID != "" {
		c = c.ID(d.IID)
	}
	return c
}

// OnMount keeps the canvas and paints it.
func (d *Digit) OnMount(ctx app.Context) {
	d.canvas = ctx.JSSrc()
	paintDigit(d.canvas, d.IPixels)
}

// OnUpdate repaints after the parent changed the pixels, unless they were
// painted already (by paintByID, the moment they arrived).
func (d *Digit) OnUpdate(ctx app.Context) {
	if d.IID != "" && len(d.IPixels) > 0 && painted[d.IID] == &d.IPixels[0] {
		return
	}
	paintDigit(d.canvas, d.IPixels)
}

// paintDigit puts a 28×28 image into a canvas with one putImageData, white
// ink on black; nil clears it.
func paintDigit(canvas app.Value, pixels []float32) {
	if !app.IsClient || canvas == nil || !canvas.Truthy() {
		return
	}
	g := canvas.Call("getContext", "2d")
	if len(pixels) != data.Pixels {
		g.Call("clearRect", 0, 0, data.Side, data.Side)
		canvas.Call("setAttribute", "data-empty", "true")
		return
	}
	rgba := make([]byte, 4*data.Pixels)
	draw.ToRGBA(pixels, rgba)
	img := g.Call("createImageData", data.Side, data.Side)
	app.CopyBytesToJS(app.Window().Get("Uint8Array").New(img.Get("data").Get("buffer")), rgba)
	g.Call("putImageData", img, 0, 0)
	canvas.Call("setAttribute", "data-empty", "false")
}

// painted records, by canvas id, the first pixel of the image paintByID
// last put there, so a render that follows with the same image skips it.
var painted = map[string]*float32{}

// paintByID paints the canvas with the given id, if it is on the page.
func paintByID(id string, pixels []float32) {
	if !app.IsClient {
		return
	}
	paintDigit(app.Window().GetElementByID(id), pixels)
	delete(painted, id)
	if len(pixels) > 0 {
		painted[id] = &pixels[0]
	}
}

func px(n int) string { return itoa(n) + "px" }
