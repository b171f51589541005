package web

// serviceWorker replaces go-app's app-worker.js. go-app's precaches every
// resource when it installs, while the page is fetching the same files:
// the first visit downloaded app.wasm and the models twice.
// This one caches what the app fetches as it fetches it, and completes the
// cache only when the page says it has what it needs (cacheRest), when the
// rest comes from the browser's HTTP cache as 304 revalidations, and then
// tells the page, which marks data-offline-at on <html>. The app works
// offline after the first visit either way.
const serviceWorker = `// latentplay's service worker, version {{.Version}}.
const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

self.addEventListener("install", (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k !== cacheName).map((k) => caches.delete(k)));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "latentplay:cache-rest") {
    event.waitUntil(cacheRest().then(() => event.source && event.source.postMessage({ type: "latentplay:cached" })));
  }
});

async function cacheRest() {
  const cache = await caches.open(cacheName);
  for (const url of resourcesToCache) {
    if (!(await cache.match(url))) {
      try {
        const response = await fetch(url);
        if (response.ok) await cache.put(url, response);
      } catch (err) {
        console.warn("caching", url, "failed:", err);
      }
    }
  }
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET" || new URL(event.request.url).origin !== self.location.origin) return;
  event.respondWith(fromCacheOrNetwork(event.request));
});

async function fromCacheOrNetwork(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.status === 200) {
    const copy = response.clone();
    caches.open(cacheName).then((cache) => cache.put(request, copy));
  }
  return response;
}
`
