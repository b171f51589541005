//go:build js && wasm

package relaxed

import (
	"fmt"
	"testing"

	"latentplay/core/tensor"
)

// BenchmarkSmall times small products on the module and on the Go kernels:
// below a few hundred multiply-adds the call into the module costs more
// than the product (minProduct).
func BenchmarkSmall(b *testing.B) {
	kr := load(b)
	defer tensor.SetGEMM("", nil)
	for _, s := range [][3]int{{1, 2, 20}, {4, 8, 8}, {1, 20, 400}, {16, 16, 16}, {128, 20, 400}, {128, 400, 20}, {128, 400, 2}, {1, 784, 30}} {
		for _, path := range []struct {
			name string
			gemm tensor.GEMM
		}{{"relaxed", kr.GEMM}, {"go", nil}} {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", s[0], s[1], s[2], path.name), func(b *testing.B) {
				tensor.SetGEMM(path.name, path.gemm)
				a, bm, c := tensor.New(s[0], s[1]), tensor.New(s[1], s[2]), tensor.New(s[0], s[2])
				for i := range a.Data {
					a.Data[i] = 1
				}
				for b.Loop() {
					tensor.Mul(c, a, bm)
				}
			})
		}
	}
}
