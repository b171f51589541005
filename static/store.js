// latentplayStore keeps model files in IndexedDB, so the last trained model
// survives a reload. The app calls it from Go; every function returns a
// promise.
(function () {
  const DB = "latentplay", STORE = "models";
  function open() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  function run(mode, f) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result === undefined ? null : req.result);
      tx.onerror = () => reject(tx.error);
    }));
  }
  self.latentplayStore = {
    put: (key, bytes) => run("readwrite", (s) => s.put(bytes, key)).then(() => true),
    get: (key) => run("readonly", (s) => s.get(key)),
    delete: (key) => run("readwrite", (s) => s.delete(key)).then(() => true),
    // download offers bytes to the person as a file.
    download: (name, bytes) => {
      const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
      const a = document.createElement("a");
      a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      return true;
    },
  };
})();
