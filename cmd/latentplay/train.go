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
	epochs  int
	batch   int
	lr      float64
	seed    uint64
	out     string
	storage string
	mnist   string
}

func trainCmd(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	var f trainFlags
	fs.StringVar(&f.model, "model", "mlp", "model to train: mlp")
	fs.StringVar(&f.hidden, "hidden", "", "hidden layer widths, comma-separated (default: the model's own)")
	fs.IntVar(&f.epochs, "epochs", 30, "passes over the 60,000 training images")
	fs.IntVar(&f.batch, "batch", 128, "mini-batch size")
	fs.Float64Var(&f.lr, "lr", 1e-3, "learning rate (Adam's α)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed for initialisation, shuffling and augmentation")
	fs.StringVar(&f.out, "o", "", "model file to write (required)")
	fs.StringVar(&f.storage, "storage", "float16", "how weights are stored: float16 or float32")
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
	trainSet, _, err := loadMNIST(f.mnist)
	if err != nil {
		return err
	}

	var (
		m    models.Model
		loop *train.Loop
	)
	switch f.model {
	case models.KindMLP:
		cfg := models.MNISTClassifier
		if f.hidden != "" {
			if cfg.Hidden, err = parseWidths(f.hidden); err != nil {
				return err
			}
		}
		c, err := models.NewClassifier(cfg, rand.New(rand.NewPCG(f.seed, 1)))
		if err != nil {
			return err
		}
		s := train.Settings{Epochs: f.epochs, Batch: f.batch, LR: f.lr, FinalLR: f.lr / 100, Optimizer: "adam", Shift: 2, Seed: f.seed}
		if loop, err = train.Classifier(c, trainSet, s); err != nil {
			return err
		}
		m = c
	default:
		return fmt.Errorf("train: unknown model %q (have: mlp)", f.model)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	bar := newProgressLine(os.Stderr)
	if err := loop.Run(ctx, 200*time.Millisecond, bar.show); err != nil {
		bar.done()
		return err
	}
	bar.done()

	meta := map[string]any{
		"seed": f.seed, "epochs": f.epochs, "batch": f.batch, "lr": f.lr,
		"train_seconds": time.Since(start).Round(time.Second).Seconds(),
	}
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

func parseStorage(s string) (modelfile.Storage, error) {
	switch s {
	case "float16":
		return modelfile.Float16, nil
	case "float32":
		return modelfile.Float32, nil
	}
	return 0, fmt.Errorf("storage %q: want float16 or float32", s)
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
	line := fmt.Sprintf("epoch %d/%d  step %d/%d  loss %.4f  %.0f samples/s  elapsed %s  ETA %s",
		pr.Epoch, pr.Epochs, pr.Step, pr.Steps, pr.EpochLoss, pr.SamplesPerSec,
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
