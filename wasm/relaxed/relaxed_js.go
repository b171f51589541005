//go:build js && wasm

package relaxed

import (
	_ "embed"
	"errors"
	"fmt"
	"runtime"
	"syscall/js"
	"unsafe"
)

// MemoryGlobal is where the page's loader leaves the Go instance's memory
// (instance.exports.mem) before go.run: the module imports it, and Go's
// own code cannot reach it. static/engine.js does this.
const MemoryGlobal = "latentplayMemory"

// ErrUnsupported says the WebAssembly engine lacks relaxed SIMD.
var ErrUnsupported = errors.New("relaxed: this WebAssembly engine has no relaxed SIMD")

// Kernels are the module's exports, instantiated on this Go instance's
// memory. Go's heap does not move objects, so a slice's address stays
// valid for the call; the memory's growth does not matter either, since
// both instances hold the same Memory object.
type Kernels struct {
	gemm, rows js.Value
	scratch    []float32 // the module's packed copies of A and B
}

// gemmModule is Module()'s bytes (go generate writes them; a test checks).
//
//go:embed gemm.wasm
var gemmModule []byte

// Load instantiates the module on the memory at globalThis[MemoryGlobal],
// if the engine has relaxed SIMD (ErrUnsupported otherwise).
func Load() (k *Kernels, err error) {
	defer func() { // a JavaScript exception: a broken module, or a memory that is not one
		if r := recover(); r != nil {
			k, err = nil, fmt.Errorf("relaxed: %v", r)
		}
	}()
	mem := js.Global().Get(MemoryGlobal)
	if !mem.Truthy() {
		return nil, fmt.Errorf("relaxed: the loader left no memory at globalThis.%s", MemoryGlobal)
	}
	wa := js.Global().Get("WebAssembly")
	if !wa.Call("validate", uint8Array(probeModule)).Bool() {
		return nil, ErrUnsupported
	}
	code := uint8Array(gemmModule)
	if !wa.Call("validate", code).Bool() {
		return nil, errors.New("relaxed: the GEMM module does not validate")
	}
	imports := map[string]any{"env": map[string]any{"memory": mem}}
	inst := wa.Get("Instance").New(wa.Get("Module").New(code), imports)
	ex := inst.Get("exports")
	return &Kernels{gemm: ex.Get("gemm"), rows: ex.Get("rows")}, nil
}

func uint8Array(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// minProduct is the fewest multiply-adds worth a call into the module:
// a call from Go through JavaScript costs about a microsecond, what the
// Go kernels take for a few hundred (BenchmarkSmall under Node).
const minProduct = 256

// GEMM computes C = op(A)·op(B), or C += op(A)·op(B) when acc, as
// tensor.GEMM describes. It declines (false) products under minProduct
// multiply-adds, and A·Bᵀ for fewer than 4 rows, which only a transposed
// copy of B would serve.
func (kr *Kernels) GEMM(ta, tb bool, m, n, k int, a, b, c []float32, acc bool) bool {
	if m*n*k < minProduct {
		return false
	}
	return kr.product(ta, tb, m, n, k, a, b, c, acc)
}

// product is GEMM for products of any size.
func (kr *Kernels) product(ta, tb bool, m, n, k int, a, b, c []float32, acc bool) bool {
	if m < 1 || n < 1 || k < 1 {
		return false
	}
	if tb && m < panelRows {
		return false
	}
	sai, sap := 4*k, 4 // A(i,p) at a + i·sai + p·sap
	if ta {
		sai, sap = 4, 4*m
	}
	sbp, sbj := 4*n, 4 // B(p,j) at b + p·sbp + j·sbj
	if tb {
		sbp, sbj = 4, 4*k
	}
	accum := 0
	if acc {
		accum = 1
	}
	if m < panelRows {
		s := kr.scratchAt(rowsScratch(k))
		kr.rows.Invoke(m, n, k, addr(a), sai, sap, addr(b), addr(c), accum, s)
	} else {
		s := kr.scratchAt(gemmScratch(m, n, k))
		kr.gemm.Invoke(m, n, k, addr(a), sai, sap, addr(b), sbp, sbj, addr(c), accum, s)
	}
	runtime.KeepAlive(a)
	runtime.KeepAlive(b)
	runtime.KeepAlive(c)
	return true
}

// scratchAt returns the address of at least size bytes of scratch.
func (kr *Kernels) scratchAt(size int) int {
	if n := (size + 3) / 4; len(kr.scratch) < n {
		kr.scratch = make([]float32, n+n/4)
	}
	return addr(kr.scratch)
}

// addr is the byte offset of s's first element in linear memory.
func addr(s []float32) int { return int(uintptr(unsafe.Pointer(unsafe.SliceData(s)))) }
