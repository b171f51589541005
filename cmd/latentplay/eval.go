package main

import (
	"gonum.org/v1/gonum/mat"

	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"

	"latentplay/core/analysis"
	"latentplay/core/analysis/frechet"
	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/pca"
)

func evalCmd(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	mnist := fs.String("mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
	mlp := fs.String("mlp", "static/models/mlp.lpm", "the classifier that judges a generative model's samples")
	iw := fs.Bool("iw", true, "estimate a VAE's log-likelihood with importance sampling (k = 100 on every test image; the slowest figure)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("eval: want one model file, got %d arguments", fs.NArg())
	}
	trainSet, testSet, err := loadMNIST(*mnist)
	if err != nil {
		return err
	}
	figures, _, err := evalFile(fs.Arg(0), trainSet, testSet, *iw, &judge{path: *mlp})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(figures)
}

// sampleCount is how many samples every generative model with a prior
// (VAE, GAN, plain or conditional) is judged on, drawn from z ~ N(0, I)
// with sampleSeed.
const (
	sampleCount = 10000
	sampleSeed  = 0x5a3
)

// judge is the classifier that reads generative models' samples (the
// shipped mlp), loaded when first needed, with the Gaussian of its last
// hidden layer's features of the test digits.
type judge struct {
	path string
	c    *models.Classifier
	real frechet.Gaussian
}

func (j *judge) load(test *data.Set) (*models.Classifier, error) {
	if j.c != nil {
		return j.c, nil
	}
	b, err := os.ReadFile(j.path)
	if err != nil {
		return nil, fmt.Errorf("eval: samples are judged by the shipped mlp: %w", err)
	}
	m, _, err := models.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", j.path, err)
	}
	c, err := models.As[*models.Classifier](m, models.KindMLP)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", j.path, err)
	}
	x, _ := test.First(test.N)
	h, err := analysis.LastHidden(c, x)
	if err != nil {
		return nil, err
	}
	if j.real, err = frechet.Fit(h); err != nil {
		return nil, err
	}
	j.c = c
	return c, nil
}

// judgeSamples draws sampleCount samples from m and adds what the judge
// reads there: sample_confidence (its mean top-class probability),
// class_min_share (the rarest class's share of its readings: coverage),
// mlp_frechet (the squared Fréchet distance between Gaussians fitted to
// its last hidden layer's features of the samples and of the test
// digits) and, for a conditional model asked for every class evenly,
// label_accuracy (how often it reads the asked-for class).
func judgeSamples(fig map[string]any, m analysis.Sampler, test *data.Set, j *judge) error {
	c, err := j.load(test)
	if err != nil {
		return err
	}
	x, asked := analysis.Samples(m, sampleCount, rand.New(rand.NewPCG(evalSeed, sampleSeed)))
	read, err := analysis.ReadSamples(c, x, asked)
	if err != nil {
		return err
	}
	h, err := analysis.LastHidden(c, x)
	if err != nil {
		return err
	}
	g, err := frechet.Fit(h)
	if err != nil {
		return err
	}
	d, err := frechet.Distance(g, j.real)
	if err != nil {
		return err
	}
	fig["samples"] = sampleCount
	fig["sample_confidence"] = read.Confidence
	fig["class_min_share"] = read.MinShare
	fig["mlp_frechet"] = d
	if asked != nil {
		fig["label_accuracy"] = read.LabelAccuracy
	}
	return nil
}

// evalFile loads a model file and measures it on the test set, its
// samples (if it draws any) read by j. It also returns the file's
// metadata (how it was trained).
func evalFile(path string, trainSet, test *data.Set, iw bool, j *judge) (figures map[string]any, meta json.RawMessage, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, f, err := models.Unmarshal(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if figures, err = evaluate(m, trainSet, test, iw, j); err != nil {
		return nil, nil, err
	}
	figures["file_bytes"] = len(b)
	return figures, f.Meta, nil
}

// Importance-weighted log-likelihood: k samples on every test image.
const (
	iwK      = 100
	evalSeed = 1
)

// evaluate measures a model on the test set (the linear autoencoder also
// against PCA fitted on the training set); figures always include "kind".
// The importance-weighted estimate, the slowest figure, is left out unless
// iw is set. A model with a prior has its samples judged by j.
func evaluate(m models.Model, trainSet, test *data.Set, iw bool, j *judge) (map[string]any, error) {
	fig := map[string]any{"kind": m.Kind(), "test_images": test.N}
	switch m := m.(type) {
	case *models.Classifier:
		fig["test_accuracy"] = analysis.Accuracy(m, test)
		// What it reads in real digits: the mark a generative model's
		// samples are read against.
		x, _ := test.First(test.N)
		read, err := analysis.ReadSamples(m, x, nil)
		if err != nil {
			return nil, err
		}
		fig["test_confidence"] = read.Confidence
		fig["test_min_share"] = read.MinShare
	case *models.VAE:
		k := 0
		if iw {
			k = iwK
		}
		f := analysis.EvaluateVAE(m, test, k, test.N, evalSeed)
		fig["test_loss_nats"] = f.Loss
		fig["test_recon_nats"] = f.Recon
		fig["test_kl_nats"] = f.KL
		if iw {
			fig["iw_nll_nats"] = f.IWNLL
			fig["iw_k"] = f.IWK
			fig["iw_images"] = f.IWImages
		}
	case *models.Autoencoder:
		fig["test_mse"] = analysis.EvaluateAE(m, test).MSE
		if m.Cfg.Linear {
			p, err := pca.Fit(trainSet, m.Cfg.Latent)
			if err != nil {
				return nil, err
			}
			fig["pca_mse"] = p.MSE(test)
			u := m.Decoder()
			angles, err := pca.PrincipalAngles(mat.NewDense(u.Rows, u.Cols, float64s(u.Data)), p.Components)
			if err != nil {
				return nil, err
			}
			fig["max_principal_angle_deg"] = angles[len(angles)-1]
		}
	case *models.GAN:
		// A GAN has no likelihood to measure nor codes to compare: only
		// its samples, below.
	default:
		return nil, fmt.Errorf("eval: no evaluation for %q models", m.Kind())
	}
	// How much the codes (μ) say about the class, at any latent size: each
	// test digit takes the class most of its 5 nearest codes have.
	if s, ok := m.(analysis.Sampler); ok {
		if err := judgeSamples(fig, s, test, j); err != nil {
			return nil, err
		}
	}
	if g, ok := m.(models.Generative); ok && models.Encodes(g) {
		acc, err := analysis.CodeNeighbourAccuracy(g, test, test.N, analysis.NeighbourK)
		if err != nil {
			return nil, err
		}
		fig["knn5_code_accuracy"] = acc
	}
	return fig, nil
}

func float64s(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
