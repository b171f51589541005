//go:build js && wasm

// Package jsbuf moves float32 and byte slices between Go and JavaScript
// typed arrays with one bulk copy each way, for the engine's transferable
// buffers and the page's canvases.
package jsbuf

import (
	"syscall/js"
	"unsafe"
)

// Float32Array returns a new JS Float32Array holding a copy of xs.
func Float32Array(xs []float32) js.Value {
	arr := js.Global().Get("Float32Array").New(len(xs))
	if len(xs) > 0 {
		u8 := js.Global().Get("Uint8Array").New(arr.Get("buffer"))
		js.CopyBytesToJS(u8, unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 4*len(xs)))
	}
	return arr
}

// Float32s copies a JS Float32Array into a new Go slice.
func Float32s(arr js.Value) []float32 {
	n := arr.Get("length").Int()
	xs := make([]float32, n)
	if n > 0 {
		u8 := js.Global().Get("Uint8Array").New(arr.Get("buffer"), arr.Get("byteOffset"), 4*n)
		js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 4*n), u8)
	}
	return xs
}

// Uint8Array returns a new JS Uint8Array holding a copy of b.
func Uint8Array(b []byte) js.Value {
	arr := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(arr, b)
	return arr
}

// Bytes copies a JS Uint8Array (or Uint8ClampedArray) into a new Go slice.
func Bytes(arr js.Value) []byte {
	b := make([]byte, arr.Get("length").Int())
	if arr.Get("constructor").Get("name").String() == "Uint8ClampedArray" {
		arr = js.Global().Get("Uint8Array").New(arr.Get("buffer"), arr.Get("byteOffset"), len(b))
	}
	js.CopyBytesToGo(b, arr)
	return b
}
