package protocol

// The teaching labs' operations: small requests the page makes as a
// person moves a slider, steps a rule or trains a toy network.
var (
	// EvalPerceptron runs Steps updates of the perceptron rule on the
	// festival truth table, then reads the table with the weights they
	// leave.
	EvalPerceptron = NewOp[Perceptron, PerceptronTable]("perceptron")
	// PlotActivation plots one activation and a neuron of two inputs that
	// uses it.
	PlotActivation = NewOp[Activation, ActivationPlot]("activation")
	// TrainNetwork runs the network lab. The engine keeps one lab run: it
	// builds the data and the network afresh from Network's settings (and
	// seed) when they differ from the last call's, applies Edit, trains
	// Epochs more epochs and answers with where the run is.
	TrainNetwork = NewOp[Network, NetworkState]("network")
	// CompareDescent runs gradient descent, momentum, Adam, hill climbing
	// and random-restart search from one start on a 2-D loss surface.
	CompareDescent = NewOp[Descent, DescentComparison]("descent")
)

// Perceptron is the festival perceptron Y = step(x·w + b) and its table.
type Perceptron struct {
	W       []float32 `json:"w"`       // the three weights
	B       float32   `json:"b"`       // the bias, −threshold
	Targets []float32 `json:"targets"` // the decision (0 or 1) of each row, rows in binary order x₁x₂x₃
	// Steps updates of the perceptron rule run first, one row each,
	// starting at row Row and wrapping round the table, at rate LR (0
	// means 1).
	Steps int     `json:"steps,omitempty"`
	Row   int     `json:"row,omitempty"`
	LR    float32 `json:"lr,omitempty"`
}

// PerceptronTable is the perceptron after the rule's updates and its
// reading of the truth table, rows in binary order x₁x₂x₃.
type PerceptronTable struct {
	W         [3]float32 `json:"w"`         // the weights after the updates
	B         float32    `json:"b"`         // the bias after the updates
	Net       [8]float32 `json:"net"`       // each row's x·w + b
	Sigmoid   [8]float32 `json:"sigmoid"`   // each row's σ(x·w + b), in (0, 1)
	Mistakes  int        `json:"mistakes"`  // updates that found their row wrong (and moved the plane)
	Correct   int        `json:"correct"`   // rows the step output gets right, 0..8
	Separable bool       `json:"separable"` // some plane x·w + b = 0 makes the table
}

// Activation names an activation to plot and the neuron that shows it.
type Activation struct {
	Name   string    `json:"name"`             // step, sigmoid, tanh, relu, leaky-relu or maxout
	Alpha  float32   `json:"alpha,omitempty"`  // leaky ReLU's slope below zero
	Pieces int       `json:"pieces,omitempty"` // maxout's affine pieces
	Lo     float32   `json:"lo"`               // the curves' range of z
	Hi     float32   `json:"hi"`
	Points int       `json:"points"` // values of z plotted, evenly spaced over [Lo, Hi]
	W      []float32 `json:"w"`      // the neuron's two weights
	B      float32   `json:"b"`      // the neuron's bias
	Grid   int       `json:"grid"`   // the neuron's raster, cells per side
}

// ActivationPlot is an activation f at Points values of z evenly spaced
// over [Lo, Hi] (both ends included), and a neuron's output over the plane.
type ActivationPlot struct {
	F []float32 `json:"f"` // f(z), z rising
	D []float32 `json:"d"` // f′(z) at the same z
	// Neuron is f(w₁x₁ + w₂x₂ + b) on a Grid×Grid raster of [−1, 1]²,
	// rows from the top (x₂ near 1), x₁ rising along each row, each cell
	// at its centre.
	Neuron Batch `json:"neuron"`
}

// Network is the network lab's run: its data, its network and how it
// trains. Everything but Restart, Epochs, Grid, Unit and Edit defines
// the run, so the same settings give the same run.
type Network struct {
	Dataset  string   `json:"dataset"`          // xor, circles, spirals, blobs or custom
	Points   []Point  `json:"points,omitempty"` // custom: the points placed
	N        int      `json:"n"`                // points generated (not custom)
	Classes  int      `json:"classes"`          // blobs and custom
	Noise    float64  `json:"noise"`            // the generator's noise, 0..1
	TestFrac float64  `json:"test_frac"`        // the fraction of the points held out, 0..0.9
	Hidden   []int    `json:"hidden"`           // the hidden layers' widths
	Acts     []string `json:"acts"`             // the hidden layers' activations
	Loss     string   `json:"loss"`             // ce or mse
	Opt      string   `json:"opt"`              // sgd, momentum or adam
	LR       float64  `json:"lr"`               // the learning rate, in (0, 10]
	Batch    int      `json:"batch"`            // points per step
	L1       float64  `json:"l1"`               // the penalty λ₁Σ|w| on the weights, 0..1
	L2       float64  `json:"l2"`               // the penalty ½λ₂Σw², 0..1
	Seed     uint64   `json:"seed"`             // draws the points, the split, the first weights and the shuffles
	// Features are the inputs the network reads from each point (x1, x2,
	// x1sq, x2sq, x1x2, sinx1, sinx2); none means x1 and x2.
	Features []string `json:"features,omitempty"`

	Restart bool        `json:"restart,omitempty"` // build the run afresh even if the settings are the same
	Epochs  int         `json:"epochs"`            // to train now
	Grid    int         `json:"grid"`              // the decision map's cells per side
	Unit    int         `json:"unit"`              // each hidden unit's map, cells per side
	Edit    *WeightEdit `json:"edit,omitempty"`
}

// Point is a labelled point of the plane.
type Point struct {
	X     float32 `json:"x"` // x₁
	Y     float32 `json:"y"` // x₂
	Class int     `json:"class"`
}

// WeightEdit sets one weight: from unit From of layer Layer's input to
// unit To of its output (Layer 0 reads the features); From = −1 is the
// bias.
type WeightEdit struct {
	Layer int     `json:"layer"`
	From  int     `json:"from"`
	To    int     `json:"to"`
	Value float32 `json:"value"`
}

// NetworkState is where the network lab's run is: its figures, its
// points and its pictures. The maps cover the square [−1.2, 1.2]²
// (models.PlanarRange), rows from the top (large x₂), x₁ rising along
// each row, each cell at its centre.
type NetworkState struct {
	Epoch     int     `json:"epoch"`      // epochs trained since the run was built
	TrainLoss float64 `json:"train_loss"` // mean data loss over the training points
	TestLoss  float64 `json:"test_loss"`  // and over the held-out ones (0 if none)
	TrainAcc  float64 `json:"train_acc"`  // fraction of the training points classed right
	TestAcc   float64 `json:"test_acc"`   // and of the held-out ones (0 if none)

	Train LabPoints   `json:"train"` // the points trained on
	Test  LabPoints   `json:"test"`  // the points held out
	Map   DecisionMap `json:"map"`   // Grid×Grid cells
	// Units holds each hidden layer's units' outputs over the square: one
	// batch per layer, a row per unit, of Unit×Unit cells.
	Units []Batch `json:"units"`
	// Layers are the weight layers, input side first: one per hidden
	// layer, then the output layer.
	Layers []LayerWeights `json:"layers"`
}

// LabPoints are labelled points of the plane.
type LabPoints struct {
	XY    Batch `json:"xy"`    // a row per point: x₁, x₂
	Class []int `json:"class"` // each point's class, 0..Classes−1
}

// Len is the number of points.
func (p LabPoints) Len() int { return len(p.Class) }

// At is point i.
func (p LabPoints) At(i int) Point {
	xy := p.XY.Row(i)
	return Point{X: xy[0], Y: xy[1], Class: p.Class[i]}
}

// DecisionMap is what the network decides over the square, cell by cell.
type DecisionMap struct {
	Class []int `json:"class"` // the most likely class in each cell
	Prob  Batch `json:"prob"`  // Grid×Grid: that class's probability
}

// LayerWeights are one weight layer's parameters.
type LayerWeights struct {
	// W is In×Out: row i holds the weights from input i to each unit (the
	// first layer's inputs are the run's features).
	W Batch     `json:"w"`
	B []float32 `json:"b"` // each unit's bias
}

// Descent is one comparison of the descent lab: the surface, the shared
// start, and the methods' settings.
type Descent struct {
	Surface  string     `json:"surface"`        // neuron, bowl, rosenbrock, himmelblau or saddle
	Start    [2]float64 `json:"start"`          // where every method starts: x, y inside the surface's box
	LR       float64    `json:"lr"`             // the gradient methods' learning rate, in (0, 10]
	Momentum float64    `json:"momentum"`       // momentum's μ, 0 ≤ μ < 1
	Radius   float64    `json:"radius"`         // the searches' neighbourhood
	Budget   int        `json:"budget"`         // steps each method may take
	Tol      float64    `json:"tol"`            // reached when loss − minimum ≤ Tol
	Seed     uint64     `json:"seed"`           // draws the searches' neighbours and restarts
	Grid     int        `json:"grid,omitempty"` // the surface's raster, cells per side (0: none)
}

// DescentComparison is the surface and each method's run from the shared
// start.
type DescentComparison struct {
	// Lo and Hi are the surface's box: Lo[0] ≤ x ≤ Hi[0], Lo[1] ≤ y ≤ Hi[1].
	Lo  [2]float64 `json:"lo"`
	Hi  [2]float64 `json:"hi"`
	Min float64    `json:"min"` // the surface's lowest value
	// Surface is the loss on a Grid×Grid raster of the box, rows from the
	// top (y = Hi[1]), x rising along each row, each cell at its centre;
	// empty when Grid is 0.
	Surface Batch `json:"surface"`
	// Methods are the runs of gd, momentum, adam, hill and restarts, in
	// that order.
	Methods []DescentRun `json:"methods"`
}

// DescentRun is one method's run.
type DescentRun struct {
	Method string `json:"method"` // gd, momentum, adam, hill or restarts
	// Path is the points the method visited, in order, a row each: x, y
	// and the loss there. A value past ±10³⁰ (a diverging run) is clamped
	// to it, and NaN is 10³⁰.
	Path Batch `json:"path"`
	// Jumps are the rows of Path where a restart begins: the pen lifts
	// before them.
	Jumps    []int   `json:"jumps,omitempty"`
	Steps    int     `json:"steps"`    // steps taken until the tolerance was reached or the budget ran out
	Evals    int     `json:"evals"`    // loss evaluations they cost
	Grads    int     `json:"grads"`    // gradient evaluations they cost
	Reached  bool    `json:"reached"`  // the loss came within the tolerance of the minimum
	Diverged bool    `json:"diverged"` // the parameters left every finite bound
	Best     float64 `json:"best"`     // the lowest loss seen
}

// At is the path's point i: where it is and the loss there.
func (r DescentRun) At(i int) (x, y, loss float32) {
	p := r.Path.Row(i)
	return p[0], p[1], p[2]
}
