// Package protocol is the one typed definition of the messages between the
// page and the engine's Web Worker, shared by both sides so they cannot
// drift.
//
// A message on the wire is a JS object {h, f, b}: h is the JSON of a
// Request, Response or Progress; f an optional Float32Array and b an
// optional Uint8Array, both moved as transferables rather than copied
// through JSON.
package protocol

import (
	"fmt"
)

// Name names what a request asks for.
type Name string

// The engine's operations.
const (
	OpLoad        Name = "load"        // Bytes (or URL): a model file → Info
	OpReconstruct Name = "reconstruct" // Floats: images (N×784) → Floats: N deterministic rebuilds, then N×Samples stochastic ones
	OpEncode      Name = "encode"      // Floats: images → Floats: μ (N×K) then σ (N×K); for an AE, the code twice
	OpDecode      Name = "decode"      // Floats: latents (N×K) → Floats: images
	OpSample      Name = "sample"      // N digits from the prior at Temperature → Floats: images
	OpInterpolate Name = "interpolate" // Floats: two images → Floats: Steps decoded images
	OpLatentGrid  Name = "latent-grid" // N×N decoded grid over a 2-D prior's quantiles → Floats
	OpClassify    Name = "classify"    // Floats: images → Floats: class probabilities (N×10)
	OpTestCodes   Name = "test-codes"  // the first N MNIST test digits' codes → Floats: μ (N×K), then the N labels
	// OpRebuild runs one image through every model in Slots in one round
	// trip: a classifier gives its probabilities (and its most likely class
	// becomes the label of conditional models after it); a generative model
	// gives its reconstruction, an unconditional VAE's followed by Samples
	// stochastic ones (a conditional VAE gives its rebuild through μ only).
	// Floats: the results, in slot order.
	OpRebuild  Name = "rebuild"
	OpTrain    Name = "train" // Train → Figures "gen" (the run's Progress.Gen), then progress events; the model goes to Train.Slot
	OpPause    Name = "pause"
	OpResume   Name = "resume"
	OpStop     Name = "stop"
	OpEvaluate Name = "evaluate" // → Figures on the MNIST test set
	OpSnapshot Name = "snapshot" // → Bytes: the model file of Slot

	// Data-parallel training: a leading engine asks helper engines (its
	// own Web Workers) for the gradients of their shards of each batch.
	OpShardStart    Name = "shard-start"    // Train: build the same model from the same seed, on the same data
	OpShardGradient Name = "shard-gradient" // Step, Index, Lo, Hi → Floats: the shard's gradient; Loss
	OpShardApply    Name = "shard-apply"    // Step, Floats: the averaged gradient to apply
	// OpPerceptron evaluates the festival perceptron over the 8 rows of
	// its truth table, after Steps updates of the perceptron rule.
	// Floats: w₁ w₂ w₃ b (after the updates), then each row's net x·w + b
	// (8), then its sigmoid σ(x·w + b) (8). Figures: "mistakes" (updates
	// made), "correct" (rows the step output gets right), "separable"
	// (1 when some plane makes the table, else 0).
	OpPerceptron Name = "perceptron"
	// OpActivation plots one activation: Floats: f then f′ at Points
	// evenly spaced over [Lo, Hi], then a neuron's output
	// f(w₁x₁ + w₂x₂ + b) on a Grid×Grid raster of [-1, 1]², rows from the
	// top (x₂ = 1).
	OpActivation Name = "activation"
	// OpNetwork runs the network lab. The engine keeps one lab network:
	// it builds the data and the network afresh from Network's settings
	// (and seed) when they differ from the last request's, applies Edit,
	// trains Epochs more epochs, and answers with the pictures: Floats
	// laid out as NetworkLayout says; Figures "epoch", "train_loss",
	// "test_loss", "train_acc", "test_acc", "train_n", "test_n".
	OpNetwork Name = "network"
	// OpDescent runs gradient descent, momentum, Adam, hill climbing and
	// random-restart search from one start on a 2-D loss surface. Floats:
	// the surface on a Grid×Grid raster of its box (rows from the top;
	// none when Grid is 0), then each method's path, 4 floats a point
	// (x, y, loss, 1 where a restart jumps). Figures: "lo_x", "hi_x",
	// "lo_y", "hi_y", "min", and for each method m (gd, momentum, adam,
	// hill, restarts) "m_points", "m_steps", "m_evals", "m_grads",
	// "m_reached", "m_diverged", "m_best".
	OpDescent Name = "descent"
	// The classifier lab. OpUnitWeights: the weights into the first N
	// hidden units of the classifier in Slot, 784 each (one image per
	// unit). OpConfusion: the classifier's confusion matrix on the MNIST
	// test set: Floats: the 10×10 counts (row: the true digit, column:
	// the predicted one), then for each cell the test indices of up to N
	// of its digits (−1 where there are fewer); Figures "accuracy", "n".
	// OpTestDigits: the MNIST test digits at Index → Floats: images.
	OpUnitWeights Name = "unit-weights"
	OpConfusion   Name = "confusion"
	OpTestDigits  Name = "test-digits"
	// OpFewLabels: softmax regression learnt from 100 labelled MNIST test
	// digits (10 a class, drawn with Seed from the second half), once on the
	// codes (μ) of the VAE in Slot and once on the raw pixels; both scored
	// on the first half. Floats: the two accuracies (codes, pixels);
	// Figures "code_accuracy", "pixel_accuracy", "labelled", "held_out",
	// "code_width", "pixel_width".
	OpFewLabels Name = "few-labels"
	// OpELBOPoint measures the VAE in Slot (one the β lab trained) on the
	// first N MNIST test digits: Floats: the per-dimension KL averaged over
	// them (K), then the rebuilds through μ of the Samples probe digits
	// (784 each), then the probe digits themselves. Figures "recon" and
	// "kl" (nats a digit, z drawn with Seed), "active" (dimensions whose
	// mean KL is above 0.01 nats), "latent", "beta", "n".
	OpELBOPoint Name = "elbo-point"
	// OpLatentSize compares the autoencoders in Slots (one per latent size
	// K, as the latent-size lab trained them) with PCA keeping as many
	// components, PCA fit on the first LatentSizePCA training digits; both
	// are scored by the mean squared error per pixel on the first N test
	// digits. Floats: the test digit Index[0], then for each slot its
	// rebuild by the autoencoder and by PCA. Figures, for each K: "ae_K"
	// and "pca_K"; and "pca_seconds", the fit's time.
	OpLatentSize Name = "latent-size"
	// OpReparam puts numbers on the reparameterisation trick: the VAE in
	// Slot encodes MNIST test digit Index[0] to μ, σ (K each); for Samples
	// draws ε ~ N(0, I) (from Seed), z = μ + σ·ε and the reconstruction
	// loss L(z) = −log p(x|z); two estimates of ∂E[L]/∂μ from each draw:
	// the pathwise ∂L/∂z (the decoder's backward pass, what the trick
	// allows) and the score function L(z)·(z − μ)/σ² (all there is
	// without it). Floats: μ, σ, then ε (Samples×K), L (Samples), the
	// pathwise estimates (Samples×K) and the score-function ones
	// (Samples×K). Figures "path_std" and "score_std" (each coordinate's
	// standard deviation over the draws, averaged over the coordinates),
	// "latent", "loss" (the mean L).
	OpReparam Name = "reparam"
)

// LatentSizes are the latent-size lab's K, smallest first.
var LatentSizes = []int{2, 5, 10, 20, 50}

// LatentSizePCA is how many training digits PCA is fit on in the
// latent-size lab: plenty for 50 components of 784 pixels, and quick.
const LatentSizePCA = 5000

// LatentSizeSlot is where the latent-size lab's autoencoder with k
// latents lives.
func LatentSizeSlot(k int) string { return fmt.Sprintf("latent-%d", k) }

// LatentSizeLab is the latent-size lab's run at k: a 784-128-k-128-784
// autoencoder trained for one epoch on the first 20,000 training digits
// from a fixed seed, the same budget at every k.
func LatentSizeLab(k int) Train {
	return Train{
		Kind: "ae", Hidden: []int{128}, Latent: k,
		LR: 2e-3, Batch: 100, Epochs: 1, Subset: 20000, Seed: 1, Slot: LatentSizeSlot(k),
	}
}

// ActiveKL is the mean KL, in nats, above which a latent dimension counts
// as active: below it the posterior is the prior and the dimension carries
// nothing about the digit.
const ActiveKL = 0.01

// ELBOSlot is where the β lab's VAE lives.
const ELBOSlot = "elbo"

// ELBOLab is the β lab's run at beta: a 784-128-10 VAE trained for one
// epoch on the first 20,000 training digits from a fixed seed, so that
// only β differs between the points of the lab's curve.
func ELBOLab(beta float64) Train {
	return Train{
		Kind: "vae", Hidden: []int{128}, Latent: 10, Beta: beta,
		LR: 2e-3, Batch: 100, Epochs: 1, Subset: 20000, Seed: 1, Slot: ELBOSlot,
	}
}

// Request is one call from the page.
type Request struct {
	ID int  `json:"id"`
	Op Name `json:"op"`
	// Slot names a loaded model: a shipped one ("vae-20") or "trained".
	Slot        string      `json:"slot,omitempty"`
	Slots       []string    `json:"slots,omitempty"`  // for OpRebuild
	URL         string      `json:"url,omitempty"`    // for OpLoad without Bytes: where the engine fetches the file
	Labels      []int       `json:"labels,omitempty"` // for a conditional model, one per image or latent
	N           int         `json:"n,omitempty"`
	Samples     int         `json:"samples,omitempty"`
	Steps       int         `json:"steps,omitempty"`
	Temperature float32     `json:"temperature,omitempty"`
	Spherical   bool        `json:"spherical,omitempty"`
	Seed        uint64      `json:"seed,omitempty"`
	Train       *Train      `json:"train,omitempty"`
	Perceptron  *Perceptron `json:"perceptron,omitempty"`
	Activation  *Activation `json:"activation,omitempty"`
	Network     *Network    `json:"network,omitempty"`
	Descent     *Descent    `json:"descent,omitempty"`
	// Lo and Hi, for OpLatentGrid, lay the grid evenly over this box
	// instead of the prior's quantiles (an autoencoder has no prior).
	Lo []float32 `json:"lo,omitempty"`
	Hi []float32 `json:"hi,omitempty"`
	// Repeat, for the operations that answer with floats, computes the
	// answer this many times (at most 1000) and reports the mean compute
	// time in ComputeMS: a benchmark's clock, finer than the browser's.
	Repeat int `json:"repeat,omitempty"`
	// Step, Index and Rows, for OpShardGradient: the shard is rows
	// Rows[0]..Rows[1] of the training images Index at step Step.
	Step  int   `json:"step,omitempty"`
	Index []int `json:"index,omitempty"`
	Rows  []int `json:"rows,omitempty"`

	Floats []float32 `json:"-"`
	Bytes  []byte    `json:"-"`
}

// Descent is one comparison of the descent lab: the surface, the shared
// start, and the methods' settings.
type Descent struct {
	Surface  string     `json:"surface"` // neuron, bowl, rosenbrock, himmelblau or saddle
	Start    [2]float64 `json:"start"`
	LR       float64    `json:"lr"`
	Momentum float64    `json:"momentum"`
	Radius   float64    `json:"radius"` // the searches' neighbourhood
	Budget   int        `json:"budget"` // steps each method may take
	Tol      float64    `json:"tol"`    // reached when loss − minimum ≤ Tol
	Seed     uint64     `json:"seed"`
	Grid     int        `json:"grid,omitempty"` // the surface's raster, cells per side (0: none)
}

// Perceptron is the festival perceptron Y = step(x·w + b) and its table.
type Perceptron struct {
	W       []float32 `json:"w"`       // the three weights
	B       float32   `json:"b"`       // the bias, −threshold
	Targets []float32 `json:"targets"` // the decision (0 or 1) of each row, rows in binary order x₁x₂x₃
	// Steps updates of the perceptron rule run first, one row each,
	// starting at row Row and wrapping round the table.
	Steps int     `json:"steps,omitempty"`
	Row   int     `json:"row,omitempty"`
	LR    float32 `json:"lr,omitempty"`
}

// Activation names an activation to plot and the neuron that shows it.
type Activation struct {
	Name   string    `json:"name"`             // step, sigmoid, tanh, relu, leaky-relu or maxout
	Alpha  float32   `json:"alpha,omitempty"`  // leaky ReLU's slope below zero
	Pieces int       `json:"pieces,omitempty"` // maxout's affine pieces
	Lo     float32   `json:"lo"`
	Hi     float32   `json:"hi"`
	Points int       `json:"points"`
	W      []float32 `json:"w"` // the neuron's two weights
	B      float32   `json:"b"`
	Grid   int       `json:"grid"`
}

// Network is the network lab's run: its data, its network and how it
// trains. Everything but Restart, Epochs, Grid, Unit and Edit defines
// the run, so the same settings give the same run.
type Network struct {
	Dataset  string    `json:"dataset"`          // xor, circles, spirals, blobs or custom
	Points   []float32 `json:"points,omitempty"` // custom: x, y, class for each point
	N        int       `json:"n"`                // points generated (not custom)
	Classes  int       `json:"classes"`          // blobs and custom
	Noise    float64   `json:"noise"`
	TestFrac float64   `json:"test_frac"`
	Hidden   []int     `json:"hidden"`
	Acts     []string  `json:"acts"`
	Loss     string    `json:"loss"` // ce or mse
	Opt      string    `json:"opt"`  // sgd, momentum or adam
	LR       float64   `json:"lr"`
	Batch    int       `json:"batch"`
	L1       float64   `json:"l1"`
	L2       float64   `json:"l2"`
	Seed     uint64    `json:"seed"`
	// Features are the inputs the network reads from each point (x1, x2,
	// x1sq, x2sq, x1x2, sinx1, sinx2); none means x1 and x2.
	Features []string `json:"features,omitempty"`

	Restart bool        `json:"restart,omitempty"` // build the run afresh even if the settings are the same
	Epochs  int         `json:"epochs"`            // to train now
	Grid    int         `json:"grid"`              // the decision map's cells per side
	Unit    int         `json:"unit"`              // each hidden unit's map, cells per side
	Edit    *WeightEdit `json:"edit,omitempty"`
}

// WeightEdit sets one weight: from unit From of layer Layer's input to
// unit To of its output (Layer 0 reads x₁, x₂); From = −1 is the bias.
type WeightEdit struct {
	Layer, From, To int
	Value           float32
}

// NetworkLayout is where OpNetwork's pictures lie in its Floats, given the
// run's shape: the training points then the test points (x, y, class
// each); the decision map (Grid² cells from the top row: the most likely
// class, then its probability); each hidden unit's output over Unit²
// cells, layer by layer; then each layer's weights (in×out, row by row)
// and biases, the first layer's inputs being the run's features.
type NetworkLayout struct {
	TrainPoints, TestPoints, Map, Units, Weights int // offsets
}

// Layout computes the offsets for trainN and testN points and the hidden
// widths.
func (n *Network) Layout(trainN, testN int) NetworkLayout {
	var l NetworkLayout
	l.TestPoints = 3 * trainN
	l.Map = l.TestPoints + 3*testN
	l.Units = l.Map + 2*n.Grid*n.Grid
	units := 0
	for _, h := range n.Hidden {
		units += h
	}
	l.Weights = l.Units + units*n.Unit*n.Unit
	return l
}

// Response answers the request with the same ID.
type Response struct {
	ID      int                `json:"id"`
	Error   string             `json:"error,omitempty"`
	Info    *Info              `json:"info,omitempty"`
	Figures map[string]float64 `json:"figures,omitempty"`
	Loss    *Losses            `json:"loss,omitempty"` // for OpShardGradient
	// ComputeMS is the engine's time for one answer, when Repeat asked.
	ComputeMS float64 `json:"compute_ms,omitempty"`

	Floats []float32 `json:"-"`
	Bytes  []byte    `json:"-"`
}

// Envelope tags a header so one channel carries all three kinds.
type Envelope struct {
	Reply    *Reply    `json:"reply,omitempty"`
	Response *Response `json:"response,omitempty"`
	Progress *Progress `json:"progress,omitempty"`
	Ready    bool      `json:"ready,omitempty"` // the engine has installed its handler
	Fatal    string    `json:"fatal,omitempty"` // the engine could not start
}
