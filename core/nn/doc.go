// Package nn holds the pieces networks are built from: layers, activation
// functions, losses, optimisers and initialisers.
//
// Every layer follows one protocol (as in ConvNetJS and micrograd):
//
//	y  := layer.Forward(x)   // x is batch×in; the layer keeps what Backward needs
//	dx := layer.Backward(dy) // dy = ∂L/∂y; adds ∂L/∂θ into each Param's Grad; returns ∂L/∂x
//
// and exposes its trainable tensors as Params, which is all an optimiser
// sees. Buffers returned by Forward and Backward belong to the layer and are
// reused on the next call, so a training step allocates nothing once warm.
//
// Activations and losses are values pairing f with f′, so adding one is one
// record and one line in a name table that the UI, the URL state and the
// model file all share. Every layer, activation and loss is checked against
// finite differences (gonum's diff/fd) in the tests; every optimiser against
// steps worked by hand from its paper.
package nn
