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

// EngineClient talks to the engine's Web Worker through the protocol's
// typed operations (Call, Post). Calls block until the answer arrives, so
// components make them inside ctx.Async.
//
// One operation is answered here instead: the playground's rebuild of the
// drawing, sent on every frame the pen moves. Its compute is half a
// millisecond, while a round trip to the worker and back through two busy
// event loops costs about two (the bench's draw-to-rebuild latency). So the
// client keeps its own copy of the models in the playground's slots and
// runs protocol.Rebuild on them with the same core code (models.Rebuild),
// in the pointer handler itself. The copies change only through Load, and
// only once the worker has taken the same file (until the page has parsed
// its copy, the worker rebuilds): training never writes a playground slot
// (the engine refuses), so nothing else can change them.
type EngineClient struct {
	post    func(protocol.Message) // to the worker
	ready   chan struct{}
	fatal   error
	mu      sync.Mutex
	next    int
	pending map[int]func(*protocol.Reply, protocol.Message)
	runs    map[string]*follower     // training progress, by the view that owns the run
	loaded  map[string]bool          // shipped models already in the engine
	here    map[string]models.Model  // copies of the models in the playground's slots
	loads   map[string]int           // loads into each playground slot so far
	parsing sync.WaitGroup           // the copies being parsed
	yours   map[string]protocol.Info // playground slots that hold the person's model
	// The engine's word on each model the page's head handed it
	// (static/boot.js): nil if it is in.
	preloads map[string]chan error
}

// follower is a view's runs as the client sees them: the last event of
// its latest run, and where to send the next ones.
type follower struct {
	last *protocol.Progress
	on   func(protocol.Progress)
}

var (
	engineOnce sync.Once
	engine     *EngineClient
)

func newClient(post func(protocol.Message)) *EngineClient {
	return &EngineClient{
		post: post, ready: make(chan struct{}),
		pending: map[int]func(*protocol.Reply, protocol.Message){},
		runs:    map[string]*follower{}, loaded: map[string]bool{}, here: map[string]models.Model{},
		yours: map[string]protocol.Info{}, loads: map[string]int{}, preloads: map[string]chan error{},
	}
}

// Engine returns the page's engine client, starting the worker on first
// use. There is one worker per page, whatever view is showing, so a model
// trained in one view is there in the others.
func Engine() *EngineClient {
	engineOnce.Do(func() {
		engine = newClient(nil)
		if !app.IsClient {
			engine.fail(errors.New("the engine runs in the browser"))
			return
		}
		// The page's head (index.html, static/boot.js) started the worker
		// while the page loaded; take it over, with what it said meanwhile.
		var worker, early app.Value
		if boot := app.Window().Get("latentplayEngine"); boot.Truthy() {
			worker, early = boot.Get("worker"), boot.Get("early")
		} else {
			url := app.Window().Get("location").Get("href")
			script := app.Window().Get("URL").New(staticPath("/web/engine.js"), url)
			worker = app.Window().Get("Worker").New(script.Call("toString"))
		}
		engine.post = func(m protocol.Message) { postJS(worker, m) }
		worker.Set("onmessage", app.FuncOf(func(_ app.Value, args []app.Value) any {
			engine.receive(messageFromJS(args[0].Get("data")))
			return nil
		}))
		worker.Set("onerror", app.FuncOf(func(_ app.Value, args []app.Value) any {
			engine.fail(errors.New("the engine failed to start: " + args[0].Get("message").String()))
			return nil
		}))
		if early != nil && early.Truthy() {
			for i := range early.Get("length").Int() {
				engine.receive(messageFromJS(early.Index(i)))
			}
		}
	})
	return engine
}

// Call asks the engine to run op with q and waits for the answer. An
// engine error comes back as a Go error; a failed call changes nothing in
// the engine.
func Call[Q, A any](op protocol.Op[Q, A], q Q) (A, error) {
	type answer struct {
		a   A
		err error
	}
	ch := make(chan answer, 1)
	Post(Engine(), op, q, func(a A, err error) { ch <- answer{a, err} })
	r := <-ch
	return r.a, r.err
}

// Post sends op with q to c's engine at once, without waiting, and calls
// done with the answer from the worker's message event. done must not
// block: it may paint, and ctx.Dispatch what the UI should remember. (The
// playground posts from its pointer handler so that a drawing is rebuilt
// before the page repaints the pad.)
func Post[Q, A any](c *EngineClient, op protocol.Op[Q, A], q Q, done func(A, error)) {
	if op.Name == protocol.Rebuild.Name {
		if r, ok := any(q).(protocol.RebuildArgs); ok {
			if out, here, err := c.rebuildHere(r); here {
				done(any(out).(A), err)
				return
			}
		}
	}
	if op.Name == protocol.Load.Name {
		// The page's copy follows the worker's slot, once the worker has
		// taken the file: the page parses its copy after the answer, in
		// the background, and rebuilds on the worker until it has it. (A
		// parse on the page's thread before the answer would hold up the
		// worker's messages, its answer among them.)
		q := any(q).(protocol.LoadArgs)
		if slices.Contains(protocol.PlaygroundSlots, q.Slot) {
			file, load := slices.Clone(q.File.Data), c.nextLoad(q.Slot)
			inner := done
			done = func(a A, err error) {
				if err == nil {
					c.copyHere(q.Slot, load, file)
				}
				inner(a, err)
			}
		}
	}
	c.whenReady(func() {
		c.mu.Lock()
		c.next++
		id := c.next
		c.pending[id] = func(r *protocol.Reply, m protocol.Message) { done(protocol.Result(op, r, m)) }
		c.mu.Unlock()
		m, err := protocol.Ask(op, id, 0, q)
		if err != nil {
			c.mu.Lock()
			delete(c.pending, id)
			c.mu.Unlock()
			var a A
			done(a, err)
			return
		}
		c.post(m)
	})
}

// whenReady runs f once the worker listens (at once if it does), or
// answers nothing if the engine failed: f's pending answer is failed
// instead.
func (c *EngineClient) whenReady(f func()) {
	select {
	case <-c.ready:
		f()
	default: // the worker is still starting: post once it can listen
		go func() {
			<-c.ready
			f()
		}()
	}
}

// Shipped loads the named shipped models into the engine, each once per
// page, from static/models. The page fetches each file and hands the
// bytes over, so it keeps its copies of the playground's models too. The
// models load side by side: their fetches overlap, and each goes to the
// engine as soon as it is here.
func (c *EngineClient) Shipped(names ...string) error {
	return c.ShippedEach(nil, names...)
}

// ShippedEach is Shipped, telling in (if not nil) each model's name as
// soon as that model is in.
func (c *EngineClient) ShippedEach(in func(name string), names ...string) error {
	type result struct {
		copy func() // the page's copy of a model the engine preloaded
		err  error
	}
	results := make(chan result, len(names))
	for _, name := range names {
		go func() {
			copy, err := c.shipped(name)
			if err == nil && in != nil {
				in(name)
			}
			results <- result{copy, err}
		}()
	}
	var first error
	var copies []func()
	for range names {
		r := <-results
		if r.err != nil && first == nil {
			first = r.err
		}
		if r.copy != nil {
			copies = append(copies, r.copy)
		}
	}
	// Parsed now, not as each came: a parse holds up the page's thread,
	// and with it the engine's word on the models still to come (and the
	// parses wait for the page to show what it has: copyHere).
	for _, copy := range copies {
		copy()
	}
	return first
}

// shipped loads one shipped model, unless it is in the engine already.
// If the engine had it from the page's head, it returns what makes the
// page's copy of it (for a playground slot), to run once the others are
// in.
func (c *EngineClient) shipped(name string) (copy func(), err error) {
	c.mu.Lock()
	done := c.loaded[name]
	c.mu.Unlock()
	if done {
		return nil, nil
	}
	b, handed, err := shippedFile(name)
	if err == nil {
		perfMark(name + " fetched")
		copy, err = c.take(name, b, handed)
		perfMark(name + " loaded")
	}
	if err != nil {
		return nil, fmt.Errorf("loading the shipped %s: %w", name, err)
	}
	return copy, nil
}

// shippedFile fetches a shipped model's file: the home page's head
// (static/boot.js) began fetching the playground's models at navigation,
// alongside app.wasm, and handed each to the engine it started as it came
// (handed); any other is fetched now.
func shippedFile(name string) (file []byte, handed bool, err error) {
	if early := app.Window().Get("latentplayModels"); early.Truthy() {
		if p := early.Get(name); p.Truthy() {
			early.Delete(name) // once: a later load fetches anew
			if buf, err := await(p); err == nil {
				u8 := app.Window().Get("Uint8Array").New(buf)
				b := make([]byte, u8.Get("length").Int())
				app.CopyBytesToGo(b, u8)
				return b, app.Window().Get("latentplayEngine").Truthy(), nil
			}
		}
	}
	status, b, err := fetch("GET", staticPath("/web/models/"+name+".lpm"), "", nil)
	if err == nil && status != 200 {
		err = fmt.Errorf("the server answered %d", status)
	}
	return b, false, err
}

// preloaded waits for the engine's word on the shipped model the page's
// head handed it, and returns its error, if any (the engine's own failure,
// if it failed).
func (c *EngineClient) preloaded(name string) error {
	c.mu.Lock()
	if c.fatal != nil {
		c.mu.Unlock()
		return c.fatal
	}
	ch := c.preloadOf(name)
	c.mu.Unlock()
	return <-ch
}

// preloadOf is the channel of the engine's word on the model name, which
// may come before or after the page asks. c.mu must be held.
func (c *EngineClient) preloadOf(name string) chan error {
	ch := c.preloads[name]
	if ch == nil {
		ch = make(chan error, 1)
		c.preloads[name] = ch
	}
	return ch
}

// take puts a shipped model's file into the engine's slot of its name.
// If the page's head handed the engine that file (handed), the engine's
// word on it is enough, and take returns what makes the page's copy of a
// playground slot (nil for another slot); otherwise, or if the engine
// refused it, Load sends the file, and the engine says why again.
func (c *EngineClient) take(name string, file []byte, handed bool) (copy func(), err error) {
	if !handed || c.preloaded(name) != nil {
		_, err := c.Load(name, file)
		return nil, err
	}
	c.mu.Lock()
	c.loaded[name] = true
	c.mu.Unlock()
	if !slices.Contains(protocol.PlaygroundSlots, name) {
		return nil, nil
	}
	load := c.nextLoad(name)
	return func() { c.copyHere(name, load, file) }, nil
}

// nextLoad counts a load into a playground slot and returns its number,
// which copyHere compares with the latest.
func (c *EngineClient) nextLoad(slot string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loads[slot]++
	return c.loads[slot]
}

// Load puts a model file into a slot of the engine (and into the page's
// copy, for a playground slot), and marks it loaded.
func (c *EngineClient) Load(slot string, file []byte) (protocol.Info, error) {
	type answer struct {
		info protocol.Info
		err  error
	}
	ch := make(chan answer, 1)
	Post(c, protocol.Load, protocol.LoadArgs{Slot: slot, File: protocol.File{Data: file}}, func(in protocol.Info, err error) { ch <- answer{in, err} })
	a := <-ch
	if a.err == nil {
		c.mu.Lock()
		c.loaded[slot] = true
		c.mu.Unlock()
	}
	return a.info, a.err
}

// Train starts t as a run owned by t.Owner and sends each of its progress
// events to on (outside the UI goroutine: on must ctx.Dispatch what it
// changes). A view sees only its own runs' events.
func (c *EngineClient) Train(t protocol.Train, on func(protocol.Progress)) (protocol.Run, error) {
	if t.Owner == "" {
		return protocol.Run{}, errors.New("a run needs an owner")
	}
	c.Follow(t.Owner, on)
	type answer struct {
		r   protocol.Run
		err error
	}
	ch := make(chan answer, 1)
	Post(c, protocol.StartRun, t, func(r protocol.Run, err error) { ch <- answer{r, err} })
	a := <-ch
	return a.r, a.err
}

// Follow sends the events of owner's runs to on from now, beginning with
// the last one already here (so a view opened again mid-run takes up its
// run); it returns that last event, if any. A nil on stops the events.
func (c *EngineClient) Follow(owner string, on func(protocol.Progress)) (last protocol.Progress, ok bool) {
	c.mu.Lock()
	f := c.runs[owner]
	if f == nil {
		f = &follower{}
		c.runs[owner] = f
	}
	f.on = on
	if f.last != nil {
		last, ok = *f.last, true
	}
	c.mu.Unlock()
	return last, ok
}

// progress hands an event to the view that owns its run.
func (c *EngineClient) progress(p protocol.Progress) {
	c.mu.Lock()
	f := c.runs[p.Owner]
	if f == nil {
		f = &follower{}
		c.runs[p.Owner] = f
	}
	if f.last != nil && p.Run < f.last.Run { // an older run's straggler
		c.mu.Unlock()
		return
	}
	f.last = &p
	on := f.on
	c.mu.Unlock()
	if on != nil {
		on(p)
	}
}

// copyHere drops the page's copy of slot, which the worker has just
// loaded with file (the slot's load-th load), and parses file in the
// background as the new copy, unless a later load has come meanwhile.
// Until then the worker rebuilds the drawing.
func (c *EngineClient) copyHere(slot string, load int, file []byte) {
	c.mu.Lock()
	delete(c.here, slot)
	c.mu.Unlock()
	c.parsing.Add(1)
	go func() {
		defer c.parsing.Done()
		nextTask() // after what the page has in hand, such as showing it is ready
		m, _, err := models.Unmarshal(file)
		c.mu.Lock()
		if err == nil && c.loads[slot] == load {
			c.here[slot] = m
		}
		c.mu.Unlock()
	}()
}

// nextTask blocks the calling goroutine (never the UI's) until the page's
// event loop has run a task: the goroutines with work in hand, and the
// page's rendering, go first.
func nextTask() {
	if !app.IsClient {
		return
	}
	ch := make(chan struct{})
	var f app.Func
	f = app.FuncOf(func(app.Value, []app.Value) any {
		close(ch)
		return nil
	})
	app.Window().Call("setTimeout", f, 0)
	<-ch
	f.Release()
}

// rebuildHere answers a Rebuild whose models are all kept here (here);
// otherwise the worker must.
func (c *EngineClient) rebuildHere(q protocol.RebuildArgs) (out protocol.Rebuilt, here bool, err error) {
	c.mu.Lock()
	ms := make([]models.Model, len(q.Slots))
	for i, slot := range q.Slots {
		if ms[i] = c.here[slot]; ms[i] == nil {
			c.mu.Unlock()
			return out, false, nil
		}
	}
	c.mu.Unlock()
	if len(ms) == 0 || q.Image.Rows != 1 {
		return out, false, nil
	}
	r, err := models.Rebuild(ms, q.Image.Data, q.Samples, q.Seed)
	if err != nil {
		return out, true, err
	}
	out = protocol.Rebuilt{Class: r.Class, Probs: r.Probs}
	for _, im := range r.Images {
		out.Images = append(out.Images, protocol.BatchOf(im))
	}
	return out, true, nil
}

// receive takes one message from the worker.
func (c *EngineClient) receive(m protocol.Message) {
	var env protocol.Envelope
	if err := protocol.Unpack(m, &env); err != nil { // a progress event's batches too
		app.Log("engine: bad message:", err)
		return
	}
	switch {
	case env.Ready:
		perfMark("engine ready")
		c.mu.Lock()
		select {
		case <-c.ready:
		default:
			close(c.ready)
		}
		c.mu.Unlock()
	case env.Fatal != "":
		c.fail(errors.New(env.Fatal))
	case env.Preloaded != nil:
		var err error
		if env.Preloaded.Err != "" {
			err = errors.New(env.Preloaded.Err)
		}
		c.mu.Lock()
		ch := c.preloadOf(env.Preloaded.Slot)
		c.mu.Unlock()
		select {
		case ch <- err:
		default: // a second word on one model: the first stands
		}
	case env.Reply != nil:
		c.mu.Lock()
		done := c.pending[env.Reply.ID]
		delete(c.pending, env.Reply.ID)
		c.mu.Unlock()
		if done != nil {
			done(env.Reply, m)
		}
	case env.Progress != nil:
		c.progress(*env.Progress)
	}
}

// fail ends the engine: every waiting call, and every later one, gets err.
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
	for _, ch := range c.preloads {
		select {
		case ch <- err:
		default: // the engine's word came first
		}
	}
	pending := c.pending
	c.pending = map[int]func(*protocol.Reply, protocol.Message){}
	c.post = func(m protocol.Message) { c.refuse(m, err) }
	c.mu.Unlock()
	for id, done := range pending {
		done(&protocol.Reply{ID: id, Error: err.Error()}, protocol.Message{})
	}
}

// refuse answers a message the failed engine will never see.
func (c *EngineClient) refuse(m protocol.Message, err error) {
	var call protocol.Call
	if json.Unmarshal(m.Header, &call) != nil {
		return
	}
	c.receive(protocol.Message{Header: mustJSON(protocol.Envelope{Reply: &protocol.Reply{ID: call.ID, Error: err.Error()}})})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("web: " + err.Error())
	}
	return b
}

// postJS sends a message to a worker as {h, f, b}, moving its buffers.
func postJS(worker app.Value, m protocol.Message) {
	msg := app.Window().Get("Object").New()
	msg.Set("h", string(m.Header))
	transfer := app.Window().Get("Array").New()
	if m.Floats != nil {
		f := float32sToJS(m.Floats)
		msg.Set("f", f)
		transfer.Call("push", f.Get("buffer"))
	}
	if m.Bytes != nil {
		b := bytesToJS(m.Bytes)
		msg.Set("b", b)
		transfer.Call("push", b.Get("buffer"))
	}
	worker.Call("postMessage", msg, transfer)
}

// messageFromJS reads {h, f, b}.
func messageFromJS(msg app.Value) protocol.Message {
	m := protocol.Message{Header: []byte(msg.Get("h").String())}
	if f := msg.Get("f"); f.Truthy() {
		m.Floats = float32sFromJS(f)
	}
	if b := msg.Get("b"); b.Truthy() {
		m.Bytes = make([]byte, b.Get("length").Int())
		app.CopyBytesToGo(m.Bytes, b)
	}
	return m
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
