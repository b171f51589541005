package models

import (
	"fmt"
	"math"
	"math/rand/v2"

	"latentplay/core/nn"
	"latentplay/core/tensor"
)

// VAEConfig describes a variational autoencoder (Kingma & Welling 2013),
// or, with Classes > 0, a conditional VAE (Sohn et al. 2015) whose encoder
// and decoder both see the label one-hot, leaving z free to model style.
type VAEConfig struct {
	Inputs  int   `json:"inputs"`
	Hidden  []int `json:"hidden"` // encoder widths; the decoder mirrors them
	Latent  int   `json:"latent"`
	Classes int   `json:"classes,omitempty"`
	// Obs is the observation model p(x|z): ObsBernoulli (also when empty,
	// as in files written before it) or ObsGaussian with variance Eta.
	Obs string  `json:"obs,omitempty"`
	Eta float64 `json:"eta,omitempty"`
}

// Validate reports a configuration no VAE should be built from.
func (c VAEConfig) Validate() error {
	kind := KindVAE
	if c.Classes > 0 {
		kind = KindCVAE
	}
	if err := validateCoder(kind, c.Inputs, c.Hidden, c.Latent); err != nil {
		return err
	}
	if c.Classes < 0 || c.Classes > 1000 {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("classes = %d, want 0..1000", c.Classes)}
	}
	return c.validateObs(kind)
}

// VAE is q(z|x) = N(μ(x), diag σ²(x)) with a decoder p(x|z) whose logits
// come from the decoder network, Bernoulli or Gaussian (VAEConfig.Obs),
// trained on the negative ELBO
//
//	L(x) = −E_q[log p(x|z)] + β·KL(q(z|x) ‖ N(0, I))
//
// with one sample of z per image through the reparameterisation trick.
type VAE struct {
	Cfg  VAEConfig
	Enc  *nn.Network // x (and label) → h
	Head *nn.Dense   // h → (μ, log σ²), side by side
	Dec  *nn.Network // z (and label) → logits of p(x|z)
	// Beta weighs the KL term while training: 1 gives the ELBO; a warm-up
	// raises it from 0.
	Beta float32
	// Noise draws ε for the reparameterisation trick.
	Noise *rand.Rand
	// ShardLo and ShardOf say, when ShardOf > 0, that the batch Gradient
	// gets is rows [ShardLo, ShardLo+rows) of a batch of ShardOf: it draws
	// ε for the whole batch and keeps its rows, so data-parallel workers
	// draw together exactly what one worker would.
	ShardLo, ShardOf int

	in, zin, stats, mu, logvar, eps, z *tensor.Mat
	dlogits, dstats                    *tensor.Mat
}

// NewVAE builds a VAE with weights and noise drawn from rng's seed.
func NewVAE(cfg VAEConfig, rng *rand.Rand) (*VAE, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	relu := nn.ReLU
	s := seeds(rng)
	v := &VAE{Cfg: cfg, Beta: 1, Noise: rand.New(rand.NewPCG(s.Uint64(), s.Uint64())), in: tensor.New(0, 0), zin: tensor.New(0, 0)}
	v.Enc = stack("enc", cfg.Inputs+cfg.Classes, cfg.Hidden, relu, nn.FanIn, rng)
	v.Head = nn.NewDense("head", cfg.Hidden[len(cfg.Hidden)-1], 2*cfg.Latent, nn.FanIn, rng)
	v.Head.InitBiasFanIn(rng)
	v.Dec = decoder("dec", cfg.Latent+cfg.Classes, cfg.Hidden, cfg.Inputs, relu, nn.FanIn, rng)
	return v, nil
}

// StartFromMean sets the decoder's output biases to the logits of the
// training images' mean pixel values, so that before it has learnt
// anything the decoder already draws the average digit, not grey noise.
// The IWAE reference code starts its decoders this way (Burda et al. 2015).
func (v *VAE) StartFromMean(mean []float32) { setLogitBias(v.Dec, mean) }

// Kind is "cvae" when conditional, else "vae".
func (v *VAE) Kind() string {
	if v.Cfg.Classes > 0 {
		return KindCVAE
	}
	return KindVAE
}

// Config is what the model file records.
func (v *VAE) Config() any { return v.Cfg }

// Params are the encoder's, the head's and the decoder's.
func (v *VAE) Params() []*nn.Param {
	ps := v.Enc.Params()
	ps = append(ps, v.Head.Params()...)
	return append(ps, v.Dec.Params()...)
}

// Inputs is the width of the images the model takes.
func (v *VAE) Inputs() int { return v.Cfg.Inputs }

// Latent is the size of z.
func (v *VAE) Latent() int { return v.Cfg.Latent }

// Conditional reports whether the model takes a label.
func (v *VAE) Conditional() bool { return v.Cfg.Classes > 0 }

// withLabels returns [x | onehot(labels)] in buf, or x itself when the
// model is not conditional.
func (v *VAE) withLabels(buf *tensor.Mat, x *tensor.Mat, labels []uint8) *tensor.Mat {
	c := v.Cfg.Classes
	if c == 0 {
		return x
	}
	if len(labels) != x.Rows {
		panic(fmt.Sprintf("models: conditional VAE given %d labels for %d rows", len(labels), x.Rows))
	}
	buf.Reshape(x.Rows, x.Cols+c)
	for i := range x.Rows {
		row := buf.Row(i)
		copy(row, x.Row(i))
		clear(row[x.Cols:])
		row[x.Cols+int(labels[i])%c] = 1
	}
	return buf
}

// encode runs q(z|x): it fills v.mu and v.logvar (B×K).
func (v *VAE) encode(x *tensor.Mat, labels []uint8) {
	h := v.Enc.Forward(v.withLabels(v.in, x, labels))
	v.stats = v.Head.Forward(h) // (B, 2K): μ | log σ²
	k := v.Cfg.Latent
	v.mu = tensor.Ensure(v.mu, x.Rows, k)
	v.logvar = tensor.Ensure(v.logvar, x.Rows, k)
	for i := range x.Rows {
		s := v.stats.Row(i)
		copy(v.mu.Row(i), s[:k])
		copy(v.logvar.Row(i), s[k:])
	}
}

// decode runs the decoder on z (B×K) and returns its logits (B×Inputs).
func (v *VAE) decode(z *tensor.Mat, labels []uint8) *tensor.Mat {
	return v.Dec.Forward(v.withLabels(v.zin, z, labels))
}

// sampleForward encodes x, draws z = μ + σ⊙ε with ε from rng, and returns
// the decoder's logits.
func (v *VAE) sampleForward(x *tensor.Mat, labels []uint8, rng *rand.Rand) *tensor.Mat {
	B, K := x.Rows, v.Cfg.Latent
	v.encode(x, labels)
	v.eps = tensor.Ensure(v.eps, B, K)
	v.z = tensor.Ensure(v.z, B, K)
	lo, of := 0, B
	if rng == v.Noise && v.ShardOf > 0 {
		lo, of = v.ShardLo, v.ShardOf
	}
	for r := range of {
		for j := range K {
			eps := float32(rng.NormFloat64())
			if i := r - lo; i >= 0 && i < B {
				v.eps.Data[i*K+j] = eps
			}
		}
	}
	for i, mu := range v.mu.Data {
		sigma := exp32(0.5 * v.logvar.Data[i])
		v.z.Data[i] = mu + sigma*v.eps.Data[i] // reparameterisation (Kingma & Welling 2013)
	}
	return v.decode(v.z, labels)
}

// kl is KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), averaged over
// the batch of the last encode.
func (v *VAE) kl() float64 {
	var kl float64
	for i, mu := range v.mu.Data {
		lv := v.logvar.Data[i]
		kl += -0.5 * float64(1+lv-mu*mu-exp32(lv))
	}
	return kl / float64(v.mu.Rows)
}

// Loss is the negative ELBO of a batch with one z per image drawn from
// rng, its parts apart, with no gradient: how test losses are measured.
func (v *VAE) Loss(x *tensor.Mat, labels []uint8, rng *rand.Rand) Losses {
	logits := v.sampleForward(x, labels, rng)
	recon := v.reconLoss(logits, x, nil)
	kl := v.kl()
	return Losses{Total: recon + kl, Recon: recon, KL: kl}
}

// Gradient trains on one batch: forward with z = μ + σ⊙ε, the negative
// ELBO, and backward through the reparameterisation into the encoder.
// labels are used only by a conditional VAE.
func (v *VAE) Gradient(x *tensor.Mat, labels []uint8) Losses {
	B, K := x.Rows, v.Cfg.Latent
	logits := v.sampleForward(x, labels, v.Noise)

	// Reconstruction: −log p(x|z) summed over pixels, mean over the batch.
	v.dlogits = tensor.Ensure(v.dlogits, B, x.Cols)
	recon := v.reconLoss(logits, x, v.dlogits)
	dzin := v.Dec.Backward(v.dlogits) // (B, K[+C])

	// ∂KL/∂μ = μ and ∂KL/∂log σ² = ½(σ² − 1), per image, scaled by β/B.
	beta := v.Beta
	invB := 1 / float32(B)
	v.dstats = tensor.Ensure(v.dstats, B, 2*K)
	for i := range B {
		mu, lv, eps := v.mu.Row(i), v.logvar.Row(i), v.eps.Row(i)
		dz := dzin.Row(i)[:K]
		ds := v.dstats.Row(i)
		for j := range K {
			s2 := exp32(lv[j])
			// z = μ + e^(½ log σ²)·ε, so ∂z/∂μ = 1 and ∂z/∂log σ² = ½σε.
			ds[j] = dz[j] + beta*mu[j]*invB
			ds[K+j] = dz[j]*0.5*sqrt32(s2)*eps[j] + beta*0.5*(s2-1)*invB
		}
	}
	kl := v.kl()
	v.Enc.BackwardParams(v.Head.Backward(v.dstats))
	return Losses{Total: recon + float64(beta)*kl, Recon: recon, KL: kl}
}

// Encode returns the posterior's mean μ and standard deviation σ for each
// row of x (B×K each, new matrices).
func (v *VAE) Encode(x *tensor.Mat, labels []uint8) (mu, sigma *tensor.Mat) {
	v.encode(x, labels)
	mu, sigma = v.mu.Clone(), v.logvar.Clone()
	for i, lv := range sigma.Data {
		sigma.Data[i] = exp32(0.5 * lv)
	}
	return mu, sigma
}

// Decode returns σ(logits) for each row of z (a new B×Inputs matrix): the
// mean of p(x|z) under either observation model, the picture one shows.
func (v *VAE) Decode(z *tensor.Mat, labels []uint8) *tensor.Mat {
	if z.Cols != v.Cfg.Latent {
		panic(fmt.Sprintf("models: Decode: z has %d columns, the model %d latents", z.Cols, v.Cfg.Latent))
	}
	return sigmoidOf(v.decode(z, labels))
}

// Reconstruct encodes and decodes x: through μ when rng is nil (the
// deterministic reconstruction), or through one z ~ q(z|x) drawn from rng.
func (v *VAE) Reconstruct(x *tensor.Mat, labels []uint8, rng *rand.Rand) *tensor.Mat {
	mu, sigma := v.Encode(x, labels)
	if rng != nil {
		for i := range mu.Data {
			mu.Data[i] += sigma.Data[i] * float32(rng.NormFloat64())
		}
	}
	return v.Decode(mu, labels)
}

// Sample draws n digits from the prior: z ~ N(0, t²I), with t the
// temperature (1 samples the model; less trades variety for clarity).
// A conditional VAE needs n labels; others take nil.
func (v *VAE) Sample(n int, labels []uint8, temperature float32, rng *rand.Rand) *tensor.Mat {
	z := tensor.New(n, v.Cfg.Latent)
	for i := range z.Data {
		z.Data[i] = temperature * float32(rng.NormFloat64())
	}
	return v.Decode(z, labels)
}

// LogLikelihood estimates log p(x) for each row of x with k importance
// samples (Burda et al. 2015):
//
//	log p(x) ≈ log (1/k) Σᵢ p(x|zᵢ)p(zᵢ)/q(zᵢ|x),  zᵢ ~ q(z|x),
//
// a bound that tightens towards log p(x) as k grows (k = 1 is the ELBO).
// p(x|z) is the model's observation model, as in training.
func (v *VAE) LogLikelihood(x *tensor.Mat, labels []uint8, k int, rng *rand.Rand) []float64 {
	B, K := x.Rows, v.Cfg.Latent
	mu, sigma := v.Encode(x, labels)
	out := make([]float64, B)
	z := tensor.New(B, K)
	logw := make([][]float64, B)
	for i := range logw {
		logw[i] = make([]float64, k)
	}
	logq, logpz := make([]float64, B), make([]float64, B)
	for s := range k {
		clear(logq)
		clear(logpz)
		for i := range z.Data {
			e := rng.NormFloat64()
			z.Data[i] = mu.Data[i] + sigma.Data[i]*float32(e)
			zi := float64(z.Data[i])
			logq[i/K] += -0.5*e*e - math.Log(float64(sigma.Data[i])) - 0.5*math.Log(2*math.Pi)
			logpz[i/K] += -0.5*zi*zi - 0.5*math.Log(2*math.Pi)
		}
		logits := v.decode(z, labels)
		for i := range B {
			nll := v.reconLoss(tensor.FromSlice(1, x.Cols, logits.Row(i)), tensor.FromSlice(1, x.Cols, x.Row(i)), nil)
			logw[i][s] = -nll + logpz[i] - logq[i] // log p(x|z) + log p(z) − log q(z|x)
		}
	}
	for i := range B {
		out[i] = logMeanExp(logw[i])
	}
	return out
}

func logMeanExp(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	var s float64
	for _, x := range xs {
		s += math.Exp(x - m)
	}
	return m + math.Log(s/float64(len(xs)))
}

// Interpolate decodes steps points on the path from z1 to z2 (steps ≥ 2,
// ends included): along the straight line, or, when spherical, along the
// great circle (slerp; White 2016), which keeps the points at the typical
// norm of Gaussian latents instead of cutting through the low-density
// middle.
func Interpolate(z1, z2 []float32, steps int, spherical bool) *tensor.Mat {
	if len(z1) != len(z2) || steps < 2 {
		panic(fmt.Sprintf("models: Interpolate: latents of %d and %d values, %d steps", len(z1), len(z2), steps))
	}
	out := tensor.New(steps, len(z1))
	var omega float64
	if spherical {
		var dot, n1, n2 float64
		for i := range z1 {
			dot += float64(z1[i] * z2[i])
			n1 += float64(z1[i] * z1[i])
			n2 += float64(z2[i] * z2[i])
		}
		if n1 > 0 && n2 > 0 {
			omega = math.Acos(math.Max(-1, math.Min(1, dot/math.Sqrt(n1*n2))))
		}
	}
	for s := range steps {
		t := float64(s) / float64(steps-1)
		a, b := 1-t, t
		if omega > 1e-6 {
			a = math.Sin((1-t)*omega) / math.Sin(omega)
			b = math.Sin(t*omega) / math.Sin(omega)
		}
		row := out.Row(s)
		for i := range row {
			row[i] = float32(a)*z1[i] + float32(b)*z2[i]
		}
	}
	return out
}

func setLogitBias(dec *nn.Network, mean []float32) {
	out := dec.Layers[len(dec.Layers)-1].(*nn.Dense)
	if len(mean) != out.Out() {
		panic(fmt.Sprintf("models: %d mean values for %d outputs", len(mean), out.Out()))
	}
	for j, p := range mean {
		p = min(max(p, 1e-4), 1-1e-4)
		out.B.Value.Data[j] = float32(math.Log(float64(p / (1 - p))))
	}
}

func exp32(x float32) float32  { return float32(math.Exp(float64(x))) }
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

func sigmoidOf(logits *tensor.Mat) *tensor.Mat {
	p := tensor.New(logits.Rows, logits.Cols)
	nn.Sigmoids(p.Data, logits.Data)
	return p
}

// stack builds in → widths… with act after every layer, weights and
// biases drawn by init.
func stack(name string, in int, widths []int, act nn.Activation, init nn.Init, rng *rand.Rand) *nn.Network {
	n := &nn.Network{}
	for i, w := range widths {
		d := nn.NewDense(fmt.Sprintf("%s%d", name, i), in, w, init, rng)
		d.InitBiasFanIn(rng)
		n.Layers = append(n.Layers, d, nn.NewAct(act))
		in = w
	}
	return n
}

// decoder builds in → reversed(widths)… → out, with act after each hidden
// layer and a linear read-out (logits). Every layer starts as PyTorch's
// nn.Linear does (U(±1/√in) weights and biases), so the VAE reproduces
// PyTorch's examples/vae from the same starting distribution.
func decoder(name string, in int, widths []int, out int, act nn.Activation, init nn.Init, rng *rand.Rand) *nn.Network {
	rev := make([]int, len(widths))
	for i, w := range widths {
		rev[len(widths)-1-i] = w
	}
	n := stack(name, in, rev, act, init, rng)
	last := nn.NewDense(fmt.Sprintf("%s%d", name, len(rev)), rev[len(rev)-1], out, init, rng)
	last.InitBiasFanIn(rng)
	n.Layers = append(n.Layers, last)
	return n
}

func validateCoder(kind string, inputs int, hidden []int, latent int) error {
	if err := checkWidth("inputs", inputs); err != nil {
		return err
	}
	if len(hidden) < 1 || len(hidden) > maxLayers {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("%d hidden layers, want 1..%d", len(hidden), maxLayers)}
	}
	for _, h := range hidden {
		if err := checkWidth("hidden width", h); err != nil {
			return err
		}
	}
	if latent < 1 || latent > 512 {
		return &ConfigError{Kind: kind, Reason: fmt.Sprintf("latent size %d, want 1..512", latent)}
	}
	return nil
}

// LatentGrid returns n×n points of a 2-D latent space laid on the prior's
// quantiles, row by row from the top: z = (Φ⁻¹(u), Φ⁻¹(v)) with u, v at
// (i + ½)/n. Decoded, they are the manifold figure of Kingma & Welling
// (2013): equal steps of probability mass, not of distance.
func LatentGrid(n int) *tensor.Mat {
	if n < 1 {
		panic(fmt.Sprintf("models: LatentGrid(%d)", n))
	}
	g := tensor.New(n*n, 2)
	for i := range n {
		y := normalQuantile(1 - (float64(i)+0.5)/float64(n)) // top row: large z₂
		for j := range n {
			x := normalQuantile((float64(j) + 0.5) / float64(n))
			g.Set(i*n+j, 0, float32(x))
			g.Set(i*n+j, 1, float32(y))
		}
	}
	return g
}

// normalQuantile is Φ⁻¹(p) = √2·erf⁻¹(2p − 1).
func normalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }
