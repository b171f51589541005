//go:build js && wasm

// Command app is app.wasm, latentplay's one WebAssembly module: in the
// page, the go-app components of package web; in a Web Worker
// (static/engine.js), the engine (package wasm/engine/worker).
package main

import (
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/worker"
	"latentplay/web"
)

func main() {
	if js.Global().Get("document").IsUndefined() {
		worker.Run()
		return
	}
	js.Global().Get("performance").Call("mark", "app.wasm running")
	web.Routes()
	app.RunWhenOnBrowser()
}
