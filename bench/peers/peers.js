// The side-by-side benchmark: the same models trained on the same MNIST
// digits in one tab, by latentplay's engine (in its Web Worker, through
// its message protocol, as the playground drives it), by TensorFlow.js on
// its wasm and cpu backends, and by ConvNetJS. bench/peers.go serves this
// page, waits for window.peerResults and records the figures.
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
  };
}

async function tfjsFigures(backend, images, warm, timed) {
  await tf.setBackend(backend);
  await tf.ready();
  const vae = tfVAE(tf);
  const batches = [];
  for (let b = 0; b < images.length / (BATCH * 784); b++) {
    batches.push(tf.tensor2d(images.subarray(b * BATCH * 784, (b + 1) * BATCH * 784), [BATCH, 784]));
  }
  const step = await time((i) => vae.step(batches[i % batches.length]), warm, timed);
  const one = tf.tensor2d(images.subarray(0, 784), [1, 784]);
  const hundred = async () => { for (let i = 0; i < 100; i++) await vae.reconstruct(one); };
  const reconstruct = (await time(hundred, 1, RECON_ROUNDS)) / 100;
  return { step, reconstruct };
}

// ConvNetJS's autoencoder: 784-400-20-400-784, ReLU, squared error, its
// Trainer accumulating gradients over a batch of 128 (SGD with momentum:
// the npm release has no Adam, and the update is a sliver of the step).
function convnetAEStep(images) {
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
  for (let i = 0; i < images.length / 784; i++) {
    const v = new convnetjs.Vol(1, 1, 784, 0);
    const px = images.subarray(i * 784, (i + 1) * 784);
    for (let j = 0; j < 784; j++) v.w[j] = px[j];
    vols.push({ v, y: Array.from(px) });
  }
  return (i) => {
    for (let k = 0; k < BATCH; k++) {
      const s = vols[(i * BATCH + k) % vols.length];
      trainer.train(s.v, s.y);
    }
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
    this.onProgress = (p) => { if (p.state === "running") running(); };
    const run = (await this.call("train", { ...train, owner: "bench" })).result.run;
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
    const finished = new Promise((resolve, reject) => {
      this.onProgress = (p) => {
        if (p.state === "failed" || p.state === "diverged") reject(new Error(p.message));
        if (p.state !== "running" || !(p.step_ms > 0)) return;
        if (skip > 0) { skip--; return; }
        times.push(p.step_ms);
        if (times.length === events) resolve();
      };
    });
    const started = await this.call("train", { ...train, owner: "bench" });
    const run = started.result.run;
    await finished;
    this.onProgress = null;
    await this.call("stop", { run });
    return median(times);
  }
}

async function main() {
  const results = {};
  try {
    const images = await mnist(8 * BATCH);
    log("MNIST:", images.length / 784, "training images; cross-origin isolated:", self.crossOriginIsolated);
    results.cross_origin_isolated = self.crossOriginIsolated ? 1 : 0;

    const engine = new Engine();
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
    const vae = { kind: "vae", latent: 20, hidden: [400], beta: 1, lr: 1e-3, batch: BATCH, epochs: 1, seed: 1 };
    results.engine_vae_step_ms = await engine.trainSteps({ ...vae, workers: 1 }, 2, 5);
    log("engine VAE step:", results.engine_vae_step_ms.toFixed(1), "ms");
    results.workers = navigator.hardwareConcurrency || 1;
    results.engine_vae_step_ms_all_workers = await engine.trainSteps({ ...vae, workers: results.workers }, 2, 5);
    log("engine VAE step with", results.workers, "workers:", results.engine_vae_step_ms_all_workers.toFixed(1), "ms");
    // One reconstruction's compute, measured as TensorFlow.js's is below:
    // 100 in a row, timed together (single timings are below the browser's
    // 0.1 ms clock), here by the engine itself. And the round trip from
    // this page to the worker and back, which the playground waits for.
    const one = images.slice(0, 784);
    const computed = [];
    for (let i = 0; i < 1 + RECON_ROUNDS; i++) {
      const resp = await engine.reconstruct("trained", one.slice(), 100);
      if (i > 0) computed.push(resp.compute_ms);
    }
    results.engine_reconstruct_ms = median(computed);
    const trips = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      await engine.reconstruct("trained", one.slice());
      if (i >= 10) trips.push(performance.now() - t0);
    }
    results.engine_reconstruct_roundtrip_ms = median(trips);
    log("engine reconstruct:", results.engine_reconstruct_ms.toFixed(3), "ms; round trip", results.engine_reconstruct_roundtrip_ms.toFixed(2), "ms");
    // A call to the worker while it trains (one worker, 100 ms chunks).
    const waits = (await engine.callsDuringTraining({ ...vae, epochs: 50, workers: 1 }, one, 200)).sort((a, b) => a - b);
    results.engine_call_during_training_p50_ms = waits[Math.floor(waits.length / 2)];
    results.engine_call_during_training_p99_ms = waits[Math.floor(0.99 * (waits.length - 1))];
    log("a call while training:", results.engine_call_during_training_p50_ms.toFixed(1), "ms median,", results.engine_call_during_training_p99_ms.toFixed(1), "ms p99");
    results.engine_ae_step_ms = await engine.trainSteps({ ...vae, kind: "ae", workers: 1 }, 2, 5);
    log("engine AE step:", results.engine_ae_step_ms.toFixed(1), "ms");

    tf.wasm.setWasmPaths("/node_modules/@tensorflow/tfjs-backend-wasm/dist/");
    const wasm = await tfjsFigures("wasm", images, 3, 10);
    results.tfjs_wasm_vae_step_ms = wasm.step;
    results.tfjs_wasm_reconstruct_ms = wasm.reconstruct;
    log("tfjs wasm VAE step:", wasm.step.toFixed(1), "ms; reconstruct", wasm.reconstruct.toFixed(3), "ms");
    const cpu = await tfjsFigures("cpu", images, 1, 4);
    results.tfjs_cpu_vae_step_ms = cpu.step;
    log("tfjs cpu VAE step:", cpu.step.toFixed(1), "ms");

    results.convnetjs_ae_step_ms = await time(convnetAEStep(images), 1, 3);
    log("convnetjs AE step:", results.convnetjs_ae_step_ms.toFixed(1), "ms");
  } catch (err) {
    results.error = String(err && err.stack || err);
    log("failed:", results.error);
  }
  window.peerResults = results;
}

main();
