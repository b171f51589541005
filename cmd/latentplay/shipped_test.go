package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/analysis"
	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/pca"
)

const shippedDir = "../../static/models"

// maxShippedBytes keeps every shipped model small enough to load at once.
const maxShippedBytes = 1_500_000

// figures are one model's evaluation, as in index.json.
type figures = map[string]any

func num(f figures, key string) float64 {
	v, _ := f[key].(float64)
	return v
}

// reference is what the bars compare a model with: every model's figures
// in the manifest, and PCA fitted on the training set.
type reference struct {
	all         map[string]figures
	train, test *data.Set

	once sync.Once
	pca  *pca.PCA // the top 20 components
	err  error
}

// pcaMSE is the test error of PCA with k ≤ 20 components.
func (r *reference) pcaMSE(t *testing.T, k int) float64 {
	t.Helper()
	r.once.Do(func() { r.pca, r.err = pca.FitCovariance(r.train, 20) })
	if r.err != nil {
		t.Fatal(r.err)
	}
	d, _ := r.pca.Components.Dims()
	top := &pca.PCA{Mean: r.pca.Mean, Variances: r.pca.Variances, Components: mat.DenseCopyOf(r.pca.Components.Slice(0, d, 0, k))}
	return top.MSE(r.test)
}

// Quality bars of the shipped models on the 10,000 MNIST test images; each
// sees its own figures and, for comparisons, every model's in the manifest
// and PCA's.
var shippedBars = map[string]func(t *testing.T, f figures, ref *reference){
	"mlp": func(t *testing.T, f figures, _ *reference) {
		// Keras's mnist_mlp reaches 0.9840; LeCun's table gives 0.9695 for 300-100.
		if acc := num(f, "test_accuracy"); acc < 0.985 {
			t.Errorf("test accuracy %.4f, want ≥ 0.985", acc)
		}
		// Real digits read as digits: the mark the generative models'
		// samples are read against.
		if c := num(f, "test_confidence"); !(c >= 0.95 && c <= 1) {
			t.Errorf("mean confidence on the test digits %.4f, want ≥ 0.95", c)
		}
	},
	"linear-ae-20": func(t *testing.T, f figures, _ *reference) {
		// Baldi & Hornik 1989: the optimum is PCA's subspace.
		if mse, pca := num(f, "test_mse"), num(f, "pca_mse"); !(mse <= 1.01*pca) {
			t.Errorf("test MSE %.6f, PCA's %.6f: want within 1%%", mse, pca)
		}
		if a := num(f, "max_principal_angle_deg"); !(a <= 10) {
			t.Errorf("largest principal angle to PCA's subspace %.2f°, want ≤ 10°", a)
		}
	},
	"ae-2": func(t *testing.T, f figures, ref *reference) {
		// Two numbers cannot hold a digit as well as twenty PCA components,
		// but a deep code of two holds it better than PCA's best two.
		mse, pca2, pca20 := num(f, "test_mse"), ref.pcaMSE(t, 2), ref.pcaMSE(t, 20)
		t.Logf("test MSE %.4f; PCA with 2 components %.4f, with 20 %.4f", mse, pca2, pca20)
		if w := num(ref.all["linear-ae-20"], "pca_mse"); math.Abs(pca20-w) > 1e-6*w {
			t.Errorf("PCA with 20 components %.6f here, %.6f in the manifest", pca20, w)
		}
		if !(pca20 < mse && mse < pca2) {
			t.Errorf("test MSE %.4f, want between PCA's with 20 components (%.4f) and with 2 (%.4f)", mse, pca20, pca2)
		}
	},
	"ae-20": func(t *testing.T, f figures, ref *reference) {
		// A deep code of 20 must beat the best linear code of 20.
		if mse, lin := num(f, "test_mse"), num(ref.all["linear-ae-20"], "test_mse"); !(mse < lin) {
			t.Errorf("test MSE %.5f, want below linear-ae-20's %.5f", mse, lin)
		}
	},
	"vae-2": func(t *testing.T, f figures, _ *reference) {
		if l := num(f, "test_loss_nats"); !(l <= 150) {
			t.Errorf("test loss %.2f nats, want ≤ 150", l)
		}
	},
	"vae-20": func(t *testing.T, f figures, _ *reference) {
		// PyTorch examples/vae reaches ~105.5 after 10 epochs.
		if l := num(f, "test_loss_nats"); !(l <= 100) {
			t.Errorf("test loss %.2f nats, want ≤ 100", l)
		}
	},
	"cvae-2": func(t *testing.T, f figures, ref *reference) {
		// Told the label, the 2-D code need only carry style: a better
		// ELBO than vae-2's, and codes whose 5 nearest neighbours name the
		// class far less often than vae-2's clusters do.
		if l, v := num(f, "test_loss_nats"), num(ref.all["vae-2"], "test_loss_nats"); !(l <= v-10) {
			t.Errorf("test loss %.2f nats, want ≥ 10 below vae-2's %.2f", l, v)
		}
		if k, v := num(f, "knn5_code_accuracy"), num(ref.all["vae-2"], "knn5_code_accuracy"); !(v >= 0.7 && k <= 0.25 && k <= v-0.4) {
			t.Errorf("5-NN class accuracy of the codes %.4f, vae-2's %.4f: want vae-2's ≥ 0.7 and this ≤ 0.25, at least 0.4 below it", k, v)
		}
	},
	"cvae-20": func(t *testing.T, f figures, ref *reference) {
		// Knowing the label, z need only carry style.
		if l, v := num(f, "test_loss_nats"), num(ref.all["vae-20"], "test_loss_nats"); !(l <= v-3) {
			t.Errorf("test loss %.2f nats, want ≥ 3 below vae-20's %.2f", l, v)
		}
	},
	"gan": func(t *testing.T, f figures, ref *reference) {
		// Sharper digits than vae-20's, of every class: the mlp reads each
		// class in at least 1 sample of 20, and its features of the samples
		// lie nearer the test digits' than of vae-20's samples. The mlp
		// reads them with a mean confidence of at least 0.90, above
		// vae-20's.
		if c, v := num(f, "sample_confidence"), num(ref.all["vae-20"], "sample_confidence"); !(c >= 0.90 && c > v) {
			t.Errorf("the mlp's mean confidence on the samples %.4f, want ≥ 0.90 and above vae-20's %.4f", c, v)
		}
		if s := num(f, "class_min_share"); !(s >= 0.05) {
			t.Errorf("the rarest class is %.4f of the samples, want ≥ 0.05", s)
		}
		if d, v := num(f, "mlp_frechet"), num(ref.all["vae-20"], "mlp_frechet"); !(d > 0 && d < v) {
			t.Errorf("Fréchet distance to the test digits %.2f, want below vae-20's %.2f", d, v)
		}
	},
	"cgan": func(t *testing.T, f figures, _ *reference) {
		// Asked for a class, it draws that class: the mlp reads the
		// asked-for class in at least 95% of its samples.
		if a := num(f, "label_accuracy"); !(a >= 0.95) {
			t.Errorf("the mlp reads the asked-for class in %.4f of the samples, want ≥ 0.95", a)
		}
		if s := num(f, "class_min_share"); !(s >= 0.05) {
			t.Errorf("the rarest class is %.4f of the samples, want ≥ 0.05", s)
		}
	},
}

// iwImages and iwTolerance: the importance-weighted figure (k = 100 on all
// 10,000 test images) takes 80 s a model, so the test re-estimates it from
// the first 1,000 images: there it measures the IWAE estimate and the
// negative ELBO (averaged over 20 draws of z), and carries their gap over
// to the negative ELBO of the whole set. On each of the test set's ten
// blocks of 1,000 images this lands within 0.45 nats of the full figure
// for vae-2 and 0.25 for vae-20 and cvae-20.
const (
	iwImages    = 1000
	iwTolerance = 1.0 // nats
)

// iwRecheck re-estimates a VAE's IWAE figure in the manifest.
func iwRecheck(t *testing.T, file string, f, want figures, test *data.Set) {
	t.Helper()
	if want["iw_k"] != float64(iwK) || want["iw_images"] != float64(test.N) {
		t.Errorf("the manifest's IWAE figure is of k = %v on %v images, want k = %d on all %d", want["iw_k"], want["iw_images"], iwK, test.N)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := models.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	v := m.(*models.VAE)
	idx := make([]int, iwImages)
	for i := range idx {
		idx[i] = i
	}
	sub := test.Subset(idx)
	iw := analysis.EvaluateVAE(v, sub, iwK, sub.N, evalSeed).IWNLL
	const draws = 20
	var elbo float64
	for s := range draws {
		elbo += analysis.EvaluateVAE(v, sub, 0, 0, uint64(100+s)).Loss / draws
	}
	got, full := num(f, "test_loss_nats")-(elbo-iw), num(want, "iw_nll_nats")
	t.Logf("IWAE on the first %d images %.2f nats, %.2f below their ELBO: %.2f on all, manifest %.2f", sub.N, iw, elbo-iw, got, full)
	if !(full < num(f, "test_loss_nats")) {
		t.Errorf("IWAE %.2f nats, not below the ELBO's %.2f", full, num(f, "test_loss_nats"))
	}
	if math.Abs(got-full) > iwTolerance {
		t.Errorf("IWAE re-estimated at %.2f nats, manifest says %.2f: want within %.1f", got, full, iwTolerance)
	}
}

// TestShippedModels re-evaluates every model in the manifest on the MNIST
// test set: the figures must be what the manifest says (the models are the
// ones that were measured; the importance-weighted figure, re-estimated on
// 1,000 images, within iwTolerance) and meet their bars; the train block
// is the one the model file carries, in the shape `train` writes.
func TestShippedModels(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(shippedDir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man Manifest
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	dir, err := data.MNISTDir()
	if err != nil {
		t.Fatal(err)
	}
	trainSet, test, err := data.LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	ref := &reference{all: map[string]figures{}, train: trainSet, test: test}
	for _, e := range man.Models {
		ref.all[e.Name] = e.Eval
	}
	j := &judge{path: filepath.Join(shippedDir, "mlp"+modelExt)}
	for _, e := range man.Models {
		t.Run(e.Name, func(t *testing.T) {
			seen[e.Name] = true
			file := filepath.Join(shippedDir, e.File)
			figures, meta, err := evalFile(file, trainSet, test, false, j)
			if err != nil {
				t.Fatal(err)
			}
			checkTrainBlock(t, e.Train, meta)
			if figures["kind"] != e.Kind {
				t.Errorf("kind %v, manifest says %q", figures["kind"], e.Kind)
			}
			if n := figures["file_bytes"].(int); n != e.Bytes || n > maxShippedBytes {
				t.Errorf("%d bytes (manifest: %d), limit %d", n, e.Bytes, maxShippedBytes)
			}
			for k, want := range e.Eval {
				if _, measured := figures[k]; !measured && strings.HasPrefix(k, "iw_") {
					continue // the importance-weighted estimate takes minutes; make models measures it
				}
				// The same figures, to float32 rounding: a kernel may add
				// in another order than the one that wrote the manifest.
				g, isNum := figures[k].(float64)
				if w, ok := want.(float64); ok && isNum {
					if math.Abs(g-w) > 1e-6*math.Abs(w) {
						t.Errorf("%s = %v, manifest says %v", k, g, w)
					}
					continue
				}
				got, _ := json.Marshal(figures[k])
				w, _ := json.Marshal(want)
				if string(got) != string(w) {
					t.Errorf("%s = %s, manifest says %s", k, got, w)
				}
			}
			if _, ok := e.Eval["iw_nll_nats"]; ok {
				iwRecheck(t, file, figures, e.Eval, test)
			}
			bar, ok := shippedBars[e.Name]
			if !ok {
				t.Fatalf("no quality bar for shipped model %q", e.Name)
			}
			bar(t, figures, ref)
		})
	}
	for name := range shippedBars {
		if !seen[name] {
			t.Errorf("model %q is not shipped", name)
		}
	}
}

// checkTrainBlock: the manifest's train block has the shape `train` writes
// (nothing else in it) and says what the model file says.
func checkTrainBlock(t *testing.T, block, meta json.RawMessage) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(block))
	d.DisallowUnknownFields()
	var b TrainBlock
	if err := d.Decode(&b); err != nil || b.Settings.Epochs < 1 || b.Settings.Batch < 1 || !(b.Settings.LR > 0) || b.Settings.Optimizer == "" || !(b.TrainSeconds > 0) {
		t.Errorf("train block %s: want {\"settings\": {epochs, batch, lr, optimizer, …}, \"train_seconds\"} (%v)", block, err)
	}
	want, err := manifestTrain(meta)
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(block, want) {
		t.Errorf("train block %s, the model file's is %s", block, want)
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	p, _ := json.Marshal(x)
	q, _ := json.Marshal(y)
	return string(p) == string(q)
}

// The train block of a model file the CLI writes today is already in the
// manifest's shape; the first CLI's flat block becomes the run it stood for.
func TestManifestTrain(t *testing.T) {
	now := `{"settings":{"epochs":30,"batch":128,"lr":0.001,"optimizer":"adam","final_lr":0.00003,"seed":1,"beta":1},"train_seconds":741}`
	if got, err := manifestTrain(json.RawMessage(now)); err != nil || !jsonEqual(got, []byte(now)) {
		t.Errorf("today's block became %s (%v)", got, err)
	}
	old := `{"batch":128,"epochs":30,"lr":0.001,"seed":1,"train_seconds":257}`
	want := `{"settings":{"epochs":30,"batch":128,"lr":0.001,"optimizer":"adam","final_lr":0.00001,"shift":2,"seed":1},"train_seconds":257}`
	if got, err := manifestTrain(json.RawMessage(old)); err != nil || !jsonEqual(got, []byte(want)) {
		t.Errorf("the first CLI's block became %s (%v), want %s", got, err, want)
	}
	for _, bad := range []string{`{"epochs":30,"colour":"red"}`, `{"settings":{"epochs":30},"speed":1}`, `[]`, `{}`} {
		if got, err := manifestTrain(json.RawMessage(bad)); err == nil {
			t.Errorf("%s became %s, want an error", bad, got)
		}
	}
	if got, err := manifestTrain(nil); got != nil || err != nil {
		t.Errorf("no block became %s (%v)", got, err)
	}
}
