package protocol

// The linear autoencoder's lesson (slides 17–18): x̂ = U·V·x learnt by
// gradient descent on a cloud of 3-D points, held against PCA's plane;
// then a trained one on MNIST beside PCA and a deep autoencoder.
var (
	// LinearCloud trains the linear autoencoder of 3-D points through a
	// code of two numbers. The engine keeps nothing: it draws the cloud
	// from Shape, N and Seed, starts from U and V (or, with Fresh, from
	// weights drawn from Start), takes Steps steps of gradient descent at
	// rate LR and answers with the weights, the loss and the angle to
	// PCA's plane after each step, the points, their rebuilds and PCA's
	// plane.
	LinearCloud = NewOp[LinearCloudArgs, LinearCloudState]("linear-cloud")
	// LinearBases gives the K columns of U of the linear autoencoder in
	// Linear (each a 28×28 image) and PCA's first K components, PCA fit
	// on the first LinearPCADigits MNIST training digits (MNIST is fetched
	// first if no run has fetched it), with the principal angles between
	// the two subspaces.
	LinearBases = NewOp[LinearSlots, LinearBasesAnswer]("linear-bases")
	// LinearRebuild rebuilds one image by the linear autoencoder in
	// Linear, by PCA keeping as many components (fit as for LinearBases),
	// and by the deep autoencoder in Deep, with each one's error.
	LinearRebuild = NewOp[LinearRebuildArgs, LinearRebuilt]("linear-rebuild")
)

// LinearShape is how the cloud lies about its plane (core/linearae.Shape):
// the plane passes through the origin, its first direction in the floor
// (x₃ = 0) and its second rising from the floor by Tilt degrees; the
// points spread 1 along the first direction, Width along the second and
// Noise off the plane.
type LinearShape struct {
	Tilt  float64 `json:"tilt"`  // degrees, 0..90
	Width float64 `json:"width"` // 0..1
	Noise float64 `json:"noise"` // 0..1
}

// LinearPreset is a named cloud to start from.
type LinearPreset struct {
	ID, Label string
	Shape     LinearShape
}

// LinearPresets are the lab's clouds, the default first.
var LinearPresets = []LinearPreset{
	{"tilted", "Tilted plane", LinearShape{Tilt: 30, Width: 0.6, Noise: 0.08}},
	{"steep", "Steep plane", LinearShape{Tilt: 70, Width: 0.6, Noise: 0.08}},
	{"line", "Nearly a line", LinearShape{Tilt: 30, Width: 0.2, Noise: 0.05}},
	{"thick", "Thick cloud", LinearShape{Tilt: 30, Width: 0.6, Noise: 0.3}},
}

// The lab's defaults: its points, its learning rate, its budget (the
// iterations Play runs) and its seeds. On the default cloud the budget
// brings the learnt plane within 2° of PCA's from any start.
const (
	LinearPoints = 200
	LinearLR     = 0.05
	LinearBudget = 500
	LinearSeed   = 1 // draws the points
	// LinearMaxSteps bounds the steps of one LinearCloud call, and
	// LinearMaxPoints its points.
	LinearMaxSteps  = 5000
	LinearMaxPoints = 2000
)

// LinearCloudArgs is the cloud, where training starts and how far it goes.
type LinearCloudArgs struct {
	Shape LinearShape `json:"shape"`
	N     int         `json:"n"`    // points, 3..LinearMaxPoints
	Seed  uint64      `json:"seed"` // draws the points
	// Fresh starts from weights drawn from N(0, 0.5²) with Start, not
	// from U and V.
	Fresh bool          `json:"fresh,omitempty"`
	Start uint64        `json:"start,omitempty"`
	U     [3][2]float64 `json:"u"`     // the decoder, 3×2
	V     [2][3]float64 `json:"v"`     // the encoder, 2×3
	LR    float64       `json:"lr"`    // the learning rate, in (0, 10]
	Steps int           `json:"steps"` // 0..LinearMaxSteps
}

// LinearCloudState is where the training is after the call's steps.
type LinearCloudState struct {
	U [3][2]float64 `json:"u"`
	V [2][3]float64 `json:"v"`
	// Losses and Angles are the loss, mean |x̂ − x|² over the points, and
	// the angle in degrees between the learnt plane (the one U's columns
	// span) and PCA's, after each step taken.
	Losses []float64 `json:"losses"`
	Angles []float64 `json:"angles"`
	// Loss and Angle are where the call ends (the start's, for 0 steps).
	Loss  float64 `json:"loss"`
	Angle float64 `json:"angle"`
	// Diverged says a step blew the weights up: U and V are the weights
	// before it, and the steps stopped there.
	Diverged bool `json:"diverged,omitempty"`
	// Points are the cloud, N×3 (x₁, x₂, x₃ a row); Rebuilt their x̂.
	Points  Batch `json:"points"`
	Rebuilt Batch `json:"rebuilt"`
	// PCA is PCA's plane: its first two principal directions as the
	// columns of W, the variances along all three, and its loss, the
	// least any U and V can reach.
	PCA          [3][2]float64 `json:"pca"`
	PCAVariances [3]float64    `json:"pca_variances"`
	PCALoss      float64       `json:"pca_loss"`
	// StepsMS is the time the steps took in the engine, milliseconds.
	StepsMS float64 `json:"steps_ms"`
}

// The MNIST half's models and PCA.
const (
	LinearAESlot = "linear-ae-20" // the shipped linear autoencoder
	DeepAESlot   = "ae-20"        // the shipped deep autoencoder (300-300-20)
	// LinearPCADigits is how many MNIST training digits PCA is fit on, as
	// in the latent-size lab: enough to pin its first 20 components down
	// (on test digits its error is within 1% of PCA fit on all 60,000),
	// and a fit of seconds, not minutes. The test digits would be a
	// smaller download, but their first 5,000 are written more neatly
	// than the rest and give a PCA 10% worse on the others.
	LinearPCADigits = 5000
)

// LinearSlots names the two autoencoders.
type LinearSlots struct {
	Linear string `json:"linear"`
	Deep   string `json:"deep"`
}

// LinearBasesAnswer is the linear autoencoder's U beside PCA's
// components, K rows of data.Pixels values each.
type LinearBasesAnswer struct {
	// Columns are U's K columns; Components PCA's first K directions,
	// largest variance first (unit vectors).
	Columns    Batch `json:"columns"`
	Components Batch `json:"components"`
	// Angles are the principal angles in degrees, ascending, between the
	// subspace U spans and PCA's first K.
	Angles     []float64 `json:"angles"`
	PCADigits  int       `json:"pca_digits"`  // the training digits PCA was fit on
	PCASeconds float64   `json:"pca_seconds"` // the fit's time (0 if it was fit before)
}

// LinearRebuildArgs is one image (one row of data.Pixels values) and the models.
type LinearRebuildArgs struct {
	LinearSlots
	Image Batch `json:"image"`
}

// LinearRebuilt is the image rebuilt three ways.
type LinearRebuilt struct {
	// Images are the rebuilds by the linear autoencoder, by PCA with as
	// many components as its code has, and by the deep autoencoder, a row
	// each.
	Images Batch `json:"images"`
	// MSE is each one's mean squared error per pixel against the image.
	MSE [3]float64 `json:"mse"`
}
