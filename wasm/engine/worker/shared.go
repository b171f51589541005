//go:build js && wasm

package worker

import (
	"syscall/js"
	"unsafe"

	"latentplay/wasm/jsbuf"
)

// Between engines (a leader and its helpers), gradients of megabytes
// cross twice a step. When the page is cross-origin isolated they cross
// through a SharedArrayBuffer each side keeps for its outgoing floats: the
// message carries only their count (fs), plus the buffer itself (sab)
// when it is new, and no buffer is allocated or moved per message. The
// request/response order keeps writer and reader apart: a side writes its
// buffer again only after the other has answered the message that read
// it. Elsewhere the floats travel as transferred buffers (f), and between
// the page and its engine always.

// sharedMin is the smallest message worth a shared buffer (256 KB).
const sharedMin = 1 << 16

// canShare reports whether this context may use SharedArrayBuffer.
func canShare() bool {
	return js.Global().Get("crossOriginIsolated").Truthy() && js.Global().Get("SharedArrayBuffer").Truthy()
}

// sharedOut is one side's outgoing buffer.
type sharedOut struct{ buf, u8 js.Value }

// attach puts floats on msg: through the shared buffer (growing it, and
// then sending it along) when share is true and the floats are many, else
// as a transferred Float32Array.
func (s *sharedOut) attach(msg, transfer js.Value, floats []float32, share bool) {
	if floats == nil {
		return
	}
	if !share || len(floats) < sharedMin {
		f := jsbuf.Float32Array(floats)
		msg.Set("f", f)
		transfer.Call("push", f.Get("buffer"))
		return
	}
	if s.buf.IsUndefined() || s.buf.Get("byteLength").Int() < 4*len(floats) {
		s.buf = js.Global().Get("SharedArrayBuffer").New(4 * len(floats))
		s.u8 = js.Global().Get("Uint8Array").New(s.buf)
		msg.Set("sab", s.buf)
	}
	js.CopyBytesToJS(s.u8, unsafe.Slice((*byte)(unsafe.Pointer(&floats[0])), 4*len(floats)))
	msg.Set("fs", len(floats))
}

// sharedIn is one side's view of the other's outgoing buffer, and the
// Go slice its floats are read into.
type sharedIn struct {
	u8  js.Value
	buf []float32
}

// floats reads the floats msg carries, whichever way they came (nil for
// none). Floats from the shared buffer land in the same slice every time:
// a gradient or an update is used up before the next one arrives, since
// each side waits for the other's answer.
func (s *sharedIn) floats(msg js.Value) []float32 {
	if b := msg.Get("sab"); b.Truthy() {
		s.u8 = js.Global().Get("Uint8Array").New(b)
	}
	if n := msg.Get("fs"); n.Truthy() && !s.u8.IsUndefined() {
		if cap(s.buf) < n.Int() {
			s.buf = make([]float32, n.Int())
		}
		xs := s.buf[:n.Int()]
		js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), 4*len(xs)), s.u8.Call("subarray", 0, 4*len(xs)))
		return xs
	}
	if f := msg.Get("f"); f.Truthy() {
		return jsbuf.Float32s(f)
	}
	return nil
}
