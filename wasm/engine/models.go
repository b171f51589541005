package engine

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"latentplay/core/analysis"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	"latentplay/core/nn"
	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

func init() {
	handle(protocol.Load, (*Engine).load)
	handle(protocol.Snapshot, (*Engine).snapshot)
	handle(protocol.Reconstruct, (*Engine).reconstruct)
	handle(protocol.Encode, (*Engine).encode)
	handle(protocol.Decode, (*Engine).decode)
	handle(protocol.Sample, (*Engine).sample)
	handle(protocol.Interpolate, (*Engine).interpolate)
	handle(protocol.SearchZ, (*Engine).searchZ)
	handle(protocol.LatentGrid, (*Engine).latentGrid)
	handle(protocol.Classify, (*Engine).classify)
	handle(protocol.TestCodes, (*Engine).testCodes)
	handle(protocol.Rebuild, (*Engine).rebuild)
	handle(protocol.Evaluate, (*Engine).evaluate)
	handle(protocol.TestDigits, (*Engine).testDigits)
}

func (e *Engine) load(q protocol.LoadArgs) (protocol.Info, error) {
	if q.Slot == "" {
		return protocol.Info{}, errors.New("no slot named")
	}
	if len(q.File.Data) > MaxModelBytes {
		return protocol.Info{}, fmt.Errorf("the file is %d bytes; the limit is %d", len(q.File.Data), MaxModelBytes)
	}
	m, _, err := models.Unmarshal(q.File.Data)
	if err != nil {
		return protocol.Info{}, err // the current model in the slot stays
	}
	e.setSlot(q.Slot, m)
	return info(q.Slot, m), nil
}

func info(slot string, m models.Model) protocol.Info {
	in := protocol.Info{Slot: slot, Kind: m.Kind(), Params: nn.CountParams(m.Params())}
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

func (e *Engine) snapshot(q protocol.Slot) (protocol.ModelFile, error) {
	m, err := e.model(q.Slot)
	if err != nil {
		return protocol.ModelFile{}, err
	}
	b, err := models.Marshal(m, nil, modelfile.Float32)
	return protocol.ModelFile{Info: info(q.Slot, m), File: protocol.File{Data: b}}, err
}

// generative is the autoencoder or VAE in slot.
func (e *Engine) generative(slot string) (models.Generative, error) {
	m, err := e.model(slot)
	if err != nil {
		return nil, err
	}
	return models.As[models.Generative](m, "ae", "linear-ae", "vae", "cvae")
}

// batch checks a batch holds rows of width finite values.
func batch(b protocol.Batch, width int, what string) (*tensor.Mat, error) {
	if b.Rows == 0 || b.Cols != width {
		return nil, fmt.Errorf("%d %s of %d values, want at least one of %d", b.Rows, what, b.Cols, width)
	}
	if !models.Finite(b.Data) {
		return nil, errors.New("the input holds NaN or infinite values")
	}
	return b.Mat(), nil
}

// labels checks one label per row for a conditional model (none for
// another).
func labels(ls []int, rows int, m models.Model) ([]uint8, error) {
	classes := models.Conditions(m)
	if classes == 0 {
		return nil, nil
	}
	if len(ls) != rows {
		return nil, fmt.Errorf("a conditional model needs %d labels, got %d", rows, len(ls))
	}
	out := make([]uint8, rows)
	for i, l := range ls {
		if l < 0 || l >= classes {
			return nil, fmt.Errorf("label %d is not a class 0..%d", l, classes-1)
		}
		out[i] = uint8(l)
	}
	return out, nil
}

// images resolves a generative model's images and labels.
func (e *Engine) images(q protocol.ImagesArgs) (models.Generative, *tensor.Mat, []uint8, error) {
	m, err := e.generative(q.Slot)
	if err != nil {
		return nil, nil, nil, err
	}
	x, err := batch(q.Images, m.Inputs(), "images")
	if err != nil {
		return nil, nil, nil, err
	}
	ls, err := labels(q.Labels, x.Rows, m)
	return m, x, ls, err
}

func (e *Engine) reconstruct(q protocol.ReconstructArgs) (protocol.Rebuilds, error) {
	m, x, ls, err := e.images(q.ImagesArgs)
	if err != nil {
		return protocol.Rebuilds{}, err
	}
	if q.Samples < 0 || q.Samples > 64 {
		return protocol.Rebuilds{}, fmt.Errorf("%d stochastic samples, want 0..64", q.Samples)
	}
	mean, sampled := models.Reconstructions(m, x, ls, q.Samples, q.Seed)
	return protocol.Rebuilds{Mean: protocol.BatchOf(mean), Sampled: protocol.BatchOf(sampled)}, nil
}

func (e *Engine) encode(q protocol.ImagesArgs) (protocol.Codes, error) {
	m, x, ls, err := e.images(q)
	if err != nil {
		return protocol.Codes{}, err
	}
	mu, sigma := m.Codes(x, ls)
	return protocol.Codes{Mu: protocol.BatchOf(mu), Sigma: protocol.BatchOf(sigma)}, nil
}

func (e *Engine) decode(q protocol.DecodeArgs) (protocol.Images, error) {
	m, err := e.generative(q.Slot)
	if err != nil {
		return protocol.Images{}, err
	}
	z, err := batch(q.Codes, m.Latent(), "codes")
	if err != nil {
		return protocol.Images{}, err
	}
	ls, err := labels(q.Labels, z.Rows, m)
	if err != nil {
		return protocol.Images{}, err
	}
	return protocol.Images{Images: protocol.BatchOf(m.Generate(z, ls))}, nil
}

// sampler is a model that draws images from its prior: a VAE or a GAN.
type sampler interface {
	models.Model
	Sample(n int, labels []uint8, temperature float32, rng *rand.Rand) *tensor.Mat
}

func (e *Engine) sample(q protocol.SampleArgs) (protocol.Images, error) {
	m, err := e.model(q.Slot)
	if err != nil {
		return protocol.Images{}, err
	}
	v, err := models.As[sampler](m, "vae", "cvae", "gan", "cgan")
	if err != nil {
		return protocol.Images{}, err
	}
	if q.N < 1 || q.N > 1024 {
		return protocol.Images{}, fmt.Errorf("%d samples, want 1..1024", q.N)
	}
	if !(q.Temperature >= 0 && q.Temperature <= 5) {
		return protocol.Images{}, fmt.Errorf("temperature %g, want 0..5", q.Temperature)
	}
	ls, err := labels(q.Labels, q.N, v)
	if err != nil {
		return protocol.Images{}, err
	}
	return protocol.Images{Images: protocol.BatchOf(v.Sample(q.N, ls, q.Temperature, models.SampleRNG(q.Seed)))}, nil
}

// searchRate is Adam's step size in z-space for SearchZ: z's coordinates
// are of order 1, and a few hundred steps of 0.05 cross the prior.
const searchRate = 0.05

func (e *Engine) searchZ(q protocol.SearchArgs) (protocol.Searched, error) {
	m, err := e.model(q.Slot)
	if err != nil {
		return protocol.Searched{}, err
	}
	g, err := models.As[*models.GAN](m, "gan", "cgan")
	if err != nil {
		return protocol.Searched{}, err
	}
	if q.Steps < 1 || q.Steps > 2000 {
		return protocol.Searched{}, fmt.Errorf("%d steps, want 1..2000", q.Steps)
	}
	x, err := batch(q.Images, g.Inputs(), "images")
	if err != nil {
		return protocol.Searched{}, err
	}
	if x.Rows > 64 {
		return protocol.Searched{}, fmt.Errorf("%d images, want at most 64", x.Rows)
	}
	ls, err := labels(q.Labels, x.Rows, g)
	if err != nil {
		return protocol.Searched{}, err
	}
	z, img := g.Invert(x, ls, q.Steps, searchRate)
	return protocol.Searched{Codes: protocol.BatchOf(z), Images: protocol.BatchOf(img), Loss: g.InvertLoss(z, x, ls)}, nil
}

func (e *Engine) interpolate(q protocol.InterpolateArgs) (protocol.Images, error) {
	if q.Steps < 2 || q.Steps > 64 {
		return protocol.Images{}, fmt.Errorf("%d steps, want 2..64", q.Steps)
	}
	m, err := e.generative(q.Slot)
	if err != nil {
		return protocol.Images{}, err
	}
	x, err := batch(q.Ends, m.Inputs(), "images")
	if err != nil {
		return protocol.Images{}, err
	}
	if x.Rows != 2 {
		return protocol.Images{}, fmt.Errorf("interpolation joins two images, got %d", x.Rows)
	}
	var ls, path []uint8
	if models.Conditions(m) > 0 {
		if ls, err = labels(q.Labels, 2, m); err != nil {
			return protocol.Images{}, err
		}
		for s := range q.Steps {
			path = append(path, ls[min(1, 2*s/q.Steps)])
		}
	}
	mu, _ := m.Codes(x, ls)
	z := models.Interpolate(mu.Row(0), mu.Row(1), q.Steps, q.Spherical)
	return protocol.Images{Images: protocol.BatchOf(m.Generate(z, path))}, nil
}

func (e *Engine) latentGrid(q protocol.LatentGridArgs) (protocol.Images, error) {
	m, err := e.generative(q.Slot)
	if err != nil {
		return protocol.Images{}, err
	}
	if m.Latent() != 2 {
		return protocol.Images{}, fmt.Errorf("a latent grid needs a 2-D latent space; %q has %d", q.Slot, m.Latent())
	}
	if q.N < 2 || q.N > 40 {
		return protocol.Images{}, fmt.Errorf("grid of %d×%d, want 2..40 per side", q.N, q.N)
	}
	g := models.LatentGrid(q.N)
	if q.Lo != nil && q.Hi != nil {
		g = models.BoxGrid(q.N, *q.Lo, *q.Hi)
	}
	var ls []int
	if q.Label != nil {
		ls = make([]int, q.N*q.N)
		for i := range ls {
			ls[i] = *q.Label
		}
	}
	l, err := labels(ls, g.Rows, m)
	if err != nil {
		return protocol.Images{}, err
	}
	return protocol.Images{Images: protocol.BatchOf(m.Generate(g, l))}, nil
}

func (e *Engine) classify(q protocol.ImagesArgs) (protocol.Probabilities, error) {
	c, err := e.classifier(q.Slot)
	if err != nil {
		return protocol.Probabilities{}, err
	}
	x, err := batch(q.Images, c.Cfg.Inputs, "images")
	if err != nil {
		return protocol.Probabilities{}, err
	}
	return protocol.Probabilities{Probs: protocol.BatchOf(c.Probabilities(x).Clone())}, nil
}

// testCodes encodes the first N test digits (μ), for the latent map.
func (e *Engine) testCodes(q protocol.CountArgs) (protocol.LabelledCodes, error) {
	m, err := e.generative(q.Slot)
	if err != nil {
		return protocol.LabelledCodes{}, err
	}
	if q.N < 1 || q.N > 10000 {
		return protocol.LabelledCodes{}, fmt.Errorf("%d test digits, want 1..10000", q.N)
	}
	test, err := e.test()
	if err != nil {
		return protocol.LabelledCodes{}, err
	}
	x, ls := test.First(q.N)
	var given []uint8
	if models.Conditions(m) > 0 {
		given = ls
	}
	mu, _ := m.Codes(x, given)
	return protocol.LabelledCodes{Codes: protocol.BatchOf(mu), Labels: ints(ls)}, nil
}

func ints(ls []uint8) []int {
	out := make([]int, len(ls))
	for i, l := range ls {
		out[i] = int(l)
	}
	return out
}

// rebuild runs one drawing through several models at once.
func (e *Engine) rebuild(q protocol.RebuildArgs) (protocol.Rebuilt, error) {
	if len(q.Slots) == 0 || len(q.Slots) > 8 {
		return protocol.Rebuilt{}, fmt.Errorf("%d models to rebuild with, want 1..8", len(q.Slots))
	}
	ms := make([]models.Model, len(q.Slots))
	for i, slot := range q.Slots {
		m, err := e.model(slot)
		if err != nil {
			return protocol.Rebuilt{}, err
		}
		ms[i] = m
	}
	if q.Image.Rows != 1 {
		return protocol.Rebuilt{}, fmt.Errorf("%d drawings, want one", q.Image.Rows)
	}
	r, err := models.Rebuild(ms, q.Image.Data, q.Samples, q.Seed)
	if err != nil {
		return protocol.Rebuilt{}, err
	}
	out := protocol.Rebuilt{Class: r.Class, Probs: r.Probs}
	for _, im := range r.Images {
		out.Images = append(out.Images, protocol.BatchOf(im))
	}
	return out, nil
}

func (e *Engine) evaluate(q protocol.Slot) (protocol.Evaluation, error) {
	m, err := e.model(q.Slot)
	if err != nil {
		return protocol.Evaluation{}, err
	}
	test, err := e.test()
	if err != nil {
		return protocol.Evaluation{}, err
	}
	switch m := m.(type) {
	case *models.VAE:
		f := analysis.EvaluateVAE(m, test, 0, 0, 1)
		return protocol.Evaluation{LossNats: f.Loss, ReconNats: f.Recon, KLNats: f.KL}, nil
	case *models.Autoencoder:
		return protocol.Evaluation{MSE: analysis.EvaluateAE(m, test).MSE}, nil
	case *models.Classifier:
		return protocol.Evaluation{Accuracy: analysis.Accuracy(m, test)}, nil
	}
	return protocol.Evaluation{}, fmt.Errorf("no evaluation for %q", m.Kind())
}

func (e *Engine) testDigits(q protocol.IndexArgs) (protocol.LabelledImages, error) {
	if len(q.Index) < 1 || len(q.Index) > 100 {
		return protocol.LabelledImages{}, fmt.Errorf("%d digits, want 1..100", len(q.Index))
	}
	test, err := e.test()
	if err != nil {
		return protocol.LabelledImages{}, err
	}
	x, ls, err := test.Pick(q.Index)
	if err != nil {
		return protocol.LabelledImages{}, err
	}
	return protocol.LabelledImages{Images: protocol.BatchOf(x), Labels: ints(ls)}, nil
}
