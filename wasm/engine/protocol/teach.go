package protocol

import "fmt"

// The teaching labs' operations: what autoencoders teach (features from
// unlabelled data, choosing the latent size, the reparameterisation
// trick, the β trade-off).
var (
	// FewLabels learns softmax regression from 100 labelled MNIST test
	// digits (10 a class, drawn with Seed from the second half), once on
	// the codes (μ) of the VAE in Slot and once on the raw pixels, and
	// scores both on the first half.
	FewLabels = NewOp[FewLabelsArgs, FewLabelScores]("few-labels")
	// ELBOPoint measures the VAE in Slot (one the β lab trained) on the
	// first N MNIST test digits, and rebuilds Probes fixed test digits.
	ELBOPoint = NewOp[ELBOArgs, ELBOFigures]("elbo-point")
	// LatentSize compares the autoencoders in Slots (one per latent size K,
	// as the latent-size lab trained them) with PCA keeping as many
	// components, fit on the first LatentSizePCA training digits; both are
	// scored on the first N test digits, and both rebuild test digit Show.
	// MNIST must have been loaded by a training run.
	LatentSize = NewOp[LatentSizeArgs, LatentSizeComparison]("latent-size")
	// Reparam puts numbers on the reparameterisation trick: the VAE in
	// Slot encodes MNIST test digit Digit to μ, σ, and from Draws draws
	// ε ~ N(0, I) (from Seed), z = μ + σ·ε, estimates ∂E[L]/∂μ of the
	// reconstruction loss L(z) = −log p(x|z) two ways.
	Reparam = NewOp[ReparamArgs, ReparamEstimates]("reparam")
)

// FewLabelsArgs names the VAE whose codes are the features, and the seed
// that draws the labelled digits.
type FewLabelsArgs struct {
	Slot string `json:"slot"`
	Seed uint64 `json:"seed"`
}

// FewLabelScores are the two classifiers' accuracies on the held-out
// digits.
type FewLabelScores struct {
	CodeAccuracy  float64 `json:"code_accuracy"`  // learnt from the codes
	PixelAccuracy float64 `json:"pixel_accuracy"` // learnt from the pixels
	Labelled      int     `json:"labelled"`       // the digits learnt from
	HeldOut       int     `json:"held_out"`       // the digits scored on
	CodeWidth     int     `json:"code_width"`
	PixelWidth    int     `json:"pixel_width"`
}

// ActiveKL is the mean KL, in nats, above which a latent dimension counts
// as active: below it the posterior is the prior and the dimension carries
// nothing about the digit.
const ActiveKL = 0.01

// ELBOSlot is where the β lab's VAE lives.
const ELBOSlot = "elbo"

// ELBOLab is the β lab's run at beta: a VAE of one 128-unit hidden layer
// and 10 latents trained for one epoch on the first 20,000 training
// digits from a fixed seed, so that only β differs between the points of
// the lab's curve.
func ELBOLab(beta float64) Train {
	return Train{
		Kind: "vae", Hidden: []int{128}, Latent: 10, Beta: beta,
		LR: 2e-3, Batch: 100, Epochs: 1, Subset: 20000, Seed: 1, Slot: ELBOSlot,
	}
}

// ELBOArgs asks for the VAE in Slot measured on N test digits (z drawn
// with Seed), with Probes fixed test digits rebuilt (0..32).
type ELBOArgs struct {
	Slot   string `json:"slot"`
	N      int    `json:"n"`
	Probes int    `json:"probes"`
	Seed   uint64 `json:"seed"`
}

// ELBOFigures are where the VAE sits on the trade-off between rebuilding
// digits and keeping q(z|x) near the prior.
type ELBOFigures struct {
	// Recon and KL are the negative ELBO's two terms, nats a digit.
	Recon float64 `json:"recon"`
	KL    float64 `json:"kl"`
	// PerDimKL is each latent dimension's mean KL (they sum to KL), and
	// Active how many are above ActiveKL.
	PerDimKL []float64 `json:"per_dim_kl"`
	Active   int       `json:"active"`
	Beta     float64   `json:"beta"` // the β the model was trained at
	N        int       `json:"n"`    // the test digits measured
	// Probes are the fixed test digits, and Rebuilt their rebuilds
	// through μ, one row each.
	Probes  Batch `json:"probes"`
	Rebuilt Batch `json:"rebuilt"`
}

// LatentSizes are the latent-size lab's K, smallest first.
var LatentSizes = []int{2, 5, 10, 20, 50}

// LatentSizePCA is how many training digits PCA is fit on in the
// latent-size lab: plenty for 50 components of an MNIST digit's pixels,
// and quick.
const LatentSizePCA = 5000

// LatentSizeSlot is where the latent-size lab's autoencoder with k
// latents lives.
func LatentSizeSlot(k int) string { return fmt.Sprintf("latent-%d", k) }

// LatentSizeLab is the latent-size lab's run at k: an autoencoder of one
// 128-unit hidden layer each side and k latents, trained for one epoch on
// the first 20,000 training digits from a fixed seed, the same budget at
// every k.
func LatentSizeLab(k int) Train {
	return Train{
		Kind: "ae", Hidden: []int{128}, Latent: k,
		LR: 2e-3, Batch: 100, Epochs: 1, Subset: 20000, Seed: 1, Slot: LatentSizeSlot(k),
	}
}

// LatentSizeArgs names the autoencoders (1..8), the test digits to score
// on (1..10000) and the test digit to rebuild.
type LatentSizeArgs struct {
	Slots []string `json:"slots"`
	N     int      `json:"n"`
	Show  int      `json:"show"`
}

// LatentSizeComparison is each autoencoder beside PCA at its K, in the
// order of the slots.
type LatentSizeComparison struct {
	Latents []int `json:"latents"` // each autoencoder's K
	// AutoencoderMSE and PCAMSE are the mean squared errors per pixel on
	// the test digits.
	AutoencoderMSE []float64 `json:"autoencoder_mse"`
	PCAMSE         []float64 `json:"pca_mse"`
	// Digit is the test digit shown (one row); AutoencoderRebuilt and
	// PCARebuilt its rebuilds at each K, one row each.
	Digit              Batch   `json:"digit"`
	AutoencoderRebuilt Batch   `json:"autoencoder_rebuilt"`
	PCARebuilt         Batch   `json:"pca_rebuilt"`
	PCASeconds         float64 `json:"pca_seconds"` // the fit's time
}

// ReparamArgs asks for Draws (2..5000) pairs of estimates on test digit
// Digit by the unconditional VAE in Slot.
type ReparamArgs struct {
	Slot  string `json:"slot"`
	Digit int    `json:"digit"`
	Draws int    `json:"draws"`
	Seed  uint64 `json:"seed"`
}

// ReparamEstimates are the draws and both estimates of ∂E[L]/∂μ from each,
// one row a draw: the pathwise ∂L/∂z (the decoder's backward pass, what
// the trick allows) and the score function L(z)·(z − μ)/σ² (all there is
// without it).
type ReparamEstimates struct {
	Mu    []float32 `json:"mu"`    // the posterior's mean, K
	Sigma []float32 `json:"sigma"` // and its standard deviation
	Eps   Batch     `json:"eps"`   // ε, Draws×K
	Loss  []float32 `json:"loss"`  // L(z) of each draw
	// Pathwise and Score are the estimates, Draws×K each.
	Pathwise Batch `json:"pathwise"`
	Score    Batch `json:"score"`
	// PathMean, PathStd, ScoreMean and ScoreStd are each coordinate's
	// mean and standard deviation over the draws.
	PathMean  []float64 `json:"path_mean"`
	PathStd   []float64 `json:"path_std"`
	ScoreMean []float64 `json:"score_mean"`
	ScoreStd  []float64 `json:"score_std"`
	// MeanPathStd and MeanScoreStd are the standard deviations averaged
	// over the coordinates; MeanLoss is the draws' mean L.
	MeanPathStd  float64 `json:"mean_path_std"`
	MeanScoreStd float64 `json:"mean_score_std"`
	MeanLoss     float64 `json:"mean_loss"`
}
