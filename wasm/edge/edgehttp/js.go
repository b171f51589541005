//go:build js && wasm

package edgehttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall/js"
)

// FromJS reads a Fetch API Request: its method, url, header entries (as
// the runtime gives them, each value whole) and body stream.
func FromJS(req js.Value) *Request {
	r := &Request{Method: req.Get("method").String(), URL: req.Get("url").String()}
	entries := js.Global().Get("Array").Call("from", req.Get("headers").Call("entries"))
	for i := range entries.Length() {
		e := entries.Index(i)
		r.Header = append(r.Header, [2]string{e.Index(0).String(), e.Index(1).String()})
	}
	if body := req.Get("body"); !body.IsNull() && !body.IsUndefined() {
		r.Body = &streamReader{stream: body}
	}
	return r
}

// JS makes the Fetch API Response for a: its body a Uint8Array copy, or
// null.
func (a *Answer) JS() js.Value {
	headers := js.Global().Get("Headers").New()
	for name, vs := range a.Header {
		for _, v := range vs {
			headers.Call("append", name, v)
		}
	}
	init := js.Global().Get("Object").New()
	init.Set("status", a.Status)
	init.Set("statusText", http.StatusText(a.Status))
	init.Set("headers", headers)
	body := js.Null()
	if a.Body != nil {
		body = js.Global().Get("Uint8Array").New(len(a.Body))
		js.CopyBytesToJS(body, a.Body)
	}
	return js.Global().Get("Response").New(body, init)
}

// Func is the function the Worker's loader calls with each request
// (syumai/workers' binding.handleRequest): it takes a Request and returns
// a Promise of its Response, answered by h through Serve. Where the
// answer cannot be made (a header value the runtime refuses, a status it
// does not know), the Response is fail's, status 500.
func Func(h http.Handler, fail FailFunc) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		req := args[0]
		var executor js.Func
		executor = js.FuncOf(func(_ js.Value, p []js.Value) any {
			defer executor.Release()
			resolve, reject := p[0], p[1]
			go func() {
				resp, err := respond(h, fail, req)
				if err != nil {
					reject.Invoke(js.Global().Get("Error").New(err.Error()))
					return
				}
				resolve.Invoke(resp)
			}()
			return nil
		})
		return js.Global().Get("Promise").New(executor)
	})
}

// respond answers req with h, or with fail if the answer cannot be made;
// it errs only if neither can.
func respond(h http.Handler, fail FailFunc, req js.Value) (resp js.Value, err error) {
	head := false
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		defer func() {
			if v2 := recover(); v2 != nil {
				err = fmt.Errorf("edgehttp: %v, then %v", v, v2)
			}
		}()
		w := newRecorder(head)
		fail(w, http.StatusInternalServerError, "the server failed to answer")
		resp, err = w.answer().JS(), nil
	}()
	in := FromJS(req)
	head = in.Method == http.MethodHead
	a := Serve(h, in.HTTP(context.Background()), fail)
	if s, ok := in.Body.(*streamReader); ok {
		s.release()
	}
	return a.JS(), nil
}

// streamReader reads a ReadableStream of Uint8Array chunks. It takes the
// stream's reader (locking the stream) only when first read, and gives it
// back (release) once the answer is made: the runtime drains what the
// handler left unread (wrangler dev fails the connection if it cannot).
type streamReader struct {
	stream js.Value
	reader js.Value // ReadableStreamDefaultReader, once read
	rest   []byte   // what is left of the last chunk
	err    error
}

func (s *streamReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if s.reader.IsUndefined() && s.err == nil {
		s.reader = s.stream.Call("getReader")
	}
	for len(s.rest) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		res, err := await(s.reader.Call("read"))
		if err != nil {
			s.err = err
			continue
		}
		if res.Get("done").Bool() {
			s.err = io.EOF
			continue
		}
		chunk := res.Get("value")
		n := chunk.Get("byteLength").Int()
		if n == 0 {
			continue
		}
		if n <= len(p) { // straight into the caller's buffer
			return js.CopyBytesToGo(p, chunk), nil
		}
		s.rest = make([]byte, n)
		js.CopyBytesToGo(s.rest, chunk)
	}
	n := copy(p, s.rest)
	s.rest = s.rest[n:]
	return n, nil
}

// Close ends reading: reading afterwards fails. The stream is left to the
// runtime.
func (s *streamReader) Close() error {
	s.err, s.rest = http.ErrBodyReadAfterClose, nil
	return nil
}

// release gives the stream's reader back, if it was taken.
func (s *streamReader) release() {
	if !s.reader.IsUndefined() {
		s.reader.Call("releaseLock")
		s.reader = js.Undefined()
	}
}

// await waits for promise p to settle.
func await(p js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	ok := js.FuncOf(func(_ js.Value, a []js.Value) any {
		ch <- settled{v: a[0]}
		return nil
	})
	defer ok.Release()
	fail := js.FuncOf(func(_ js.Value, a []js.Value) any {
		ch <- settled{err: errors.New("edgehttp: " + js.Global().Get("String").Invoke(a[0]).String())}
		return nil
	})
	defer fail.Release()
	p.Call("then", ok, fail)
	s := <-ch
	return s.v, s.err
}
