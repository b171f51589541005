// Package linearae is the linear autoencoder x̂ = U·V·x of slides 17–18,
// small enough to watch: a cloud of 3-D points near a plane, the 2×3
// encoder V and the 3×2 decoder U learnt by gradient descent on |x̂ − x|²,
// and PCA's plane of the same points to hold them against (core/pca). On
// MNIST, the columns of a trained linear autoencoder's U beside PCA's
// components, and one image rebuilt by both and by a deep autoencoder.
package linearae

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Shape is how a cloud lies about its plane. The plane passes through the
// origin; its first direction lies in the floor (x₃ = 0) and its second
// rises from the floor by Tilt degrees. The points spread 1 along the
// first direction, Width along the second and Noise off the plane (each a
// standard deviation).
type Shape struct {
	Tilt  float64 `json:"tilt"`  // degrees, 0..90
	Width float64 `json:"width"` // 0..1
	Noise float64 `json:"noise"` // 0..1
}

// azimuth is where the plane's first direction points in the floor, so
// that no plane lines up with an axis.
const azimuth = 25 * math.Pi / 180

// Validate reports a shape out of range.
func (s Shape) Validate() error {
	if !(s.Tilt >= 0 && s.Tilt <= 90) || !(s.Width >= 0 && s.Width <= 1) || !(s.Noise >= 0 && s.Noise <= 1) {
		return fmt.Errorf("linearae: tilt %g°, width %g, noise %g: want 0..90, 0..1 and 0..1", s.Tilt, s.Width, s.Noise)
	}
	return nil
}

// Axes are the plane's two directions and its normal, unit vectors.
func (s Shape) Axes() (first, second, normal [3]float64) {
	t := s.Tilt * math.Pi / 180
	ca, sa, ct, st := math.Cos(azimuth), math.Sin(azimuth), math.Cos(t), math.Sin(t)
	first = [3]float64{ca, sa, 0}
	second = [3]float64{-sa * ct, ca * ct, st}
	normal = [3]float64{sa * st, -ca * st, ct}
	return first, second, normal
}

// Cloud is N points of 3-D space, centred: their mean is the origin, so a
// plane through the origin (all x̂ = U·V·x can reach) is where the best
// plane lies.
type Cloud struct {
	N int
	X []float32 // N×3, a point a row
}

// Point is point i.
func (c *Cloud) Point(i int) [3]float64 {
	p := c.X[3*i : 3*i+3]
	return [3]float64{float64(p[0]), float64(p[1]), float64(p[2])}
}

// MakeCloud draws n points of shape s from seed: the same seed and shape
// give the same points, and a shape changed a little moves each point a
// little (each point keeps its three random draws).
func MakeCloud(s Shape, n int, seed uint64) (*Cloud, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if n < 3 {
		return nil, fmt.Errorf("linearae: a cloud of %d points, want 3 or more", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0x3d))
	e1, e2, nv := s.Axes()
	pts := make([][3]float64, n)
	var mean [3]float64
	for i := range pts {
		a, b, c := rng.NormFloat64(), s.Width*rng.NormFloat64(), s.Noise*rng.NormFloat64()
		for j := range 3 {
			pts[i][j] = a*e1[j] + b*e2[j] + c*nv[j]
			mean[j] += pts[i][j] / float64(n)
		}
	}
	c := &Cloud{N: n, X: make([]float32, 3*n)}
	for i, p := range pts {
		for j := range 3 {
			c.X[3*i+j] = float32(p[j] - mean[j])
		}
	}
	return c, nil
}
