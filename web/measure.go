package web

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// The page marks a few moments for the benchmarks (bench/) to read:
// data-ready-at on <html> when the pretrained models can reconstruct,
// data-offline-at when the service worker holds everything the app needs,
// and window.latentplayLatencies, the milliseconds from handling a pointer
// move to its rebuilds painted on their canvases.

func now() float64 {
	if !app.IsClient {
		return 0
	}
	return app.Window().Get("performance").Call("now").Float()
}

// perfMark puts a named moment on the page's performance timeline, where
// the benchmarks' cold-start timeline (and the browser's tools) show it.
func perfMark(name string) {
	if app.IsClient {
		app.Window().Get("performance").Call("mark", name)
	}
}

func mark(name string, v float64) {
	if app.IsClient {
		perfMark(name)
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

// cacheRest asks the service worker to complete its cache now that the
// page has loaded what it needs (see serviceWorker).
func cacheRest() {
	if !app.IsClient {
		return
	}
	sw := app.Window().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	var done app.Func
	done = app.FuncOf(func(_ app.Value, args []app.Value) any {
		if d := args[0].Get("data"); d.Truthy() && d.Get("type").String() == "latentplay:cached" {
			mark("offlineAt", now())
			sw.Call("removeEventListener", "message", done)
			done.Release()
		}
		return nil
	})
	sw.Call("addEventListener", "message", done)
	msg := app.Window().Get("Object").New()
	msg.Set("type", "latentplay:cache-rest")
	if c := sw.Get("controller"); c.Truthy() {
		c.Call("postMessage", msg)
		return
	}
	// Not controlled yet (a first visit): ask once the worker takes over.
	var f app.Func
	f = app.FuncOf(func(app.Value, []app.Value) any {
		if c := sw.Get("controller"); c.Truthy() {
			c.Call("postMessage", msg)
		}
		f.Release()
		return nil
	})
	sw.Call("addEventListener", "controllerchange", f, map[string]any{"once": true})
}
