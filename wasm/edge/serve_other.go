//go:build !(js && wasm)

package main

import (
	"net/http"

	"github.com/syumai/workers"
)

// serve, natively, is net/http on $PORT (default 9900), for trying the
// API without workerd.
func serve(h http.Handler) { workers.Serve(h) }
