package protocol

import (
	"encoding/json"
	"math"
	"testing"
)

// A progress event from a run that is blowing up must still cross to the
// page: JSON has no NaN or Inf.
func TestFiniteProgressEncodes(t *testing.T) {
	p := Progress{State: Running, Loss: Losses{Total: math.Inf(1), Recon: math.NaN(), KL: math.Inf(-1)}, SamplesPerSec: 10}
	if _, err := json.Marshal(Envelope{Progress: &p}); err == nil {
		t.Fatal("NaN marshalled: the test no longer tests anything")
	}
	p.Finite()
	b, err := json.Marshal(Envelope{Progress: &p})
	if err != nil {
		t.Fatal(err)
	}
	var back Envelope
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	got := back.Progress.Loss
	if got.Total != math.MaxFloat64 || got.Recon != math.MaxFloat64 || got.KL != -math.MaxFloat64 || back.Progress.SamplesPerSec != 10 {
		t.Fatalf("round trip gave %+v", back.Progress)
	}
}
