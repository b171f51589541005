package engine

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"time"

	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// handler answers one call: it reads the arguments, computes and returns
// the answer (whose batches the reply carries).
type handler func(e *Engine, c *protocol.Call, m protocol.Message) (any, error)

// handlers are the engine's operations by name, each registered by the
// file that implements it (handle, in its init).
var handlers = map[string]handler{}

// handle registers f as op's handler: the engine's side of the op's one
// typed definition.
func handle[Q, A any](op protocol.Op[Q, A], f func(*Engine, Q) (A, error)) {
	if handlers[op.Name] != nil {
		panic("engine: two handlers for " + op.Name)
	}
	handlers[op.Name] = func(e *Engine, c *protocol.Call, m protocol.Message) (any, error) {
		q, err := protocol.Args[Q](c, m)
		if err != nil {
			return nil, fmt.Errorf("unreadable arguments: %w", err)
		}
		return f(e, q)
	}
}

// Serve answers one message from the page (or from a leading engine):
// it decodes the call, runs its operation and encodes the reply. Calls
// are answered one at a time; a training run goes on between them, in
// its own goroutine, and never holds them up for more than one chunk. A
// panic in an operation becomes that call's error and changes no slot.
func (e *Engine) Serve(m protocol.Message) protocol.Message {
	var c protocol.Call
	if err := json.Unmarshal(m.Header, &c); err != nil {
		return protocol.Answer(0, nil, fmt.Errorf("engine: unreadable request: %w", err), 0)
	}
	h := handlers[c.Op]
	if h == nil {
		return protocol.Answer(c.ID, nil, &protocol.Error{Op: c.Op, Msg: "no such operation"}, 0)
	}
	if c.Repeat < 0 || c.Repeat > 1000 {
		return protocol.Answer(c.ID, nil, &protocol.Error{Op: c.Op, Msg: fmt.Sprintf("repeat %d, want 0..1000", c.Repeat)}, 0)
	}
	e.serving.Lock()
	defer e.serving.Unlock()
	start := time.Now()
	a, err := e.call(h, &c, m)
	for i := 1; i < c.Repeat && err == nil; i++ {
		a, err = e.call(h, &c, m)
	}
	var ms float64
	if c.Repeat > 0 {
		ms = float64(time.Since(start).Microseconds()) / 1000 / float64(c.Repeat)
	}
	return protocol.Answer(c.ID, a, err, ms)
}

// call runs h once. The slots it sets take effect only if it returns
// without error or panic.
func (e *Engine) call(h handler, c *protocol.Call, m protocol.Message) (a any, err error) {
	e.staged = map[string]models.Model{}
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("failed: %v", r)
			if e.Debug {
				err = fmt.Errorf("failed: %v\n%s", r, debug.Stack())
			}
		}
		if err == nil {
			e.mu.Lock()
			for slot, m := range e.staged {
				e.slots[slot] = m
			}
			e.mu.Unlock()
		}
		e.staged = nil
	}()
	return h(e, c, m)
}

// Do calls op with q on e through the same encoding the page and the
// worker use, and decodes the answer: the native path of every call, for
// tests and for the page's own engine in native builds.
func Do[Q, A any](e *Engine, op protocol.Op[Q, A], q Q) (A, error) {
	m, err := protocol.Ask(op, 1, 0, q)
	if err != nil {
		var a A
		return a, err
	}
	return Read(op, e.Serve(m))
}

// Preload loads a shipped model that the page's head fetched and handed
// over before the page's code could ask (static/boot.js) into the slot of
// its name, and returns the notice that tells the page how that went.
func (e *Engine) Preload(name string, file []byte) protocol.Message {
	p := protocol.Preloaded{Slot: name}
	if _, err := Do(e, protocol.Load, protocol.LoadArgs{Slot: name, File: protocol.File{Data: file}}); err != nil {
		p.Err = err.Error()
	}
	return protocol.Notice(protocol.Envelope{Preloaded: &p})
}

// Read decodes an engine's reply to op.
func Read[Q, A any](op protocol.Op[Q, A], m protocol.Message) (A, error) {
	var env protocol.Envelope
	if err := json.Unmarshal(m.Header, &env); err != nil || env.Reply == nil {
		var a A
		return a, &protocol.Error{Op: op.Name, Msg: "the engine's answer is unreadable"}
	}
	return protocol.Result(op, env.Reply, m)
}
