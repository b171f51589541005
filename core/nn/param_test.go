package nn

import (
	"math/rand/v2"
	"slices"
	"testing"

	"latentplay/core/tensor"
)

// After FlattenGrads the parameters' gradients are views of the one slice:
// a backward pass writes it, Grads reads it back unchanged, and writing
// the slice sets the gradients.
func TestFlattenGrads(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	net := &Network{Layers: []Layer{NewDense("a", 5, 4, He, rng), NewAct(ReLU), NewDense("b", 4, 3, Xavier, rng)}}
	ps := net.Params()
	x := tensor.New(6, 5)
	for i := range x.Data {
		x.Data[i] = rng.Float32()
	}
	out := net.Forward(x)
	dy := tensor.New(out.Rows, out.Cols)
	for i := range dy.Data {
		dy.Data[i] = rng.Float32() - 0.5
	}
	net.Backward(dy)
	before := Grads(ps, nil)
	flat := FlattenGrads(ps)
	if !slices.Equal(flat, before) || len(flat) != CountParams(ps) {
		t.Fatal("the flat gradient is not the gradients laid out as Grads lays them")
	}
	ZeroGrads(ps)
	net.Forward(x)
	net.Backward(dy)
	if !slices.Equal(flat, before) {
		t.Error("a backward pass after flattening did not write the flat slice")
	}
	for i := range flat {
		flat[i] = float32(i)
	}
	if got := Grads(ps, nil); !slices.Equal(got, flat) {
		t.Error("writing the flat slice did not set the gradients")
	}
}
