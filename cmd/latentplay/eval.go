package main

import (
	"gonum.org/v1/gonum/mat"

	"encoding/json"
	"flag"
	"fmt"
	"os"

	"latentplay/core/analysis"
	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/pca"
)

func evalCmd(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	mnist := fs.String("mnist", "", "folder with the MNIST .gz files (default: the GoMNIST module's)")
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
	figures, _, err := evalFile(fs.Arg(0), trainSet, testSet, true)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(figures)
}

// evalFile loads a model file and measures it on the test set. It also
// returns the file's metadata (how it was trained).
func evalFile(path string, trainSet, test *data.Set, iw bool) (figures map[string]any, meta json.RawMessage, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	m, f, err := models.Unmarshal(b)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if figures, err = evaluate(m, trainSet, test, iw); err != nil {
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
// iw is set.
func evaluate(m models.Model, trainSet, test *data.Set, iw bool) (map[string]any, error) {
	fig := map[string]any{"kind": m.Kind(), "test_images": test.N}
	switch m := m.(type) {
	case *models.Classifier:
		fig["test_accuracy"] = analysis.Accuracy(m, test)
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
	default:
		return nil, fmt.Errorf("eval: no evaluation for %q models", m.Kind())
	}
	// How much the codes (μ) say about the class, at any latent size: each
	// test digit takes the class most of its 5 nearest codes have.
	if g, ok := m.(models.Generative); ok {
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
