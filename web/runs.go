package web

import (
	"fmt"
	"sync"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

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

// startRun asks the engine to train t, then hands each of the run's
// progress events to on, or the engine's refusal to failed, both in the
// UI goroutine.
func startRun(ctx app.Context, t protocol.Train, on func(app.Context, protocol.Progress), failed func(app.Context, error)) {
	Engine().OnProgress(routeRun)
	Engine().Send(protocol.Request{Op: protocol.OpTrain, Train: &t}, func(resp protocol.Response, err error) {
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) { failed(ctx, err) })
			return
		}
		gen := int(resp.Figures["gen"])
		labRuns.Lock()
		labRuns.on[gen] = func(p protocol.Progress) { ctx.Dispatch(func(ctx app.Context) { on(ctx, p) }) }
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

// labRun is a lab's training run as its page follows it.
type labRun struct {
	running bool
	last    protocol.Progress
	started time.Time
	errMsg  string
}

// failed shows why a run did not start.
func (r *labRun) failed(ctx app.Context, err error) { r.running, r.errMsg = false, err.Error() }

// took records one event of the run and reports whether the run has just
// finished its work; a run that stopped, diverged or failed ends with its
// message.
func (r *labRun) took(p protocol.Progress) (done bool) {
	r.last = p
	switch p.State {
	case protocol.Stopped, protocol.Diverged, protocol.Failed:
		r.running, r.errMsg = false, p.Message
	}
	return p.State == protocol.Done
}

// loading reports whether the run is still fetching MNIST, with the status
// and the bar that say so.
func (r *labRun) loading() (status string, bar app.UI, ok bool) {
	if !r.running || r.last.State != protocol.Loading {
		return "", nil, false
	}
	return "Loading the MNIST training set…", app.Progress().Aria("label", "MNIST loaded").Max(1).Value(fmt.Sprint(r.last.Loaded)), true
}

// state is "running" or "idle", for the page's data-state.
func (r *labRun) state() string {
	if r.running {
		return "running"
	}
	return "idle"
}

// trainingBar shows a run's progress, f of the way.
func trainingBar(f float64) app.UI {
	return app.Progress().Aria("label", "Training progress").Max(1).Value(fmt.Sprint(f))
}
