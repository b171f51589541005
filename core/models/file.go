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

// builders rebuild each kind from its configuration, with throwaway
// weights that the file's tensors then replace.
var builders = map[string]func(cfg json.RawMessage) (Model, error){
	KindMLP: func(cfg json.RawMessage) (Model, error) {
		var c ClassifierConfig
		if err := decodeConfig(KindMLP, cfg, &c); err != nil {
			return nil, err
		}
		return NewClassifier(c, throwaway())
	},
	KindLinearAE: func(cfg json.RawMessage) (Model, error) {
		var c AEConfig
		if err := decodeConfig(KindLinearAE, cfg, &c); err != nil {
			return nil, err
		}
		if !c.Linear {
			return nil, &ConfigError{Kind: KindLinearAE, Reason: "configuration is not linear"}
		}
		return NewAutoencoder(c, throwaway())
	},
	KindAE: func(cfg json.RawMessage) (Model, error) {
		var c AEConfig
		if err := decodeConfig(KindAE, cfg, &c); err != nil {
			return nil, err
		}
		if c.Linear {
			return nil, &ConfigError{Kind: KindAE, Reason: "configuration is linear"}
		}
		return NewAutoencoder(c, throwaway())
	},
	KindVAE: func(cfg json.RawMessage) (Model, error) {
		var c VAEConfig
		if err := decodeConfig(KindVAE, cfg, &c); err != nil {
			return nil, err
		}
		if c.Classes != 0 {
			return nil, &ConfigError{Kind: KindVAE, Reason: "a VAE takes no classes (that is a cvae)"}
		}
		return NewVAE(c, throwaway())
	},
	KindCVAE: func(cfg json.RawMessage) (Model, error) {
		var c VAEConfig
		if err := decodeConfig(KindCVAE, cfg, &c); err != nil {
			return nil, err
		}
		if c.Classes < 2 {
			return nil, &ConfigError{Kind: KindCVAE, Reason: fmt.Sprintf("classes = %d, want at least 2", c.Classes)}
		}
		return NewVAE(c, throwaway())
	},
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
	build, ok := builders[f.Kind]
	if !ok {
		return nil, &KindError{Got: f.Kind}
	}
	m, err := build(f.Config)
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
