package web

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// The page marks a few moments for the benchmarks (bench/) to read:
// data-ready-at on <html> when the pretrained models can reconstruct, and
// window.latentplayLatencies, the milliseconds from handling a pointer move
// to its rebuilds painted on their canvases.

func now() float64 {
	if !app.IsClient {
		return 0
	}
	return app.Window().Get("performance").Call("now").Float()
}

func mark(name string, v float64) {
	if app.IsClient {
		app.Window().Get("document").Get("documentElement").Get("dataset").Set(name, v)
	}
}

// recordLatency notes the time from the pointer move handled at eventTime to now,
// when its rebuilds have just been painted into their canvases (the
// browser shows them at its next frame).
func recordLatency(eventTime float64) {
	if !app.IsClient || eventTime == 0 {
		return
	}
	w := app.Window()
	list := w.Get("latentplayLatencies")
	if !list.Truthy() {
		list = w.Get("Array").New()
		w.Set("latentplayLatencies", list)
	}
	list.Call("push", now()-eventTime)
}
