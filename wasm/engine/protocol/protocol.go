// Package protocol is the one typed definition of the messages between the
// page and the engine's Web Worker, shared by both sides so they cannot
// drift.
//
// A message on the wire is a JS object {h, f, b}: h is the JSON of a
// Request, Response or Progress; f an optional Float32Array and b an
// optional Uint8Array, both moved as transferables rather than copied
// through JSON.
package protocol

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
)

// Request is one call from the page.
type Request struct {
	ID int  `json:"id"`
	Op Name `json:"op"`
	// Slot names a loaded model: a shipped one ("vae-20") or "trained".
	Slot        string      `json:"slot,omitempty"`
	URL         string      `json:"url,omitempty"`    // for OpLoad without Bytes: where the engine fetches the file
	Labels      []int       `json:"labels,omitempty"` // for a conditional model, one per image or latent
	Steps       int         `json:"steps,omitempty"`
	Temperature float32     `json:"temperature,omitempty"`
	Spherical   bool        `json:"spherical,omitempty"`
	Train       *Train      `json:"train,omitempty"`
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
