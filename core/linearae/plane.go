package linearae

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"latentplay/core/data"
	"latentplay/core/pca"
)

// Plane is PCA's plane of a cloud: the plane through the origin nearest
// the points in squared distance, the one a linear autoencoder of two
// numbers should find.
type Plane struct {
	Basis     [3][2]float64 // the first two principal directions, as unit columns
	Variances [3]float64    // the points' variance along each principal direction, largest first
	// Loss is the mean of |W·Wᵀ·x − x|² over the points, W the basis:
	// the least loss any U and V can reach on them.
	Loss float64
}

// FitPlane finds the cloud's principal components with pca.Fit (gonum's
// stat.PC) and keeps the first two.
func FitPlane(c *Cloud) (Plane, error) {
	set := &data.Set{N: c.N, Rows: 1, Cols: 3, Pixels: c.X}
	p, err := pca.Fit(set, 2)
	if err != nil {
		return Plane{}, err
	}
	var pl Plane
	for i := range 3 {
		for k := range 2 {
			pl.Basis[i][k] = p.Components.At(i, k)
		}
		pl.Variances[i] = p.Variances[i]
	}
	proj := pl.Projector()
	for i := range c.N {
		x := c.Point(i)
		for r := range 3 {
			d := proj[r][0]*x[0] + proj[r][1]*x[1] + proj[r][2]*x[2] - x[r]
			pl.Loss += d * d / float64(c.N)
		}
	}
	return pl, nil
}

// Projector is W·Wᵀ: it takes a point to its nearest point on the plane.
// A linear autoencoder that has found the plane has U·V equal to it.
func (p Plane) Projector() [3][3]float64 {
	var w [3][3]float64
	for i := range 3 {
		for j := range 3 {
			w[i][j] = p.Basis[i][0]*p.Basis[j][0] + p.Basis[i][1]*p.Basis[j][1]
		}
	}
	return w
}

// Angle is the angle in degrees between the plane U's columns span and the
// plane basis's columns span: their largest principal angle
// (pca.PrincipalAngles). Two planes through the origin of 3-D space share
// at least a line, so their smaller principal angle is 0 and the larger is
// the angle between them. Columns of U along one line span no plane:
// their angle is 90°.
func Angle(u, basis [3][2]float64) (float64, error) {
	if !spansPlane(u) || !spansPlane(basis) {
		return 90, nil
	}
	angles, err := pca.PrincipalAngles(columns(u), columns(basis))
	if err != nil {
		return 0, err
	}
	return angles[len(angles)-1], nil
}

// spansPlane reports whether m's two columns point along different lines.
func spansPlane(m [3][2]float64) bool {
	a := [3]float64{m[0][0], m[1][0], m[2][0]}
	b := [3]float64{m[0][1], m[1][1], m[2][1]}
	cross := [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
	return norm(cross) > 1e-9*norm(a)*norm(b) && norm(a) > 0 && norm(b) > 0
}

func norm(v [3]float64) float64 { return math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2]) }

func columns(m [3][2]float64) *mat.Dense {
	return mat.NewDense(3, 2, []float64{m[0][0], m[0][1], m[1][0], m[1][1], m[2][0], m[2][1]})
}

// Curve is a stretch of gradient descent: after each step, the loss and
// the angle between the learnt plane and a target plane.
type Curve struct {
	Loss, Angle []float64
	// Diverged says the steps blew the weights up and the run stopped at
	// the last finite weights.
	Diverged bool
}

// divergedLoss is a loss no sensible step leads to: the cloud's points are
// a few units from the origin.
const divergedLoss = 1e12

// Train takes steps steps of gradient descent on the cloud at rate lr,
// recording after each the loss and the angle to the plane target spans.
// If a step blows the weights up, a stays at the weights before it and
// the curve ends there, Diverged.
func Train(a *AE, c *Cloud, lr float64, steps int, target [3][2]float64) (Curve, error) {
	if !(lr > 0) || steps < 0 {
		return Curve{}, fmt.Errorf("linearae: rate %g and %d steps, want a positive rate and steps ≥ 0", lr, steps)
	}
	var cv Curve
	for range steps {
		before := *a
		a.Step(c, lr)
		loss := a.Loss(c)
		if !a.Finite() || !(loss < divergedLoss) {
			*a, cv.Diverged = before, true
			break
		}
		angle, err := Angle(a.U, target)
		if err != nil {
			return cv, err
		}
		cv.Loss = append(cv.Loss, loss)
		cv.Angle = append(cv.Angle, angle)
	}
	return cv, nil
}
