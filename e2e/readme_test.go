package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The README quotes the lab figures these tests assert, with their
// tolerances (no browser needed).
func TestREADMEQuotesTheLabFigures(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, q := range []string{
		fmt.Sprintf("reaches %.0f%% test accuracy (`TestClassifierLab` asserts %.3f–%.3f)", 50*(clfAccLow+clfAccHigh), clfAccLow, clfAccHigh),
		fmt.Sprintf("(%.1f%% against %.1f%%: `TestTeachLab` asserts each ± %.1f points;", 100*teachCode, 100*teachPixel, 100*teachTol),
		fmt.Sprintf("(pathwise std %.2f against %.0f averaged over the 20 coordinates: `TestReparamLab` asserts each ± %.0f%%;", reparamPathStd, reparamScoreStd, 100*reparamTol),
		fmt.Sprintf("(`TestELBOLab` asserts: β 0.3 gives recon %.1f and KL %.1f nats, each ± %.0f, and %d of %d dimensions active; β 30 gives recon %.1f ± %.0f, KL under %g nats, and none active)",
			elboLowRecon, elboLowKL, elboTol, elboLatent, elboLatent, elboHighRecon, elboTol, elboCollapsedKL),
	} {
		if !strings.Contains(readme, q) {
			t.Errorf("README does not say %q", q)
		}
	}
}
