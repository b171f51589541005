//go:build js && wasm

package relaxed

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"syscall/js"
	"testing"

	"latentplay/core/tensor"
)

// load returns the kernels, or skips when this runner cannot give them:
// Go's own go_js_wasm_exec shares no memory, and Node 20 needs
// --experimental-wasm-relaxed-simd (testrunner/go_js_wasm_exec does both;
// make test-wasm uses it).
func load(t testing.TB) *Kernels {
	t.Helper()
	k, err := Load()
	if errors.Is(err, ErrUnsupported) || (err != nil && !memoryShared()) {
		t.Skipf("%v (run under wasm/relaxed/testrunner)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func randSlice(rng *rand.Rand, n int, zeros float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		if rng.Float64() >= zeros {
			s[i] = float32(rng.NormFloat64())
		}
	}
	return s
}

// reference computes op(A)·op(B) (+ C0 when acc) in float64, with the sum
// of the products' magnitudes for each entry: float32 rounding grows with
// that sum, not with the result, which cancellation can make small.
func reference(ta, tb bool, m, n, k int, a, b, c0 []float32, acc bool) (want, mag []float64) {
	at := func(i, p int) float64 {
		if ta {
			return float64(a[p*m+i])
		}
		return float64(a[i*k+p])
	}
	bt := func(p, j int) float64 {
		if tb {
			return float64(b[j*k+p])
		}
		return float64(b[p*n+j])
	}
	want, mag = make([]float64, m*n), make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s, g float64
			if acc {
				s, g = float64(c0[i*n+j]), math.Abs(float64(c0[i*n+j]))
			}
			for p := range k {
				s += at(i, p) * bt(p, j)
				g += math.Abs(at(i, p) * bt(p, j))
			}
			want[i*n+j], mag[i*n+j] = s, g
		}
	}
	return want, mag
}

// within reports the first entry of got farther from want than float32
// accumulation allows: k+1 roundings of at most 2⁻²⁴ of the magnitude.
func within(got []float32, want, mag []float64, k int) error {
	for i := range want {
		tol := float64(k+1)*0x1p-24*mag[i] + 1e-30
		if d := math.Abs(float64(got[i]) - want[i]); d > tol || math.IsNaN(float64(got[i])) {
			return fmt.Errorf("entry %d: %g, want %g (±%.2g)", i, got[i], want[i], tol)
		}
	}
	return nil
}

var shapes = [][3]int{ // m, k, n
	{1, 1, 1}, {1, 9, 1}, {1, 784, 300}, {1, 37, 33}, {2, 5, 70}, {3, 301, 37},
	{4, 1, 8}, {4, 3, 7}, {5, 7, 9}, {7, 1, 9}, {8, 16, 16}, {13, 17, 3},
	{33, 17, 65}, {64, 10, 100}, {128, 64, 20}, {30, 40, 2}, {2, 50, 61}, {1, 30, 125},
}

var forms = []struct {
	name   string
	ta, tb bool
}{{"A·B", false, false}, {"Aᵀ·B", true, false}, {"A·Bᵀ", false, true}}

// TestKernelsAgainstFloat64 holds the module against a float64 product,
// for every form, with and without accumulation, on dense and sparse A
// (whose zero columns the module leaves out).
func TestKernelsAgainstFloat64(t *testing.T) {
	kr := load(t)
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range shapes {
		m, k, n := s[0], s[1], s[2]
		for _, zeros := range []float64{0, 0.8, 1} {
			for _, form := range forms {
				for _, acc := range []bool{false, true} {
					name := fmt.Sprintf("%s/%dx%dx%d/zeros%.1f/acc=%v", form.name, m, k, n, zeros, acc)
					a, b := randSlice(rng, m*k, zeros), randSlice(rng, k*n, 0)
					c0 := randSlice(rng, m*n, 0)
					c := append([]float32(nil), c0...)
					if !kr.product(form.ta, form.tb, m, n, k, a, b, c, acc) {
						if !form.tb || m >= panelRows {
							t.Errorf("%s: declined", name)
						}
						continue
					}
					want, mag := reference(form.ta, form.tb, m, n, k, a, b, c0, acc)
					if err := within(c, want, mag, k); err != nil {
						t.Errorf("%s: %v", name, err)
					}
				}
			}
		}
	}
}

// TestTensorRunsOnTheKernels installs the module under core/tensor and
// holds its products, and the Go kernels' with the module set aside,
// against float64: the two paths the wasm build can take.
func TestTensorRunsOnTheKernels(t *testing.T) {
	kr := load(t)
	defer tensor.SetGEMM("", nil)
	rng := rand.New(rand.NewPCG(5, 6))
	m, k, n := 37, 61, 45
	a, b := tensor.FromSlice(m, k, randSlice(rng, m*k, 0.5)), tensor.FromSlice(k, n, randSlice(rng, k*n, 0))
	at := tensor.FromSlice(k, m, randSlice(rng, m*k, 0.5))
	bt := tensor.FromSlice(n, k, randSlice(rng, k*n, 0))
	c0 := randSlice(rng, m*n, 0)
	for _, path := range []struct {
		name string
		gemm tensor.GEMM
	}{{"relaxed-simd", kr.GEMM}, {"go-simd", nil}} {
		tensor.SetGEMM(path.name, path.gemm)
		if got := tensor.Kernel(); got != path.name {
			t.Fatalf("tensor.Kernel() = %q after installing %q", got, path.name)
		}
		for _, op := range []struct {
			name   string
			ta, tb bool
			a, b   *tensor.Mat
			acc    bool
			run    func(dst, a, b *tensor.Mat)
		}{
			{"Mul", false, false, a, b, false, tensor.Mul},
			{"MulAdd", false, false, a, b, true, tensor.MulAdd},
			{"MulTA", true, false, at, b, false, tensor.MulTA},
			{"MulTAAdd", true, false, at, b, true, tensor.MulTAAdd},
			{"MulTB", false, true, a, bt, false, tensor.MulTB},
		} {
			c := tensor.FromSlice(m, n, append([]float32(nil), c0...))
			op.run(c, op.a, op.b)
			want, mag := reference(op.ta, op.tb, m, n, k, op.a.Data, op.b.Data, c0, op.acc)
			if err := within(c.Data, want, mag, k); err != nil {
				t.Errorf("%s %s: %v", path.name, op.name, err)
			}
		}
	}
}

// TestMemoryGrowth allocates far past the memory's size between two
// products: the module sees the grown memory through the shared object.
func TestMemoryGrowth(t *testing.T) {
	kr := load(t)
	rng := rand.New(rand.NewPCG(7, 8))
	m, k, n := 9, 33, 17
	run := func() {
		a, b, c := randSlice(rng, m*k, 0), randSlice(rng, k*n, 0), make([]float32, m*n)
		kr.product(false, false, m, n, k, a, b, c, false)
		want, mag := reference(false, false, m, n, k, a, b, nil, false)
		if err := within(c, want, mag, k); err != nil {
			t.Fatal(err)
		}
	}
	run()
	before := memoryBytes()
	var keep [][]float32
	for memoryBytes() < 2*before {
		keep = append(keep, make([]float32, 4<<20))
	}
	run()
	_ = keep
}

func memoryShared() bool { return js.Global().Get(MemoryGlobal).Truthy() }

func memoryBytes() int { return js.Global().Get(MemoryGlobal).Get("buffer").Get("byteLength").Int() }
