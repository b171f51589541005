package data

// The shape of an MNIST digit, the one place the rest of the code takes it
// from: Side×Side pixels in [0, 1], one of Classes labels.
const (
	Side    = 28
	Pixels  = Side * Side
	Classes = 10
)
