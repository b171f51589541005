package protocol

import (
	"math"

	"latentplay/core/models"
)

// Training: one run at a time per engine, numbered; every progress event
// names its run and the view that started it (its owner), so a view sees
// its own runs' events and no other's.
var (
	// StartRun starts a run; its progress events follow.
	StartRun = NewOp[Train, Run]("train")
	// PauseRun, ResumeRun and StopRun act on the run they name, if it is
	// the current one.
	PauseRun  = NewOp[Run, None]("pause")
	ResumeRun = NewOp[Run, None]("resume")
	StopRun   = NewOp[Run, None]("stop")

	// Data-parallel training: a leading engine asks helper engines (its
	// own Web Workers) for the gradients of their shards of each batch.
	// ShardStart builds the same model from the same seed; ShardGradient
	// computes the gradient of one shard, whose images it brings (a
	// helper holds no MNIST of its own); ShardApply takes the averaged
	// gradient a step.
	ShardStart    = NewOp[ShardSetup, None]("shard-start")
	ShardGradient = NewOp[Shard, ShardGrad]("shard-gradient")
	ShardApply    = NewOp[Update, None]("shard-apply")
)

// None is the answer of an operation that answers only whether it worked.
type None struct{}

// Train describes a training run.
type Train struct {
	Kind   string  `json:"kind"` // linear-ae, ae, vae, cvae, mlp, gan or cgan
	Latent int     `json:"latent"`
	Hidden []int   `json:"hidden"`
	Beta   float64 `json:"beta"`
	LR     float64 `json:"lr"`
	// HalfLife halves the learning rate every HalfLife epochs, step by
	// step (0: it stays LR).
	HalfLife float64 `json:"half_life,omitempty"`
	Batch    int     `json:"batch"`
	Epochs   int     `json:"epochs"`
	Seed     uint64  `json:"seed"`
	Warmup   float64 `json:"warmup,omitempty"`
	Subset   int     `json:"subset,omitempty"`  // train on the first Subset images only (0: all 60,000)
	Samples  int     `json:"samples,omitempty"` // fixed test digits rebuilt in each progress event
	// Obs is a VAE's observation model p(x|z): models.ObsBernoulli (also
	// when empty) or models.ObsGaussian, N(x; G(z), η·I) with η = Eta.
	Obs     string  `json:"obs,omitempty"`
	Eta     float64 `json:"eta,omitempty"`
	Workers int     `json:"workers,omitempty"` // engines training together, data-parallel (0 or 1: this one alone; a GAN always alone)
	// Slot is where the model lives from its first step ("" means
	// TrainedSlot, the Train view's): each lab trains into its own, and
	// none into the playground's.
	Slot string `json:"slot,omitempty"`
	// Owner names the view that starts the run; its events carry it.
	Owner string `json:"owner,omitempty"`
	// SetLoss asks for the loss over the whole test set after each epoch
	// (Progress.SetLoss): the figure a model is judged by.
	SetLoss bool `json:"set_loss,omitempty"`
	// Judge names the slot of a classifier (the shipped "mlp") that reads
	// ReadSamples of a generative model's samples every quarter epoch
	// (Progress.Read): how digit-like they are, and of which classes.
	Judge string `json:"judge,omitempty"`
}

// ReadSamples is how many samples Train.Judge reads each time: the same
// z each time, so what changes is the model.
const ReadSamples = 1000

// SampleRead is what a classifier reads in a generative model's samples
// (core/analysis.SampleFigures), drawn when the run had seen Samples
// images.
type SampleRead struct {
	Samples int `json:"samples"`
	// Confidence is the mean of the largest class probability: near 1
	// when every sample reads as some digit, lower for blurred or broken
	// ones.
	Confidence float64 `json:"confidence"`
	// MinShare is the rarest class's share of the samples: 0.1 when the
	// ten are covered evenly, near 0 when one is missing (mode collapse).
	MinShare float64 `json:"min_share"`
	// LabelAccuracy is how often a conditional model's sample reads as
	// the class it was asked for (0 for a model without labels).
	LabelAccuracy float64 `json:"label_accuracy,omitempty"`
}

// Run names a training run by its number.
type Run struct {
	Run int `json:"run"`
}

// State is where a training run is.
type State string

// Training states.
const (
	Loading  State = "loading" // fetching MNIST
	Running  State = "running"
	Paused   State = "paused"
	Done     State = "done"
	Stopped  State = "stopped"
	Diverged State = "diverged"
	Failed   State = "failed"
)

// Ended reports whether a run in state s is over.
func (s State) Ended() bool { return s == Done || s == Stopped || s == Diverged || s == Failed }

// Progress reports on a training run.
type Progress struct {
	Run          int     `json:"run"`
	Owner        string  `json:"owner,omitempty"`
	State        State   `json:"state"`
	Message      string  `json:"message,omitempty"`
	Loaded       float64 `json:"loaded,omitempty"` // fraction of MNIST fetched, while Loading
	Epoch        int     `json:"epoch"`
	Epochs       int     `json:"epochs"`
	Step         int     `json:"step"`
	Steps        int     `json:"steps"`
	Samples      int     `json:"samples"`
	Loss         Losses  `json:"loss"`
	TestLoss     Losses  `json:"test_loss,omitempty"`     // on a fixed test batch
	TestAccuracy float64 `json:"test_accuracy,omitempty"` // a classifier's, on the first 500 test digits
	// SetLoss is the loss over all 10,000 test digits after epoch
	// SetEpoch (0 until the first epoch ends), when Train.SetLoss asks.
	SetLoss       Losses  `json:"set_loss,omitempty"`
	SetEpoch      int     `json:"set_epoch,omitempty"`
	SamplesPerSec float64 `json:"samples_per_sec"`
	StepMS        float64 `json:"step_ms"` // median time of one training step in the last chunk
	Workers       int     `json:"workers,omitempty"`
	ETASeconds    float64 `json:"eta_seconds"`
	// Trained says the run's slot holds its model: a chunk went well.
	Trained bool `json:"trained,omitempty"`
	// Probes are fixed test digits (Train.Samples of them) and Rebuilt
	// the model's rebuilds of them now; empty when not asked or not a
	// generative model.
	Probes  Batch `json:"probes"`
	Rebuilt Batch `json:"rebuilt"`
	// Players are a GAN's two losses apart, the means of the epoch's
	// steps so far (Loss.Total is their sum); Drawn its images of a
	// fixed z (Train.Samples of them), drawn anew in each event.
	Players GANLosses `json:"players,omitzero"`
	Drawn   Batch     `json:"drawn"`
	// Read is Train.Judge's latest reading of the model's samples (zero
	// until the first).
	Read SampleRead `json:"read,omitzero"`
}

// GANLosses are a GAN's discriminator's loss L_D and its generator's L_G.
type GANLosses struct {
	D float64 `json:"d"`
	G float64 `json:"g"`
}

// Finite replaces NaN and infinite figures, which JSON cannot carry, by
// ±MaxFloat64 (a loss blowing up is exactly when they appear); the page
// treats anything beyond 1e300 as "off the chart".
func (p *Progress) Finite() {
	p.Loss.Finite()
	p.TestLoss.Finite()
	p.SetLoss.Finite()
	p.Players.D, p.Players.G = finite(p.Players.D), finite(p.Players.G)
	p.Read.Confidence, p.Read.MinShare, p.Read.LabelAccuracy = finite(p.Read.Confidence), finite(p.Read.MinShare), finite(p.Read.LabelAccuracy)
	for _, x := range []*float64{&p.SamplesPerSec, &p.ETASeconds, &p.Loaded, &p.TestAccuracy, &p.StepMS} {
		*x = finite(*x)
	}
}

// finite is x, or ±MaxFloat64 for NaN and the infinities.
func finite(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}

// Losses are a batch's mean losses per image; for a VAE the two parts of
// the negative ELBO apart.
type Losses struct {
	Total float64 `json:"total"`
	Recon float64 `json:"recon,omitempty"`
	KL    float64 `json:"kl,omitempty"`
}

// Finite makes l fit for JSON as Progress.Finite does: a blown-up loss
// travels as the largest float.
func (l *Losses) Finite() {
	l.Total, l.Recon, l.KL = finite(l.Total), finite(l.Recon), finite(l.KL)
}

// Model is the losses as the core has them: the largest float, which
// stood for a blown-up loss on the way, is +Inf again.
func (l Losses) Model() models.Losses {
	out := models.Losses(l)
	for _, x := range []*float64{&out.Total, &out.Recon, &out.KL} {
		if *x == math.MaxFloat64 {
			*x = math.Inf(1)
		}
	}
	return out
}

// ShardSetup makes an engine a helper of the run Train: N is how many
// images the run trains on (its schedule counts steps by them), Mean
// their mean image (one row), where a model that starts from it starts.
type ShardSetup struct {
	Train Train `json:"train"`
	N     int   `json:"n"`
	Mean  Batch `json:"mean"`
}

// Shard asks a helper for the gradient, at step Step, of rows Lo..Hi of
// a batch of Of images: Images are those rows' pixels, Labels their
// digits.
type Shard struct {
	Step   int     `json:"step"`
	Lo     int     `json:"lo"`
	Hi     int     `json:"hi"`
	Of     int     `json:"of"`
	Images Batch   `json:"images"`
	Labels []uint8 `json:"labels"`
}

// ShardGrad is a shard's gradient (one row: every parameter) and loss.
type ShardGrad struct {
	Grad Batch  `json:"grad"`
	Loss Losses `json:"loss"`
}

// Update is the averaged gradient to apply at step Step.
type Update struct {
	Step int   `json:"step"`
	Grad Batch `json:"grad"`
}
