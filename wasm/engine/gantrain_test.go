package engine

import (
	"math"
	"testing"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// TestGANRun: a GAN's run goes from Running to Done on one engine (asked
// for three, with helpers to hand), reporting both players' losses and
// the images of a fixed z and no rebuilds (a GAN has no encoder); its slot
// then holds a GAN that samples and snapshots to a file that loads back.
func TestGANRun(t *testing.T) {
	for _, kind := range []string{models.KindGAN, models.KindCGAN} {
		t.Run(kind, func(t *testing.T) {
			e, events := trainingEngine()
			spawned := 0
			e.Spawn = func() (Remote, error) { spawned++; return newLocalRemote(), nil }
			start(t, e, protocol.Train{Kind: kind, Latent: 8, Hidden: []int{32, 64}, LR: 2e-4, Batch: 20, Epochs: 4, Seed: 1, Samples: 6, Workers: 3, SetLoss: true, Owner: "train"})
			first := waitFor(t, events, protocol.Running)
			if first.Workers != GANWorkers || spawned != 0 {
				t.Fatalf("%d workers, %d helpers spawned; a GAN trains on one engine", first.Workers, spawned)
			}
			if first.Drawn.Rows != 6 || first.Drawn.Cols != data.Pixels || first.Probes.Rows != 0 || first.Rebuilt.Rows != 0 {
				t.Fatalf("%d drawn, %d probes, %d rebuilt; want 6 images of the fixed z and no rebuilds", first.Drawn.Rows, first.Probes.Rows, first.Rebuilt.Rows)
			}
			last := waitFor(t, events, protocol.Done)
			for _, p := range []protocol.Progress{first, last} {
				d, g := p.Players.D, p.Players.G
				if !(d > 0 && g > 0 && d < 1e3 && g < 1e3) || math.Abs(p.Loss.Total-(d+g)) > 1e-9*(d+g) {
					t.Fatalf("losses D %v G %v, total %v", d, g, p.Loss.Total)
				}
				if p.SetLoss != (protocol.Losses{}) || p.TestLoss != (protocol.Losses{}) {
					t.Fatalf("a GAN with a test loss: %+v %+v", p.SetLoss, p.TestLoss)
				}
			}
			if !last.Trained || last.Samples != 4*200 {
				t.Fatalf("trained %v on %d samples, want 800", last.Trained, last.Samples)
			}
			img := must[protocol.Images](t)(Do(e, protocol.Sample, protocol.SampleArgs{Slot: protocol.TrainedSlot, N: 3, Temperature: 1, Labels: labelsFor(kind, 3)}))
			if img.Images.Rows != 3 || img.Images.Cols != data.Pixels {
				t.Fatalf("sampled %d×%d", img.Images.Rows, img.Images.Cols)
			}
			f := must[protocol.ModelFile](t)(Do(e, protocol.Snapshot, protocol.Slot{Slot: protocol.TrainedSlot}))
			if f.Info.Kind != kind {
				t.Fatalf("snapshot of a %s", f.Info.Kind)
			}
			info := must[protocol.Info](t)(Do(e, protocol.Load, protocol.LoadArgs{Slot: "kept", File: f.File}))
			if info.Kind != kind {
				t.Fatalf("loaded back a %s", info.Kind)
			}
			// A search for the z of an image the GAN drew comes nearer it
			// in 300 steps than in 1.
			q := protocol.SearchArgs{ImagesArgs: protocol.ImagesArgs{Slot: "kept", Images: img.Images, Labels: labelsFor(kind, 3)}, Steps: 1}
			one := must[protocol.Searched](t)(Do(e, protocol.SearchZ, q))
			q.Steps = 0
			if _, err := Do(e, protocol.SearchZ, q); err == nil {
				t.Error("a search of 0 steps was run")
			}
			q.Steps = 300
			many := must[protocol.Searched](t)(Do(e, protocol.SearchZ, q))
			if many.Codes.Rows != 3 || many.Codes.Cols != 8 || many.Images.Rows != 3 || len(many.Loss) != 3 {
				t.Fatalf("searched %d codes of %d, %d images, %d losses", many.Codes.Rows, many.Codes.Cols, many.Images.Rows, len(many.Loss))
			}
			for i := range many.Loss {
				if !(many.Loss[i] < one.Loss[i]) {
					t.Errorf("image %d: loss %g after 300 steps, %g after 1", i, many.Loss[i], one.Loss[i])
				}
			}
		})
	}
}

func labelsFor(kind string, n int) []int {
	if kind != models.KindCGAN {
		return nil
	}
	ls := make([]int, n)
	for i := range ls {
		ls[i] = i
	}
	return ls
}

// TestSearchZRefused: only a GAN is searched, for a sane number of steps.
func TestSearchZRefused(t *testing.T) {
	e := New()
	load(t, e, "vae", tinyVAE(t, 0))
	x := images(digits(1))
	if _, err := Do(e, protocol.SearchZ, protocol.SearchArgs{ImagesArgs: protocol.ImagesArgs{Slot: "vae", Images: x}, Steps: 10}); err == nil {
		t.Error("a VAE searched for z")
	}
}

// TestGANShardRefused: a GAN cannot be a data-parallel helper's model.
func TestGANShardRefused(t *testing.T) {
	e, _ := trainingEngine()
	if _, err := Do(e, protocol.ShardStart, protocol.ShardSetup{Train: protocol.Train{Kind: models.KindGAN, Latent: 8, Hidden: []int{16}, LR: 2e-4, Batch: 20, Epochs: 1, Seed: 1}, N: 100}); err == nil {
		t.Fatal("a GAN's shard started")
	}
}
