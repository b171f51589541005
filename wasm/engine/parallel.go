package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/train"
	"latentplay/wasm/engine/protocol"
)

// A Remote is another engine, reached by messages: in the browser a Web
// Worker of its own, started by Engine.Spawn.
type Remote interface {
	// Send posts req; its response arrives on the channel. Requests are
	// answered in the order they were sent.
	Send(req protocol.Request) <-chan protocol.Response
	// Close stops the engine.
	Close()
}

// MaxWorkers bounds a data-parallel run: past the cores a machine has,
// more workers only add messages.
const MaxWorkers = 16

// startPeers starts n-1 helper engines training copies of t's model and
// returns them as the loop's peers; close stops them all.
func (e *Engine) startPeers(t *protocol.Train, n int) (peers []train.Peer, close func(), err error) {
	if e.Spawn == nil {
		return nil, func() {}, errors.New("this engine cannot start helpers")
	}
	var remotes []Remote
	close = func() {
		for _, r := range remotes {
			r.Close()
		}
	}
	helper := *t
	helper.Workers, helper.Samples = 0, 0
	var started []<-chan protocol.Response
	for range n - 1 {
		r, err := e.Spawn()
		if err != nil {
			close()
			return nil, func() {}, fmt.Errorf("starting a helper: %w", err)
		}
		remotes = append(remotes, r)
		started = append(started, r.Send(protocol.Request{Op: protocol.OpShardStart, Train: &helper}))
	}
	for i, ch := range started {
		if resp := <-ch; resp.Error != "" {
			close()
			return nil, func() {}, fmt.Errorf("helper %d: %s", i+1, resp.Error)
		}
		peers = append(peers, &remotePeer{remote: remotes[i]})
	}
	return peers, close, nil
}

// remotePeer is a helper engine seen as the training loop's Peer.
type remotePeer struct {
	remote  Remote
	pending <-chan protocol.Response
	applied <-chan protocol.Response
}

func (p *remotePeer) Gradient(t int, idx []int, lo, hi int) error {
	if p.applied != nil { // the last update must have been taken
		if resp := <-p.applied; resp.Error != "" {
			return errors.New(resp.Error)
		}
	}
	p.pending = p.remote.Send(protocol.Request{Op: protocol.OpShardGradient, Step: t, Index: idx, Rows: []int{lo, hi}})
	return nil
}

func (p *remotePeer) Wait() ([]float32, models.Losses, error) {
	resp := <-p.pending
	if resp.Error != "" {
		return nil, models.Losses{}, errors.New(resp.Error)
	}
	if resp.Loss == nil {
		return nil, models.Losses{}, errors.New("a shard's gradient came without its loss")
	}
	loss := models.Losses(*resp.Loss)
	for _, x := range []*float64{&loss.Total, &loss.Recon, &loss.KL} {
		if *x == math.MaxFloat64 {
			*x = math.Inf(1)
		}
	}
	return resp.Floats, loss, nil
}

func (p *remotePeer) Apply(t int, grad []float32) error {
	p.applied = p.remote.Send(protocol.Request{Op: protocol.OpShardApply, Step: t, Floats: grad})
	return nil
}

// shardStart makes this engine a helper: the same model from the same
// seed, on the same data, as the leader's.
func (e *Engine) shardStart(req protocol.Request) error {
	t := req.Train
	if t == nil {
		return errors.New("no training settings")
	}
	m, s, err := checkTrain(t)
	if err != nil {
		return err
	}
	if e.trainSet == nil {
		if e.LoadMNIST == nil {
			return errors.New("no MNIST source")
		}
		e.mu.Unlock() // the network is slow; nothing else runs in a helper
		trainSet, testSet, err := e.LoadMNIST(func(float64) {})
		e.mu.Lock()
		if err != nil {
			return fmt.Errorf("loading MNIST: %w", err)
		}
		e.trainSet, e.testSet = trainSet, testSet
	}
	set := trainingSet(e.trainSet, t, m)
	r, err := train.NewReplica(m, set, s)
	if err != nil {
		return err
	}
	e.shard = r
	return nil
}

func (e *Engine) shardGradient(req protocol.Request) ([]float32, *protocol.Losses, error) {
	if e.shard == nil {
		return nil, nil, errors.New("no shard-start before this gradient")
	}
	if len(req.Rows) != 2 || req.Rows[0] < 0 || req.Rows[0] > req.Rows[1] || req.Rows[1] > len(req.Index) {
		return nil, nil, fmt.Errorf("rows %v of a batch of %d", req.Rows, len(req.Index))
	}
	if slices.ContainsFunc(req.Index, func(i int) bool { return i < 0 || i >= e.shard.N() }) {
		return nil, nil, fmt.Errorf("an image index outside 0..%d", e.shard.N()-1)
	}
	loss := protocol.Losses(e.shard.Gradient(req.Step, req.Index, req.Rows[0], req.Rows[1]))
	loss.Finite() // JSON carries no NaN or infinity; the leader reads the largest float back as +Inf

	// The worker copies the gradient out before it reads the next request.
	e.shardGrads = nn.Grads(e.shard.Params(), e.shardGrads)
	return e.shardGrads, &loss, nil
}

func (e *Engine) shardApply(req protocol.Request) error {
	if e.shard == nil {
		return errors.New("no shard-start before this update")
	}
	if n := nn.CountParams(e.shard.Params()); len(req.Floats) != n {
		return fmt.Errorf("%d gradient values for %d parameters", len(req.Floats), n)
	}
	nn.SetGrads(e.shard.Params(), req.Floats)
	e.shard.Apply(req.Step)
	return nil
}
