package protocol

// What each layer of a classifier sees (the networks lesson).
var (
	// LayerViews runs the first N MNIST test digits through the
	// classifier in Slot and, at every stage (the pixels, each hidden
	// layer, the output logits), projects the digits onto that stage's
	// two leading principal directions and scores how well the classes
	// stand apart there: the leave-one-out accuracy of a vote of the
	// LayerNeighbours nearest digits in the picture.
	LayerViews = NewOp[LayerViewsArgs, LayerViewSet]("layer-views")
)

// LayerNeighbours is how many nearest digits vote in LayerViews.
const LayerNeighbours = 5

// LayerViewsArgs names the classifier and how many test digits to show
// (10..10000).
type LayerViewsArgs struct {
	Slot string `json:"slot"`
	N    int    `json:"n"`
}

// LayerViewSet is every stage's picture of the same digits, input first.
type LayerViewSet struct {
	Layers []LayerView `json:"layers"`
	Labels []int       `json:"labels"` // the digits' classes, one a point
	K      int         `json:"k"`      // the neighbours that vote
	// Accuracy is the classifier's own on the digits: how often its
	// largest logit names the class.
	Accuracy float64 `json:"accuracy"`
}

// LayerView is one stage's picture.
type LayerView struct {
	Name  string `json:"name"`  // "input", "hidden 1", …, "output"
	Width int    `json:"width"` // the stage's numbers a digit
	// Points are the digits in the stage's first two principal
	// components, N×2.
	Points Batch `json:"points"`
	// Explained is the fraction of the stage's variance the picture holds.
	Explained float64 `json:"explained"`
	// Accuracy is the K-nearest-neighbour accuracy in the picture.
	Accuracy float64 `json:"accuracy"`
}
