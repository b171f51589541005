package protocol

import (
	"fmt"

	"latentplay/core/models"
)

// The η lab (the ELBO lesson): the β lab's small VAE trained with the
// Gaussian observation model p(x|z) = N(x; G(z), η·I) at several η.

// EtaValues are the lab's η, smallest first.
var EtaValues = []float64{0.01, 0.1, 1}

// EtaSlot is where the η lab's VAE at eta lives.
func EtaSlot(eta float64) string { return fmt.Sprintf("eta-%g", eta) }

// EtaLab is the η lab's run at eta: the β lab's VAE (ELBOLab at β = 1,
// one epoch on the first 20,000 training digits from a fixed seed) with
// the Gaussian observation model, so that only η differs between runs.
func EtaLab(eta float64) Train {
	t := ELBOLab(1)
	t.Obs, t.Eta, t.Slot = models.ObsGaussian, eta, EtaSlot(eta)
	return t
}
