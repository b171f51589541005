package models

import (
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/tensor"
)

// A clone answers as the model does and shares nothing with it;
// CopyValues brings a clone up to date.
func TestCloneAndCopyValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, m := range tinyModels(t) {
		c, err := Clone(m)
		if err != nil {
			t.Fatal(err)
		}
		ps, cs := saved(m), saved(c)
		if len(ps) != len(cs) {
			t.Fatalf("%s: %d tensors cloned of %d", m.Kind(), len(cs), len(ps))
		}
		for i := range ps {
			if !slices.Equal(ps[i].Value.Data, cs[i].Value.Data) || &ps[i].Value.Data[0] == &cs[i].Value.Data[0] {
				t.Fatalf("%s: tensor %s not an equal copy", m.Kind(), ps[i].Name)
			}
		}
		for _, p := range ps {
			for j := range p.Value.Data {
				p.Value.Data[j] += float32(rng.NormFloat64())
			}
		}
		if slices.Equal(ps[0].Value.Data, cs[0].Value.Data) {
			t.Fatalf("%s: the clone changed with the model", m.Kind())
		}
		CopyValues(c, m)
		for i := range ps {
			if !slices.Equal(ps[i].Value.Data, cs[i].Value.Data) {
				t.Fatalf("%s: CopyValues left tensor %s behind", m.Kind(), ps[i].Name)
			}
		}
	}
}

// An autoencoder's codes have σ = 0 and decode as Decode does; a VAE's
// are its posterior's; Reconstructions splits the rebuilds through μ from
// the sampled ones.
func TestGenerativeCodes(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	ae, _ := NewAutoencoder(AEConfig{Inputs: 12, Hidden: []int{6}, Latent: 2}, rng)
	vae, _ := NewVAE(VAEConfig{Inputs: 12, Hidden: []int{6}, Latent: 3}, rng)
	cvae, _ := NewVAE(VAEConfig{Inputs: 12, Hidden: []int{6}, Latent: 3, Classes: 4}, rng)
	x := tensor.New(2, 12)
	for i := range x.Data {
		x.Data[i] = rng.Float32()
	}
	mu, sigma := ae.Codes(x, nil)
	if !slices.Equal(mu.Data, ae.Encode(x).Data) || slices.ContainsFunc(sigma.Data, func(v float32) bool { return v != 0 }) {
		t.Fatal("an autoencoder's codes are not its code with σ = 0")
	}
	if !slices.Equal(ae.Generate(mu, nil).Data, ae.Reconstruct(x).Data) {
		t.Fatal("Generate(code) is not the autoencoder's rebuild")
	}
	mean, sampled := Reconstructions(vae, x, nil, 3, 5)
	all := vae.Rebuilds(x, nil, 3, SampleRNG(5))
	if mean.Rows != 2 || sampled.Rows != 6 || !slices.Equal(append(slices.Clone(mean.Data), sampled.Data...), all.Data) {
		t.Fatalf("Reconstructions gave %d and %d rows, not Rebuilds' split", mean.Rows, sampled.Rows)
	}
	if m, s := Reconstructions(ae, x, nil, 3, 5); m.Rows != 2 || s.Rows != 0 {
		t.Fatalf("an autoencoder's reconstructions: %d and %d rows", m.Rows, s.Rows)
	}
	if Conditions(cvae) != 4 || Conditions(vae) != 0 || Conditions(ae) != 0 {
		t.Fatal("Conditions")
	}
	g := BoxGrid(2, [2]float32{0, 0}, [2]float32{4, 2})
	if want := []float32{1, 1.5, 3, 1.5, 1, 0.5, 3, 0.5}; !slices.Equal(g.Data, want) {
		t.Fatalf("BoxGrid %v, want %v", g.Data, want)
	}
}

// UnitWeights are the first layer's columns, and refuse more units than
// the layer has.
func TestUnitWeights(t *testing.T) {
	c, _ := NewClassifier(ClassifierConfig{Inputs: 12, Hidden: []int{5}, Classes: 3, Activation: "relu"}, rand.New(rand.NewPCG(9, 9)))
	u, err := c.UnitWeights(3)
	if err != nil {
		t.Fatal(err)
	}
	w := c.Params()[0].Value // 12 × 5
	if u.Rows != 3 || u.Cols != 12 || u.At(2, 7) != w.At(7, 2) {
		t.Fatalf("unit 2, input 7: %v, W says %v", u.At(2, 7), w.At(7, 2))
	}
	if _, err := c.UnitWeights(6); err == nil {
		t.Error("6 units of 5 given")
	}
}
