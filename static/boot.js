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
