package e2e

import (
	"fmt"
	"testing"
)

// TestRelaxedSIMDKernel: in Chromium the engine runs its matrix products
// on relaxed SIMD's fused multiply-add (wasm/relaxed), and they agree with
// the Go kernels' on the same operands: a batch, a product whose edges
// fill no whole block, and a single sparse row (a drawing).
func TestRelaxedSIMDKernel(t *testing.T) {
	url := serve(t, siteDir, "")
	p := newPage(t, 800, 600)
	p.open(url)
	type product struct {
		Kernel, GoKernel string
		MaxDiff, Scale   float64
	}
	for _, shape := range []struct {
		m, k, n int
		zeros   float64
	}{{128, 784, 400, 0.8}, {37, 61, 45, 0.5}, {1, 784, 300, 0.8}} {
		got := eval[product](p, fmt.Sprintf(`(async () => {
			const w = new Worker("web/engine.js");
			let next = 0;
			const pending = new Map();
			const ready = new Promise((resolve, reject) => {
				w.onmessage = (e) => {
					const env = JSON.parse(e.data.h);
					if (env.ready) resolve();
					else if (env.fatal) reject(new Error(env.fatal));
					else if (env.reply) { pending.get(env.reply.id)({ reply: env.reply, f: e.data.f }); }
				};
			});
			await ready;
			const call = (args) => new Promise((resolve) => {
				const id = ++next;
				pending.set(id, resolve);
				w.postMessage({ h: JSON.stringify({ id, op: "gemm", args }) });
			});
			const args = { m: %d, k: %d, n: %d, zeros: %g, seed: 7 };
			const fast = await call(args), slow = await call({ ...args, go: true });
			w.terminate();
			if (fast.reply.error || slow.reply.error) throw new Error(fast.reply.error || slow.reply.error);
			const c = (r) => r.f.subarray(r.reply.result.c.at, r.reply.result.c.at + args.m * args.n);
			const a = c(fast), b = c(slow);
			let maxDiff = 0, scale = 0;
			for (let i = 0; i < a.length; i++) {
				maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
				scale = Math.max(scale, Math.abs(b[i]));
			}
			return { Kernel: fast.reply.result.kernel, GoKernel: slow.reply.result.kernel, MaxDiff: maxDiff, Scale: scale };
		})()`, shape.m, shape.k, shape.n, shape.zeros))
		name := fmt.Sprintf("%d×%d·%d×%d", shape.m, shape.k, shape.k, shape.n)
		if got.Kernel != "relaxed-simd" || got.GoKernel != "go-simd" {
			t.Fatalf("%s: kernels %q and %q, want relaxed-simd and, set aside, go-simd", name, got.Kernel, got.GoKernel)
		}
		// Both sum k float32 products of standard normals: entries of size
		// √k, rounding errors of a few ulps of the partial sums.
		if got.Scale == 0 || got.MaxDiff > 1e-5*got.Scale {
			t.Errorf("%s: the kernels differ by %g on entries up to %g", name, got.MaxDiff, got.Scale)
		}
	}
	p.noConsoleProblems()
}
