package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"latentplay/core/modelfile"
	"latentplay/core/nn"
)

// Model kinds, as written in model files.
const (
	KindMLP      = "mlp"
	KindLinearAE = "linear-ae"
	KindAE       = "ae"
	KindVAE      = "vae"
	KindCVAE     = "cvae"
	KindGAN      = "gan"
	KindCGAN     = "cgan"
)

// Limits on what a configuration may ask for, so that a hand-edited or
// hostile model file cannot make the browser allocate gigabytes.
const (
	maxWidth  = 4096
	maxLayers = 8
)

// Model is a network latentplay can save, load and share.
type Model interface {
	Kind() string
	Config() any
	Params() []*nn.Param
	Inputs() int // width of the images it takes
}

// ConfigError reports a model configuration that cannot be built.
type ConfigError struct {
	Kind   string
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("models: %s: bad configuration: %s", e.Kind, e.Reason)
}

// KindError reports a model of one kind given where another was needed,
// such as a classifier loaded into the VAE's view.
type KindError struct {
	Got  string
	Want []string
}

func (e *KindError) Error() string {
	if len(e.Want) == 0 {
		return fmt.Sprintf("models: unknown model kind %q", e.Got)
	}
	return fmt.Sprintf("models: this is a %q model; needed %q", e.Got, e.Want)
}

// TensorError reports a missing, extra or misshapen tensor in a model file.
type TensorError struct {
	Name   string
	Reason string
}

func (e *TensorError) Error() string { return fmt.Sprintf("models: tensor %q: %s", e.Name, e.Reason) }

func checkWidth(what string, n int) error {
	if n < 1 || n > maxWidth {
		return &ConfigError{Kind: "model", Reason: fmt.Sprintf("%s = %d, want 1..%d", what, n, maxWidth)}
	}
	return nil
}

// A kind knows how to read its configuration, which tensors a model of
// that configuration saves (its names and shapes, so a file is checked
// before anything is allocated: a small hostile file cannot ask for a huge
// network), and how to build it with throwaway weights that the file's
// tensors replace.
type kind struct {
	config func(cfg json.RawMessage) (spec []tensorSpec, build func() (Model, error), err error)
}

// tensorSpec is one tensor a model saves: its name and its rows×cols shape.
type tensorSpec struct {
	name       string
	rows, cols int
}

func classifierKind(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
	var c ClassifierConfig
	if err := decodeConfig(KindMLP, cfg, &c); err != nil {
		return nil, nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	return c.spec(), func() (Model, error) { return NewClassifier(c, toLoad) }, nil
}

func aeKind(name string, linear bool) func(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
	return func(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
		var c AEConfig
		if err := decodeConfig(name, cfg, &c); err != nil {
			return nil, nil, err
		}
		if c.Linear != linear {
			return nil, nil, &ConfigError{Kind: name, Reason: fmt.Sprintf("linear = %v in a %s file", c.Linear, name)}
		}
		if err := c.Validate(); err != nil {
			return nil, nil, err
		}
		return c.spec(), func() (Model, error) { return NewAutoencoder(c, toLoad) }, nil
	}
}

func vaeKind(name string, conditional bool) func(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
	return func(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
		var c VAEConfig
		if err := decodeConfig(name, cfg, &c); err != nil {
			return nil, nil, err
		}
		if conditional && c.Classes < 2 {
			return nil, nil, &ConfigError{Kind: name, Reason: fmt.Sprintf("classes = %d, want at least 2", c.Classes)}
		}
		if !conditional && c.Classes != 0 {
			return nil, nil, &ConfigError{Kind: name, Reason: "a VAE takes no classes (that is a cvae)"}
		}
		if err := c.Validate(); err != nil {
			return nil, nil, err
		}
		return c.spec(), func() (Model, error) { return NewVAE(c, toLoad) }, nil
	}
}

func ganKind(name string, conditional bool) func(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
	return func(cfg json.RawMessage) ([]tensorSpec, func() (Model, error), error) {
		var c GANConfig
		if err := decodeConfig(name, cfg, &c); err != nil {
			return nil, nil, err
		}
		if conditional && c.Classes < 2 {
			return nil, nil, &ConfigError{Kind: name, Reason: fmt.Sprintf("classes = %d, want at least 2", c.Classes)}
		}
		if !conditional && c.Classes != 0 {
			return nil, nil, &ConfigError{Kind: name, Reason: "a GAN takes no classes (that is a cgan)"}
		}
		if err := c.Validate(); err != nil {
			return nil, nil, err
		}
		return c.spec(), func() (Model, error) { return NewGAN(c, toLoad) }, nil
	}
}

var kinds = map[string]kind{
	KindMLP:      {classifierKind},
	KindLinearAE: {aeKind(KindLinearAE, true)},
	KindAE:       {aeKind(KindAE, false)},
	KindVAE:      {vaeKind(KindVAE, false)},
	KindCVAE:     {vaeKind(KindCVAE, true)},
	KindGAN:      {ganKind(KindGAN, false)},
	KindCGAN:     {ganKind(KindCGAN, true)},
}

// denseSpec is what nn.NewDense(name, in, out) saves: NAME.W and NAME.b.
func denseSpec(name string, in, out int) []tensorSpec {
	return []tensorSpec{{name + ".W", in, out}, {name + ".b", 1, out}}
}

// stackSpec is what stack(name, in, widths) saves.
func stackSpec(name string, in int, widths []int) []tensorSpec {
	var s []tensorSpec
	for i, w := range widths {
		s = append(s, denseSpec(fmt.Sprintf("%s%d", name, i), in, w)...)
		in = w
	}
	return s
}

// decoderSpec is what decoder(name, in, widths, out) saves.
func decoderSpec(name string, in int, widths []int, out int) []tensorSpec {
	rev := reversed(widths)
	return append(stackSpec(name, in, rev), denseSpec(fmt.Sprintf("%s%d", name, len(rev)), rev[len(rev)-1], out)...)
}

func reversed(ws []int) []int {
	r := make([]int, len(ws))
	for i, w := range ws {
		r[len(ws)-1-i] = w
	}
	return r
}

// spec is what NewClassifier(c) saves.
func (c ClassifierConfig) spec() []tensorSpec {
	widths := append(append([]int{c.Inputs}, c.Hidden...), c.Classes)
	var s []tensorSpec
	for i := 0; i+1 < len(widths); i++ {
		s = append(s, denseSpec(fmt.Sprintf("fc%d", i), widths[i], widths[i+1])...)
	}
	return s
}

// spec is what NewAutoencoder(c) saves.
func (c AEConfig) spec() []tensorSpec {
	if c.Linear {
		return []tensorSpec{{"V.W", c.Inputs, c.Latent}, {"U.W", c.Latent, c.Inputs}, {"mean", 1, c.Inputs}}
	}
	s := stackSpec("enc", c.Inputs, c.Hidden)
	s = append(s, denseSpec("code", c.Hidden[len(c.Hidden)-1], c.Latent)...)
	return append(s, decoderSpec("dec", c.Latent, c.Hidden, c.Inputs)...)
}

// spec is what NewVAE(c) saves.
func (c VAEConfig) spec() []tensorSpec {
	s := stackSpec("enc", c.Inputs+c.Classes, c.Hidden)
	s = append(s, denseSpec("head", c.Hidden[len(c.Hidden)-1], 2*c.Latent)...)
	return append(s, decoderSpec("dec", c.Latent+c.Classes, c.Hidden, c.Inputs)...)
}

// spec is what NewGAN(c) saves: the generator's layers, then the
// discriminator's.
func (c GANConfig) spec() []tensorSpec {
	s := stackSpec("gen", c.Latent+c.Classes, c.Hidden)
	s = append(s, denseSpec(fmt.Sprintf("gen%d", len(c.Hidden)), c.Hidden[len(c.Hidden)-1], c.Inputs)...)
	rev := reversed(c.Hidden)
	s = append(s, stackSpec("dis", c.Inputs+c.Classes, rev)...)
	return append(s, denseSpec(fmt.Sprintf("dis%d", len(rev)), rev[len(rev)-1], 1)...)
}

// toLoad is the rng a model is built with to load a file: nil, so no
// starting weights are drawn for the file to overwrite (under WebAssembly
// that was half the time a load took).
var toLoad *rand.Rand

// seeds is where a model built with rng draws the seeds of its own random
// sources (its noise, its dropout masks): rng itself, or for a model built
// to load a file, the zero-seeded source every loaded model has drawn
// them from.
func seeds(rng *rand.Rand) *rand.Rand {
	if rng == nil {
		return rand.New(rand.NewPCG(0, 0))
	}
	return rng
}

// buffered models also save tensors that are not trained.
type buffered interface {
	Buffers() []*nn.Param
}

// saved lists every tensor a model's file holds: parameters, then buffers.
func saved(m Model) []*nn.Param {
	ps := m.Params()
	if b, ok := m.(buffered); ok {
		ps = append(ps, b.Buffers()...)
	}
	return ps
}

// decodeConfig reads a configuration, refusing fields it does not know
// (a file from a different model, or a typo, should not half-load).
func decodeConfig(kind string, b []byte, v any) error {
	if len(b) == 0 {
		return &ConfigError{Kind: kind, Reason: "missing"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &ConfigError{Kind: kind, Reason: err.Error()}
	}
	return nil
}

// ToFile packs a model and its metadata (eval figures, seed; any JSON
// value or nil) into a model file.
func ToFile(m Model, meta any) (*modelfile.File, error) {
	cfg, err := json.Marshal(m.Config())
	if err != nil {
		return nil, err
	}
	f := &modelfile.File{Kind: m.Kind(), Config: cfg}
	if meta != nil {
		if f.Meta, err = json.Marshal(meta); err != nil {
			return nil, err
		}
	}
	for _, p := range saved(m) {
		f.Tensors = append(f.Tensors, modelfile.Tensor{
			Name:  p.Name,
			Shape: []int{p.Value.Rows, p.Value.Cols},
			Data:  p.Value.Data,
		})
	}
	return f, nil
}

// Marshal encodes a model as model-file bytes.
func Marshal(m Model, meta any, s modelfile.Storage) ([]byte, error) {
	f, err := ToFile(m, meta)
	if err != nil {
		return nil, err
	}
	return modelfile.Marshal(f, s)
}

// FromFile rebuilds the model a file describes. Every tensor the model
// needs must be present with its exact shape; nothing else may be.
func FromFile(f *modelfile.File) (Model, error) {
	build, err := check(f)
	if err != nil {
		return nil, err
	}
	m, err := build()
	if err != nil {
		return nil, err
	}
	for _, p := range saved(m) {
		t, ok := f.Tensor(p.Name)
		if !ok || !slices.Equal(t.Shape, []int{p.Value.Rows, p.Value.Cols}) {
			// check holds the file to the kind's spec, which names the
			// model's tensors; this would be a spec that does not.
			return nil, &TensorError{Name: p.Name, Reason: "not in the file as the model has it"}
		}
		copy(p.Value.Data, t.Data)
	}
	return m, nil
}

// check is what FromFile and Check ask of a file, before anything is
// built: a known kind, a valid configuration of it, and exactly the
// tensors a model of that configuration saves, each with its shape. It
// reads the tensors' shapes, never their values, and returns how to build
// the model.
func check(f *modelfile.File) (build func() (Model, error), err error) {
	k, ok := kinds[f.Kind]
	if !ok {
		return nil, &KindError{Got: f.Kind}
	}
	spec, build, err := k.config(f.Config)
	if err != nil {
		return nil, err
	}
	want, have := 0, 0
	for _, s := range spec {
		want += s.rows * s.cols
	}
	for _, t := range f.Tensors {
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		have += n
	}
	if have != want {
		return nil, &TensorError{Name: "*", Reason: fmt.Sprintf("the file holds %d values; a %s of this configuration has %d", have, f.Kind, want)}
	}
	if len(f.Tensors) != len(spec) {
		for _, t := range f.Tensors {
			if !slices.ContainsFunc(spec, func(s tensorSpec) bool { return s.name == t.Name }) {
				return nil, &TensorError{Name: t.Name, Reason: "not part of a " + f.Kind + " with this configuration"}
			}
		}
	}
	for _, s := range spec {
		t, ok := f.Tensor(s.name)
		if !ok {
			return nil, &TensorError{Name: s.name, Reason: "missing"}
		}
		if want := []int{s.rows, s.cols}; !slices.Equal(t.Shape, want) {
			return nil, &TensorError{Name: s.name, Reason: fmt.Sprintf("shape %v, want %v", t.Shape, want)}
		}
	}
	return build, nil
}

// Unmarshal decodes model-file bytes into a model.
func Unmarshal(b []byte) (Model, *modelfile.File, error) {
	f, err := modelfile.Decode(b)
	if err != nil {
		return nil, nil, err
	}
	m, err := FromFile(f)
	return m, f, err
}

// Check answers whether Unmarshal would load b, and what kind of model it
// holds, without loading it: the format, checksum and finite values
// (modelfile.Scan), then the kind, configuration and every tensor's name
// and shape (what FromFile checks before it builds). It builds no network
// and keeps no weights, so it allocates a few kilobytes whatever the size
// of b, where Unmarshal allocates the network with its gradients and
// buffers (for an 8 MiB int8 file, over 100 MiB). The share API checks
// uploads with it.
func Check(b []byte) (kind string, err error) {
	f, err := modelfile.Scan(b)
	if err != nil {
		return "", err
	}
	if _, err := check(f); err != nil {
		return "", err
	}
	return f.Kind, nil
}

// As returns m as a T, or a KindError naming what was needed.
func As[T Model](m Model, want ...string) (T, error) {
	t, ok := m.(T)
	if !ok {
		return t, &KindError{Got: m.Kind(), Want: want}
	}
	return t, nil
}
