package engine

import (
	"strings"
	"testing"
	"time"

	"latentplay/core/data"
	"latentplay/core/models"
	"latentplay/wasm/engine/protocol"
)

// The η lab's VAE, trained with p(x|z) = N(x; G(z), η·I) at each of the
// lab's η and measured on 1,000 test digits: the smaller η, the sharper
// the likelihood, the more the code is worth and the larger the KL; the
// samples and rebuilds come back as pictures of pixel means.
func TestEtaLab(t *testing.T) {
	e, events := mnistEngine(t)
	var kls []float64
	for _, eta := range protocol.EtaValues {
		begin := time.Now()
		tr := protocol.EtaLab(eta)
		trainToEnd(t, e, events, tr)
		secs := time.Since(begin).Seconds()
		v, err := e.vae(tr.Slot)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Cfg.Gaussian() || v.Cfg.Eta != eta {
			t.Fatalf("η %g: the slot holds a %s model", eta, v.Cfg.ObsName())
		}
		f := must[protocol.ELBOFigures](t)(Do(e, protocol.ELBOPoint, protocol.ELBOArgs{Slot: tr.Slot, N: 1000, Probes: 8, Seed: 1}))
		s := must[protocol.Images](t)(Do(e, protocol.Sample, protocol.SampleArgs{Slot: tr.Slot, N: 16, Temperature: 1, Seed: 1})).Images
		t.Logf("η = %g: test −ELBO %.1f nats (reconstruction %.1f, KL %.2f), %d of %d dimensions active, rebuilds' spread %.4f, samples' spread %.4f (trained in %.1f s)",
			eta, f.Recon+f.KL, f.Recon, f.KL, f.Active, len(f.PerDimKL), spread(f.Rebuilt), spread(s), secs)
		if s.Rows != 16 || s.Cols != data.Pixels || f.Rebuilt.Rows != 8 {
			t.Fatalf("%d×%d samples, %d rebuilds", s.Rows, s.Cols, f.Rebuilt.Rows)
		}
		for _, p := range s.Data {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("a sample's pixel is %v, outside [0, 1]", p)
			}
		}
		kls = append(kls, f.KL)
	}
	for i := 1; i < len(kls); i++ {
		if !(kls[i] < kls[i-1]) {
			t.Errorf("KL %v at η %v: want it to fall as η grows", kls, protocol.EtaValues)
		}
	}
	if _, ok := e.slots[protocol.ELBOSlot]; ok {
		t.Error("the η lab's runs replaced the β lab's model")
	}
}

// An absurd η, an unknown observation model, or one given to a model that
// has none, is refused before anything trains, with a message that says
// what is wrong; the default stays Bernoulli.
func TestTrainObservationModel(t *testing.T) {
	e, events := trainingEngine()
	for _, tc := range []struct {
		t    protocol.Train
		want string
	}{
		{protocol.EtaLab(500), "η = 500, want 0.001..10"},
		{protocol.EtaLab(0), "η = 0, want 0.001..10"},
		{protocol.EtaLab(-1), "want 0.001..10"},
		{func() protocol.Train { t := protocol.EtaLab(0.1); t.Obs = "poisson"; return t }(), `observation model "poisson"`},
		{func() protocol.Train { t := protocol.ELBOLab(1); t.Eta = 0.1; return t }(), "no variance"},
		{protocol.Train{Kind: "ae", Hidden: []int{8}, Latent: 2, LR: 1e-3, Batch: 10, Epochs: 1, Obs: models.ObsGaussian, Eta: 0.1}, "a ae has none"},
	} {
		_, err := Do(e, protocol.StartRun, tc.t)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s η %g (%s): error %v, want one saying %q", tc.t.Obs, tc.t.Eta, tc.t.Kind, err, tc.want)
		}
	}
	run := start(t, e, protocol.Train{Kind: "vae", Latent: 2, Hidden: []int{16}, Beta: 1, LR: 3e-3, Batch: 20, Epochs: 1, Seed: 1})
	if p := waitFor(t, events, protocol.Done, protocol.Failed); p.State != protocol.Done || p.Run != run.Run {
		t.Fatalf("run ended %s: %s", p.State, p.Message)
	}
	m, _ := e.vae(protocol.TrainedSlot)
	if m.Cfg.Gaussian() || m.Cfg.Obs != "" {
		t.Errorf("a run with no observation model trained a %s one (%q)", m.Cfg.ObsName(), m.Cfg.Obs)
	}
}
