// The theme the person chose last (light or dark), before the first paint;
// without a choice the page follows the system's (static/app.css).
(() => {
  try {
    const t = localStorage.getItem("latentplay-theme");
    if (t === "light" || t === "dark") document.documentElement.dataset.theme = t;
  } catch (e) { /* storage refused: follow the system */ }
})();
// Starts the engine's Web Worker as soon as the page begins to load, so
// engine.wasm downloads and compiles while app.wasm does. The engine client
// (web/engine.go) adopts the worker and replays the messages it sent before
// the client was listening (its "ready" among them).
(() => {
  if (!window.Worker) return;
  const worker = new Worker(new URL("web/engine.js", document.baseURI));
  const early = [];
  worker.onmessage = (e) => early.push(e.data);
  worker.onerror = (e) => early.push({ h: JSON.stringify({ fatal: "the engine failed to start: " + e.message }) });
  window.latentplayEngine = { worker, early };
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
// app.wasm and engine.wasm download: the playground (web/engine.go,
// shippedFile) takes these fetches instead of starting its own once
// app.wasm runs.
(() => {
  const path = location.pathname;
  if (!path.endsWith("/") && !path.endsWith("/index.html")) return;
  const models = {};
  for (const name of ["vae-20", "mlp", "ae-20", "cvae-20"]) {
    models[name] = fetch(new URL("web/models/" + name + ".lpm", document.baseURI)).then((r) =>
      r.ok ? r.arrayBuffer() : Promise.reject(new Error("the server answered " + r.status)));
    models[name].catch(() => {}); // the playground fetches again
  }
  window.latentplayModels = models;
})();
