// Package protocol is the one typed definition of the messages between the
// page and the engine's Web Workers, shared by both sides so they cannot
// drift.
//
// Each operation is an Op[Q, A]: the page calls it with a Q and gets an A
// back, or an error (ops.go lists how; models.go, training.go and the
// labs' files declare them). A message on the wire is a JS object {h, f,
// b}: h is a JSON header (a Call to the engine; an Envelope from it), f an
// optional Float32Array and b an optional Uint8Array, both moved as
// transferables rather than copied through JSON. A Batch in a header names
// its shape and where its values lie in f; a File, where its bytes lie in
// b (wire.go).
package protocol

// Envelope is the header of every message from an engine, so one channel
// carries all five kinds.
type Envelope struct {
	Reply     *Reply     `json:"reply,omitempty"`
	Progress  *Progress  `json:"progress,omitempty"`
	Preloaded *Preloaded `json:"preloaded,omitempty"`
	Ready     bool       `json:"ready,omitempty"` // the engine has installed its handler
	Fatal     string     `json:"fatal,omitempty"` // the engine could not start
}

// Preloaded tells the page what became of a shipped model that the page's
// head (static/boot.js) handed the engine before the page's own code ran:
// Slot names the model, and the slot it was loaded into; Err says why it
// was not, if it was not.
type Preloaded struct {
	Slot string `json:"slot"`
	Err  string `json:"err,omitempty"`
}
