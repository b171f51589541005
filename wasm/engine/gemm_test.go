package engine

import (
	"math"
	"testing"

	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

func TestGEMM(t *testing.T) {
	e := New()
	q := protocol.GEMMArgs{M: 5, K: 7, N: 3, Zeros: 0.5, Seed: 9}
	r, err := Do(e, protocol.GEMM, q)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kernel != "native" || r.C.Rows != 5 || r.C.Cols != 3 {
		t.Fatalf("got kernel %q and a %d×%d product, want native and 5×3", r.Kernel, r.C.Rows, r.C.Cols)
	}
	// The operands are the engine's own; the product must be theirs.
	want := tensor.New(5, 3)
	tensor.Mul(want, e.gemmLast.a, e.gemmLast.b)
	for i, v := range want.Data {
		if math.Abs(float64(r.C.Data[i]-v)) > 1e-5 {
			t.Fatalf("C[%d] = %g, want %g", i, r.C.Data[i], v)
		}
	}
	var zeros int
	for _, v := range e.gemmLast.a.Data {
		if v == 0 {
			zeros++
		}
	}
	if zeros == 0 || zeros == len(e.gemmLast.a.Data) {
		t.Errorf("%d of A's %d entries are zero, want about half", zeros, len(e.gemmLast.a.Data))
	}
	for _, bad := range []protocol.GEMMArgs{{M: 0, K: 1, N: 1}, {M: 1, K: 1, N: 1, Zeros: 2}, {M: 1 << 12, K: 1 << 12, N: 1}} {
		if _, err := Do(e, protocol.GEMM, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
