// The entry of batch's worker threads (src/commands/batch.ts spawns them): it loads the
// flow once, as the main thread would, decides and renders each case it is sent
// (src/case/prepare.ts), tells the main thread the case's folder, and writes the
// case's files there when, and only when, the main thread says so (no other case in the
// batch has that folder). It never logs: the main thread reports every case, in input order.
import { parentPort, workerData } from "node:worker_threads";
import {
  type CaseOptions,
  type Input,
  type Note,
  note,
  type Prepared,
  prepareCase,
  writePrepared,
} from "../case/prepare.js";
import { InputError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { loadFlow } from "../io/flows.js";

/** What the main thread gives each worker (workerData). */
export interface WorkerSetup {
  /** --flow, --locality and the directory they are relative to: the same flow as the main thread's. */
  flow: string | undefined;
  locality: string | undefined;
  cwd: string;
  force: boolean;
  options: CaseOptions;
}

export type ToWorker =
  | { type: "case"; index: number; input: Input }
  /** Write case `index` (this worker prepared it), or drop its files. */
  | { type: "write" | "drop"; index: number };

export type FromWorker =
  | { type: "ready" }
  | { type: "load-error"; error: SentError }
  | { type: "prepared"; index: number; note: Note }
  /** Case `index` written, or why not (`problem`). */
  | { type: "written"; index: number; problem?: string };

/** An error as plain data: what the main thread needs to report it as it would its own. */
export interface SentError {
  name: string;
  message: string;
  problems?: string[];
  code?: string;
  syscall?: string;
  path?: string;
  stack?: string;
}

export function sendable(error: unknown): SentError {
  const e = error instanceof Error ? error : new Error(String(error));
  const { code, syscall, path } = e as NodeJS.ErrnoException;
  return {
    name: e.name,
    message: e.message,
    ...(e instanceof InputError ? { problems: [...e.problems] } : {}),
    ...(typeof code === "string" ? { code } : {}),
    ...(typeof syscall === "string" ? { syscall } : {}),
    ...(typeof path === "string" ? { path } : {}),
    ...(e.stack ? { stack: e.stack } : {}),
  };
}

function serve(): void {
  const port = parentPort;
  if (!port) throw new Error("batch-worker.js is a worker thread's entry, not a program");
  const setup = workerData as WorkerSetup;
  let flow: Flow;
  try {
    flow = loadFlow(setup.flow, setup.cwd, setup.locality);
  } catch (error) {
    port.postMessage({ type: "load-error", error: sendable(error) } satisfies FromWorker);
    return;
  }
  port.postMessage({ type: "ready" } satisfies FromWorker);
  const held = new Map<number, Prepared>();
  const send = (m: FromWorker) => port.postMessage(m);
  // One message at a time, in the order sent (a Word twin makes prepareCase async).
  let queue = Promise.resolve();
  port.on("message", (m: ToWorker) => {
    queue = queue.then(async () => {
      if (m.type === "case") {
        const prepared = await prepareCase(flow, m.input, setup.options);
        held.set(m.index, prepared);
        send({ type: "prepared", index: m.index, note: note(prepared) });
        return;
      }
      const prepared = held.get(m.index);
      held.delete(m.index);
      if (m.type === "drop" || prepared?.kind !== "ready") return;
      const problem = writePrepared(prepared, {
        cwd: setup.cwd,
        force: setup.force,
        today: setup.options.today,
        now: setup.options.now,
      });
      send(
        problem === undefined
          ? { type: "written", index: m.index }
          : { type: "written", index: m.index, problem },
      );
    });
  });
}

serve();
