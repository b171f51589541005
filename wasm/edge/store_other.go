//go:build !(js && wasm)

package main

import "latentplay/wasm/edge/share"

// openStore, natively (go run ./wasm/edge serves on $PORT, default 9900),
// keeps shares in memory.
func openStore() share.Store { return share.NewMemory() }
