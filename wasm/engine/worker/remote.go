//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"sync"
	"syscall/js"

	"latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// remote is a helper engine in a Web Worker of its own, started from this
// one (the same engine.js), for data-parallel training.
type remote struct {
	worker  js.Value
	onmsg   js.Func
	onerr   js.Func
	ready   chan struct{}
	mu      sync.Mutex
	next    int
	pending map[int]chan protocol.Response
	dead    error
	share   bool // floats cross through shared buffers
	said    bool // the helper has been told it may share
	out     sharedOut
	in      sharedIn
}

// spawn starts a helper engine and waits until it listens.
func spawn() (engine.Remote, error) {
	r := &remote{ready: make(chan struct{}), pending: map[int]chan protocol.Response{}, share: canShare()}
	r.worker = js.Global().Get("Worker").New(self.Get("location").Get("href"))
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
	<-r.ready
	if r.dead != nil {
		r.Close()
		return nil, r.dead
	}
	return r, nil
}

func (r *remote) receive(msg js.Value) {
	var env protocol.Envelope
	if err := json.Unmarshal([]byte(msg.Get("h").String()), &env); err != nil {
		r.fail(errors.New("a helper engine sent an unreadable message"))
		return
	}
	switch {
	case env.Ready:
		close(r.ready)
	case env.Fatal != "":
		r.fail(errors.New(env.Fatal))
	case env.Response != nil:
		resp := *env.Response
		resp.Floats = r.in.floats(msg)
		r.mu.Lock()
		ch := r.pending[resp.ID]
		delete(r.pending, resp.ID)
		r.mu.Unlock()
		if ch != nil {
			ch <- resp
		}
	}
}

// fail answers every waiting request with err, and every later one.
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
		ch <- protocol.Response{ID: id, Error: err.Error()}
		delete(r.pending, id)
	}
}

func (r *remote) Send(req protocol.Request) <-chan protocol.Response {
	ch := make(chan protocol.Response, 1)
	r.mu.Lock()
	if r.dead != nil {
		r.mu.Unlock()
		ch <- protocol.Response{Error: r.dead.Error()}
		return ch
	}
	r.next++
	req.ID = r.next
	r.pending[req.ID] = ch
	r.mu.Unlock()
	h, err := json.Marshal(req)
	if err != nil {
		r.fail(err)
		return ch
	}
	msg := js.Global().Get("Object").New()
	msg.Set("h", string(h))
	transfer := js.Global().Get("Array").New()
	if r.share && !r.said {
		msg.Set("shares", true)
		r.said = true
	}
	r.out.attach(msg, transfer, req.Floats, r.share) // a copy: the caller may reuse its slice
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
