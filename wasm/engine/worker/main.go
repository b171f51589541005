//go:build js && wasm

// Command worker is the engine's Web Worker: engine.wasm, started by
// engine.js. It answers the page's requests with the core and streams
// training progress, yielding to new messages between training chunks.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"syscall/js"

	"latentplay/core/data"
	"latentplay/core/tensor"
	"latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
	"latentplay/wasm/jsbuf"
	"latentplay/wasm/relaxed"
)

var self = js.Global()

func main() {
	e := engine.New()
	e.Emit = post
	e.Yield = yielder()
	e.LoadMNIST = loadMNIST
	e.LoadTest = func() (*data.Set, error) {
		var files [2][]byte
		for i, name := range mnistFiles[2:] {
			var err error
			if files[i], err = fetch(mnistURL(name), func(int) {}); err != nil {
				return nil, err
			}
		}
		return data.ReadSet(bytes.NewReader(files[0]), bytes.NewReader(files[1]))
	}
	if js.Global().Get("Worker").Truthy() { // workers may start workers (not every browser)
		e.Spawn = spawn
	}
	e.UseGoKernels = useRelaxedSIMD()

	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := args[0].Get("data")
		if msg.Get("shares").Truthy() && canShare() {
			parentShares = true // a leading engine, not the page
		}
		m := protocol.Message{Header: []byte(msg.Get("h").String()), Floats: fromParent.floats(msg)}
		if b := msg.Get("b"); b.Truthy() {
			m.Bytes = jsbuf.Bytes(b)
		}
		// A call may wait (for MNIST, or for the run's model between two
		// chunks), so it runs on its own goroutine rather than inside the
		// JS callback.
		go func() {
			post(e.Serve(m))
		}()
		return nil
	}))
	post(protocol.Notice(protocol.Envelope{Ready: true}))
	select {}
}

// useRelaxedSIMD runs the products on relaxed SIMD's fused multiply-add
// (wasm/relaxed) where the browser has it, and returns the engine's switch
// between that and the Go kernels.
func useRelaxedSIMD() func(goKernels bool) string {
	k, err := relaxed.Load()
	if err != nil {
		if !errors.Is(err, relaxed.ErrUnsupported) {
			js.Global().Get("console").Call("warn", "engine: the Go kernels, not relaxed SIMD: "+err.Error())
		}
		return func(bool) string { return tensor.Kernel() }
	}
	tensor.SetGEMM("relaxed-simd", k.GEMM)
	return func(goKernels bool) string {
		if goKernels {
			tensor.SetGEMM("", nil)
		} else {
			tensor.SetGEMM("relaxed-simd", k.GEMM)
		}
		return tensor.Kernel()
	}
}

// What crosses between this engine and whoever started it: shared buffers
// once a leading engine has said it can share (see shared.go).
var (
	parentShares bool
	toParent     sharedOut
	fromParent   sharedIn
)

// post sends a message, moving its buffers (or, to a leading engine,
// its floats through the shared buffer).
func post(m protocol.Message) {
	msg := js.Global().Get("Object").New()
	msg.Set("h", string(m.Header))
	transfer := js.Global().Get("Array").New()
	toParent.attach(msg, transfer, m.Floats, parentShares)
	if m.Bytes != nil {
		u := jsbuf.Uint8Array(m.Bytes)
		msg.Set("b", u)
		transfer.Call("push", u.Get("buffer"))
	}
	self.Call("postMessage", msg, transfer)
}

// yielder returns a function that lets the worker's event loop run once:
// it posts to itself through a MessageChannel and waits for the echo, so
// messages the page sent meanwhile are handled first.
func yielder() func() {
	ch := make(chan struct{}, 1)
	mc := js.Global().Get("MessageChannel").New()
	mc.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any {
		ch <- struct{}{}
		return nil
	}))
	port := mc.Get("port2")
	return func() {
		port.Call("postMessage", nil)
		<-ch
	}
}

// MNIST's four files sit beside the worker script, under mnist/.
var mnistFiles = []string{
	"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
	"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
}

// Their sizes, for progress before the server says (gzip, bytes).
var mnistSizes = []int64{9912422, 28881, 1648877, 4542}

func loadMNIST(report func(float64)) (trainSet, testSet *data.Set, err error) {
	var total int64
	for _, s := range mnistSizes {
		total += s
	}
	var done int64
	files := make([][]byte, len(mnistFiles))
	for i, name := range mnistFiles {
		files[i], err = fetch(mnistURL(name), func(n int) {
			done += int64(n)
			report(min(1, float64(done)/float64(total)))
		})
		if err != nil {
			return nil, nil, err
		}
	}
	if trainSet, err = data.ReadSet(bytes.NewReader(files[0]), bytes.NewReader(files[1])); err != nil {
		return nil, nil, err
	}
	if testSet, err = data.ReadSet(bytes.NewReader(files[2]), bytes.NewReader(files[3])); err != nil {
		return nil, nil, err
	}
	return trainSet, testSet, nil
}

// mnistURL is where an MNIST file sits: beside the worker script, under mnist/.
func mnistURL(name string) string {
	return js.Global().Get("URL").New("mnist/"+name, self.Get("location").Get("href")).Call("toString").String()
}

// fetch reads url with the browser's fetch, chunk by chunk, calling
// progress with each chunk's size. (Go's net/http would do the same but
// adds megabytes to the engine's wasm.)
func fetch(url string, progress func(n int)) ([]byte, error) {
	resp, err := await(self.Call("fetch", url))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	if !resp.Get("ok").Bool() {
		return nil, fmt.Errorf("%s: %d %s", url, resp.Get("status").Int(), resp.Get("statusText").String())
	}
	reader := resp.Get("body").Call("getReader")
	var out []byte
	for {
		r, err := await(reader.Call("read"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", url, err)
		}
		if r.Get("done").Bool() {
			return out, nil
		}
		chunk := jsbuf.Bytes(r.Get("value"))
		out = append(out, chunk...)
		progress(len(chunk))
	}
}

// await blocks the calling goroutine (never a JS callback's) until the
// promise settles.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	var then, catch js.Func
	then = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: args[0]}
		return nil
	})
	catch = js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}
