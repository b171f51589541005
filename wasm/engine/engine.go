// Package engine is latentplay's core behind the message protocol: the
// page's calls in, replies and training progress out. It translates: it
// decodes a call, asks the core, and encodes the answer; the math lives in
// core. It knows no JavaScript: the Web Worker entry (worker/) wires it to
// postMessage, and the tests drive it directly (Do).
package engine

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/train"
	"latentplay/wasm/engine/protocol"
)

// MaxModelBytes bounds a model file the engine will parse: the largest
// shipped model is ~1.4 MB; float32 files of the largest trainable models
// are a few MB.
const MaxModelBytes = 64 << 20

// Engine holds the loaded models and at most one training run.
type Engine struct {
	// LoadMNIST fetches the training and test sets, reporting the fraction
	// loaded; it is called once, when training first starts.
	LoadMNIST func(report func(fraction float64)) (trainSet, testSet *data.Set, err error)
	// LoadTest fetches the test set alone (1.6 MB), for the latent map.
	LoadTest func() (*data.Set, error)
	// Emit sends a training progress event to the page.
	Emit func(protocol.Message)
	// Yield lets the page's messages in between training chunks.
	Yield func()
	// Chunk is how long training runs between progress events.
	Chunk time.Duration
	// Slice is how long training runs before it lets calls in: 0, the
	// default, lets them in after every step (a message's round trip to
	// itself costs a fraction of a millisecond against a step's tens).
	Slice time.Duration
	// Spawn starts a helper engine for data-parallel training; nil where
	// there is none to be had (training then uses this engine alone).
	Spawn func() (Remote, error)
	// Debug adds the stack to the error of a call that panicked.
	Debug bool
	// UseGoKernels sets the platform's matrix kernel aside (true) or puts it
	// back (false) and names the kernel the products then run on; nil where
	// there is no choice (natively: gonum).
	UseGoKernels func(goKernels bool) string

	// serving makes calls one at a time; a training run's goroutine never
	// takes it.
	serving sync.Mutex
	// staged are the slots the current call sets, taking effect when it
	// succeeds.
	staged map[string]models.Model
	lab    *netLab        // the network lab's run
	gan    *ganLab        // the GAN lab's run
	shard  *train.Replica // when this engine helps another train
	// shardStep is the step whose gradient and update come next.
	shardStep int
	// gemmLast are the operands of the last GEMM call (gemm.go).
	gemmLast gemmOperands

	// mu guards what calls and the training goroutine share. It is held
	// only to read or write these fields, never across a computation.
	mu                sync.Mutex
	slots             map[string]models.Model
	trainSet, testSet *data.Set
	run               *run
	runs              int // runs started, numbering them
}

// New returns an engine with no models loaded.
func New() *Engine {
	return &Engine{slots: map[string]models.Model{}, Chunk: 100 * time.Millisecond, Slice: 0, Yield: func() {}}
}

// model is the model in slot: the current call's, if it set one.
func (e *Engine) model(slot string) (models.Model, error) {
	if m, ok := e.staged[slot]; ok {
		return m, nil
	}
	e.mu.Lock()
	if r := e.run; r != nil && r.live && r.slot == slot {
		e.mu.Unlock()
		if m, ok := r.snapshot(); ok {
			return m, nil
		}
		return e.model(slot) // the run has just ended: its model is in the slot
	}
	m, ok := e.slots[slot]
	e.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("no model loaded as %q", slot)
	}
	return m, nil
}

// setSlot puts m in slot once the current call succeeds.
func (e *Engine) setSlot(slot string, m models.Model) { e.staged[slot] = m }

// test is the MNIST test set, fetched on first use.
func (e *Engine) test() (*data.Set, error) {
	e.mu.Lock()
	s := e.testSet
	e.mu.Unlock()
	if s != nil {
		return s, nil
	}
	if e.LoadTest == nil {
		return nil, errors.New("no MNIST source")
	}
	s, err := e.LoadTest()
	if err != nil {
		return nil, fmt.Errorf("loading the MNIST test set: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.testSet == nil {
		e.testSet = s
	}
	return e.testSet, nil
}

// loaded is the training and test sets if a run has fetched them.
func (e *Engine) loaded() (trainSet, testSet *data.Set) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.trainSet, e.testSet
}

// classifier is the MLP classifier in slot.
func (e *Engine) classifier(slot string) (*models.Classifier, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	return models.As[*models.Classifier](m, "mlp")
}

// vae returns the VAE (or conditional VAE) in slot.
func (e *Engine) vae(slot string) (*models.VAE, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	return models.As[*models.VAE](m, "vae")
}
