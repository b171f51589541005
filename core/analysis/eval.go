package analysis

import (
	"math"
	"math/rand/v2"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/core/tensor"
)

const evalChunk = 500

// chunks calls f on consecutive batches of set (at most evalChunk images),
// with the batch's images and labels.
func chunks(set *data.Set, f func(x *tensor.Mat, labels []uint8)) {
	Batches(set, func(_ int, x *tensor.Mat, labels []uint8) { f(x, labels) })
}

// Batches calls f on consecutive batches of set of up to 500 images, in
// order, with the index of the batch's first image, its images and its
// labels (both reused from call to call).
func Batches(set *data.Set, f func(first int, x *tensor.Mat, labels []uint8)) {
	x := tensor.New(evalChunk, set.Dim())
	labels := make([]uint8, evalChunk)
	idx := make([]int, 0, evalChunk)
	for lo := 0; lo < set.N; lo += evalChunk {
		hi := min(lo+evalChunk, set.N)
		idx = idx[:0]
		for i := lo; i < hi; i++ {
			idx = append(idx, i)
		}
		x.Reshape(hi-lo, set.Dim())
		set.Batch(idx, x.Data, labels[:hi-lo])
		f(lo, x, labels[:hi-lo])
	}
}

// VAEFigures are a VAE's test figures, in nats per image.
type VAEFigures struct {
	// Loss = Recon + KL, the negative ELBO with one z per image (the
	// PyTorch examples/vae convention: BCE summed over pixels plus KL).
	Loss, Recon, KL float64
	// IWNLL is −log p(x) estimated with IWK importance samples per image
	// on the first IWImages images (Burda et al. 2015).
	IWNLL         float64
	IWK, IWImages int
}

// EvaluateVAE measures v on set; seed fixes the sampled z.
func EvaluateVAE(v *models.VAE, set *data.Set, iwK, iwImages int, seed uint64) VAEFigures {
	rng := rand.New(rand.NewPCG(seed, 0xe7a1))
	var f VAEFigures
	chunks(set, func(x *tensor.Mat, labels []uint8) {
		l := v.Loss(x, labels, rng)
		n := float64(x.Rows)
		f.Loss += l.Total * n
		f.Recon += l.Recon * n
		f.KL += l.KL * n
	})
	n := float64(set.N)
	f.Loss, f.Recon, f.KL = f.Loss/n, f.Recon/n, f.KL/n
	if iwK > 0 && iwImages > 0 {
		sub := set
		if iwImages < set.N {
			idx := make([]int, iwImages)
			for i := range idx {
				idx[i] = i
			}
			sub = set.Subset(idx)
		}
		var sum float64
		chunks(sub, func(x *tensor.Mat, labels []uint8) {
			for _, lp := range v.LogLikelihood(x, labels, iwK, rng) {
				sum -= lp
			}
		})
		f.IWNLL, f.IWK, f.IWImages = sum/float64(sub.N), iwK, sub.N
	}
	return f
}

// AEFigures are an autoencoder's test figures.
type AEFigures struct {
	MSE float64 // mean squared error per pixel of the reconstruction
}

// EvaluateAE measures a on set.
func EvaluateAE(a *models.Autoencoder, set *data.Set) AEFigures {
	var sum float64
	chunks(set, func(x *tensor.Mat, _ []uint8) {
		r := a.Reconstruct(x)
		for i, v := range r.Data {
			d := float64(v - x.Data[i])
			sum += d * d
		}
	})
	return AEFigures{MSE: sum / float64(set.N*set.Dim())}
}

// Accuracy is the fraction of set that c classifies correctly.
func Accuracy(c *models.Classifier, set *data.Set) float64 {
	pred := make([]int, evalChunk)
	right := 0
	chunks(set, func(x *tensor.Mat, labels []uint8) {
		c.Predict(x, pred)
		for k, l := range labels {
			if pred[k] == int(l) {
				right++
			}
		}
	})
	return float64(right) / float64(set.N)
}

// SetLoss is m's mean loss per image over all of set, as Loss measures
// it, in batches of 500.
func SetLoss(m models.Model, set *data.Set) models.Losses {
	var sum models.Losses
	chunks(set, func(x *tensor.Mat, labels []uint8) {
		l, n := Loss(m, x, labels), float64(x.Rows)
		sum.Total += l.Total * n
		sum.Recon += l.Recon * n
		sum.KL += l.KL * n
	})
	n := float64(max(set.N, 1))
	return models.Losses{Total: sum.Total / n, Recon: sum.Recon / n, KL: sum.KL / n}
}

// Loss is m's mean loss per image on the batch x (labels ls): a VAE's
// negative ELBO and its parts (z drawn from a fixed seed), an
// autoencoder's mean squared error per pixel, a classifier's
// cross-entropy −log p(label). It is what training shows as the test loss.
func Loss(m models.Model, x *tensor.Mat, ls []uint8) models.Losses {
	switch m := m.(type) {
	case *models.VAE:
		return m.Loss(x, ls, rand.New(rand.NewPCG(1, 1)))
	case *models.Autoencoder:
		var sum float64
		for i, v := range m.Reconstruct(x).Data {
			d := float64(v - x.Data[i])
			sum += d * d
		}
		mse := sum / float64(len(x.Data))
		return models.Losses{Total: mse, Recon: mse}
	case *models.Classifier:
		probs := m.Probabilities(x)
		var sum float64
		for i, l := range ls {
			sum -= math.Log(math.Max(float64(probs.Data[i*probs.Cols+int(l)]), 1e-30))
		}
		return models.Losses{Total: sum / float64(len(ls))}
	}
	return models.Losses{}
}
