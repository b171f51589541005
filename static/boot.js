// The theme the person chose last (light or dark), before the first paint;
// without a choice the page follows the system's (static/app.css).
(() => {
  try {
    const t = localStorage.getItem("latentplay-theme");
    if (t === "light" || t === "dark") document.documentElement.dataset.theme = t;
  } catch (e) { /* storage refused: follow the system */ }
})();
// Starts the engine's Web Worker as soon as the page begins to load, and
// hands it app.wasm once compiled: one module runs both the page and the
// engine (static/engine.js), so it is downloaded and compiled once. go-app's
// app.js compiles it through WebAssembly.instantiateStreaming, which is
// taken here for that one call. The engine client (web/engine.go) adopts
// the worker and replays the messages it sent before the client was
// listening (its "ready" among them).
(() => {
  if (!window.Worker) return;
  const worker = new Worker(new URL("web/engine.js", document.baseURI), { name: "module" });
  const early = [];
  worker.onmessage = (e) => early.push(e.data);
  worker.onerror = (e) => early.push({ h: JSON.stringify({ fatal: "the engine failed to start: " + e.message }) });
  window.latentplayEngine = { worker, early };
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    WebAssembly.instantiateStreaming = instantiateStreaming;
    let module;
    try {
      module = WebAssembly.compileStreaming
        ? await WebAssembly.compileStreaming(source)
        : await WebAssembly.compile(await (await source).arrayBuffer());
    } catch (err) {
      early.push({ h: JSON.stringify({ fatal: "app.wasm could not be compiled: " + err }) });
      throw err;
    }
    worker.postMessage({ module });
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
})();
// app.wasm, which go-app's app.js asks for only once it has run: asked
// for now, the download starts with the page (app.js's fetch takes it).
(() => {
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  link.href = new URL("web/app.wasm", document.baseURI).href;
  document.head.appendChild(link);
})();
// On the home page, fetches the playground's four models at once, while
// app.wasm downloads: the playground (web/engine.go, shippedFile) takes
// these fetches instead of starting its own once app.wasm runs. Each
// model also goes to the engine's worker as soon as it is here, which
// loads it as soon as it can, before the page's code has run: the page
// then hears that it is in (a "preloaded" notice) rather than sending it.
(() => {
  const path = location.pathname;
  if (!path.endsWith("/") && !path.endsWith("/index.html")) return;
  const engine = window.latentplayEngine;
  const models = {};
  for (const name of ["vae-20", "mlp", "ae-20", "cvae-20"]) {
    models[name] = fetch(new URL("web/models/" + name + ".lpm", document.baseURI)).then((r) =>
      r.ok ? r.arrayBuffer() : Promise.reject(new Error("the server answered " + r.status)));
    models[name].then((buf) => {
      if (engine) engine.worker.postMessage({ preload: name, b: new Uint8Array(buf) }); // a copy: the page keeps buf
    }).catch(() => {}); // the playground fetches again
  }
  window.latentplayModels = models;
})();
