package pca

import (
	"math"
	"math/rand/v2"
	"testing"

	"latentplay/core/data"
	"latentplay/core/tensor"
)

// plane is n 3×3 images varying along two directions, a strong one and a
// weaker one, plus a little noise.
func plane(n int, seed uint64) *data.Set {
	rng := rand.New(rand.NewPCG(seed, 1))
	u := []float64{1, 1, 1, 0, 0, 0, 0, 0, 0}
	v := []float64{0, 0, 0, 0, 1, -1, 0, 0, 0}
	s := &data.Set{N: n, Rows: 3, Cols: 3, Pixels: make([]float32, n*9)}
	for i := range n {
		a, b := rng.NormFloat64(), 0.5*rng.NormFloat64()
		for j := range 9 {
			s.Pixels[i*9+j] = float32(0.5 + 0.1*(a*u[j]+b*v[j]) + 1e-3*rng.NormFloat64())
		}
	}
	return s
}

// coder is a stand-in autoencoder: it rebuilds every image as the same
// grey, whatever its K.
type coder struct{ k int }

func (c coder) Latent() int { return c.k }
func (c coder) Reconstruct(x *tensor.Mat) *tensor.Mat {
	out := tensor.New(x.Rows, x.Cols)
	for i := range out.Data {
		out.Data[i] = 0.5
	}
	return out
}

func TestMSE(t *testing.T) {
	if got := MSE([]float32{1, 2, 3, 4}, []float32{1, 0, 3, 1}); got != (4.0+9)/4 {
		t.Errorf("MSE %v, want 3.25", got)
	}
}

// On a plane PCA's error falls from one component to two, where only the
// noise is left; the coders' errors and every rebuild are what each model
// makes of the images.
func TestCompare(t *testing.T) {
	p, err := FitCovariance(plane(400, 1), 3)
	if err != nil {
		t.Fatal(err)
	}
	test := plane(100, 2)
	x := tensor.FromSlice(test.N, 9, test.Pixels)
	show := test.Image(7)
	c, err := p.Compare([]Coder{coder{1}, coder{2}}, x, show)
	if err != nil {
		t.Fatal(err)
	}
	if c.Latents[0] != 1 || c.Latents[1] != 2 {
		t.Errorf("latents %v", c.Latents)
	}
	if !(c.PCA[1] < 1e-5 && c.PCA[0] > 100*c.PCA[1]) {
		t.Errorf("PCA's errors %v: want a large one with one component, the noise's with two", c.PCA)
	}
	var grey float64
	for _, v := range x.Data {
		grey += (float64(v) - 0.5) * (float64(v) - 0.5) / float64(len(x.Data))
	}
	for i, e := range c.Coder {
		if math.Abs(e-grey) > 1e-9 {
			t.Errorf("coder %d: MSE %v, a grey rebuild's is %v", i, e, grey)
		}
	}
	want := make([]float32, 9)
	for i, k := range []int{1, 2} {
		p.Reconstruct(show, k, want)
		for j, v := range c.PCARebuilt.Row(i) {
			if v != want[j] || c.CoderRebuilt.Row(i)[j] != 0.5 {
				t.Fatalf("K = %d: PCA rebuilt %v, want %v; coder %v", k, c.PCARebuilt.Row(i), want, c.CoderRebuilt.Row(i))
			}
		}
	}
	if got := MSE(p.Rebuild(x, 2).Data, x.Data); got != c.PCA[1] {
		t.Errorf("Rebuild's error %v, Compare's %v", got, c.PCA[1])
	}
	for _, bad := range [][]Coder{{coder{4}}, {coder{0}}} {
		if _, err := p.Compare(bad, x, show); err == nil {
			t.Errorf("a coder of %d latents against 3 components: no error", bad[0].Latent())
		}
	}
	if _, err := p.Compare([]Coder{coder{1}}, x, show[:4]); err == nil {
		t.Error("a shown image of 4 pixels: no error")
	}
}
