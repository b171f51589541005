//go:build js && wasm

// Command app is latentplay's user interface, app.wasm: the go-app
// components of package web, started in the page.
package main

import (
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/web"
)

func main() {
	js.Global().Get("performance").Call("mark", "app.wasm running")
	web.Routes()
	app.RunWhenOnBrowser()
}
