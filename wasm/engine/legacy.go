package engine

import (
	"fmt"

	"latentplay/wasm/engine/protocol"
)

// The operations not yet typed, answered through the old untyped
// request; each moves to its own typed Op.

// labOps are the labs' operations: pictures as float32 values, and the
// figures they show.
var labOps = map[protocol.Name]func(*Engine, protocol.Request) ([]float32, map[string]float64, error){}

// Handle answers one old untyped request.
func (e *Engine) Handle(req protocol.Request) (resp protocol.Response) {
	resp.ID = req.ID
	defer func() {
		if r := recover(); r != nil {
			resp = protocol.Response{ID: req.ID, Error: fmt.Sprintf("engine: %s failed: %v", req.Op, r)}
		}
	}()
	e.serving.Lock()
	defer e.serving.Unlock()
	var err error
	if op, ok := labOps[req.Op]; ok {
		resp.Floats, resp.Figures, err = op(e, req)
	} else {
		err = fmt.Errorf("unknown operation %q", req.Op)
	}
	if err != nil {
		resp.Error = (&protocol.Error{Op: string(req.Op), Msg: err.Error()}).Error()
	}
	return resp
}
