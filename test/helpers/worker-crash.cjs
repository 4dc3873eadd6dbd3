// Preloaded (node --require) by test/batch-threads.test.ts, and so by each of batch's worker
// threads, which take the main thread's Node options: a worker crashes, outside any case's
// handling, when it is sent the case with index WORKER_CRASH_AT. Shipped code has no such hook.
"use strict";
const { isMainThread, parentPort } = require("node:worker_threads");

const at = Number(process.env.WORKER_CRASH_AT);
if (!isMainThread && parentPort && Number.isInteger(at)) {
  parentPort.on("message", (m) => {
    if (m && m.index === at) throw new Error("batch worker: crash asked for by a test");
  });
}
