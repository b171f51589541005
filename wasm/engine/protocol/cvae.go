package protocol

// The conditional VAE lesson's operation: how much a model's 2-D codes
// say about the class.
var (
	// CodeNeighbours encodes the first N MNIST test digits with the model
	// in Slot (their μ; a conditional model is told their labels) and
	// gives each the class most of its K nearest codes have, itself left
	// out: the fraction given their own class. `latentplay eval` prints
	// the same figure on all 10,000 as knn5_code_accuracy.
	CodeNeighbours = NewOp[NeighbourArgs, NeighbourAccuracy]("code-neighbours")
)

// NeighbourArgs names the model, the test digits (2..10000) and the
// neighbours that vote (1..N−1).
type NeighbourArgs struct {
	Slot string `json:"slot"`
	N    int    `json:"n"`
	K    int    `json:"k"`
}

// NeighbourAccuracy is the fraction of the N test digits whose K nearest
// codes vote for their own class, and the code's width.
type NeighbourAccuracy struct {
	Accuracy float64 `json:"accuracy"`
	N        int     `json:"n"`
	K        int     `json:"k"`
	Latent   int     `json:"latent"`
}
