package nn

import (
	"fmt"
	"math"

	"latentplay/core/tensor"
)

// Loss measures predictions against targets, both batch×d, and writes
// ∂L/∂pred into grad when grad is not nil. Every loss is a mean over the
// batch's rows, so a learning rate does not depend on the batch size.
type Loss struct {
	Name string
	Eval func(pred, target, grad *tensor.Mat) float64
}

// MSE is the mean squared error over every element: (1/Bd) Σ (p − t)².
var MSE = Loss{Name: "mse", Eval: mse}

// BCEWithLogits is binary cross-entropy on logits z, summed over each row's
// d outputs and averaged over rows:
//
//	ℓ(z, t) = −t·log σ(z) − (1−t)·log(1−σ(z)) = max(z, 0) − z·t + log(1 + e^−|z|)
//
// The right-hand form never takes the log of 0 nor overflows e^z, whatever
// the logit. Its gradient is σ(z) − t. With t ∈ [0,1] pixel intensities this
// is a Bernoulli decoder's negative log-likelihood, as in a VAE.
var BCEWithLogits = Loss{Name: "bce-logits", Eval: bceWithLogits}

// SoftmaxCrossEntropy is −Σⱼ tⱼ log softmax(z)ⱼ averaged over rows, for
// targets that are one-hot (or any distribution). Its gradient is
// softmax(z) − t.
var SoftmaxCrossEntropy = Loss{Name: "softmax-ce", Eval: softmaxCrossEntropy}

// Losses lists the losses by name.
var Losses = []Loss{MSE, BCEWithLogits, SoftmaxCrossEntropy}

// LossByName returns the loss called name.
func LossByName(name string) (Loss, error) {
	for _, l := range Losses {
		if l.Name == name {
			return l, nil
		}
	}
	return Loss{}, fmt.Errorf("nn: unknown loss %q", name)
}

func checkLoss(name string, pred, target, grad *tensor.Mat) {
	if !tensor.SameShape(pred, target) || grad != nil && !tensor.SameShape(pred, grad) {
		panic(fmt.Sprintf("nn: %s: prediction %v, target %v, gradient %v differ in shape", name, pred, target, grad))
	}
}

func mse(pred, target, grad *tensor.Mat) float64 {
	checkLoss("mse", pred, target, grad)
	n := float64(len(pred.Data))
	var sum float64
	for i, p := range pred.Data {
		d := p - target.Data[i]
		sum += float64(d * d)
		if grad != nil {
			grad.Data[i] = float32(2 * float64(d) / n)
		}
	}
	return sum / n
}

func bceWithLogits(pred, target, grad *tensor.Mat) float64 {
	checkLoss("bce-logits", pred, target, grad)
	invB := 1 / float64(pred.Rows)
	var g []float32
	if grad != nil {
		g = grad.Data
	}
	return bceRows(pred.Data, target.Data, g, float32(invB)) * invB
}

// bceScalar returns Σ −[t log σ(z) + (1−t) log(1−σ(z))] over logits z and
// targets t, and sets grad (unless nil) to (σ(z) − t)·scale; bceRows runs
// it, four at a time where SIMD is built in.
func bceScalar(z, t, grad []float32, scale float32) float64 {
	var sum float64
	t = t[:len(z)]
	for i, zi := range z {
		ti := t[i]
		// −[t log σ(z) + (1−t) log(1−σ(z))] = max(z,0) − z·t + log(1+e^−|z|),
		// which never takes the log of 0 nor overflows e^z. One e^−|z|
		// serves the loss and σ(z); float32 kernels, since math.Exp and
		// math.Log1p cost ~100 ns an element under wasm.
		a, relu := zi, zi
		if zi < 0 {
			a, relu = -zi, 0
		}
		e := Exp32(-a)
		sum += float64(relu) - float64(zi)*float64(ti) + float64(Log1p32(e))
		if grad != nil {
			s := 1 / (1 + e) // σ(|z|)
			if zi < 0 {
				s = e * s // σ(z) = 1 − σ(|z|) = e^−|z|/(1+e^−|z|)
			}
			grad[i] = (s - ti) * scale
		}
	}
	return sum
}

func softmaxCrossEntropy(pred, target, grad *tensor.Mat) float64 {
	checkLoss("softmax-ce", pred, target, grad)
	invB := 1 / float64(pred.Rows)
	var sum float64
	for i := 0; i < pred.Rows; i++ {
		z, t := pred.Row(i), target.Row(i)
		// log softmax(z)ⱼ = zⱼ − m − log Σₖ e^(zₖ−m), with m = max z so no e^ overflows.
		m := z[0]
		for _, v := range z {
			m = max(m, v)
		}
		var se float64
		for _, v := range z {
			se += math.Exp(float64(v - m))
		}
		lse := math.Log(se)
		for j, v := range z {
			logp := float64(v-m) - lse
			sum -= float64(t[j]) * logp
			if grad != nil {
				grad.Data[i*pred.Cols+j] = float32((math.Exp(logp) - float64(t[j])) * invB)
			}
		}
	}
	return sum * invB
}

// Softmax writes softmax of each row of z into dst (same shape).
func Softmax(dst, z *tensor.Mat) {
	for i := 0; i < z.Rows; i++ {
		zi, di := z.Row(i), dst.Row(i)
		m := zi[0]
		for _, v := range zi {
			m = max(m, v)
		}
		var s float64
		for j, v := range zi {
			e := math.Exp(float64(v - m))
			di[j] = float32(e)
			s += e
		}
		for j := range di {
			di[j] = float32(float64(di[j]) / s)
		}
	}
}
