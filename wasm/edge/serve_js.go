//go:build js && wasm

package main

import (
	"net/http"
	"syscall/js"

	"github.com/syumai/workers"

	"latentplay/wasm/edge/edgehttp"
	"latentplay/wasm/edge/share"
)

// serve answers the request this instance was started for. syumai/workers
// loads the wasm and hands the request to binding.handleRequest; its own
// conversion of the request and answer is replaced with edgehttp's (see
// that package for why), set before Ready tells the loader to call it.
//
// The program then waits for good: the runtime starts an instance for each
// request and drops it afterwards. It must not end as soon as the answer
// is handed over, as that can happen inside a call from Go to JavaScript
// (the Promise's executor runs while Go constructs the Promise), and the
// call would then return into an instance that has exited.
func serve(h http.Handler) {
	js.Global().Get("context").Get("binding").Set("handleRequest", edgehttp.Func(h, share.Fail))
	workers.Ready()
	select {}
}
