package web

import (
	"fmt"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"latentplay/wasm/engine/protocol"
)

// startRun asks the engine to train t as a run owned by owner (a view's
// name), then hands each of the run's progress events to on, or the
// engine's refusal to failed, both in the UI goroutine. The view sees its
// own runs' events and no other view's.
func startRun(ctx app.Context, owner string, t protocol.Train, on func(app.Context, protocol.Progress), failed func(app.Context, error)) {
	t.Owner = owner
	ctx.Async(func() {
		_, err := Engine().Train(t, func(p protocol.Progress) { ctx.Dispatch(func(ctx app.Context) { on(ctx, p) }) })
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) { failed(ctx, err) })
		}
	})
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
