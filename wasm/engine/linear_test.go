package engine

import (
	"math"
	"os"
	"slices"
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/wasm/engine/protocol"
)

func linearArgs(preset protocol.LinearPreset) protocol.LinearCloudArgs {
	return protocol.LinearCloudArgs{
		Shape: preset.Shape, N: protocol.LinearPoints, Seed: protocol.LinearSeed,
		Fresh: true, Start: 1, LR: protocol.LinearLR,
	}
}

// The cloud lab as the page runs it: a fresh start, then the budget in
// chunks of 20 steps, the weights going back and forth. On the default
// cloud the angle to PCA's plane ends ≤ 2°; the chunks give the very
// curve one call of the whole budget gives.
func TestLinearCloud(t *testing.T) {
	e := New()
	for i, preset := range protocol.LinearPresets {
		q := linearArgs(preset)
		s := must[protocol.LinearCloudState](t)(Do(e, protocol.LinearCloud, q))
		if s.Points.Rows != protocol.LinearPoints || s.Points.Cols != 3 || s.Rebuilt.Rows != s.Points.Rows || s.Rebuilt.Cols != 3 || len(s.Losses) != 0 {
			t.Fatalf("%s: %d×%d points, %d×%d rebuilt, %d losses", preset.ID, s.Points.Rows, s.Points.Cols, s.Rebuilt.Rows, s.Rebuilt.Cols, len(s.Losses))
		}
		first, firstLoss := s.Angle, s.Loss
		var losses, angles []float64
		begin := time.Now()
		q.Fresh, q.Steps = false, 20
		for len(losses) < protocol.LinearBudget {
			q.U, q.V = s.U, s.V
			s = must[protocol.LinearCloudState](t)(Do(e, protocol.LinearCloud, q))
			losses, angles = append(losses, s.Losses...), append(angles, s.Angles...)
		}
		took := time.Since(begin)
		t.Logf("%s: angle %.1f° → %.2f°, loss %.4f → %.5f (PCA's %.5f) in %d steps, %v", preset.ID, first, s.Angle, firstLoss, s.Loss, s.PCALoss, len(losses), took.Round(time.Millisecond))
		if s.Angle != angles[len(angles)-1] || s.Loss != losses[len(losses)-1] {
			t.Errorf("%s: the state's angle %g and loss %g, the curves end at %g and %g", preset.ID, s.Angle, s.Loss, angles[len(angles)-1], losses[len(losses)-1])
		}
		if !(s.Loss < firstLoss) || s.Loss < s.PCALoss*(1-1e-9) {
			t.Errorf("%s: loss %g → %g, PCA's floor %g", preset.ID, firstLoss, s.Loss, s.PCALoss)
		}
		if i == 0 {
			if !(s.Angle <= 2) {
				t.Errorf("the default cloud: %.2f° from PCA's plane after %d steps", s.Angle, protocol.LinearBudget)
			}
			whole := linearArgs(preset)
			whole.Steps = protocol.LinearBudget
			w := must[protocol.LinearCloudState](t)(Do(e, protocol.LinearCloud, whole))
			if !slices.Equal(w.Losses, losses) || !slices.Equal(w.Angles, angles) || w.U != s.U {
				t.Error("the budget in chunks and in one call differ")
			}
			// x̂ is U·V·x, point by point.
			for p := range s.Points.Rows {
				x := s.Points.Row(p)
				for r := range 3 {
					var want float64
					for j := range 3 {
						want += (s.U[r][0]*s.V[0][j] + s.U[r][1]*s.V[1][j]) * float64(x[j])
					}
					if math.Abs(float64(s.Rebuilt.Row(p)[r])-want) > 1e-5 {
						t.Fatalf("point %d: x̂ %v, U·V·x has %g at %d", p, s.Rebuilt.Row(p), want, r)
					}
				}
			}
		}
	}
}

// Too large a rate stops at the weights before the blow-up; settings out
// of range are refused.
func TestLinearCloudRefuses(t *testing.T) {
	e := New()
	q := linearArgs(protocol.LinearPresets[0])
	q.LR, q.Steps = 5, 100
	s := must[protocol.LinearCloudState](t)(Do(e, protocol.LinearCloud, q))
	if !s.Diverged || len(s.Losses) == 100 {
		t.Errorf("at rate 5: diverged %v after %d steps", s.Diverged, len(s.Losses))
	}
	for name, bad := range map[string]func(*protocol.LinearCloudArgs){
		"no points":     func(q *protocol.LinearCloudArgs) { q.N = 0 },
		"too many":      func(q *protocol.LinearCloudArgs) { q.N = protocol.LinearMaxPoints + 1 },
		"steps":         func(q *protocol.LinearCloudArgs) { q.Steps = protocol.LinearMaxSteps + 1 },
		"rate 0":        func(q *protocol.LinearCloudArgs) { q.LR = 0 },
		"tilt":          func(q *protocol.LinearCloudArgs) { q.Shape.Tilt = 100 },
		"noise":         func(q *protocol.LinearCloudArgs) { q.Shape.Noise = -1 },
		"huge weights":  func(q *protocol.LinearCloudArgs) { q.Fresh = false; q.U[0][0], q.V[0][0] = 1e300, 1e300 },
		"negative rate": func(q *protocol.LinearCloudArgs) { q.LR = -1 },
	} {
		q := linearArgs(protocol.LinearPresets[0])
		q.Steps = 5
		bad(&q)
		if _, err := Do(e, protocol.LinearCloud, q); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// The shipped linear autoencoder on MNIST: its U spans PCA's subspace
// (PCA fit here on 5,000 training digits), and test digits are rebuilt
// by it as well as by PCA-20, better by the deep autoencoder.
func TestLinearMNIST(t *testing.T) {
	e, _ := mnistEngine(t)
	for _, name := range []string{protocol.LinearAESlot, protocol.DeepAESlot} {
		file, err := os.ReadFile("../../static/models/" + name + ".lpm")
		if err != nil {
			t.Fatal(err)
		}
		load(t, e, name, file)
	}
	slots := protocol.LinearSlots{Linear: protocol.LinearAESlot, Deep: protocol.DeepAESlot}
	b := must[protocol.LinearBasesAnswer](t)(Do(e, protocol.LinearBases, slots))
	if b.Columns.Rows != 20 || b.Columns.Cols != data.Pixels || b.Components.Rows != 20 || b.Components.Cols != data.Pixels || len(b.Angles) != 20 || b.PCADigits != protocol.LinearPCADigits {
		t.Fatalf("columns %d×%d, components %d×%d, %d angles, %d digits", b.Columns.Rows, b.Columns.Cols, b.Components.Rows, b.Components.Cols, len(b.Angles), b.PCADigits)
	}
	t.Logf("PCA fit in %.2f s; principal angles %.2f° … %.2f°", b.PCASeconds, b.Angles[0], b.Angles[19])
	if !(b.PCASeconds > 0) || b.Angles[19] > 20 || b.Angles[9] > 6 {
		t.Errorf("fit in %g s, angles %v", b.PCASeconds, b.Angles)
	}
	again := must[protocol.LinearBasesAnswer](t)(Do(e, protocol.LinearBases, slots))
	if again.PCASeconds != 0 || !slices.Equal(again.Components.Data, b.Components.Data) {
		t.Error("PCA was fit again")
	}
	test, _ := e.test()
	var sum [3]float64
	const n = 200
	for i := range n {
		x := test.Image(50 * i)
		r := must[protocol.LinearRebuilt](t)(Do(e, protocol.LinearRebuild, protocol.LinearRebuildArgs{LinearSlots: slots, Image: images(slices.Clone(x))}))
		if r.Images.Rows != 3 || r.Images.Cols != data.Pixels {
			t.Fatalf("%d×%d rebuilds", r.Images.Rows, r.Images.Cols)
		}
		for k := range 3 {
			sum[k] += r.MSE[k] / n
		}
	}
	t.Logf("mean error on %d test digits: linear AE %.4f, PCA-20 %.4f, AE %.4f", n, sum[0], sum[1], sum[2])
	if math.Abs(sum[0]-sum[1]) > 0.02*sum[1] || !(sum[2] < sum[0]/2) {
		t.Errorf("errors %v: want the linear autoencoder near PCA's, the deep one below both", sum)
	}
	for name, q := range map[string]protocol.LinearRebuildArgs{
		"swapped":     {LinearSlots: protocol.LinearSlots{Linear: protocol.DeepAESlot, Deep: protocol.LinearAESlot}, Image: images(slices.Clone(test.Image(0)))},
		"short image": {LinearSlots: slots, Image: protocol.RowsOf(4, []float32{1, 2, 3, 4})},
		"no image":    {LinearSlots: slots},
		"NaN":         {LinearSlots: slots, Image: images(nanImage())},
		"no model":    {LinearSlots: protocol.LinearSlots{Linear: "nope", Deep: protocol.DeepAESlot}, Image: images(slices.Clone(test.Image(0)))},
	} {
		if _, err := Do(e, protocol.LinearRebuild, q); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// “Nearly a line”, as its Try this says: one run drops the loss but
// leaves the plane far from PCA's; a few more bring it below 2°.
func TestLinearCloudNearlyALine(t *testing.T) {
	e := New()
	var preset protocol.LinearPreset
	for _, p := range protocol.LinearPresets {
		if p.ID == "line" {
			preset = p
		}
	}
	q := linearArgs(preset)
	s := must[protocol.LinearCloudState](t)(Do(e, protocol.LinearCloud, q))
	first := s.Loss
	q.Fresh, q.Steps = false, protocol.LinearBudget
	for run := 1; run <= 4; run++ {
		q.U, q.V = s.U, s.V
		s = must[protocol.LinearCloudState](t)(Do(e, protocol.LinearCloud, q))
		t.Logf("run %d: loss %.4f (from %.4f, PCA's %.4f), angle %.1f°", run, s.Loss, first, s.PCALoss, s.Angle)
		switch {
		case run == 1 && !(s.Angle > 10 && s.Loss < first/10):
			t.Errorf("after one run: angle %.1f°, loss %.4f from %.4f; want the loss down and the plane still far", s.Angle, s.Loss, first)
		case run == 4 && !(s.Angle <= 2):
			t.Errorf("after four runs the planes are %.1f° apart", s.Angle)
		}
	}
}
