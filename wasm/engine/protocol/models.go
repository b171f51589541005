package protocol

// The operations on loaded models. A slot names a loaded model: a
// shipped one ("vae-20"), the Train view's ("trained") or a lab's.

// The slots the playground's views draw with: the page keeps copies of
// these models to rebuild the drawing without a round trip (see
// web/engine.go), so only Load may change them, never a training run.
var PlaygroundSlots = []string{"mlp", "ae-20", "vae-20", "cvae-20"}

// TrainedSlot is where the Train view's run puts its model.
const TrainedSlot = "trained"

var (
	// Load parses a model file into a slot. A file the core refuses leaves
	// the slot's model as it was.
	Load = NewOp[LoadArgs, Info]("load")
	// Snapshot writes a slot's model as a file (float32), with what it is.
	Snapshot = NewOp[Slot, ModelFile]("snapshot")
	// Reconstruct rebuilds images: through μ, and for a VAE also Samples
	// times through sampled z.
	Reconstruct = NewOp[ReconstructArgs, Rebuilds]("reconstruct")
	// Encode gives the images' codes: μ and σ for a VAE; an autoencoder's
	// code as μ, with σ = 0.
	Encode = NewOp[ImagesArgs, Codes]("encode")
	// Decode gives the images of codes.
	Decode = NewOp[DecodeArgs, Images]("decode")
	// Sample draws N digits from a VAE's prior at a temperature.
	Sample = NewOp[SampleArgs, Images]("sample")
	// SearchZ finds, for a GAN, which has no encoder, the z whose image is
	// nearest each image (models.GAN.Invert).
	SearchZ = NewOp[SearchArgs, Searched]("search-z")
	// Interpolate joins two images' codes and decodes Steps points on the
	// way, along the straight line or the great circle.
	Interpolate = NewOp[InterpolateArgs, Images]("interpolate")
	// LatentGrid decodes an N×N grid over a 2-D latent space: the prior's
	// quantiles, or the box Lo..Hi.
	LatentGrid = NewOp[LatentGridArgs, Images]("latent-grid")
	// Classify gives a classifier's class probabilities for images.
	Classify = NewOp[ImagesArgs, Probabilities]("classify")
	// TestCodes encodes the first N MNIST test digits (μ), with their labels.
	TestCodes = NewOp[CountArgs, LabelledCodes]("test-codes")
	// Rebuild runs one drawing through the playground's models in one
	// call: the classifier reads it, the autoencoder and the VAE rebuild
	// it (the VAE also through Samples sampled z), and the conditional VAE
	// rebuilds it told the class the classifier reads.
	Rebuild = NewOp[RebuildArgs, Rebuilt]("rebuild")
	// Evaluate measures a slot's model on the MNIST test set.
	Evaluate = NewOp[Slot, Evaluation]("evaluate")
	// TestDigits gives MNIST test digits by index, with their labels.
	TestDigits = NewOp[IndexArgs, LabelledImages]("test-digits")
)

// Slot names one loaded model.
type Slot struct {
	Slot string `json:"slot"`
}

// LoadArgs is a model file for a slot.
type LoadArgs struct {
	Slot string `json:"slot"`
	File File   `json:"file"`
}

// Info describes a loaded model.
type Info struct {
	Slot    string `json:"slot"`
	Kind    string `json:"kind"`
	Latent  int    `json:"latent,omitempty"`
	Classes int    `json:"classes,omitempty"`
	Params  int    `json:"params"`
}

// ModelFile is a model's file and what it holds.
type ModelFile struct {
	Info Info `json:"info"`
	File File `json:"file"`
}

// ImagesArgs are images for a slot's model; Labels, one per image, for a
// conditional one.
type ImagesArgs struct {
	Slot   string `json:"slot"`
	Images Batch  `json:"images"`
	Labels []int  `json:"labels,omitempty"`
}

// ReconstructArgs asks for rebuilds through μ and Samples sampled ones.
type ReconstructArgs struct {
	ImagesArgs
	Samples int    `json:"samples,omitempty"`
	Seed    uint64 `json:"seed,omitempty"`
}

// Rebuilds are the images rebuilt through μ (one per image), and for a
// VAE Samples more each through sampled z (image i's s-th at row
// i·Samples + s).
type Rebuilds struct {
	Mean    Batch `json:"mean"`
	Sampled Batch `json:"sampled"`
}

// Codes are the images' codes, one row each.
type Codes struct {
	Mu    Batch `json:"mu"`
	Sigma Batch `json:"sigma"`
}

// DecodeArgs are codes to decode; Labels, one per code, for a conditional
// model.
type DecodeArgs struct {
	Slot   string `json:"slot"`
	Codes  Batch  `json:"codes"`
	Labels []int  `json:"labels,omitempty"`
}

// Images are images, one per row.
type Images struct {
	Images Batch `json:"images"`
}

// SampleArgs asks for N digits from the prior; Labels, one per digit, for a
// conditional VAE.
type SampleArgs struct {
	Slot        string  `json:"slot"`
	N           int     `json:"n"`
	Labels      []int   `json:"labels,omitempty"`
	Temperature float32 `json:"temperature"`
	Seed        uint64  `json:"seed"`
}

// SearchArgs are images for a GAN to search z for, with Steps of Adam.
type SearchArgs struct {
	ImagesArgs
	Steps int `json:"steps"`
}

// Searched are the z found (one row an image), their images, and each
// image's mean squared difference per pixel from the one asked for.
type Searched struct {
	Codes  Batch     `json:"codes"`
	Images Batch     `json:"images"`
	Loss   []float64 `json:"loss"`
}

// InterpolateArgs joins the first of Ends to the second in Steps decoded
// images; a conditional model decodes the first half with Labels[0] and
// the rest with Labels[1].
type InterpolateArgs struct {
	Slot      string `json:"slot"`
	Ends      Batch  `json:"ends"`
	Labels    []int  `json:"labels,omitempty"`
	Steps     int    `json:"steps"`
	Spherical bool   `json:"spherical,omitempty"`
}

// LatentGridArgs asks for an N×N grid, rows from the top (large z₂); a
// conditional model decodes it all with Label.
type LatentGridArgs struct {
	Slot  string      `json:"slot"`
	N     int         `json:"n"`
	Label *int        `json:"label,omitempty"`
	Lo    *[2]float32 `json:"lo,omitempty"`
	Hi    *[2]float32 `json:"hi,omitempty"`
}

// Probabilities are class probabilities, one row per image.
type Probabilities struct {
	Probs Batch `json:"probs"`
}

// CountArgs asks a slot's model about the first N of something.
type CountArgs struct {
	Slot string `json:"slot"`
	N    int    `json:"n"`
}

// LabelledCodes are test digits' codes (μ) and their labels.
type LabelledCodes struct {
	Codes  Batch `json:"codes"`
	Labels []int `json:"labels"`
}

// RebuildArgs is one drawing for the playground's models, named by slot:
// a classifier first, then any autoencoders and VAEs.
type RebuildArgs struct {
	Slots   []string `json:"slots"`
	Image   Batch    `json:"image"`
	Samples int      `json:"samples"`
	Seed    uint64   `json:"seed"`
}

// Rebuilt is what each model made of the drawing, in slot order.
type Rebuilt struct {
	// Class is the classifier's reading, and Probs its probabilities.
	Class int       `json:"class"`
	Probs []float32 `json:"probs"`
	// Images holds each generative model's rebuilds: one for an
	// autoencoder or a conditional VAE, 1 + Samples for a VAE.
	Images []Batch `json:"images"`
}

// Evaluation is a model's figures on the MNIST test set (those of its
// kind; the rest are zero).
type Evaluation struct {
	LossNats  float64 `json:"test_loss_nats,omitempty"`
	ReconNats float64 `json:"test_recon_nats,omitempty"`
	KLNats    float64 `json:"test_kl_nats,omitempty"`
	MSE       float64 `json:"test_mse,omitempty"`
	Accuracy  float64 `json:"test_accuracy,omitempty"`
}

// IndexArgs names MNIST test digits by index.
type IndexArgs struct {
	Index []int `json:"index"`
}

// LabelledImages are images and their labels.
type LabelledImages struct {
	Images Batch `json:"images"`
	Labels []int `json:"labels"`
}
