// Command bench runs latentplay's benchmarks and records their figures in
// bench/out/results.json, one flat JSON object of named numbers that each
// run updates key by key (so the browser benchmarks can add theirs).
//
//	go run ./bench            # what `make bench` runs
//	go run ./bench -go=false -browser=false   # only the share load test (make bench-share)
//
// Go benchmarks run twice: natively, and compiled to WebAssembly under
// Node's V8 (Go's go_js_wasm_exec), which is the engine Chromium runs the
// playground in. Each figure is printed beside its peer from the same run.
//
//	go run ./bench -go=false -share=false   # the browser figures and the peers (make site and npm ci in bench/peers first)
//	go run ./bench -go=false -peers=false -share=false -only train   # only the Train view's run to 110 nats and its memory
//	go run ./bench -go=false -peers=false -share=false -only gan     # only the Train view's GAN to a sample confidence of 0.8
//	go run ./bench -go=false -peers=false -share=false -only cold   # only the cold start, with its timeline
//
// The browser figures (bench/browser.go) are like for like with what a
// visitor sees: cold_start_ms is navigation until the playground's four
// models are ready, cold_start_first_rebuild_ms until a stroke's rebuilds
// are all on screen, transfer_bytes what was sent for that;
// train_vae_to_110_s is the Train view's default VAE, all workers, from
// pressing Train to a test-set −ELBO of 110 nats, and train_peak_memory_mb
// the tab's renderer's resident memory meanwhile (train_peak_memory_pss_mb
// its proportional share, which counts Chromium's own code, shared by all
// its processes, in part; train_memory_before_mb the tab idle on the Train
// view). Beside them: the start-up (Train to the first step's event), the
// step time the view shows, each epoch's seconds (train_vae_epochN_s, its
// test-set evaluation included: a step that slows as training goes on
// shows there), the page's main-thread time, and on stderr
// the renderer's largest mappings at the peak (each WebAssembly memory is
// one) and its threads' CPU time; train_gan_to_confidence_s is the Train
// view's GAN from pressing Train until the shipped mlp reads its samples
// with a mean confidence of 0.8. The side-by-side page
// (bench/peers.go) trains the engine and its peers on the same batches.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("o", "bench/out/results.json", "results file to update")
	goBenches := flag.Bool("go", true, "run the Go benchmarks (native and wasm)")
	browser := flag.Bool("browser", true, "run the browser benchmarks against the built site")
	peers := flag.Bool("peers", true, "run the side-by-side benchmark against jax-js, TensorFlow.js and ConvNetJS")
	dist := flag.String("dist", "dist", "the built site, for the browser benchmarks")
	shareLoad := flag.Bool("share", true, "run the share Worker's load test under wrangler dev")
	flag.DurationVar(&trainTimeout, "train-timeout", trainTimeout, "how long the Train view's VAE gets to reach a test-set −ELBO of 110 nats")
	flag.DurationVar(&ganTimeout, "gan-timeout", ganTimeout, "how long the Train view's GAN gets until the mlp reads its samples with confidence 0.8")
	flag.IntVar(&trainWorkers, "train-workers", 0, "workers the Train view's run to 110 nats asks for (0: one per core)")
	only := flag.String("only", "", `run one part of the browser benchmarks: "cold" (the cold start, its bytes and its timeline), "train" (the Train view's run to 110 nats and its memory) or "gan" (its GAN until the mlp reads the samples with confidence 0.8)`)
	flag.Parse()
	results := map[string]float64{}
	if b, err := os.ReadFile(*out); err == nil {
		_ = json.Unmarshal(b, &results) // a stale or broken file is simply replaced
	}

	// Both builds set GOEXPERIMENT=simd, as the Makefile does: natively it
	// turns on the AVX2/AVX-512 matrix kernels, under wasm the 128-bit ones.
	for _, target := range []struct{ name, goos, goarch, experiment string }{{"native", "", "", "simd"}, {"wasm", "js", "wasm", "simd,nojsonv2"}} {
		if !*goBenches {
			break
		}
		gemm := goBench(target.goos, target.goarch, target.experiment, "./core/tensor", "Gemm$", "")
		step := goBench(target.goos, target.goarch, target.experiment, "./core/train", "MLPStep", "30x")
		vae := goBench(target.goos, target.goarch, target.experiment, "./core/train", "VAEStep", "10x")
		rebuild := goBench(target.goos, target.goarch, target.experiment, "./wasm/engine", "Rebuild", "")
		parts := goBench(target.goos, target.goarch, target.experiment, "./core/models", "VAEStepParts", "20x")
		for name, m := range parts {
			if part, ok := strings.CutPrefix(name, "VAEStepParts/"); ok {
				results["vae_step_part_"+target.name+"_"+strings.ReplaceAll(part, "-", "_")+"_ms"] = m["ms"]
			}
		}
		sparse := goBench(target.goos, target.goarch, target.experiment, "./core/tensor", "GemmSparse", "")
		for _, zeros := range []string{"0", "50", "80"} {
			results["gemm_"+target.name+"_zeros"+zeros+"_gflops"] = sparse["GemmSparse/zeros="+zeros+"%"]["GFLOPS"]
		}
		results["engine_rebuild_"+target.name+"_ms"] = rebuild["Rebuild"]["ns/op"] / 1e6
		for _, form := range []string{"NN", "TA", "TB"} {
			for _, path := range []string{"kernel", "blas32"} {
				results[fmt.Sprintf("gemm_%s_%s_%s_gflops", target.name, strings.ToLower(form), path)] = gemm["Gemm/"+form+"/"+path]["GFLOPS"]
			}
		}
		// The headline figure is the path each platform actually runs for A·B.
		chosen := "blas32"
		if target.name == "wasm" {
			chosen = "kernel"
		}
		results["gemm_"+target.name+"_gflops"] = gemm["Gemm/NN/"+chosen]["GFLOPS"]
		if target.name == "native" {
			nativeGemm(results)
		}
		results["mlp_step_"+target.name+"_samples_per_sec"] = step["MLPStep"]["samples/s"]
		results["mlp_step_"+target.name+"_allocs"] = step["MLPStep"]["allocs/op"]
		results["mlp_step_"+target.name+"_ms"] = step["MLPStep"]["ns/op"] / 1e6
		// TensorFlow.js's VAE (784-400-20-400-784, batch 128, Adam): its wasm
		// backend takes ~100 ms a step in Chromium on this machine.
		results["vae_step_"+target.name+"_ms"] = vae["VAEStep"]["ns/op"] / 1e6
		results["vae_step_"+target.name+"_allocs"] = vae["VAEStep"]["allocs/op"]
	}

	if *browser {
		fmt.Fprintln(os.Stderr, "bench: the playground in headless Chromium")
		if err := browserBench(*dist, *only, results); err != nil {
			fail(fmt.Errorf("browser: %w", err))
		}
	}

	if *peers {
		fmt.Fprintln(os.Stderr, "bench: the engine, jax-js, TensorFlow.js and ConvNetJS side by side in headless Chromium")
		if err := peersBench(*dist, results); err != nil {
			fail(fmt.Errorf("peers: %w", err))
		}
	}

	if *shareLoad {
		fmt.Fprintf(os.Stderr, "bench: the share Worker under wrangler dev, %d uploads and %d downloads from %d clients\n", shareUploads, shareDownloads, shareClients)
		if err := shareBench(results); err != nil {
			fail(fmt.Errorf("share: %w", err))
		}
	}

	printTable(results)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		fail(err)
	}
	b, _ := json.MarshalIndent(results, "", "  ")
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		fail(err)
	}
	fmt.Println("wrote", *out)
}

var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(-\d+)?\s+\d+\s+(.*)$`)

// goBench runs one package's benchmarks matching pattern and returns each
// benchmark's metrics by unit ("ns/op", "GFLOPS", "allocs/op", …).
func goBench(goos, goarch, experiment, pkg, pattern, benchtime string) map[string]map[string]float64 {
	args := []string{"test", "-run", "^$", "-bench", pattern, "-benchmem", "-count", "1"}
	if benchtime != "" {
		args = append(args, "-benchtime", benchtime)
	}
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Env = append(os.Environ(), "GOEXPERIMENT="+experiment)
	label := "native"
	if goos != "" {
		label = goos + "/" + goarch
		wasmDir := filepath.Join(runtime.GOROOT(), "lib", "wasm")
		cmd.Env = append(cmd.Env, "GOOS="+goos, "GOARCH="+goarch, "PATH="+wasmDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	if experiment != "" {
		label += " GOEXPERIMENT=" + experiment
	}
	fmt.Fprintf(os.Stderr, "bench: %s go %s\n", label, strings.Join(append(args, pkg), " "))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		os.Stderr.Write(stdout.Bytes())
		fail(fmt.Errorf("%s benchmarks of %s: %v", label, pkg, err))
	}
	metrics := map[string]map[string]float64{}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		fields := strings.Fields(m[3])
		byUnit := map[string]float64{}
		for i := 0; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				byUnit[fields[i+1]] = v
			}
		}
		metrics[m[1]] = byUnit
	}
	if len(metrics) == 0 {
		fail(fmt.Errorf("%s benchmarks of %s printed no results", label, pkg))
	}
	return metrics
}

// printTable shows every figure, and for each hand kernel its ratio to
// gonum measured in the same run.
func printTable(r map[string]float64) {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("%-40s %14s\n", "figure", "value")
	for _, k := range keys {
		fmt.Printf("%-40s %14.3f", k, r[k])
		if peer := blas32Peer(k); r[peer] > 0 {
			fmt.Printf("   %.2f× gonum blas32", r[k]/r[peer])
		}
		fmt.Println()
	}
	// The side-by-side ratios: how many times the engine's time the peer
	// takes (the last: how many times faster all workers train than one).
	// want is the ratio the engine aims for, where it has one.
	ratios := []struct {
		name, peer, engine string
		want               float64
	}{
		{"jax-js wasm / engine, VAE step, 1 thread each", "jaxjs_wasm_vae_step_ms", "engine_vae_step_ms", 2},
		{"  the same, timed in alternating rounds", "jaxjs_wasm_vae_step_ms", "engine_vae_step_ms_beside_jaxjs", 2},
		{"jax-js wasm isolated / engine, all workers", "jaxjs_wasm_vae_step_ms_isolated", "engine_vae_step_ms_all_workers", 0},
		{"TF.js wasm / engine, VAE step, 1 worker", "tfjs_wasm_vae_step_ms", "engine_vae_step_ms", 0},
		{"TF.js wasm / engine, VAE step, all workers", "tfjs_wasm_vae_step_ms", "engine_vae_step_ms_all_workers", 0},
		{"TF.js cpu / engine, VAE step", "tfjs_cpu_vae_step_ms", "engine_vae_step_ms", 0},
		{"ConvNetJS / engine, AE step", "convnetjs_ae_step_ms", "engine_ae_step_ms", 0},
		{"TF.js wasm / engine, reconstruction", "tfjs_wasm_reconstruct_ms", "engine_reconstruct_ms", 0},
		{"TF.js wasm / engine, reconstruction, wall", "tfjs_wasm_reconstruct_wall_ms", "engine_reconstruct_wall_ms", 0},
		{"engine 1 worker / all workers, VAE step", "engine_vae_step_ms", "engine_vae_step_ms_all_workers", 1.8},
	}
	for _, q := range ratios {
		if r[q.peer] > 0 && r[q.engine] > 0 {
			fmt.Printf("%-48s %6.2f×", q.name, r[q.peer]/r[q.engine])
			if q.want > 0 {
				fmt.Printf("   (want ≥ %.1f×)", q.want)
			}
			fmt.Println()
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

// nativeGemm records the native SIMD kernels (core/tensor's
// BenchmarkGemmSIMD) form by form beside gonum's blas32 from the same run,
// makes gemm_native_gflops the path Mul takes, and times the VAE step
// without the experiment too, on blas32, for the before and after.
func nativeGemm(results map[string]float64) {
	simd := goBench("", "", "simd", "./core/tensor", "GemmSIMD", "")
	for name, m := range simd {
		form, path, ok := strings.Cut(strings.TrimPrefix(name, "GemmSIMD/"), "/")
		if ok {
			results[fmt.Sprintf("gemm_native_simd_%s_%s_gflops", strings.ToLower(form), strings.ReplaceAll(path, "-", "_"))] = m["GFLOPS"]
		}
	}
	if host, ok := simd["GemmSIMD/NN/host"]; ok {
		results["gemm_native_gflops"] = host["GFLOPS"]
	}
	vae := goBench("", "", "", "./core/train", "VAEStep", "10x")
	results["vae_step_native_blas32_ms"] = vae["VAEStep"]["ns/op"] / 1e6
}

// blas32Peer names the gonum figure of the same form and run as a kernel's
// GFLOPS figure, gemm_<target>_<form>_kernel_gflops or
// gemm_native_simd_<form>_<path>_gflops, or "" for any other figure.
func blas32Peer(k string) string {
	if rest, ok := strings.CutPrefix(k, "gemm_native_simd_"); ok && strings.HasSuffix(k, "_gflops") && !strings.HasSuffix(k, "_blas32_gflops") {
		form, _, _ := strings.Cut(rest, "_")
		return "gemm_native_simd_" + form + "_blas32_gflops"
	}
	if peer, ok := strings.CutSuffix(k, "_kernel_gflops"); ok {
		return peer + "_blas32_gflops"
	}
	return ""
}
