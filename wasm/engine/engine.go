// Package engine is latentplay's core behind the message protocol: the
// page's requests in, responses and training progress out. It knows no
// JavaScript: the Web Worker entry (worker/) wires it to postMessage, and
// the tests drive it directly.
package engine

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"latentplay/core/data"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
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
	Emit func(protocol.Progress)
	// Yield lets the page's messages in between training chunks.
	Yield func()
	// Chunk is how long training runs between yields and progress events.
	Chunk time.Duration
	// Fetch reads a URL (a shipped model file); nil where there is no network.
	Fetch func(url string) ([]byte, error)
	// Spawn starts a helper engine for data-parallel training; nil where
	// there is none to be had (training then uses this engine alone).
	Spawn func() (Remote, error)

	mu                sync.Mutex
	slots             map[string]models.Model
	trainSet, testSet *data.Set
	run               *run
	lab               *netLab // the network lab's run
	gen               int
	shard             *train.Replica // when this engine helps another train
	shardGrads        []float32      // its last gradient, reused step to step
}

// New returns an engine with no models loaded.
func New() *Engine {
	return &Engine{slots: map[string]models.Model{}, Chunk: 100 * time.Millisecond, Yield: func() {}}
}

// floatOps are the operations that answer with float32 values (images,
// codes, probabilities).
var floatOps = map[protocol.Op]func(*Engine, protocol.Request) ([]float32, error){
	protocol.OpReconstruct: (*Engine).reconstruct,
	protocol.OpEncode:      (*Engine).encode,
	protocol.OpDecode:      (*Engine).decode,
	protocol.OpSample:      (*Engine).sample,
	protocol.OpInterpolate: (*Engine).interpolate,
	protocol.OpLatentGrid:  (*Engine).latentGrid,
	protocol.OpClassify:    (*Engine).classify,
	protocol.OpTestCodes:   (*Engine).testCodes,
	protocol.OpRebuild:     (*Engine).rebuild,
	protocol.OpActivation:  (*Engine).activation,
	protocol.OpUnitWeights: (*Engine).unitWeights,
	protocol.OpTestDigits:  (*Engine).testDigits,
}

// labOps are the labs' operations: pictures as float32 values, and the
// figures they show.
var labOps = map[protocol.Op]func(*Engine, protocol.Request) ([]float32, map[string]float64, error){
	protocol.OpPerceptron: (*Engine).perceptron,
	protocol.OpNetwork:    (*Engine).network,
	protocol.OpDescent:    (*Engine).descent,
	protocol.OpConfusion:  (*Engine).confusion,
	protocol.OpFewLabels:  (*Engine).fewLabels,
	protocol.OpELBOPoint:  (*Engine).elboPoint,
	protocol.OpLatentSize: (*Engine).latentSize,
	protocol.OpReparam:    (*Engine).reparam,
}

// Handle answers one request. Training requests start a run that goes on
// in its own goroutine, reporting through Emit.
func (e *Engine) Handle(req protocol.Request) (resp protocol.Response) {
	resp.ID = req.ID
	defer func() {
		// A bug must not take the worker down with every model in it.
		if r := recover(); r != nil {
			resp = protocol.Response{ID: req.ID, Error: fmt.Sprintf("engine: %s failed: %v", req.Op, r)}
		}
	}()
	e.mu.Lock()
	defer e.mu.Unlock()
	var err error
	switch req.Op {
	case protocol.OpLoad:
		if req.Bytes == nil && req.URL != "" && e.Fetch != nil {
			e.mu.Unlock() // no need to hold up training while the network works
			req.Bytes, err = e.Fetch(req.URL)
			e.mu.Lock()
			if err != nil {
				break
			}
		}
		resp.Info, err = e.load(req.Slot, req.Bytes)
	case protocol.OpSnapshot:
		resp.Bytes, err = e.snapshot(req.Slot)
	case protocol.OpTrain:
		var gen int
		if gen, err = e.startTraining(req); err == nil {
			resp.Figures = map[string]float64{"gen": float64(gen)}
		}
	case protocol.OpPause, protocol.OpResume, protocol.OpStop:
		err = e.control(req.Op)
	case protocol.OpEvaluate:
		resp.Figures, err = e.evaluate(req.Slot)
	case protocol.OpShardStart:
		err = e.shardStart(req)
	case protocol.OpShardGradient:
		resp.Floats, resp.Loss, err = e.shardGradient(req)
	case protocol.OpShardApply:
		err = e.shardApply(req)
	default:
		if op, ok := labOps[req.Op]; ok {
			resp.Floats, resp.Figures, err = op(e, req)
			break
		}
		op, ok := floatOps[req.Op]
		if !ok {
			err = fmt.Errorf("unknown operation %q", req.Op)
			break
		}
		if req.Repeat < 0 || req.Repeat > 1000 {
			err = fmt.Errorf("repeat %d, want 0..1000", req.Repeat)
			break
		}
		start := time.Now()
		resp.Floats, err = op(e, req)
		for i := 1; i < req.Repeat && err == nil; i++ {
			resp.Floats, err = op(e, req)
		}
		if req.Repeat > 0 {
			resp.ComputeMS = float64(time.Since(start).Microseconds()) / 1000 / float64(req.Repeat)
		}
	}
	if err != nil {
		resp.Error = (&protocol.Error{Op: req.Op, Msg: err.Error()}).Error()
	}
	return resp
}

func (e *Engine) load(slot string, b []byte) (*protocol.Info, error) {
	if slot == "" {
		return nil, errors.New("no slot named")
	}
	if len(b) > MaxModelBytes {
		return nil, fmt.Errorf("the file is %d bytes; the limit is %d", len(b), MaxModelBytes)
	}
	m, _, err := models.Unmarshal(b)
	if err != nil {
		return nil, err // the current model in the slot stays
	}
	e.slots[slot] = m
	return info(slot, m), nil
}

func info(slot string, m models.Model) *protocol.Info {
	in := &protocol.Info{Slot: slot, Kind: m.Kind(), Params: nn.CountParams(m.Params())}
	switch m := m.(type) {
	case *models.VAE:
		in.Latent, in.Classes = m.Cfg.Latent, m.Cfg.Classes
	case *models.Autoencoder:
		in.Latent = m.Cfg.Latent
	case *models.Classifier:
		in.Classes = m.Cfg.Classes
	}
	return in
}

func (e *Engine) model(slot string) (models.Model, error) {
	m, ok := e.slots[slot]
	if !ok {
		return nil, fmt.Errorf("no model loaded as %q", slot)
	}
	return m, nil
}

// images reads req.Floats as rows of the model's input width.
func images(req protocol.Request, width int) (*tensor.Mat, error) {
	if width <= 0 || len(req.Floats) == 0 || len(req.Floats)%width != 0 {
		return nil, fmt.Errorf("%d values are not whole images of %d pixels", len(req.Floats), width)
	}
	for _, v := range req.Floats {
		if !(v >= -1e6 && v <= 1e6) {
			return nil, errors.New("the input holds NaN or infinite values")
		}
	}
	return tensor.FromSlice(len(req.Floats)/width, width, req.Floats), nil
}

// labels checks one label per row for a conditional model.
func labels(req protocol.Request, rows, classes int) ([]uint8, error) {
	if classes == 0 {
		return nil, nil
	}
	if len(req.Labels) != rows {
		return nil, fmt.Errorf("a conditional model needs %d labels, got %d", rows, len(req.Labels))
	}
	out := make([]uint8, rows)
	for i, l := range req.Labels {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("label %d is not a class 0..%d", l, classes-1)
		}
		out[i] = uint8(l)
	}
	return out, nil
}

func rng(seed uint64) *rand.Rand { return models.SampleRNG(seed) }

func (e *Engine) generative(slot string) (models.Model, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	switch m.(type) {
	case *models.VAE, *models.Autoencoder:
		return m, nil
	}
	return nil, &models.KindError{Got: m.Kind(), Want: []string{"ae", "linear-ae", "vae", "cvae"}}
}

// rows resolves a generative model's request: the model, req.Floats as rows
// of its input width (or of its latent width, for latents), and one label
// per row when it is conditional.
func (e *Engine) rows(req protocol.Request, latents bool) (models.Model, *tensor.Mat, []uint8, error) {
	m, err := e.generative(req.Slot)
	if err != nil {
		return nil, nil, nil, err
	}
	width, classes := m.Inputs(), 0
	if latents {
		width = latentOf(m)
	}
	if v, ok := m.(*models.VAE); ok {
		classes = v.Cfg.Classes
	}
	x, err := images(req, width)
	if err != nil {
		return nil, nil, nil, err
	}
	ls, err := labels(req, x.Rows, classes)
	return m, x, ls, err
}

func (e *Engine) reconstruct(req protocol.Request) ([]float32, error) {
	m, x, ls, err := e.rows(req, false)
	if err != nil {
		return nil, err
	}
	if a, ok := m.(*models.Autoencoder); ok {
		return a.Reconstruct(x).Data, nil
	}
	v := m.(*models.VAE)
	if req.Samples < 0 || req.Samples > 64 {
		return nil, fmt.Errorf("%d stochastic samples, want 0..64", req.Samples)
	}
	return v.Rebuilds(x, ls, req.Samples, rng(req.Seed)).Data, nil
}

// encode returns μ then σ (N×K each); an autoencoder's code is its μ, with σ = 0.
func (e *Engine) encode(req protocol.Request) ([]float32, error) {
	m, x, ls, err := e.rows(req, false)
	if err != nil {
		return nil, err
	}
	if a, ok := m.(*models.Autoencoder); ok {
		code := a.Encode(x).Data
		return append(code, make([]float32, len(code))...), nil
	}
	mu, sigma := m.(*models.VAE).Encode(x, ls)
	return append(mu.Data, sigma.Data...), nil
}

func (e *Engine) decode(req protocol.Request) ([]float32, error) {
	m, z, ls, err := e.rows(req, true)
	if err != nil {
		return nil, err
	}
	if a, ok := m.(*models.Autoencoder); ok {
		return a.Decode(z).Data, nil
	}
	return m.(*models.VAE).Decode(z, ls).Data, nil
}

func (e *Engine) sample(req protocol.Request) ([]float32, error) {
	m, err := e.model(req.Slot)
	if err != nil {
		return nil, err
	}
	v, err := models.As[*models.VAE](m, "vae", "cvae")
	if err != nil {
		return nil, err
	}
	if req.N < 1 || req.N > 1024 {
		return nil, fmt.Errorf("%d samples, want 1..1024", req.N)
	}
	if !(req.Temperature >= 0 && req.Temperature <= 5) {
		return nil, fmt.Errorf("temperature %g, want 0..5", req.Temperature)
	}
	ls, err := labels(req, req.N, v.Cfg.Classes)
	if err != nil {
		return nil, err
	}
	return v.Sample(req.N, ls, req.Temperature, rng(req.Seed)).Data, nil
}

func (e *Engine) interpolate(req protocol.Request) ([]float32, error) {
	if req.Steps < 2 || req.Steps > 64 {
		return nil, fmt.Errorf("%d steps, want 2..64", req.Steps)
	}
	enc, err := e.encode(req)
	if err != nil {
		return nil, err
	}
	m, _ := e.model(req.Slot)
	k := latentOf(m)
	if len(enc) != 4*k {
		return nil, fmt.Errorf("interpolation takes two images, got %d", len(enc)/(2*k))
	}
	path := models.Interpolate(enc[:k], enc[k:2*k], req.Steps, req.Spherical)
	dreq := protocol.Request{Slot: req.Slot, Floats: path.Data}
	if len(req.Labels) == 2 {
		for s := range req.Steps {
			l := req.Labels[0]
			if s >= req.Steps/2 {
				l = req.Labels[1]
			}
			dreq.Labels = append(dreq.Labels, l)
		}
	}
	return e.decode(dreq)
}

// latentOf is a generative model's latent width (0 for a classifier).
func latentOf(m models.Model) int {
	if l, ok := m.(interface{ Latent() int }); ok {
		return l.Latent()
	}
	return 0
}

func (e *Engine) latentGrid(req protocol.Request) ([]float32, error) {
	m, err := e.generative(req.Slot)
	if err != nil {
		return nil, err
	}
	if latentOf(m) != 2 {
		return nil, fmt.Errorf("a latent grid needs a 2-D latent space; %q has %d", req.Slot, latentOf(m))
	}
	if req.N < 2 || req.N > 40 {
		return nil, fmt.Errorf("grid of %d×%d, want 2..40 per side", req.N, req.N)
	}
	g := models.LatentGrid(req.N)
	if len(req.Lo) == 2 && len(req.Hi) == 2 {
		g = boxGrid(req.N, req.Lo, req.Hi)
	}
	return e.decode(protocol.Request{Slot: req.Slot, Floats: g.Data, Labels: repeatLabel(req.Labels, req.N*req.N)})
}

func repeatLabel(ls []int, n int) []int {
	if len(ls) != 1 {
		return ls
	}
	out := make([]int, n)
	for i := range out {
		out[i] = ls[0]
	}
	return out
}

func (e *Engine) classify(req protocol.Request) ([]float32, error) {
	c, err := e.classifier(req.Slot)
	if err != nil {
		return nil, err
	}
	x, err := images(req, c.Cfg.Inputs)
	if err != nil {
		return nil, err
	}
	return c.Probabilities(x).Clone().Data, nil
}

func (e *Engine) snapshot(slot string) ([]byte, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	return models.Marshal(m, nil, modelfile.Float32)
}

// needTest loads the MNIST test set if no run has yet.
func (e *Engine) needTest() error {
	if e.testSet != nil {
		return nil
	}
	if e.LoadTest == nil {
		return errors.New("no MNIST source")
	}
	e.mu.Unlock() // the network is slow; let training go on meanwhile
	test, err := e.LoadTest()
	e.mu.Lock()
	if err != nil {
		return fmt.Errorf("loading the MNIST test set: %w", err)
	}
	if e.testSet == nil {
		e.testSet = test
	}
	return nil
}

// testCodes encodes the first N test digits (μ for a VAE) and appends their
// labels, for the latent map.
func (e *Engine) testCodes(req protocol.Request) ([]float32, error) {
	m, err := e.generative(req.Slot)
	if err != nil {
		return nil, err
	}
	if req.N < 1 || req.N > 10000 {
		return nil, fmt.Errorf("%d test digits, want 1..10000", req.N)
	}
	if err := e.needTest(); err != nil {
		return nil, err
	}
	n := min(req.N, e.testSet.N)
	x := tensor.New(n, e.testSet.Dim())
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	labels := make([]uint8, n)
	e.testSet.Batch(idx, x.Data, labels)
	enc := protocol.Request{Slot: req.Slot, Floats: x.Data}
	if v, ok := m.(*models.VAE); ok && v.Cfg.Classes > 0 {
		for _, l := range labels {
			enc.Labels = append(enc.Labels, int(l))
		}
	}
	codes, err := e.encode(enc)
	if err != nil {
		return nil, err
	}
	out := codes[:len(codes)/2] // μ, without σ
	for _, l := range labels {
		out = append(out, float32(l))
	}
	return out, nil
}

// boxGrid is n×n points evenly spaced over [lo, hi], rows from the top
// (large z₂) as in models.LatentGrid.
func boxGrid(n int, lo, hi []float32) *tensor.Mat {
	g := tensor.New(n*n, 2)
	for i := range n {
		y := hi[1] - (hi[1]-lo[1])*(float32(i)+0.5)/float32(n)
		for j := range n {
			g.Set(i*n+j, 0, lo[0]+(hi[0]-lo[0])*(float32(j)+0.5)/float32(n))
			g.Set(i*n+j, 1, y)
		}
	}
	return g
}

// rebuild answers OpRebuild: one image through several models at once.
func (e *Engine) rebuild(req protocol.Request) ([]float32, error) {
	if len(req.Slots) == 0 || len(req.Slots) > 8 {
		return nil, fmt.Errorf("%d models to rebuild with, want 1..8", len(req.Slots))
	}
	ms := make([]models.Model, len(req.Slots))
	for i, slot := range req.Slots {
		m, err := e.model(slot)
		if err != nil {
			return nil, err
		}
		ms[i] = m
	}
	return models.Rebuild(ms, req.Floats, req.Samples, req.Seed)
}
