package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"latentplay/core/data"
	"latentplay/core/modelfile"
	"latentplay/core/models"
	"latentplay/core/train"
)

// trainFlags are every model's training flags; each recipe reads the ones
// that apply to it.
type trainFlags struct {
	model   string
	hidden  string
	latent  int
	epochs  int
	batch   int
	lr      float64
	finalLR float64
	half    float64
	beta    float64
	warmup  float64
	beta1   float64
	average float64
	seed    uint64
	out     string
	storage string
	mnist   string
}

// defaultHidden are each model's hidden widths unless -hidden says otherwise.
var defaultHidden = map[string]string{
	models.KindMLP:  "512,256",
	models.KindAE:   "400",
	models.KindVAE:  "400",
	models.KindCVAE: "400",
	models.KindGAN:  "256,512",
	models.KindCGAN: "256,512",
}

func trainCmd(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	var f trainFlags
	fs.StringVar(&f.model, "model", "mlp", "model to train: mlp, linear-ae, ae, vae, cvae, gan or cgan")
	fs.StringVar(&f.hidden, "hidden", "", "hidden layer widths, comma-separated (default: mlp 512,256; ae, vae, cvae 400; gan, cgan 256,512 for the generator, mirrored by the discriminator)")
	fs.IntVar(&f.latent, "latent", -1, "latent size K of an autoencoder, VAE or GAN (default: 20; gan, cgan 64)")
	fs.IntVar(&f.epochs, "epochs", 30, "passes over the 60,000 training images")
	fs.IntVar(&f.batch, "batch", -1, "mini-batch size (default: 128; gan, cgan 64)")
	fs.Float64Var(&f.lr, "lr", -1, "learning rate (Adam's α; default: 1e-3; gan, cgan 2e-4)")
	fs.Float64Var(&f.beta1, "beta1", -1, "Adam's β₁ (default: 0.9; gan, cgan 0.5)")
	fs.Float64Var(&f.average, "average", -1, "a GAN's generator is written as the moving average of its weights with this decay a step (default: gan, cgan 0.999; 0 keeps the last step's)")
	fs.Float64Var(&f.finalLR, "final-lr", -1, "learning rate at the last step, decayed exponentially (default: lr/100 for mlp, lr otherwise)")
	fs.Float64Var(&f.half, "half-life", 0, "epochs over which the learning rate halves, step by step (0: it does not; not with -final-lr)")
	fs.Float64Var(&f.beta, "beta", 1, "weight β of a VAE's KL term (1 is the ELBO)")
	fs.Float64Var(&f.warmup, "warmup", 0, "epochs over which β rises from 0 (KL warm-up)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed for initialisation, shuffling, noise and augmentation")
	fs.StringVar(&f.out, "o", "", "model file to write (required)")
	fs.StringVar(&f.storage, "storage", "float16", "how weights are stored: float16, float32 or int8")
	fs.StringVar(&f.mnist, "mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.out == "" {
		return fmt.Errorf("train: -o FILE is required")
	}
	storage, err := parseStorage(f.storage)
	if err != nil {
		return err
	}
	m, settings, err := recipe(f)
	if err != nil {
		return err
	}
	trainSet, _, err := loadMNIST(f.mnist)
	if err != nil {
		return err
	}
	if s, ok := m.(interface{ StartFromMean([]float32) }); ok {
		s.StartFromMean(trainSet.Mean())
	}
	bar := newProgressLine(os.Stderr)
	var loop *train.Loop
	switch m := m.(type) {
	case *models.GAN:
		run, err := train.Adversarial(m, trainSet, settings)
		if err != nil {
			return err
		}
		loop, bar.gan = run.Loop, run
	case models.Trainable:
		if loop, err = train.Model(m, trainSet, settings); err != nil {
			return err
		}
	default:
		return fmt.Errorf("train: a %s cannot be trained here", m.Kind())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if err := loop.Run(ctx, 200*time.Millisecond, bar.show); err != nil {
		bar.done()
		return err
	}
	bar.done()
	if bar.gan != nil {
		bar.gan.UseAverage()
	}

	meta := map[string]any{"settings": settings, "train_seconds": time.Since(start).Round(time.Second).Seconds()}
	b, err := models.Marshal(m, meta, storage)
	if err != nil {
		return err
	}
	if err := os.WriteFile(f.out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes) in %s\n", f.out, len(b), time.Since(start).Round(time.Second))
	return nil
}

// ganDefaults are a GAN's training settings unless the flags say
// otherwise: Adam with α = 2e-4 and β₁ = 0.5 on batches of 64 (Radford et
// al. 2016), and 64 latents.
var ganDefaults = trainFlags{latent: 64, batch: 64, lr: 2e-4, beta1: 0.5, average: train.GANAverage}

// recipe builds the model the flags ask for and its training settings.
func recipe(f trainFlags) (models.Model, train.Settings, error) {
	gan := f.model == models.KindGAN || f.model == models.KindCGAN
	def := trainFlags{latent: 20, batch: 128, lr: 1e-3, beta1: 0}
	if gan {
		def = ganDefaults
	}
	if f.latent < 0 {
		f.latent = def.latent
	}
	if f.batch < 0 {
		f.batch = def.batch
	}
	if f.lr < 0 {
		f.lr = def.lr
	}
	if f.average < 0 {
		f.average = def.average
	}
	if f.beta1 < 0 {
		f.beta1 = def.beta1
	}
	s := train.Settings{Epochs: f.epochs, Batch: f.batch, LR: f.lr, FinalLR: f.finalLR, HalfLife: f.half, Optimizer: "adam", Seed: f.seed, Beta: f.beta, WarmupEpochs: f.warmup, Beta1: f.beta1, Average: f.average}
	if gan {
		s.Beta = 0 // no KL term
	}
	if s.FinalLR < 0 {
		s.FinalLR = 0
		if f.model == models.KindMLP && s.HalfLife == 0 {
			s.FinalLR = f.lr / 100
		}
	}
	hidden := f.hidden
	if hidden == "" {
		hidden = defaultHidden[f.model]
	}
	var widths []int
	if hidden != "" && f.model != models.KindLinearAE {
		var err error
		if widths, err = parseWidths(hidden); err != nil {
			return nil, s, err
		}
	}
	rng := rand.New(rand.NewPCG(f.seed, 1))
	var (
		m   models.Model
		err error
	)
	switch f.model {
	case models.KindMLP:
		cfg := models.MNISTClassifier
		cfg.Hidden = widths
		s.Shift = 2 // small random moves: a digit moved a pixel is still itself
		m, err = models.NewClassifier(cfg, rng)
	case models.KindLinearAE:
		m, err = models.NewAutoencoder(models.AEConfig{Inputs: 784, Latent: f.latent, Linear: true}, rng)
	case models.KindAE:
		m, err = models.NewAutoencoder(models.AEConfig{Inputs: 784, Hidden: widths, Latent: f.latent}, rng)
	case models.KindVAE:
		m, err = models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: widths, Latent: f.latent}, rng)
	case models.KindCVAE:
		m, err = models.NewVAE(models.VAEConfig{Inputs: 784, Hidden: widths, Latent: f.latent, Classes: 10}, rng)
	case models.KindGAN, models.KindCGAN:
		cfg := models.MNISTGAN
		if f.model == models.KindCGAN {
			cfg = models.MNISTCGAN
		}
		cfg.Hidden, cfg.Latent = widths, f.latent
		m, err = models.NewGAN(cfg, rng)
	default:
		return nil, s, fmt.Errorf("train: unknown model %q (have: mlp, linear-ae, ae, vae, cvae, gan, cgan)", f.model)
	}
	return m, s, err
}

func parseStorage(s string) (modelfile.Storage, error) {
	switch s {
	case "float16":
		return modelfile.Float16, nil
	case "float32":
		return modelfile.Float32, nil
	case "int8":
		return modelfile.Int8, nil
	}
	return 0, fmt.Errorf("storage %q: want float16, float32 or int8", s)
}

func parseWidths(s string) ([]int, error) {
	var ws []int
	for _, p := range strings.Split(s, ",") {
		w, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || w < 1 {
			return nil, fmt.Errorf("hidden widths %q: want positive integers separated by commas", s)
		}
		ws = append(ws, w)
	}
	return ws, nil
}

func loadMNIST(dir string) (trainSet, testSet *data.Set, err error) {
	if dir == "" {
		if dir, err = data.MNISTDir(); err != nil {
			return nil, nil, err
		}
	}
	return data.LoadMNIST(dir)
}

// progressLine redraws one status line on a terminal, or prints a line
// every few seconds when the output is a file or a pipe.
type progressLine struct {
	gan   *train.GANRun // a GAN's run, whose players' losses it shows
	w     io.Writer
	tty   bool
	last  time.Time
	drawn bool
}

func newProgressLine(f *os.File) *progressLine {
	st, err := f.Stat()
	return &progressLine{w: f, tty: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

func (p *progressLine) show(pr train.Progress) {
	loss := fmt.Sprintf("loss %.4f", pr.EpochLoss.Total)
	if pr.EpochLoss.KL != 0 {
		loss += fmt.Sprintf(" (recon %.2f + KL %.2f)", pr.EpochLoss.Recon, pr.EpochLoss.KL)
	}
	if p.gan != nil {
		loss = fmt.Sprintf("loss D %.4f  G %.4f", p.gan.Epoch.D, p.gan.Epoch.G)
	}
	line := fmt.Sprintf("epoch %d/%d  step %d/%d  %s  %.0f samples/s  elapsed %s  ETA %s",
		pr.Epoch, pr.Epochs, pr.Step, pr.Steps, loss, pr.SamplesPerSec,
		pr.Elapsed.Round(time.Second), pr.ETA.Round(time.Second))
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	if time.Since(p.last) >= 5*time.Second || pr.Step == pr.Steps {
		fmt.Fprintln(p.w, line)
		p.last = time.Now()
	}
}

func (p *progressLine) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
