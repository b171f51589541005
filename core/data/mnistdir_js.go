//go:build js

package data

import "errors"

// goListMNISTDir cannot run the go tool from inside a wasm program.
func goListMNISTDir() (string, error) {
	return "", errors.New("go list cannot run under js/wasm")
}
