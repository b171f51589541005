package engine

import (
	"math"
	"os"
	"strings"
	"testing"

	"latentplay/core/analysis"
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

// TestSampleReads: a generative run with a judge reports what the shipped
// classifier reads in its samples, anew every quarter epoch and at the
// end; the last reading is of the trained model's samples from the fixed
// z. A model without samples, or a judge that is not there, is refused.
func TestSampleReads(t *testing.T) {
	mlp, err := os.ReadFile("../../static/models/mlp.lpm")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{models.KindGAN, models.KindCGAN, models.KindVAE} {
		t.Run(kind, func(t *testing.T) {
			e, events := trainingEngine()
			load(t, e, "mlp", mlp)
			tr := protocol.Train{Kind: kind, Latent: 8, Hidden: []int{32, 64}, LR: 2e-4, Batch: 20, Epochs: 4, Seed: 1, Samples: 2, Owner: "train", Judge: "mlp"}
			if kind == models.KindVAE {
				tr.Hidden, tr.Beta, tr.LR = []int{32}, 1, 1e-3
			}
			start(t, e, tr)
			var reads []protocol.SampleRead
			var last protocol.Progress
			for last.State != protocol.Done {
				last = waitFor(t, events, protocol.Running, protocol.Done)
				r := last.Read
				// 200 images an epoch: a reading is never a quarter of one old.
				if r.Samples == 0 || r.Samples > last.Samples || last.Samples-r.Samples >= 50 {
					t.Fatalf("a reading after %d images, in an event after %d", r.Samples, last.Samples)
				}
				if !(r.Confidence > 0.1 && r.Confidence <= 1) || !(r.MinShare >= 0 && r.MinShare <= 0.1) || !(r.LabelAccuracy >= 0 && r.LabelAccuracy <= 1) {
					t.Fatalf("reading %+v", r)
				}
				if kind != models.KindCGAN && r.LabelAccuracy != 0 {
					t.Fatalf("a %s's samples with label accuracy %v", kind, r.LabelAccuracy)
				}
				if n := len(reads); n == 0 || reads[n-1] != r {
					reads = append(reads, r)
				}
			}
			if len(reads) < 4 || reads[len(reads)-1].Samples != 800 {
				t.Fatalf("%d readings, the last after %d images", len(reads), reads[len(reads)-1].Samples)
			}
			for i := 1; i < len(reads); i++ {
				if reads[i].Samples <= reads[i-1].Samples {
					t.Fatalf("readings after %d then %d images", reads[i-1].Samples, reads[i].Samples)
				}
			}
			trained, err := e.model(protocol.TrainedSlot)
			if err != nil {
				t.Fatal(err)
			}
			judge, err := e.judge("mlp", trained)
			if err != nil {
				t.Fatal(err)
			}
			if again := readSamples(judge, trained.(analysis.Sampler), 800); again != reads[len(reads)-1] {
				t.Errorf("the last reading %+v; the trained model's samples read %+v", reads[len(reads)-1], again)
			}
		})
	}
	e, events := trainingEngine()
	if _, err := Do(e, protocol.StartRun, protocol.Train{Kind: models.KindAE, Latent: 8, Hidden: []int{32}, LR: 1e-3, Batch: 20, Epochs: 1, Seed: 1, Judge: "mlp"}); err == nil {
		t.Error("an autoencoder's samples were to be read")
	}
	start(t, e, protocol.Train{Kind: models.KindGAN, Latent: 8, Hidden: []int{32, 64}, LR: 2e-4, Batch: 20, Epochs: 1, Seed: 1, Judge: "mlp"})
	if p := waitFor(t, events, protocol.Failed, protocol.Done); p.State != protocol.Failed || !strings.Contains(p.Message, `"mlp"`) {
		t.Errorf("with no classifier loaded: %s, %q", p.State, p.Message)
	}
}
