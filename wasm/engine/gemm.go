package engine

import (
	"fmt"
	"math/rand/v2"

	"latentplay/core/tensor"
	"latentplay/wasm/engine/protocol"
)

func init() { handle(protocol.GEMM, (*Engine).gemm) }

// gemmOperands are the last product's A and B, kept so that a repeated
// call times the product and not the random numbers.
type gemmOperands struct {
	args protocol.GEMMArgs
	a, b *tensor.Mat
}

func (e *Engine) gemm(q protocol.GEMMArgs) (protocol.GEMMResult, error) {
	const most = 1 << 22 // entries per operand, 16 MB
	if q.M < 1 || q.K < 1 || q.N < 1 || q.M*q.K > most || q.K*q.N > most || q.M*q.N > most {
		return protocol.GEMMResult{}, fmt.Errorf("gemm: shape %d×%d·%d×%d: want 1 to %d entries each", q.M, q.K, q.K, q.N, most)
	}
	if !(q.Zeros >= 0 && q.Zeros <= 1) {
		return protocol.GEMMResult{}, fmt.Errorf("gemm: zeros %g: want a share in [0, 1]", q.Zeros)
	}
	key := q
	key.Go = false
	if e.gemmLast.args != key || e.gemmLast.a == nil {
		rng := rand.New(rand.NewPCG(q.Seed, 1))
		a, b := tensor.New(q.M, q.K), tensor.New(q.K, q.N)
		for i := range a.Data {
			if rng.Float64() >= q.Zeros {
				a.Data[i] = float32(rng.NormFloat64())
			}
		}
		for i := range b.Data {
			b.Data[i] = float32(rng.NormFloat64())
		}
		e.gemmLast = gemmOperands{args: key, a: a, b: b}
	}
	kernel := "native"
	if e.UseGoKernels != nil {
		kernel = e.UseGoKernels(q.Go)
		defer e.UseGoKernels(false)
	}
	c := tensor.New(q.M, q.N)
	tensor.Mul(c, e.gemmLast.a, e.gemmLast.b)
	return protocol.GEMMResult{Kernel: kernel, C: protocol.BatchOf(c)}, nil
}
