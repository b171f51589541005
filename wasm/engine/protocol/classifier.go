package protocol

// ClassifierSlot is where the classifier lab's MLP lives, apart from the
// Train view's model (TrainedSlot), so neither lab's training replaces
// the other's.
const ClassifierSlot = "classifier"

// The classifier lab's operations.
var (
	// UnitWeights gives the weights into the first N hidden units of a
	// classifier: one row each, an image of what the unit looks for.
	UnitWeights = NewOp[CountArgs, Images]("unit-weights")
	// Confusion counts a classifier's answers on the MNIST test set, with
	// up to N test digits behind each cell.
	Confusion = NewOp[CountArgs, ConfusionMatrix]("confusion")
)

// ConfusionMatrix is a classifier's confusion matrix on the test set.
type ConfusionMatrix struct {
	// Counts[t][p] is how many test digits of true class t it read as p.
	Counts [][]int `json:"counts"`
	// Examples[t][p] are the indices of up to N of those digits.
	Examples [][][]int `json:"examples"`
	Accuracy float64   `json:"accuracy"`
	N        int       `json:"n"` // the test digits
}
