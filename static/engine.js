// The engine's Web Worker: runs engine.wasm (latentplay's core) under Go's
// wasm_exec.js. Until Go installs its message handler, nothing is listening,
// so the page waits for the engine's "ready" message before its first request.
importScripts("wasm_exec.js");

// The instance's memory is left where the engine's relaxed SIMD kernels
// (wasm/relaxed) find it: they import it to work on Go's slices in place.
const go = new Go();
WebAssembly.instantiateStreaming(fetch("engine.wasm"), go.importObject)
  .then((result) => {
    self.latentplayMemory = result.instance.exports.mem;
    return go.run(result.instance);
  })
  .catch((err) => {
    postMessage({ h: JSON.stringify({ fatal: "the engine could not start: " + err }) });
  });
