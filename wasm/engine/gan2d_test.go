package engine

import (
	"testing"

	"latentplay/core/gan2d"
	"latentplay/wasm/engine/protocol"
)

func ringGAN(remedy string, steps int) protocol.GAN2D {
	d := gan2d.Defaults()
	return protocol.GAN2D{
		Data: "ring", Noise: d.Noise, Hidden: d.Hidden, Batch: d.Batch,
		LRG: float64(d.LRG), LRD: float64(d.LRD), Remedy: remedy, Seed: d.Seed,
		Steps: steps, Grid: 12, Show: 50,
	}
}

// The lab's run continues across calls and answers with pictures of the
// shape asked for; the ring's coverage after the budget in two calls is
// the core's, collapse without the remedy and all eight modes with it.
func TestGANLab(t *testing.T) {
	e := New()
	for _, remedy := range gan2d.Remedies {
		half := gan2d.Budget / 2
		if _, err := Do(e, protocol.TrainGAN, ringGAN(remedy, half)); err != nil {
			t.Fatal(err)
		}
		r, err := Do(e, protocol.TrainGAN, ringGAN(remedy, gan2d.Budget-half))
		if err != nil {
			t.Fatal(err)
		}
		if r.Step != gan2d.Budget || r.Modes != 8 || len(r.Share) != 8 {
			t.Fatalf("step %d, %d modes, %d shares; want %d, 8, 8", r.Step, r.Modes, len(r.Share), gan2d.Budget)
		}
		if r.Heat.Rows != 12 || r.Heat.Cols != 12 || r.Real.Rows != 50 || r.Fake.Rows != 50 || r.Push.Rows != 50 || r.Push.Cols != 2 {
			t.Errorf("heat %d×%d, %d real, %d fake, %d arrows", r.Heat.Rows, r.Heat.Cols, r.Real.Rows, r.Fake.Rows, r.Push.Rows)
		}
		if remedy == "" && r.Covered >= 8 || remedy != "" && r.Covered != 8 {
			t.Errorf("remedy %q: %d of 8 modes covered after %d steps", remedy, r.Covered, r.Step)
		}
	}
	// A bad request fails and the run stays.
	bad := ringGAN(gan2d.RemedyMinibatchStd, 1)
	bad.LRG = -1
	if _, err := Do(e, protocol.TrainGAN, bad); err == nil {
		t.Error("a negative learning rate trained")
	}
	r, err := Do(e, protocol.TrainGAN, ringGAN(gan2d.RemedyMinibatchStd, 0))
	if err != nil || r.Step != gan2d.Budget {
		t.Errorf("after a bad request the run is at step %d (%v), want %d", r.Step, err, gan2d.Budget)
	}
	moons := ringGAN("", 3)
	moons.Data = "moons"
	if r, err := Do(e, protocol.TrainGAN, moons); err != nil || r.Step != 3 || r.Modes != 0 {
		t.Errorf("moons: step %d, %d modes, %v", r.Step, r.Modes, err)
	}
}
