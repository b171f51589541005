// The side-by-side benchmark: the same models trained on the same MNIST
// batches in the same order in one tab, by latentplay's engine (in its Web
// Worker, through its message protocol, as the playground drives it), by
// jax-js on its wasm backend, by TensorFlow.js on its wasm and cpu backends,
// and by ConvNetJS. bench/peers.go serves this page, with /batches.json (the
// engine's own batches: which of the first digits each step trains on, in
// its order), waits for window.peerResults and records the figures.
//
// Served cross-origin isolated, the page measures everyone, jax-js with the
// threads it chooses; served without isolation (?isolated=0), only jax-js,
// which then runs on one thread.
"use strict";

const BATCH = 128;
const log = (...args) => {
  document.getElementById("log").textContent += args.join(" ") + "\n";
  console.log(...args);
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// The first n MNIST training images, as floats in [0,1].
async function mnist(n) {
  const resp = await fetch("/web/mnist/train-images-idx3-ubyte.gz");
  const raw = new Uint8Array(await new Response(resp.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  const images = new Float32Array(n * 784);
  for (let i = 0; i < images.length; i++) images[i] = raw[16 + i] / 255;
  return images;
}

// The batches every side trains on, in order: step i trains on batches[i %
// batches.length], each BATCH×784 floats gathered from the first `digits`
// images by the indices the engine's own loop draws (bench/peers.go).
async function batches() {
  const order = await (await fetch("/batches.json")).json();
  const images = await mnist(order.digits);
  const out = order.batches.map((idx) => {
    const b = new Float32Array(idx.length * 784);
    idx.forEach((d, r) => b.set(images.subarray(d * 784, (d + 1) * 784), r * 784));
    return b;
  });
  return { digits: order.digits, images, batches: out, indices: order.batches };
}

// time runs step warm times, then timed times, and returns the median
// milliseconds of the timed ones.
// RECON_ROUNDS is how many rounds of 100 reconstructions each side's
// median is taken over, after one round of warm-up: a round is ~10 ms, so
// a moment's noise on a 2-core machine moves one round, not the median.
const RECON_ROUNDS = 9;

async function time(step, warm, timed) {
  for (let i = 0; i < warm; i++) await step(i);
  const ms = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    await step(warm + i);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

// The VAE TensorFlow.js trains: 784-400-(μ, log σ²: 20 each)-400-784, ReLU,
// Glorot-uniform weights, Adam 1e-3, loss BCE on logits summed over pixels
// plus KL, both averaged over the batch.
function tfVAE(tf) {
  const glorot = (r, c) => tf.variable(tf.randomUniform([r, c], -Math.sqrt(6 / (r + c)), Math.sqrt(6 / (r + c))));
  const zeros = (n) => tf.variable(tf.zeros([n]));
  const w = {
    w1: glorot(784, 400), b1: zeros(400),
    wh: glorot(400, 40), bh: zeros(40),
    w3: glorot(20, 400), b3: zeros(400),
    w4: glorot(400, 784), b4: zeros(784),
  };
  const encode = (x) => {
    const h = tf.relu(tf.add(tf.matMul(x, w.w1), w.b1));
    const stats = tf.add(tf.matMul(h, w.wh), w.bh);
    return [tf.slice(stats, [0, 0], [-1, 20]), tf.slice(stats, [0, 20], [-1, 20])];
  };
  const decode = (z) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(z, w.w3), w.b3)), w.w4), w.b4);
  const opt = tf.train.adam(1e-3);
  const loss = (x) => {
    const [mu, logvar] = encode(x);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), tf.randomNormal(mu.shape)));
    const logits = decode(z);
    // max(l,0) − l·x + log(1 + e^−|l|)
    const bce = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, x)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
    const kl = tf.mul(tf.sum(tf.sub(tf.sub(tf.add(tf.exp(logvar), tf.square(mu)), 1), logvar)), 0.5);
    return tf.div(tf.add(bce, kl), x.shape[0]);
  };
  return {
    step: async (x) => {
      const cost = opt.minimize(() => loss(x), true);
      await cost.data();
      cost.dispose();
    },
    reconstruct: async (x) => {
      const out = tf.tidy(() => tf.sigmoid(decode(encode(x)[0])));
      await out.data();
      out.dispose();
    },
    // rebuild takes one image from the page and gives its rebuild back
    // to the page, as the playground would.
    rebuild: async (image) => {
      const out = tf.tidy(() => tf.sigmoid(decode(encode(tf.tensor2d(image, [1, 784]))[0])));
      const px = await out.data();
      out.dispose();
      return px;
    },
  };
}

async function tfjsFigures(backend, data, warm, timed) {
  await tf.setBackend(backend);
  await tf.ready();
  const vae = tfVAE(tf);
  const xs = data.batches.slice(0, warm + timed).map((b) => tf.tensor2d(b, [BATCH, 784]));
  const step = await time((i) => vae.step(xs[i % xs.length]), warm, timed);
  xs.forEach((x) => x.dispose());
  const image = data.images.subarray(0, 784);
  const one = tf.tensor2d(image, [1, 784]);
  const hundred = async () => { for (let i = 0; i < 100; i++) await vae.reconstruct(one); };
  const reconstruct = (await time(hundred, 1, RECON_ROUNDS)) / 100;
  const wall = await time(() => vae.rebuild(image), 10, 50);
  return { step, reconstruct, wall };
}

// The same VAE in jax-js (its wasm backend): parameters, Adam's moments and
// the step are plain arrays and functions of them, and one training step is
// one jitted call (valueAndGrad, then Adam written with jax-js's ops),
// awaited by reading its loss back. jax-js counts references: every array
// passed to a function is consumed, and .ref keeps one for later.
// step(i) trains on batch i; close() checks that the loss fell and frees
// the arrays.
async function jaxjsVAE(data) {
  const jax = await import("/node_modules/@jax-js/jax/dist/index.js");
  const { numpy: np, nn, random, tree, jit, valueAndGrad, blockUntilReady } = jax;
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  const [k1, k2, k3, k4, k5] = random.split(random.key(1), 5);
  const glorot = (key, r, c) => random.uniform(key, [r, c], { minval: -Math.sqrt(6 / (r + c)), maxval: Math.sqrt(6 / (r + c)) });
  // The 400→40 head of the other peers, as its two halves (μ, log σ²).
  let p = {
    w1: glorot(k1, 784, 400), b1: np.zeros([400]),
    wm: glorot(k2, 400, 20), bm: np.zeros([20]),
    wv: glorot(k3, 400, 20), bv: np.zeros([20]),
    w3: glorot(k4, 20, 400), b3: np.zeros([400]),
    w4: glorot(k5, 400, 784), b4: np.zeros([784]),
  };
  let m = tree.map((w) => np.zerosLike(w), tree.ref(p));
  let v = tree.map((w) => np.zerosLike(w), tree.ref(p));
  // −ELBO averaged over the batch: BCE on logits summed over pixels, plus KL.
  const loss = (p, x, eps) => {
    const h = nn.relu(np.dot(x.ref, p.w1).add(p.b1));
    const mu = np.dot(h.ref, p.wm).add(p.bm);
    const lv = np.dot(h, p.wv).add(p.bv);
    const z = mu.ref.add(np.exp(lv.ref.mul(0.5)).mul(eps));
    const l = np.dot(nn.relu(np.dot(z, p.w3).add(p.b3)), p.w4).add(p.b4);
    // max(l,0) − l·x + log(1 + e^−|l|)
    const bce = nn.relu(l.ref).sub(l.ref.mul(x)).add(np.log1p(np.exp(np.absolute(l).mul(-1))));
    const kl = np.exp(lv.ref).add(np.square(mu)).sub(1).sub(lv);
    return bce.sum().add(kl.sum().mul(0.5)).mul(1 / BATCH);
  };
  const [beta1, beta2, epsilon, lr] = [0.9, 0.999, 1e-8, 1e-3];
  const step = jit((p, m, v, x, key, rate) => {
    const eps = random.normal(key, [BATCH, 20]);
    const [value, g] = valueAndGrad(loss)(tree.ref(p), x, eps);
    const m2 = tree.map((mi, gi) => mi.mul(beta1).add(gi.mul(1 - beta1)), m, tree.ref(g));
    const v2 = tree.map((vi, gi) => vi.mul(beta2).add(np.square(gi).mul(1 - beta2)), v, g);
    const p2 = tree.map((pi, mi, vi) => pi.sub(mi.mul(rate.ref).div(np.sqrt(vi).add(epsilon))), p, tree.ref(m2), tree.ref(v2));
    rate.dispose();
    return [value, p2, m2, v2];
  });
  const xs = data.batches.map((b) => np.array(b).reshape([BATCH, 784]));
  const losses = [];
  return {
    step: async (i) => {
      const t = i + 1; // Adam's bias corrections, folded into the step size
      const rate = np.array(lr * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t));
      const [value, p2, m2, v2] = step(p, m, v, xs[i % xs.length].ref, random.key(1000 + i), rate);
      [p, m, v] = [p2, m2, v2];
      losses.push((await value.data())[0]);
      await blockUntilReady([p, m, v]);
    },
    close: () => {
      xs.forEach((x) => x.dispose());
      tree.dispose([p, m, v]);
      step.dispose();
      if (!losses.every(Number.isFinite) || !(losses[losses.length - 1] < losses[0])) {
        throw new Error("jax-js's VAE did not learn: losses " + losses.map((l) => l.toFixed(1)).join(" "));
      }
    },
  };
}

// ConvNetJS's autoencoder: 784-400-20-400-784, ReLU, squared error, its
// Trainer accumulating gradients over a batch of 128 (SGD with momentum:
// the npm release has no Adam, and the update is a sliver of the step).
function convnetAEStep(data) {
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: "input", out_sx: 1, out_sy: 1, out_depth: 784 },
    { type: "fc", num_neurons: 400, activation: "relu" },
    { type: "fc", num_neurons: 20 },
    { type: "fc", num_neurons: 400, activation: "relu" },
    { type: "regression", num_neurons: 784 },
  ]);
  const trainer = new convnetjs.Trainer(net, { method: "sgd", learning_rate: 0.01, momentum: 0.9, batch_size: BATCH });
  const vols = [];
  for (let i = 0; i < data.digits; i++) {
    const v = new convnetjs.Vol(1, 1, 784, 0);
    const px = data.images.subarray(i * 784, (i + 1) * 784);
    for (let j = 0; j < 784; j++) v.w[j] = px[j];
    vols.push({ v, y: Array.from(px) });
  }
  return (i) => {
    for (const d of data.indices[i % data.indices.length]) trainer.train(vols[d].v, vols[d].y);
  };
}

// Engine talks to a latentplay engine worker with the playground's
// protocol (wasm/engine/protocol): a message is {h: JSON header, f:
// Float32Array}; a call's header is {id, op, args, repeat}, where each
// batch in args is {rows, cols, at} and its values lie in f from at; the
// answer's header is {reply: {id, error, result, compute_ms}}.
class Engine {
  constructor() {
    this.worker = new Worker("/web/engine.js");
    this.next = 0;
    this.pending = new Map();
    this.onProgress = null;
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (e) => {
        const env = JSON.parse(e.data.h);
        if (env.ready) resolve();
        else if (env.fatal) reject(new Error(env.fatal));
        else if (env.reply) {
          const done = this.pending.get(env.reply.id);
          this.pending.delete(env.reply.id);
          if (done) done(env.reply);
        } else if (env.progress && this.onProgress) this.onProgress(env.progress);
      };
    });
  }
  async call(op, args, floats, repeat) {
    await this.ready;
    const id = ++this.next;
    const msg = { h: JSON.stringify({ id, op, args, repeat: repeat || 0 }) };
    if (floats) msg.f = floats;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (r) => (r.error ? reject(new Error(r.error)) : resolve(r)));
      this.worker.postMessage(msg, floats ? [floats.buffer] : []);
    });
  }
  // reconstruct rebuilds one image with the model in slot.
  reconstruct(slot, image, repeat) {
    const args = { slot, images: { rows: 1, cols: image.length, at: 0 } };
    return this.call("reconstruct", args, image, repeat);
  }
  // callsDuringTraining starts a run of train and, once it trains, makes n
  // reconstruct calls one after another, returning their round-trip times
  // (ms): how long a call waits behind training.
  async callsDuringTraining(train, image, n) {
    let running;
    const started = new Promise((resolve) => (running = resolve));
    const stale = this.lastRun || 0;
    this.onProgress = (p) => { if (p.run > stale && p.state === "running") running(); };
    const run = this.lastRun = (await this.call("train", { ...train, owner: "bench" })).result.run;
    await started;
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await this.reconstruct("trained", image.slice());
      times.push(performance.now() - t0);
    }
    this.onProgress = null;
    await this.call("stop", { run });
    return times;
  }
  // trainSteps trains kind on MNIST until it has reported `events` chunks
  // after `skip` warm-up chunks, and returns the median of the chunks'
  // median step times.
  async trainSteps(train, skip, events) {
    const times = [];
    const stale = this.lastRun || 0;
    const finished = new Promise((resolve, reject) => {
      this.onProgress = (p) => {
        if (p.run <= stale) return; // a late event of a run stopped before
        if (p.state === "failed" || p.state === "diverged") reject(new Error(p.message));
        if (p.state !== "running" || !(p.step_ms > 0)) return;
        if (skip > 0) { skip--; return; }
        times.push(p.step_ms);
        if (times.length === events) resolve();
      };
    });
    const started = await this.call("train", { ...train, owner: "bench" });
    const run = this.lastRun = started.result.run;
    await finished;
    this.onProgress = null;
    await this.call("stop", { run });
    return median(times);
  }
}

async function main() {
  const results = {};
  try {
    const data = await batches();
    log("MNIST:", data.batches.length, "batches of", BATCH, "from the first", data.digits, "training images; cross-origin isolated:", self.crossOriginIsolated);
    const engine = new Engine();
    // The engine trains on the first data.digits images, in its own
    // shuffled order, which is the order of /batches.json; epochs enough
    // that the run never ends while it is timed.
    const vae = { kind: "vae", latent: 20, hidden: [400], beta: 1, lr: 1e-3, batch: BATCH, epochs: 1000, seed: 1, subset: data.digits };
    if (!self.crossOriginIsolated) {
      // jax-js has no threads without SharedArrayBuffer: its single-threaded
      // step, timed in rounds alternating with the engine's (one worker),
      // so that both see the same moments of a busy machine.
      const jaxVAE = await jaxjsVAE(data);
      const warm = 5, per = 8, rounds = 4;
      for (let i = 0; i < warm; i++) await jaxVAE.step(i); // jit compiles on the first call
      const jaxMS = [], engineMS = [];
      for (let r = 0; r < rounds; r++) {
        engineMS.push(await engine.trainSteps({ ...vae, workers: 1 }, 1, 3));
        jaxMS.push(await time((i) => jaxVAE.step(warm + r * per + i), 0, per));
      }
      jaxVAE.close();
      results.jaxjs_wasm_vae_step_ms = median(jaxMS);
      results.engine_vae_step_ms_beside_jaxjs = median(engineMS);
      results.jaxjs_over_engine_vae_step = median(jaxMS.map((j, r) => j / engineMS[r]));
      log("jax-js wasm VAE step, one thread:", results.jaxjs_wasm_vae_step_ms.toFixed(1), "ms; the engine's in the same rounds:", results.engine_vae_step_ms_beside_jaxjs.toFixed(1), "ms");
      window.peerResults = results;
      return;
    }
    results.cross_origin_isolated = 1;

    // The engine's matrix product, (128×784)·(784×400), timed by the
    // engine over 20 runs: on the kernel it chose (relaxed SIMD where the
    // browser has it) and on the Go kernels, dense and with 80% of A zero.
    // A first round warms up: V8 runs new code on its baseline compiler
    // until its optimising one has caught up, in the background. The
    // engine draws the operands on a call whose shape or zeros differ
    // from the last one's, so a single product draws them before each
    // timed pair.
    const gemm = { m: 128, k: 784, n: 400, seed: 1 };
    const gflops = (r) => 2 * gemm.m * gemm.k * gemm.n / (r.compute_ms * 1e6);
    for (const zeros of [0, 0.8]) {
      await engine.call("gemm", { ...gemm, zeros }, null, 20);
      await engine.call("gemm", { ...gemm, zeros, go: true }, null, 20);
    }
    for (const zeros of [0, 0.8]) {
      const suffix = zeros ? "_zeros80" : "";
      await engine.call("gemm", { ...gemm, zeros }, null, 1);
      const chosen = await engine.call("gemm", { ...gemm, zeros }, null, 20);
      const goKernels = await engine.call("gemm", { ...gemm, zeros, go: true }, null, 20);
      results.gemm_wasm_relaxed_chosen = chosen.result.kernel === "relaxed-simd" ? 1 : 0;
      results["gemm_wasm_chromium" + suffix + "_gflops"] = gflops(chosen);
      results["gemm_wasm_chromium_go" + suffix + "_gflops"] = gflops(goKernels);
      log("engine GEMM" + suffix + ":", chosen.result.kernel, gflops(chosen).toFixed(1), "GFLOPS;",
        goKernels.result.kernel, gflops(goKernels).toFixed(1), "GFLOPS");
    }
    if (results.gemm_wasm_relaxed_chosen) results.gemm_wasm_relaxed_gflops = results.gemm_wasm_chromium_gflops;

    // One worker and all of them, in alternating rounds.
    results.workers = navigator.hardwareConcurrency || 1;
    const oneMS = [], allMS = [];
    for (let r = 0; r < 3; r++) {
      oneMS.push(await engine.trainSteps({ ...vae, workers: 1 }, 2, 3));
      allMS.push(await engine.trainSteps({ ...vae, workers: results.workers }, 2, 3));
    }
    results.engine_vae_step_ms = median(oneMS);
    results.engine_vae_step_ms_all_workers = median(allMS);
    results.engine_workers_speedup = median(oneMS.map((o, r) => o / allMS[r]));
    log("engine VAE step:", results.engine_vae_step_ms.toFixed(1), "ms; with", results.workers, "workers:", results.engine_vae_step_ms_all_workers.toFixed(1), "ms");
    // One reconstruction's compute, measured as TensorFlow.js's is below:
    // 100 in a row, timed together (single timings are below the browser's
    // 0.1 ms clock), here by the engine itself. And the wall time the
    // playground waits for, measured as TensorFlow.js's: one image from
    // this page to the worker, its rebuild back.
    const one = data.images.slice(0, 784);
    const computed = [];
    for (let i = 0; i < 1 + RECON_ROUNDS; i++) {
      const resp = await engine.reconstruct("trained", one.slice(), 100);
      if (i > 0) computed.push(resp.compute_ms);
    }
    results.engine_reconstruct_ms = median(computed);
    results.engine_reconstruct_wall_ms = await time(() => engine.reconstruct("trained", one.slice()), 10, 50);
    results.engine_reconstruct_roundtrip_ms = results.engine_reconstruct_wall_ms; // its earlier name
    log("engine reconstruct:", results.engine_reconstruct_ms.toFixed(3), "ms; wall", results.engine_reconstruct_wall_ms.toFixed(2), "ms");
    // A call to the worker while it trains (one worker, 100 ms chunks).
    const waits = (await engine.callsDuringTraining({ ...vae, workers: 1 }, one, 200)).sort((a, b) => a - b);
    results.engine_call_during_training_p50_ms = waits[Math.floor(waits.length / 2)];
    results.engine_call_during_training_p99_ms = waits[Math.floor(0.99 * (waits.length - 1))];
    log("a call while training:", results.engine_call_during_training_p50_ms.toFixed(1), "ms median,", results.engine_call_during_training_p99_ms.toFixed(1), "ms p99");
    results.engine_ae_step_ms = await engine.trainSteps({ ...vae, kind: "ae", workers: 1 }, 2, 5);
    log("engine AE step:", results.engine_ae_step_ms.toFixed(1), "ms");

    const jaxVAE = await jaxjsVAE(data);
    results.jaxjs_wasm_vae_step_ms_isolated = await time(jaxVAE.step, 5, 20);
    jaxVAE.close();
    log("jax-js wasm VAE step, cross-origin isolated (its threads):", results.jaxjs_wasm_vae_step_ms_isolated.toFixed(1), "ms");

    tf.wasm.setWasmPaths("/node_modules/@tensorflow/tfjs-backend-wasm/dist/");
    const wasm = await tfjsFigures("wasm", data, 3, 10);
    results.tfjs_wasm_vae_step_ms = wasm.step;
    results.tfjs_wasm_reconstruct_ms = wasm.reconstruct;
    results.tfjs_wasm_reconstruct_wall_ms = wasm.wall;
    log("tfjs wasm VAE step:", wasm.step.toFixed(1), "ms; reconstruct", wasm.reconstruct.toFixed(3), "ms; wall", wasm.wall.toFixed(2), "ms");
    const cpu = await tfjsFigures("cpu", data, 1, 4);
    results.tfjs_cpu_vae_step_ms = cpu.step;
    log("tfjs cpu VAE step:", cpu.step.toFixed(1), "ms");

    results.convnetjs_ae_step_ms = await time(convnetAEStep(data), 1, 3);
    log("convnetjs AE step:", results.convnetjs_ae_step_ms.toFixed(1), "ms");
  } catch (err) {
    results.error = String(err && err.stack || err);
    log("failed:", results.error);
  }
  window.peerResults = results;
}

main();
