package web

import (
	"math"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// turning is a 3-D view that a drag or the arrow keys turn: by yaw about
// the vertical axis and by pitch towards the viewer. The perceptron's
// cube and the linear autoencoder's cloud embed it.
type turning struct {
	yaw, pitch   float64
	dragX, dragY float64
	dragging     bool
}

// turnable puts the drag and key handlers on c; each turn calls repaint.
func (v *turning) turnable(c app.HTMLCanvas, repaint func(app.Context)) app.HTMLCanvas {
	end := func(ctx app.Context, e app.Event) {
		ctx.PreventUpdate()
		v.dragging = false
	}
	return c.TabIndex(0).
		On("pointerdown", func(ctx app.Context, e app.Event) {
			ctx.PreventUpdate()
			ctx.JSSrc().Call("setPointerCapture", e.Get("pointerId"))
			v.dragging, v.dragX, v.dragY = true, e.Get("clientX").Float(), e.Get("clientY").Float()
		}).
		On("pointermove", func(ctx app.Context, e app.Event) {
			ctx.PreventUpdate()
			if !v.dragging {
				return
			}
			x, y := e.Get("clientX").Float(), e.Get("clientY").Float()
			v.turn((x-v.dragX)*0.01, (y-v.dragY)*0.01)
			v.dragX, v.dragY = x, y
			repaint(ctx)
		}).
		On("pointerup", end).On("pointercancel", end).
		On("keydown", func(ctx app.Context, e app.Event) {
			d := turnKeys[e.Get("key").String()]
			ctx.PreventUpdate()
			if d == [2]float64{} {
				return
			}
			e.PreventDefault()
			v.turn(d[0], d[1])
			repaint(ctx)
		})
}

// turnKeys are the arrow keys' turns: (yaw, pitch) in radians.
var turnKeys = map[string][2]float64{"ArrowLeft": {-0.1, 0}, "ArrowRight": {0.1, 0}, "ArrowUp": {0, -0.1}, "ArrowDown": {0, 0.1}}

// turn turns the view, the pitch kept short of looking straight down or up.
func (v *turning) turn(dyaw, dpitch float64) {
	v.yaw += dyaw
	v.pitch = math.Max(-1.4, math.Min(1.4, v.pitch+dpitch))
}
