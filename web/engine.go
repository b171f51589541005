package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"unsafe"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// EngineClient talks to the engine's Web Worker. Calls block until the
// answer arrives, so components make them inside ctx.Async.
//
// One request is answered here instead: the playground's rebuild of the
// drawing, sent on every frame the pen moves. Its compute is half a
// millisecond, while a round trip to the worker and back through two busy
// event loops costs about two (the bench's draw-to-rebuild latency). So the
// client keeps its own copy of the models in the playground's slots, loaded
// from the same bytes as the worker's, and runs OpRebuild on them with the
// same core code (models.Rebuild), in the pointer handler itself.
type EngineClient struct {
	worker   app.Value
	ready    chan struct{}
	fatal    error
	mu       sync.Mutex
	next     int
	pending  map[int]func(protocol.Response)
	progress func(protocol.Progress)
	loaded   map[string]bool         // shipped models already in the engine
	here     map[string]models.Model // copies of the models in the playground's slots
}

var (
	engineOnce sync.Once
	engine     *EngineClient
)

// Engine returns the page's engine client, starting the worker on first
// use. There is one worker per page, whatever view is showing, so a model
// trained in one view is there in the others.
func Engine() *EngineClient {
	engineOnce.Do(func() {
		engine = &EngineClient{ready: make(chan struct{}), pending: map[int]func(protocol.Response){}, loaded: map[string]bool{}, here: map[string]models.Model{}}
		if !app.IsClient {
			engine.fatal = errors.New("the engine runs in the browser")
			close(engine.ready)
			return
		}
		// The page's head (index.html, static/boot.js) started the worker
		// while the page loaded; take it over, with what it said meanwhile.
		var early app.Value
		if boot := app.Window().Get("latentplayEngine"); boot.Truthy() {
			engine.worker, early = boot.Get("worker"), boot.Get("early")
		} else {
			url := app.Window().Get("location").Get("href")
			script := app.Window().Get("URL").New(staticPath("/web/engine.js"), url)
			engine.worker = app.Window().Get("Worker").New(script.Call("toString"))
		}
		engine.worker.Set("onmessage", app.FuncOf(func(_ app.Value, args []app.Value) any {
			engine.receive(args[0].Get("data"))
			return nil
		}))
		engine.worker.Set("onerror", app.FuncOf(func(_ app.Value, args []app.Value) any {
			engine.fail(errors.New("the engine failed to start: " + args[0].Get("message").String()))
			return nil
		}))
		if early != nil && early.Truthy() {
			for i := range early.Get("length").Int() {
				engine.receive(early.Index(i))
			}
		}
	})
	return engine
}

// Shipped loads the named shipped models into the engine, each once per
// page, from static/models. The page fetches each file, so the models the
// playground rebuilds with are kept here too, and hands the bytes over.
func (c *EngineClient) Shipped(names ...string) error {
	for _, name := range names {
		c.mu.Lock()
		done := c.loaded[name]
		c.mu.Unlock()
		if done {
			continue
		}
		status, b, err := fetch("GET", staticPath("/web/models/"+name+".lpm"), "", nil)
		if err == nil && status != 200 {
			err = fmt.Errorf("the server answered %d", status)
		}
		if err == nil {
			_, err = c.Call(protocol.Request{Op: protocol.OpLoad, Slot: name, Bytes: b})
		}
		if err != nil {
			return fmt.Errorf("loading the shipped %s: %w", name, err)
		}
		c.mu.Lock()
		c.loaded[name] = true
		c.mu.Unlock()
	}
	return nil
}

// markLoaded records that slot holds a model, so Shipped leaves it be.
func (c *EngineClient) markLoaded(slot string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loaded[slot] = true
}

// OnProgress sends training progress events to f (replacing any earlier
// receiver: one view at a time shows training). f runs outside the UI
// goroutine, so it must ctx.Dispatch what it changes.
func (c *EngineClient) OnProgress(f func(protocol.Progress)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.progress = f
}

// Call sends req and waits for its response. An engine error comes back
// as a Go error; the engine's state is unchanged by a failed request.
func (c *EngineClient) Call(req protocol.Request) (protocol.Response, error) {
	type answer struct {
		resp protocol.Response
		err  error
	}
	ch := make(chan answer, 1)
	c.Send(req, func(resp protocol.Response, err error) { ch <- answer{resp, err} })
	a := <-ch
	return a.resp, a.err
}

// Send posts req to the engine at once, without waiting, and calls done
// with the answer from the worker's message event. done must not block:
// it may paint, and ctx.Dispatch what the UI should remember. (The
// playground sends from its pointer handler so that a drawing reaches the
// engine before the page repaints the pad.)
func (c *EngineClient) Send(req protocol.Request, done func(protocol.Response, error)) {
	switch {
	case req.Op == protocol.OpRebuild:
		if floats, ok, err := c.rebuildHere(req); ok {
			done(protocol.Response{Floats: floats}, err)
			return
		}
	case req.Op == protocol.OpLoad && req.Bytes != nil:
		c.keepHere(req.Slot, req.Bytes)
	}
	select {
	case <-c.ready:
	default: // the worker is still starting: post once it can listen
		go func() {
			<-c.ready
			c.Send(req, done)
		}()
		return
	}
	if c.fatal != nil {
		done(protocol.Response{}, c.fatal)
		return
	}
	c.mu.Lock()
	c.next++
	req.ID = c.next
	c.pending[req.ID] = func(resp protocol.Response) {
		if resp.Error != "" {
			done(resp, errors.New(resp.Error))
			return
		}
		done(resp, nil)
	}
	c.mu.Unlock()
	h, err := json.Marshal(req)
	if err != nil {
		c.mu.Lock()
		delete(c.pending, req.ID)
		c.mu.Unlock()
		done(protocol.Response{}, err)
		return
	}
	msg := app.Window().Get("Object").New()
	msg.Set("h", string(h))
	transfer := app.Window().Get("Array").New()
	if req.Floats != nil {
		f := float32sToJS(req.Floats)
		msg.Set("f", f)
		transfer.Call("push", f.Get("buffer"))
	}
	if req.Bytes != nil {
		b := bytesToJS(req.Bytes)
		msg.Set("b", b)
		transfer.Call("push", b.Get("buffer"))
	}
	c.worker.Call("postMessage", msg, transfer)
}

// keepHere keeps a copy of a model loaded into one of the playground's
// slots. A file the core refuses here the worker refuses too, and both
// keep the model they had.
func (c *EngineClient) keepHere(slot string, file []byte) {
	if !slices.Contains(openingModels, slot) {
		return
	}
	m, _, err := models.Unmarshal(file)
	if err != nil {
		return
	}
	c.mu.Lock()
	c.here[slot] = m
	c.mu.Unlock()
}

// rebuildHere answers an OpRebuild whose models are all kept here (ok);
// otherwise the worker must.
func (c *EngineClient) rebuildHere(req protocol.Request) (floats []float32, ok bool, err error) {
	c.mu.Lock()
	ms := make([]models.Model, len(req.Slots))
	for i, slot := range req.Slots {
		if ms[i] = c.here[slot]; ms[i] == nil {
			c.mu.Unlock()
			return nil, false, nil
		}
	}
	c.mu.Unlock()
	if len(ms) == 0 {
		return nil, false, nil
	}
	floats, err = models.Rebuild(ms, req.Floats, req.Samples, req.Seed)
	return floats, true, err
}

func (c *EngineClient) receive(msg app.Value) {
	var env protocol.Envelope
	if err := json.Unmarshal([]byte(msg.Get("h").String()), &env); err != nil {
		app.Log("engine: bad message:", err)
		return
	}
	var floats []float32
	if f := msg.Get("f"); f.Truthy() {
		floats = float32sFromJS(f)
	}
	switch {
	case env.Ready:
		close(c.ready)
	case env.Fatal != "":
		c.fail(errors.New(env.Fatal))
	case env.Response != nil:
		resp := *env.Response
		resp.Floats = floats
		if b := msg.Get("b"); b.Truthy() {
			resp.Bytes = make([]byte, b.Get("length").Int())
			app.CopyBytesToGo(resp.Bytes, b)
		}
		c.mu.Lock()
		done := c.pending[resp.ID]
		delete(c.pending, resp.ID)
		c.mu.Unlock()
		if done != nil {
			done(resp)
		}
	case env.Progress != nil:
		p := *env.Progress
		p.Floats = floats
		c.mu.Lock()
		f := c.progress
		c.mu.Unlock()
		if f != nil {
			f(p)
		}
	}
}

func (c *EngineClient) fail(err error) {
	c.mu.Lock()
	if c.fatal != nil {
		c.mu.Unlock()
		return
	}
	c.fatal = err
	select {
	case <-c.ready:
	default:
		close(c.ready)
	}
	pending := c.pending
	c.pending = map[int]func(protocol.Response){}
	c.mu.Unlock()
	for id, done := range pending {
		done(protocol.Response{ID: id, Error: err.Error()})
	}
}

func float32sToJS(xs []float32) app.Value {
	arr := app.Window().Get("Float32Array").New(len(xs))
	if len(xs) > 0 {
		u8 := app.Window().Get("Uint8Array").New(arr.Get("buffer"))
		app.CopyBytesToJS(u8, unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 4*len(xs)))
	}
	return arr
}

func float32sFromJS(arr app.Value) []float32 {
	n := arr.Get("length").Int()
	xs := make([]float32, n)
	if n > 0 {
		u8 := app.Window().Get("Uint8Array").New(arr.Get("buffer"), arr.Get("byteOffset"), 4*n)
		app.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 4*n), u8)
	}
	return xs
}

func bytesToJS(b []byte) app.Value {
	arr := app.Window().Get("Uint8Array").New(len(b))
	app.CopyBytesToJS(arr, b)
	return arr
}
