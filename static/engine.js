// The engine's Web Worker. One WebAssembly module, app.wasm, holds both the
// page's UI and the engine: in a worker its main serves the engine
// (wasm/engine/worker). Started with the name "module", the worker waits
// for the module compiled once by whoever started it ({module}), and the
// page, the engine and its helpers share one compiled copy of the code;
// started without, it asks for app.wasm itself. Until Go installs its message
// handler, what the page's code sends would go unheard, so it waits for
// the engine's "ready" message before its first request.
importScripts("wasm_exec.js");

const fail = (err) => postMessage({ h: JSON.stringify({ fatal: "the engine could not start: " + err }) });

function start(module) {
  const go = new Go();
  return WebAssembly.instantiate(module, go.importObject).then((instance) => {
    // The module goes on to this engine's helpers; the instance's memory
    // is left where the engine's relaxed SIMD kernels (wasm/relaxed) find
    // it: they import it to work on Go's slices in place.
    self.latentplayModule = module;
    self.latentplayMemory = instance.exports.mem;
    return go.run(instance);
  });
}

// (A name, not a fragment of the script's URL: a worker's location is that
// of the answer, and the service worker's cached answer has none.)
if (self.name === "module") {
  // Messages that come before Go listens (the page's head hands over the
  // playground's models as they arrive: static/boot.js) wait here; Go
  // takes them once its handler is in (wasm/engine/worker).
  const early = (self.latentplayEarly = []);
  self.onmessage = (e) => {
    if (e.data && e.data.module instanceof WebAssembly.Module) start(e.data.module).catch(fail);
    else early.push(e.data);
  };
} else {
  WebAssembly.compileStreaming(fetch("app.wasm")).then(start).catch(fail);
}
