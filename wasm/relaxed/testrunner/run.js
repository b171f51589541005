// Go's lib/wasm/wasm_exec_node.js, which it follows line by line, with
// one addition: the instance's memory at globalThis.latentplayMemory
// (wasm/relaxed.MemoryGlobal), as static/engine.js leaves it.
"use strict";

if (process.argv.length < 4) {
	console.error("usage: run.js GOROOT/lib/wasm [wasm binary] [arguments]");
	process.exit(1);
}
const wasmExec = process.argv[2];
process.argv.splice(2, 1);

globalThis.require = require;
globalThis.fs = require("fs");
globalThis.path = require("path");
globalThis.TextEncoder = require("util").TextEncoder;
globalThis.TextDecoder = require("util").TextDecoder;
globalThis.performance ??= require("performance");
globalThis.crypto ??= require("crypto");

require(path.join(wasmExec, "wasm_exec"));

const go = new Go();
go.argv = process.argv.slice(2);
go.env = Object.assign({ TMPDIR: require("os").tmpdir() }, process.env);
go.exit = process.exit;
WebAssembly.instantiate(fs.readFileSync(process.argv[2]), go.importObject).then((result) => {
	globalThis.latentplayMemory = result.instance.exports.mem;
	process.on("exit", (code) => { // Node.js exits if no event handler is pending
		if (code === 0 && !go.exited) {
			// deadlock, make Go print error and stack traces
			go._pendingEvent = { id: 0 };
			go._resume();
		}
	});
	return go.run(result.instance);
}).catch((err) => {
	console.error(err);
	process.exit(1);
});
