//go:build js && wasm

// Package worker is the engine's side of app.wasm: what the module runs
// in a Web Worker (static/engine.js) instead of the page. It answers the
// page's requests with the core and streams training progress, yielding
// to new messages between training chunks.
package worker

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"syscall/js"

	"latentplay/core/data"
	"latentplay/core/tensor"
	"latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
	"latentplay/wasm/jsbuf"
	"latentplay/wasm/relaxed"
)

var self = js.Global()

// Run serves the page (or a leading engine) from this Web Worker, for good.
func Run() {
	// WebAssembly memory only grows: the heap's peak is what the tab holds
	// for good. Go lets the heap reach twice what is live before it
	// collects; a quarter more is enough here, since training allocates
	// little per step (its buffers are reused) while MNIST's 55 MB of
	// digits, once decoded, stay live. (Until the models the page's head
	// handed over are in, Go's own pace holds: at a quarter, those four
	// loads into a heap of a few megabytes would collect a dozen times.)
	var preloads sync.WaitGroup
	e := engine.New()
	e.Emit = post
	e.Yield = yielder()
	e.LoadMNIST = loadMNIST
	e.LoadTest = func() (*data.Set, error) {
		return data.ReadSet(stream(2, func(float64) {}), stream(3, func(float64) {}))
	}
	if js.Global().Get("Worker").Truthy() { // workers may start workers (not every browser)
		e.Spawn = spawn
	}
	e.UseGoKernels = useRelaxedSIMD()

	receive := func(msg js.Value) {
		if name := msg.Get("preload"); name.Type() == js.TypeString {
			var file []byte
			if b := msg.Get("b"); b.Truthy() {
				file = jsbuf.Bytes(b)
			}
			preloads.Add(1)
			go func() {
				defer preloads.Done()
				post(e.Preload(name.String(), file))
			}()
			return
		}
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
	}
	self.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		receive(args[0].Get("data"))
		return nil
	}))
	// What came before this handler, which engine.js kept.
	if early := self.Get("latentplayEarly"); early.Truthy() {
		for i := range early.Get("length").Int() {
			receive(early.Index(i))
		}
		self.Delete("latentplayEarly")
	}
	go func() {
		preloads.Wait()
		debug.SetGCPercent(gcPercent)
	}()
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

// Their sizes, for progress: as sent (gzip) and decoded, in bytes.
var (
	mnistSizes   = []int64{9912422, 28881, 1648877, 4542}
	mnistDecoded = []int64{47040016, 60008, 7840016, 10008}
)

// gcPercent is the engine's GOGC: the heap may grow by a quarter of what
// is live before the next collection.
const gcPercent = 25

// loadMNIST decodes the files as they arrive: their gzip bodies are never
// held whole, only the digits they decode to.
func loadMNIST(report func(float64)) (trainSet, testSet *data.Set, err error) {
	var total int64
	for _, s := range mnistSizes {
		total += s
	}
	// Each chunk moves the fraction done on; a hundredth of the way is
	// news worth an event.
	var done, told float64 // gzip bytes, or their share of each file's
	file := func(i int) io.Reader {
		return stream(i, func(part float64) {
			done += part * float64(mnistSizes[i])
			if f := min(1, done/float64(total)); f-told >= 0.01 || f == 1 {
				told = f
				report(f)
			}
		})
	}
	if trainSet, err = data.ReadSet(file(0), file(1)); err != nil {
		return nil, nil, err
	}
	if testSet, err = data.ReadSet(file(2), file(3)); err != nil {
		return nil, nil, err
	}
	return trainSet, testSet, nil
}

// stream is MNIST file i as a reader of its body, chunk by chunk as the
// browser's fetch delivers it, ungzipped by the browser where it can
// (DecompressionStream; elsewhere data.ReadSet ungzips it). progress hears
// each chunk's share of the file. The request is made at the first Read.
// (Go's net/http would do the same but adds megabytes to the engine's
// wasm.)
func stream(i int, progress func(part float64)) io.Reader {
	return &fetchReader{url: mnistURL(mnistFiles[i]), i: i, progress: progress}
}

type fetchReader struct {
	url      string
	i        int
	progress func(part float64)
	reader   js.Value // the body's ReadableStream reader, once fetched
	size     int64    // the body's expected length, for progress
	chunk    []byte   // what is left of the last chunk
	err      error
}

func (f *fetchReader) Read(p []byte) (int, error) {
	for len(f.chunk) == 0 && f.err == nil {
		f.err = f.next()
	}
	if len(f.chunk) == 0 {
		return 0, f.err
	}
	n := copy(p, f.chunk)
	f.chunk = f.chunk[n:]
	return n, nil
}

// next reads the body's next chunk (io.EOF after the last).
func (f *fetchReader) next() error {
	if f.reader.IsUndefined() {
		resp, err := await(self.Call("fetch", f.url))
		if err != nil {
			return fmt.Errorf("%s: %w", f.url, err)
		}
		if !resp.Get("ok").Bool() {
			return fmt.Errorf("%s: %d %s", f.url, resp.Get("status").Int(), resp.Get("statusText").String())
		}
		body, size := resp.Get("body"), mnistSizes[f.i]
		// A host that sent the file with a Content-Encoding has had it
		// decoded already, down to the gzip file itself.
		if ds := self.Get("DecompressionStream"); ds.Truthy() && resp.Get("headers").Call("get", "Content-Encoding").IsNull() {
			body, size = body.Call("pipeThrough", ds.New("gzip")), mnistDecoded[f.i]
		}
		f.reader, f.size = body.Call("getReader"), size
	}
	r, err := await(f.reader.Call("read"))
	if err != nil {
		return fmt.Errorf("%s: %w", f.url, err)
	}
	if r.Get("done").Bool() {
		return io.EOF
	}
	f.chunk = jsbuf.Bytes(r.Get("value"))
	f.progress(float64(len(f.chunk)) / float64(f.size))
	return nil
}

// mnistURL is where an MNIST file sits: beside the worker script, under mnist/.
func mnistURL(name string) string {
	return js.Global().Get("URL").New("mnist/"+name, self.Get("location").Get("href")).Call("toString").String()
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
