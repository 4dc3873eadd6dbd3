import { parentPort, workerData } from "node:worker_threads";
import { loadFlow } from "../io/flows.js";
import { type Input, prepare } from "./batch.js";
import type { WorkerSetup } from "./batch-workers.js";

// A batch worker thread (src/commands/batch-workers.ts): the flow loaded once, then cases
// decided and rendered as they are sent, in chunks.
const setup = workerData as WorkerSetup;
const flow = loadFlow(setup.flow as string | undefined, setup.cwd, setup.locality as string | undefined);
parentPort?.on("message", (m: { start: number; inputs: Input[] }) => {
  const prepared = m.inputs.map((input) => prepare(flow, input, { out: setup.out, today: setup.today }));
  parentPort?.postMessage({ start: m.start, prepared });
});
