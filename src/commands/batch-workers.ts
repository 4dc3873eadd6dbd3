import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { World } from "../cli/world.js";
import type { Input, Prepared } from "./batch.js";

/**
 * batch on worker threads (issue 10): each thread loads the flow once and decides and
 * renders cases (`prepare`); the main thread claims folders and writes, in input order,
 * exactly as a single-threaded run does, so the output is the same byte for byte. Only a
 * batch large enough to pay for starting the threads (each loads the flow) uses them, and
 * one core is left to the main thread, which does the writing: on 2 cores, no threads (measured
 * slower there, docs/decisions.md). SAFEGUARD_WORKERS sets the number of threads (0 or 1: none).
 */
const PER_THREAD = 50;
const CHUNK = 16;
/** Cases decided but not yet written, at most: memory stays flat however large the batch. */
const WINDOW = 256;

export function workerCount(world: World, cases: number): number {
  const asked = world.env.SAFEGUARD_WORKERS;
  if (asked !== undefined && /^\d+$/.test(asked)) return Math.min(Number(asked), cases);
  return Math.min(availableParallelism() - 1, Math.floor(cases / PER_THREAD));
}

export function inWorkers(world: World, cases: number): boolean {
  return workerCount(world, cases) >= 2;
}

export interface WorkerSetup {
  flow: unknown;
  locality: unknown;
  cwd: string;
  out: string;
  today: string;
  threads: number;
}

/** The inputs decided and rendered on worker threads, yielded in input order. */
export async function* prepareInWorkers(
  inputs: readonly Input[],
  setup: WorkerSetup,
): AsyncGenerator<Prepared> {
  const ready = new Map<number, Prepared>();
  let failure: unknown;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  let sent = 0;
  let taken = 0;
  const idle: Worker[] = [];
  const send = (w: Worker) => {
    if (sent >= inputs.length || sent - taken >= WINDOW) {
      idle.push(w);
      return;
    }
    const start = sent;
    sent = Math.min(inputs.length, sent + CHUNK);
    w.postMessage({ start, inputs: inputs.slice(start, sent) });
  };
  const workers: Worker[] = [];
  for (let t = 0; t < setup.threads; t++) {
    const w = new Worker(new URL("./batch-worker.js", import.meta.url), { workerData: setup });
    w.on("message", (m: { start: number; prepared: Prepared[] }) => {
      for (const [k, p] of m.prepared.entries()) ready.set(m.start + k, p);
      send(w);
      poke();
    });
    w.on("error", (error) => {
      failure = error;
      poke();
    });
    workers.push(w);
    send(w);
  }
  try {
    while (taken < inputs.length) {
      if (failure !== undefined) throw failure;
      const p = ready.get(taken);
      if (p === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      ready.delete(taken);
      taken++;
      yield p;
      while (idle.length > 0 && sent < inputs.length && sent - taken < WINDOW) send(idle.pop() as Worker);
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
