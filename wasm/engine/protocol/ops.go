package protocol

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// An Op is an engine operation whose arguments are Q and whose answer is
// A. The engine registers one handler per Op and the page calls it with a
// Q and gets an A back, so a layout cannot drift between the two sides.
type Op[Q, A any] struct{ Name string }

// ops is every operation by name, with its argument and answer types.
var ops = map[string][2]reflect.Type{}

// NewOp declares an operation; a second one with the same name panics.
func NewOp[Q, A any](name string) Op[Q, A] {
	if _, ok := ops[name]; ok {
		panic("protocol: two operations named " + name)
	}
	ops[name] = [2]reflect.Type{reflect.TypeFor[Q](), reflect.TypeFor[A]()}
	return Op[Q, A]{Name: name}
}

// Ops lists the operations' names, sorted.
func Ops() []string { return slices.Sorted(maps.Keys(ops)) }

// Call is a request's header: the operation and its arguments, whose
// batches and files lie in the message's buffers.
type Call struct {
	ID   int             `json:"id"`
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args"`
	// Repeat computes the answer this many times (at most 1000) and
	// reports the mean compute time in the reply's ComputeMS: a
	// benchmark's clock, finer than the browser's.
	Repeat int `json:"repeat,omitempty"`
}

// Reply answers the Call with the same ID: an error, or the operation's
// answer.
type Reply struct {
	ID        int             `json:"id"`
	Error     string          `json:"error,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	ComputeMS float64         `json:"compute_ms,omitempty"`
}

// Ask makes the message that calls op with q.
func Ask[Q, A any](op Op[Q, A], id, repeat int, q Q) (Message, error) {
	m, err := Pack(&q)
	if err != nil {
		return Message{}, fmt.Errorf("encoding %s: %w", op.Name, err)
	}
	m.Header, err = json.Marshal(Call{ID: id, Op: op.Name, Args: m.Header, Repeat: repeat})
	return m, err
}

// Answer makes the message that answers call id with a or with err (whose
// message the caller reads as an *Error naming the operation).
func Answer(id int, a any, err error, computeMS float64) Message {
	r := Reply{ID: id, ComputeMS: computeMS}
	var m Message
	if err == nil {
		if m, err = Pack(a); err == nil {
			r.Result = m.Header
		}
	}
	if err != nil { // the caller's side names the operation
		r.Error, m = err.Error(), Message{}
		if e, ok := err.(*Error); ok {
			r.Error = e.Msg
		}
	}
	m.Header = mustJSON(Envelope{Reply: &r})
	return m
}

// Result reads a reply's answer as op's answer type; a reply with an error
// gives that error.
func Result[Q, A any](op Op[Q, A], r *Reply, m Message) (A, error) {
	var a A
	if r.Error != "" {
		return a, &Error{Op: op.Name, Msg: r.Error}
	}
	m.Header = r.Result
	if err := Unpack(m, &a); err != nil {
		return a, &Error{Op: op.Name, Msg: "unreadable answer: " + err.Error()}
	}
	return a, nil
}

// Args reads a call's arguments.
func Args[Q any](c *Call, m Message) (Q, error) {
	var q Q
	m.Header = c.Args
	err := Unpack(m, &q)
	return q, err
}

// Event makes the message that carries a progress event.
func Event(p Progress) Message {
	p.Finite()
	m, err := Pack(Envelope{Progress: &p})
	if err != nil {
		return Notice(Envelope{Fatal: "engine: cannot encode progress: " + err.Error()})
	}
	return m
}

// Notice makes a message with a header and no buffers.
func Notice(env Envelope) Message { return Message{Header: mustJSON(env)} }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("protocol: " + err.Error())
	}
	return b
}

// Error is an engine error as the page sees it.
type Error struct {
	Op  string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("engine: %s: %s", e.Op, e.Msg) }
