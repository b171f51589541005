package web

import (
	"math"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	worker "latentplay/wasm/engine"
	"latentplay/wasm/engine/protocol"
)

// The lesson keeps the curves as the engine's answers come: the start's
// loss and angle, then one of each per step; it notes when the angle
// first falls below 2°, and draws both curves.
func TestLinearAETakesTheAnswers(t *testing.T) {
	l := &LinearAELesson{}
	l.OnInit()
	e := worker.New()
	step := func(n int) {
		t.Helper()
		q := l.args(n)
		s, err := worker.Do(e, protocol.LinearCloud, q)
		l.take(q, s, err)
		if l.errMsg != "" {
			t.Fatal(l.errMsg)
		}
	}
	step(0)
	if len(l.losses) != 1 || len(l.angles) != 1 || l.fresh || l.iter() != 0 {
		t.Fatalf("after the first answer: %d losses, %d angles, fresh %v", len(l.losses), len(l.angles), l.fresh)
	}
	for l.iter() < protocol.LinearBudget {
		step(laeStepsAFrame)
	}
	if l.iter() != protocol.LinearBudget || len(l.angles) != protocol.LinearBudget+1 {
		t.Fatalf("%d iterations, %d angles", l.iter(), len(l.angles))
	}
	if !(l.st.Angle <= laeTarget) || l.reached == 0 || l.angles[l.reached] > laeTarget || l.angles[l.reached-1] <= laeTarget {
		t.Errorf("angle %.2f°, first below %g° at %d", l.st.Angle, laeTarget, l.reached)
	}
	for _, svg := range []string{l.lossPlot(), l.anglePlot()} {
		if !strings.Contains(svg, "<polyline") || !strings.Contains(svg, "iteration") {
			t.Errorf("a plot without its curve or axis: %.200s", svg)
		}
	}
	// Reshaping keeps U and V and the curves; the 2° mark waits for the
	// new cloud.
	u := l.st.U
	l.shape.Tilt = 60
	l.running = true // as if playing: reshape then leaves the call to the run
	l.reshape(app.Context{})
	l.running = false
	step(0)
	if l.st.U != u || l.iter() != protocol.LinearBudget || l.reached != 0 || l.reachFrom != protocol.LinearBudget {
		t.Errorf("after a reshape: U kept %v, %d iterations, reached %d from %d", l.st.U == u, l.iter(), l.reached, l.reachFrom)
	}
	// Reset starts again from new weights.
	l.start++
	l.restart()
	step(0)
	if l.st.U == u || l.iter() != 0 {
		t.Errorf("after Reset: U kept %v, %d iterations", l.st.U == u, l.iter())
	}
}

// Signed weights show as grey about 0; the plane's basis is orthonormal;
// a long curve is thinned to at most n points, its ends kept.
func TestLinearAEHelpers(t *testing.T) {
	img := laeSigned([]float32{-2, 0, 1, 2})
	if img[0] != 0 || img[1] != 0.5 || img[2] != 0.75 || img[3] != 1 {
		t.Errorf("signed image %v", img)
	}
	a, b, ok := laePlaneBasis([3][2]float64{{1, 1}, {0, 2}, {0, 0}})
	if !ok || math.Abs(a[0]*b[0]+a[1]*b[1]+a[2]*b[2]) > 1e-12 || math.Abs(b[0]*b[0]+b[1]*b[1]+b[2]*b[2]-1) > 1e-12 {
		t.Errorf("basis %v %v %v", a, b, ok)
	}
	if _, _, ok := laePlaneBasis([3][2]float64{{1, 2}, {1, 2}, {0, 0}}); ok {
		t.Error("parallel columns span a plane")
	}
	ys := make([]float64, 1001)
	s := laeSeries(ys, 300)
	if len(s) > 301 || s[0][0] != 0 || s[len(s)-1][0] != 1000 {
		t.Errorf("%d points from %v to %v", len(s), s[0], s[len(s)-1])
	}
}
