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

// A kind knows how to read its configuration, how many values a model of
// that configuration holds (checked against the file before anything is
// allocated, so a small hostile file cannot ask for a huge network), and
// how to build it with throwaway weights that the file's tensors replace.
type kind struct {
	config func(cfg json.RawMessage) (values int, build func() (Model, error), err error)
}

func classifierKind(cfg json.RawMessage) (int, func() (Model, error), error) {
	var c ClassifierConfig
	if err := decodeConfig(KindMLP, cfg, &c); err != nil {
		return 0, nil, err
	}
	if err := c.Validate(); err != nil {
		return 0, nil, err
	}
	return c.values(), func() (Model, error) { return NewClassifier(c, throwaway()) }, nil
}

func aeKind(name string, linear bool) func(cfg json.RawMessage) (int, func() (Model, error), error) {
	return func(cfg json.RawMessage) (int, func() (Model, error), error) {
		var c AEConfig
		if err := decodeConfig(name, cfg, &c); err != nil {
			return 0, nil, err
		}
		if c.Linear != linear {
			return 0, nil, &ConfigError{Kind: name, Reason: fmt.Sprintf("linear = %v in a %s file", c.Linear, name)}
		}
		if err := c.Validate(); err != nil {
			return 0, nil, err
		}
		return c.values(), func() (Model, error) { return NewAutoencoder(c, throwaway()) }, nil
	}
}

func vaeKind(name string, conditional bool) func(cfg json.RawMessage) (int, func() (Model, error), error) {
	return func(cfg json.RawMessage) (int, func() (Model, error), error) {
		var c VAEConfig
		if err := decodeConfig(name, cfg, &c); err != nil {
			return 0, nil, err
		}
		if conditional && c.Classes < 2 {
			return 0, nil, &ConfigError{Kind: name, Reason: fmt.Sprintf("classes = %d, want at least 2", c.Classes)}
		}
		if !conditional && c.Classes != 0 {
			return 0, nil, &ConfigError{Kind: name, Reason: "a VAE takes no classes (that is a cvae)"}
		}
		if err := c.Validate(); err != nil {
			return 0, nil, err
		}
		return c.values(), func() (Model, error) { return NewVAE(c, throwaway()) }, nil
	}
}

var kinds = map[string]kind{
	KindMLP:      {classifierKind},
	KindLinearAE: {aeKind(KindLinearAE, true)},
	KindAE:       {aeKind(KindAE, false)},
	KindVAE:      {vaeKind(KindVAE, false)},
	KindCVAE:     {vaeKind(KindCVAE, true)},
}

// chainValues counts the weights and biases of dense layers
// widths[0] → widths[1] → … .
func chainValues(widths ...int) int {
	n := 0
	for i := 0; i+1 < len(widths); i++ {
		n += widths[i]*widths[i+1] + widths[i+1]
	}
	return n
}

func reversed(ws []int) []int {
	r := make([]int, len(ws))
	for i, w := range ws {
		r[len(ws)-1-i] = w
	}
	return r
}

func (c ClassifierConfig) values() int {
	return chainValues(append(append([]int{c.Inputs}, c.Hidden...), c.Classes)...)
}

func (c AEConfig) values() int {
	if c.Linear {
		return 2*c.Inputs*c.Latent + c.Inputs // V, U and the mean
	}
	enc := append(append([]int{c.Inputs}, c.Hidden...), c.Latent)
	dec := append(append([]int{c.Latent}, reversed(c.Hidden)...), c.Inputs)
	return chainValues(enc...) + chainValues(dec...)
}

func (c VAEConfig) values() int {
	enc := append([]int{c.Inputs + c.Classes}, c.Hidden...)
	dec := append(append([]int{c.Latent + c.Classes}, reversed(c.Hidden)...), c.Inputs)
	return chainValues(enc...) + chainValues(c.Hidden[len(c.Hidden)-1], 2*c.Latent) + chainValues(dec...)
}

// throwaway seeds the weights a loaded file is about to overwrite.
func throwaway() *rand.Rand { return rand.New(rand.NewPCG(0, 0)) }

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
	k, ok := kinds[f.Kind]
	if !ok {
		return nil, &KindError{Got: f.Kind}
	}
	want, build, err := k.config(f.Config)
	if err != nil {
		return nil, err
	}
	have := 0
	for _, t := range f.Tensors {
		have += len(t.Data)
	}
	if have != want {
		return nil, &TensorError{Name: "*", Reason: fmt.Sprintf("the file holds %d values; a %s of this configuration has %d", have, f.Kind, want)}
	}
	m, err := build()
	if err != nil {
		return nil, err
	}
	ps := saved(m)
	if len(f.Tensors) != len(ps) {
		for _, t := range f.Tensors {
			if !slices.ContainsFunc(ps, func(p *nn.Param) bool { return p.Name == t.Name }) {
				return nil, &TensorError{Name: t.Name, Reason: "not part of a " + f.Kind + " with this configuration"}
			}
		}
	}
	for _, p := range ps {
		t, ok := f.Tensor(p.Name)
		if !ok {
			return nil, &TensorError{Name: p.Name, Reason: "missing"}
		}
		want := []int{p.Value.Rows, p.Value.Cols}
		if !slices.Equal(t.Shape, want) {
			return nil, &TensorError{Name: p.Name, Reason: fmt.Sprintf("shape %v, want %v", t.Shape, want)}
		}
		copy(p.Value.Data, t.Data)
	}
	return m, nil
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

// As returns m as a T, or a KindError naming what was needed.
func As[T Model](m Model, want ...string) (T, error) {
	t, ok := m.(T)
	if !ok {
		return t, &KindError{Got: m.Kind(), Want: want}
	}
	return t, nil
}
