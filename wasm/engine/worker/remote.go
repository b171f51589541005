//go:build js && wasm

package worker

import (
	"encoding/json"
	"errors"
	"sync"
	"syscall/js"

	"latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// remote is a helper engine in a Web Worker of its own, started from this
// one (the same engine.js and module), for data-parallel training.
type remote struct {
	worker  js.Value
	onmsg   js.Func
	onerr   js.Func
	ready   chan struct{}
	mu      sync.Mutex
	next    int
	pending map[int]chan protocol.Message
	dead    error
	share   bool // floats cross through shared buffers
	said    bool // the helper has been told it may share
	out     sharedOut
	in      sharedIn
}

// spawn starts a helper engine and waits until it listens.
func spawn() (engine.Remote, error) {
	r := &remote{ready: make(chan struct{}), pending: map[int]chan protocol.Message{}, share: canShare()}
	// The same engine.js, given this engine's compiled module: the code is
	// shared, not compiled again.
	opts := js.Global().Get("Object").New()
	opts.Set("name", "module")
	r.worker = js.Global().Get("Worker").New(self.Get("location").Get("href"), opts)
	r.onmsg = js.FuncOf(func(_ js.Value, args []js.Value) any {
		r.receive(args[0].Get("data"))
		return nil
	})
	r.onerr = js.FuncOf(func(_ js.Value, args []js.Value) any {
		r.fail(errors.New("a helper engine failed: " + args[0].Get("message").String()))
		return nil
	})
	r.worker.Set("onmessage", r.onmsg)
	r.worker.Set("onerror", r.onerr)
	msg := js.Global().Get("Object").New()
	msg.Set("module", self.Get("latentplayModule"))
	r.worker.Call("postMessage", msg)
	<-r.ready
	if r.dead != nil {
		r.Close()
		return nil, r.dead
	}
	return r, nil
}

func (r *remote) receive(msg js.Value) {
	m := protocol.Message{Header: []byte(msg.Get("h").String())}
	var env protocol.Envelope
	if err := json.Unmarshal(m.Header, &env); err != nil {
		r.fail(errors.New("a helper engine sent an unreadable message"))
		return
	}
	switch {
	case env.Ready:
		close(r.ready)
	case env.Fatal != "":
		r.fail(errors.New(env.Fatal))
	case env.Reply != nil:
		m.Floats = r.in.floats(msg)
		r.mu.Lock()
		ch := r.pending[env.Reply.ID]
		delete(r.pending, env.Reply.ID)
		r.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// failed is the reply a dead helper gives to call id.
func failed(id int, err error) protocol.Message {
	return protocol.Notice(protocol.Envelope{Reply: &protocol.Reply{ID: id, Error: err.Error()}})
}

// fail answers every waiting call with err, and every later one.
func (r *remote) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dead != nil {
		return
	}
	r.dead = err
	select {
	case <-r.ready:
	default:
		close(r.ready)
	}
	for id, ch := range r.pending {
		ch <- failed(id, err)
		delete(r.pending, id)
	}
}

func (r *remote) Send(ask func(id int) (protocol.Message, error)) <-chan protocol.Message {
	ch := make(chan protocol.Message, 1)
	r.mu.Lock()
	r.next++
	id := r.next
	if r.dead != nil {
		r.mu.Unlock()
		ch <- failed(id, r.dead)
		return ch
	}
	r.pending[id] = ch
	r.mu.Unlock()
	m, err := ask(id)
	if err != nil {
		r.mu.Lock()
		delete(r.pending, id)
		r.mu.Unlock()
		ch <- failed(id, err)
		return ch
	}
	msg := js.Global().Get("Object").New()
	msg.Set("h", string(m.Header))
	transfer := js.Global().Get("Array").New()
	if r.share && !r.said {
		msg.Set("shares", true)
		r.said = true
	}
	r.out.attach(msg, transfer, m.Floats, r.share) // a copy: the caller may reuse its slice
	r.worker.Call("postMessage", msg, transfer)
	return ch
}

func (r *remote) Close() {
	r.fail(errors.New("the helper engine was stopped"))
	r.worker.Set("onmessage", js.Null())
	r.worker.Set("onerror", js.Null())
	r.worker.Call("terminate")
	r.onmsg.Release()
	r.onerr.Release()
}
