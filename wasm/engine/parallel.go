package engine

import (
	"errors"
	"fmt"
	"slices"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/core/train"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.ShardStart, (*Engine).shardStart)
	handle(protocol.ShardGradient, (*Engine).shardGradient)
	handle(protocol.ShardApply, (*Engine).shardApply)
}

// A Remote is another engine, reached by messages: in the browser a Web
// Worker of its own, started by Engine.Spawn.
type Remote interface {
	// Send posts the call that ask makes with the id the remote gives it;
	// the reply arrives on the channel.
	Send(ask func(id int) (protocol.Message, error)) <-chan protocol.Message
	// Close stops the engine.
	Close()
}

// askRemote calls op with q on r; the answer comes on the channel.
func askRemote[Q, A any](r Remote, op protocol.Op[Q, A], q Q) <-chan protocol.Message {
	return r.Send(func(id int) (protocol.Message, error) { return protocol.Ask(op, id, 0, q) })
}

// MaxWorkers bounds a data-parallel run: past the cores a machine has,
// more workers only add messages.
const MaxWorkers = 16

// startPeers starts n-1 helper engines training copies of t's model on
// set (whose mean image the model starts from, if it wants one) and
// returns them as the loop's peers; close stops them all. The helpers
// hold no images: each shard carries its rows.
func (e *Engine) startPeers(t protocol.Train, n int, set *data.Set, mean []float32) (peers []train.Peer, close func(), err error) {
	if e.Spawn == nil {
		return nil, func() {}, errors.New("this engine cannot start helpers")
	}
	var remotes []Remote
	close = func() {
		for _, r := range remotes {
			r.Close()
		}
	}
	helper := protocol.ShardSetup{Train: t, N: set.N}
	helper.Train.Workers, helper.Train.Samples = 0, 0
	if mean != nil {
		helper.Mean = protocol.RowsOf(len(mean), mean)
	}
	var started []<-chan protocol.Message
	for range n - 1 {
		r, err := e.Spawn()
		if err != nil {
			close()
			return nil, func() {}, fmt.Errorf("starting a helper: %w", err)
		}
		remotes = append(remotes, r)
		started = append(started, askRemote(r, protocol.ShardStart, helper))
	}
	for i, ch := range started {
		if _, err := Read(protocol.ShardStart, <-ch); err != nil {
			close()
			return nil, func() {}, fmt.Errorf("helper %d: %w", i+1, err)
		}
		peers = append(peers, &remotePeer{remote: remotes[i], set: set})
	}
	return peers, close, nil
}

// remotePeer is a helper engine seen as the training loop's Peer; set
// is where its shards' images come from.
type remotePeer struct {
	remote  Remote
	set     *data.Set
	x       []float32
	labels  []uint8
	pending <-chan protocol.Message
	applied <-chan protocol.Message
}

// Gradient sends the shard's rows. The helper answers its calls in order:
// the last update (if Apply has just sent it) first.
func (p *remotePeer) Gradient(t int, idx []int, lo, hi int) error {
	// The last shard's reply is in, so its buffers can take this one's rows.
	d := p.set.Dim()
	p.x, p.labels = slices.Grow(p.x[:0], (hi-lo)*d)[:(hi-lo)*d], slices.Grow(p.labels[:0], hi-lo)[:hi-lo]
	p.set.Batch(idx[lo:hi], p.x, p.labels)
	p.pending = askRemote(p.remote, protocol.ShardGradient, protocol.Shard{
		Step: t, Lo: lo, Hi: hi, Of: len(idx), Images: protocol.Batch{Rows: hi - lo, Cols: d, Data: p.x}, Labels: p.labels,
	})
	return nil
}

func (p *remotePeer) Wait() ([]float32, models.Losses, error) {
	if p.applied != nil { // the update before this shard was taken
		_, err := Read(protocol.ShardApply, <-p.applied)
		p.applied = nil
		if err != nil {
			return nil, models.Losses{}, err
		}
	}
	g, err := Read(protocol.ShardGradient, <-p.pending)
	if err != nil {
		return nil, models.Losses{}, err
	}
	return g.Grad.Data, g.Loss.Model(), nil
}

func (p *remotePeer) Apply(t int, grad []float32) error {
	p.applied = askRemote(p.remote, protocol.ShardApply, protocol.Update{Step: t, Grad: protocol.RowsOf(len(grad), grad)})
	return nil
}

// shardStart makes this engine a helper: the same model from the same
// seed, started from the same mean image, as the leader's.
func (e *Engine) shardStart(q protocol.ShardSetup) (protocol.None, error) {
	m, s, err := checkTrain(q.Train)
	if err != nil {
		return protocol.None{}, err
	}
	tm, ok := m.(models.Trainable)
	if !ok {
		return protocol.None{}, fmt.Errorf("a %s trains on one engine, not in shards", m.Kind())
	}
	if sm, ok := tm.(interface{ StartFromMean([]float32) }); ok {
		if q.Mean.Rows != 1 || q.Mean.Cols != tm.Inputs() {
			return protocol.None{}, fmt.Errorf("a mean image of %d×%d values, want 1×%d", q.Mean.Rows, q.Mean.Cols, tm.Inputs())
		}
		sm.StartFromMean(q.Mean.Data)
	}
	r, err := train.NewShardReplica(tm, q.N, s)
	if err != nil {
		return protocol.None{}, err
	}
	e.shard, e.shardStep = r, 0
	return protocol.None{}, nil
}

func (e *Engine) shardGradient(q protocol.Shard) (protocol.ShardGrad, error) {
	if e.shard == nil {
		return protocol.ShardGrad{}, errors.New("no shard-start before this gradient")
	}
	if q.Step != e.shardStep {
		return protocol.ShardGrad{}, fmt.Errorf("the gradient of step %d asked for at step %d", q.Step, e.shardStep)
	}
	if q.Lo < 0 || q.Lo > q.Hi || q.Hi > q.Of || q.Of > 65536 {
		return protocol.ShardGrad{}, fmt.Errorf("rows %d..%d of a batch of %d", q.Lo, q.Hi, q.Of)
	}
	rows, in := q.Hi-q.Lo, e.shard.Inputs()
	if q.Images.Rows != rows || rows > 0 && q.Images.Cols != in || len(q.Labels) != rows {
		return protocol.ShardGrad{}, fmt.Errorf("%d×%d pixels and %d labels for %d images of %d pixels", q.Images.Rows, q.Images.Cols, len(q.Labels), rows, in)
	}
	if slices.ContainsFunc(q.Labels, func(l uint8) bool { return l >= data.Classes }) {
		return protocol.ShardGrad{}, fmt.Errorf("a label outside 0..%d", data.Classes-1)
	}
	x := tensor.FromSlice(rows, in, q.Images.Data[:rows*in])
	loss := protocol.Losses(e.shard.GradientOf(q.Step, x, q.Labels, q.Lo, q.Of))
	loss.Finite() // JSON carries no NaN or infinity; the leader reads the largest float back as +Inf
	// The worker copies the gradient out before it reads the next call.
	g := e.shard.Grads()
	return protocol.ShardGrad{Grad: protocol.RowsOf(len(g), g), Loss: loss}, nil
}

func (e *Engine) shardApply(q protocol.Update) (protocol.None, error) {
	if e.shard == nil {
		return protocol.None{}, errors.New("no shard-start before this update")
	}
	if q.Step != e.shardStep {
		return protocol.None{}, fmt.Errorf("the update of step %d given at step %d", q.Step, e.shardStep)
	}
	if n := nn.CountParams(e.shard.Params()); q.Grad.Rows != 1 || q.Grad.Cols != n {
		return protocol.None{}, fmt.Errorf("%d×%d gradient values for %d parameters", q.Grad.Rows, q.Grad.Cols, n)
	}
	copy(e.shard.Grads(), q.Grad.Data)
	e.shard.Apply(q.Step)
	e.shardStep++
	return protocol.None{}, nil
}
