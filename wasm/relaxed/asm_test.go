package relaxed

import (
	"bytes"
	"encoding/hex"
	"os"
	"testing"
)

func TestLEB128(t *testing.T) {
	for _, c := range []struct {
		v    uint32
		want string
	}{{0, "00"}, {127, "7f"}, {128, "8001"}, {0x105, "8502"}, {624485, "e58e26"}} {
		if got := hex.EncodeToString(appendULEB(nil, c.v)); got != c.want {
			t.Errorf("unsigned LEB128 of %d = %s, want %s", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		v    int32
		want string
	}{{0, "00"}, {63, "3f"}, {64, "c000"}, {-1, "7f"}, {-64, "40"}, {-65, "bf7f"}, {-123456, "c0bb78"}} {
		if got := hex.EncodeToString(appendSLEB(nil, c.v)); got != c.want {
			t.Errorf("signed LEB128 of %d = %s, want %s", c.v, got, c.want)
		}
	}
}

// The probe's bytes are those of the relaxed SIMD probe jax-js validates
// (src/backend/wasm/featureProbe.ts): one function returning
// f32x4.relaxed_madd of its three v128 parameters.
func TestProbeMatchesTheKnownBytes(t *testing.T) {
	const want = "0061736d0100000001080160037b7b7b017b030201000a0d010b00200020012002fd85020b"
	if got := hex.EncodeToString(probe()); got != want {
		t.Errorf("probe = %s\nwant    %s", got, want)
	}
	if !bytes.Equal(probeModule, probe()) {
		t.Error("probeModule is not probe()'s bytes")
	}
}

// TestGeneratedModule: gemm.wasm, which the browser build embeds, holds
// the module that module.go writes.
func TestGeneratedModule(t *testing.T) {
	b, err := os.ReadFile("gemm.wasm")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, Module()) {
		t.Fatal("gemm.wasm is stale: run go generate ./wasm/relaxed")
	}
}
