package web

import (
	"sync"

	"latentplay/wasm/engine/protocol"
)

// labRuns sends each training run's progress to the lab that started it,
// by the run's generation, so that several labs on one page can train in
// turn without reading each other's events.
var labRuns = struct {
	sync.Mutex
	on map[int]func(protocol.Progress)
	// early holds the last event of a run whose answer has not come yet:
	// the engine may post a run's first event before its answer.
	early map[int]protocol.Progress
}{on: map[int]func(protocol.Progress){}, early: map[int]protocol.Progress{}}

// startRun asks the engine to train t, then calls started with the
// engine's answer and on with each of the run's progress events. Both run
// outside the UI goroutine: they must ctx.Dispatch what they change.
func startRun(t protocol.Train, on func(protocol.Progress), started func(error)) {
	Engine().OnProgress(routeRun)
	Engine().Send(protocol.Request{Op: protocol.OpTrain, Train: &t}, func(resp protocol.Response, err error) {
		started(err)
		if err != nil {
			return
		}
		gen := int(resp.Figures["gen"])
		labRuns.Lock()
		labRuns.on[gen] = on
		p, ok := labRuns.early[gen]
		clear(labRuns.early)
		labRuns.Unlock()
		if ok {
			routeRun(p)
		}
	})
}

// routeRun hands an event to its run's lab, forgetting the run once it
// has ended.
func routeRun(p protocol.Progress) {
	labRuns.Lock()
	f, ok := labRuns.on[p.Gen]
	if !ok {
		labRuns.early[p.Gen] = p
	}
	switch p.State {
	case protocol.Done, protocol.Stopped, protocol.Diverged, protocol.Failed:
		delete(labRuns.on, p.Gen)
	}
	labRuns.Unlock()
	if f != nil {
		f(p)
	}
}
