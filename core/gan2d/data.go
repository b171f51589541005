package gan2d

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// The plane the lab draws is [−Extent, Extent]²; every data set lies well
// inside it.
const Extent = 2

// Ring of eight: centres on the circle of radius RingRadius, each a round
// Gaussian of standard deviation RingSigma (as in Metz et al. 2017,
// "Unrolled generative adversarial networks", scaled to this plane).
const (
	RingRadius = 1.5
	RingSigma  = 0.1
	RingModes  = 8
)

// RingCentres are the eight modes of the ring, mode k at angle 2πk/8.
func RingCentres() [][2]float64 {
	c := make([][2]float64, RingModes)
	for k := range c {
		a := 2 * math.Pi * float64(k) / RingModes
		c[k] = [2]float64{RingRadius * math.Cos(a), RingRadius * math.Sin(a)}
	}
	return c
}

// A Dataset draws one real point.
type Dataset struct {
	Name string
	Draw func(rng *rand.Rand) [2]float64
}

// Datasets are the built-in distributions, by name; "custom" (points the
// person places, each blurred by a little Gaussian noise) is built by
// Custom.
var Datasets = []Dataset{
	{"ring", func(rng *rand.Rand) [2]float64 {
		c := RingCentres()[rng.IntN(RingModes)]
		return [2]float64{c[0] + RingSigma*rng.NormFloat64(), c[1] + RingSigma*rng.NormFloat64()}
	}},
	{"moons", func(rng *rand.Rand) [2]float64 {
		// Two interleaved half circles of radius 1 (scikit-learn's
		// make_moons), centred and jittered.
		t := math.Pi * rng.Float64()
		x, y := math.Cos(t), math.Sin(t)
		if rng.IntN(2) == 1 {
			x, y = 1-x, 0.5-y
		}
		return [2]float64{x - 0.5 + 0.05*rng.NormFloat64(), y - 0.25 + 0.05*rng.NormFloat64()}
	}},
	{"line", func(rng *rand.Rand) [2]float64 {
		// A segment from (−1.5, −1) to (1.5, 1), uniform along it.
		t := 2*rng.Float64() - 1
		return [2]float64{1.5*t + 0.03*rng.NormFloat64(), t + 0.03*rng.NormFloat64()}
	}},
	{"spiral", func(rng *rand.Rand) [2]float64 {
		// One arm of an Archimedean spiral r = 1.6·u, θ = 3πu.
		u := math.Sqrt(rng.Float64())
		r, a := 1.6*u, 3*math.Pi*u
		return [2]float64{r*math.Cos(a) + 0.04*rng.NormFloat64(), r*math.Sin(a) + 0.04*rng.NormFloat64()}
	}},
}

// CustomSigma is the blur of each placed point.
const CustomSigma = 0.08

// MaxCustom bounds the points a person may place.
const MaxCustom = 200

// Custom is the distribution of the placed points, each a round Gaussian
// of standard deviation CustomSigma.
func Custom(pts [][2]float64) (Dataset, error) {
	if len(pts) == 0 || len(pts) > MaxCustom {
		return Dataset{}, fmt.Errorf("gan2d: %d custom points, want 1..%d", len(pts), MaxCustom)
	}
	for _, p := range pts {
		if !(math.Abs(p[0]) <= Extent && math.Abs(p[1]) <= Extent) {
			return Dataset{}, fmt.Errorf("gan2d: custom point (%g, %g) outside [−%d, %d]²", p[0], p[1], Extent, Extent)
		}
	}
	own := append([][2]float64(nil), pts...)
	return Dataset{"custom", func(rng *rand.Rand) [2]float64 {
		p := own[rng.IntN(len(own))]
		return [2]float64{p[0] + CustomSigma*rng.NormFloat64(), p[1] + CustomSigma*rng.NormFloat64()}
	}}, nil
}

// DatasetByName returns the built-in distribution called name.
func DatasetByName(name string) (Dataset, error) {
	for _, d := range Datasets {
		if d.Name == name {
			return d, nil
		}
	}
	return Dataset{}, fmt.Errorf("gan2d: unknown data set %q (have ring, moons, line, spiral, custom)", name)
}

// Coverage counts the ring's modes that the generated points cover. Mode k
// is covered when at least MinShare of the points lie within 2σ of its
// centre c_k, that is ‖x − c_k‖ ≤ 2·RingSigma. A generator that matched
// the ring would put 1/8 · (1 − e^−2) ≈ 10.8% of its points inside each
// such disc; MinShare = 1% asks for a tenth of that, so a mode reached
// only by a few stray points does not count.
func Coverage(pts [][2]float64) (covered int, share [RingModes]float64) {
	if len(pts) == 0 {
		return 0, share
	}
	r2 := (2 * RingSigma) * (2 * RingSigma)
	for _, p := range pts {
		for k, c := range RingCentres() {
			dx, dy := p[0]-c[0], p[1]-c[1]
			if dx*dx+dy*dy <= r2 {
				share[k]++
				break
			}
		}
	}
	for k := range share {
		share[k] /= float64(len(pts))
		if share[k] >= MinShare {
			covered++
		}
	}
	return covered, share
}

// MinShare is the fraction of generated points a mode's 2σ disc must hold
// for Coverage to count it.
const MinShare = 0.01

// The lesson measures Coverage on CoverageSamples points of G, z drawn
// from rand.NewPCG(CoverageSeed, 0), so every measure sees the same z.
const (
	CoverageSamples = 2000
	CoverageSeed    = 7
)
