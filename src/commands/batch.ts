import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import * as sea from "node:sea";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import { glob } from "tinyglobby";
import type { CaseOptions, Input, Note } from "../case/prepare.js";
import { InputError, UsageError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import type { KnownCase } from "../io/case-index.js";
import { decodeCase, MAX_CASE_BYTES, readCaseFile, wantsDocx, wantsPng } from "../io/case-text.js";
import { MANIFEST, notOwnerOnly } from "../io/output.js";
import { shown } from "../io/paths.js";
import { useColour, type World } from "../io/world.js";
import { terminalSafe as t } from "../render/inert.js";
import { say } from "../words/problems.js";
import { plural } from "../words/words.js";
import type { FromWorker, SentError, ToWorker, WorkerSetup } from "./batch-worker.js";

interface Done {
  file: string;
  case_id: string | null;
  ok: boolean;
  folder: string | null;
  actions?: number;
  documents?: number;
  problems?: string[];
}

const CASE_FILE = /\.(ya?ml|json)$/i;

/**
 * Cases a worker thread must have to pay for itself, by the bench's crossover (issue 25,
 * `BENCH_PARTS=workers`): two workers cost 3.4 s of CPU more than one thread at 1,000 cases
 * (each starts its modules and warms up on its own: 11.7 s against 8.3 s) and gave 0.59× to
 * 1.33× the wall time, as the other load on the cores allowed; at 10,000 they cost 7 s more
 * (1.12×) and took 0.37× the time. From 2,000 cases a worker that cost is about a tenth of
 * the work or less, and the second core's share wins it back; a smaller batch runs on the
 * main thread.
 */
export const CASES_PER_WORKER = 2000;

/**
 * Worker threads for a batch of `cases` (0: decide and render on the main thread). `--jobs`
 * is taken as given (1: the main thread); by default one per core, when each has at least
 * CASES_PER_WORKER cases and there are two or more. The single executable has no worker
 * entry on disk: it always runs on the main thread.
 */
export function workerCount(cases: number, jobs: number | undefined, cores: number): number {
  if (sea.isSea()) return 0;
  if (jobs !== undefined) return jobs <= 1 ? 0 : Math.min(jobs, cases);
  const n = Math.min(cores, Math.floor(cases / CASES_PER_WORKER));
  return n >= 2 ? n : 0;
}

/** `--jobs N`: a whole number of threads, 1 or more. */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,4}$/.test(value.trim()) ? Number(value) : 0;
  if (n < 1 || n > 1024)
    throw new UsageError(
      say.wholeNumber("--jobs", value, "give a whole number of threads, 1 or more (1: one thread)"),
    );
  return n;
}

/**
 * Many case files to their folders: one bad case never stops or loses the others. Exit 0
 * when every case was written, 1 when any failed (each reported), 2 for bad usage.
 */
export interface BatchOptions {
  out: string | undefined;
  json: boolean;
  force: boolean;
  date: string | undefined;
  flow: string | undefined;
  locality: string | undefined;
  format: string | undefined;
  redact: boolean;
  jobs: string | undefined;
}

export async function run(world: World, args: string[], opts: BatchOptions): Promise<number> {
  const { out, date } = opts;
  if (!out) throw new UsageError(say.batchNeedsOut());
  if (args.length === 0) throw new UsageError(say.batchNeedsInput());
  const docx = wantsDocx(opts.format);
  const jobs = parseJobs(opts.jobs);
  leanHeaps();
  const cores = availableParallelism();
  const cases = new Cases(collect(world, args, opts.redact, resolve(world.cwd, out)));
  // Enough read ahead to choose the threads (or, for standard input, LOOKAHEAD_BYTES of it):
  // a size not yet known is a large batch.
  const size = await cases.lookahead(jobs ?? cores * CASES_PER_WORKER, LOOKAHEAD_BYTES);
  const workers = workerCount(size ?? Number.POSITIVE_INFINITY, jobs, cores);
  // On the main thread the flow is loaded here; worker threads each load it (and report
  // a bad flow, as this would). A bad flow is reported before an empty batch, as ever.
  let flow: Flow | undefined;
  if (workers === 0 || size === 0) {
    const { loadFlow } = await import("../io/flows.js");
    flow = loadFlow(opts.flow, world.cwd, opts.locality);
  }
  if (size === 0) throw new UsageError(say.noCaseFiles(args));

  const options: CaseOptions = {
    out,
    cwd: world.cwd,
    now: world.now(),
    today: date ?? world.today(),
    docx,
    png: wantsPng(opts.format),
    redact: opts.redact,
  };
  const spinner = await progress(world, size);
  const index = opts.redact ? undefined : await import("../io/case-index.js");
  const done = new Summary(
    world,
    opts.json,
    index && ((cases) => index.rememberCases(world.env, cases, options.now)),
  );
  try {
    if (flow) {
      const { prepareCase, writePrepared } = await import("../case/prepare.js");
      const used = new Map<string, string>();
      for (let pending = await cases.next(); pending; pending = await cases.next()) {
        spinner?.update(cases.taken - 1, pending.file);
        const input = readInput(pending);
        const prepared = await prepareCase(flow, input, options);
        const refused = claim(input, prepared, used);
        if (refused || prepared.kind === "failed") done.add(refused ?? failure(input, []));
        else
          done.add(
            outcome(
              input,
              prepared,
              writePrepared(prepared, {
                cwd: world.cwd,
                force: opts.force,
                today: options.today,
                now: options.now,
              }),
            ),
          );
      }
    } else {
      const setup: WorkerSetup = {
        flow: opts.flow,
        locality: opts.locality,
        cwd: world.cwd,
        force: opts.force,
        options,
      };
      await inWorkers(cases, workers, setup, spinner, (d) => done.add(d));
    }
  } finally {
    spinner?.stop();
  }

  return done.finish(out);
}

/** A case file to read when its turn comes, or a case read already (a line of standard input, or why it cannot be read). */
type Pending = Input | { file: string; stem: string; path: string };

/** The case, read now if it is a file: only the case being worked out is held (issue 25). */
function readInput(pending: Pending): Input {
  if (!("path" in pending)) return pending;
  const { file, stem, path } = pending;
  try {
    return { file, text: readCaseFile(path, file), stem };
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error), stem };
  }
}

/**
 * Old generations that grow by HEAP_GROWTH_PERCENT over what a full collection left live,
 * not by V8's own factor of up to 4: a batch's live heap is small and level (about 20 MB a
 * thread), and each thread's heap grew to several times that over a long batch. Measured
 * (issue 25, README "Speed"): 10,000 cases on two worker threads 200 MB at their peak
 * against 293-306 MB, 1,000 on one thread 139 MB against 156 MB, for 4-8% more user CPU time
 * (more frequent full collections). A flag of the process, read at each collection, so it holds for every
 * thread; unlike a worker's `maxOldGenerationSizeMb` it is no limit (one with 512 MB did as
 * well), so a large case never stops a thread: 4 MB of YAML can take over 1 GB to parse.
 */
const HEAP_GROWTH_PERCENT = 30;
function leanHeaps(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWTH_PERCENT}`);
}

/** Standard input held at most while the threads are chosen, in bytes of case text. */
const LOOKAHEAD_BYTES = 16 * 1024 * 1024;

/**
 * The batch's cases in input order, each read when its turn comes (issue 25): of a case
 * file, its name is held until then; of standard input, only the lines read ahead to choose
 * the threads (lookahead), so a batch's memory stays flat however large its input.
 */
class Cases {
  private readonly held: Pending[] = [];
  private first = 0;
  private heldBytes = 0;
  private ended = false;
  /** Cases taken so far (next). */
  taken = 0;

  constructor(private readonly source: AsyncIterator<Pending>) {}

  /**
   * Read ahead until `count` cases of standard input or `bytes` of names and text are held,
   * or the input ends (case files are always read ahead: only their names are held). The
   * number of cases, once the input has ended.
   */
  async lookahead(count: number, bytes: number): Promise<number | undefined> {
    let lines = 0;
    while (!this.ended && lines < count && this.heldBytes < bytes) {
      const got = await this.pull();
      if (got === undefined) break;
      this.held.push(got);
      this.heldBytes += got.file.length + ("text" in got ? (got.text?.length ?? 0) : 0);
      if (!("path" in got)) lines++;
    }
    return this.total;
  }

  /** The number of cases, once the input has ended. */
  get total(): number | undefined {
    return this.ended ? this.taken + this.held.length - this.first : undefined;
  }

  /** Whether every case has been taken. */
  get exhausted(): boolean {
    return this.ended && this.first === this.held.length;
  }

  /** The next case, or undefined when there are no more. */
  async next(): Promise<Pending | undefined> {
    let got: Pending | undefined;
    if (this.first < this.held.length) {
      got = this.held[this.first];
      this.held[this.first++] = undefined as unknown as Pending;
      if (this.first === this.held.length) {
        this.held.length = 0;
        this.first = 0;
        this.heldBytes = 0;
      }
    } else got = await this.pull();
    if (got !== undefined) this.taken++;
    return got;
  }

  private async pull(): Promise<Pending | undefined> {
    if (this.ended) return undefined;
    const r = await this.source.next();
    if (r.done) this.ended = true;
    return r.done ? undefined : r.value;
  }
}

/** Cases put in the lead's list of cases at a time (each time the list is read and written whole). */
const LISTED_AT_ONCE = 1000;

/**
 * Cases whose text is kept as one string (Summary). A line built from its parts is a tree of
 * V8 strings (the parts, and a 32-byte node for each join), about 450 bytes a case where its
 * text is about 100: joined, each thousand cases' lines are one flat string (issue 25: the
 * main thread's heap grew by about 1 KB a case in a batch of 10,000, about half of it these trees).
 */
const KEPT_AT_ONCE = 1000;

/**
 * What a batch says once every case is reported, kept as each case is, in input order: the
 * counts and the text to print (a line or two a case), never the cases themselves, so a
 * batch's memory stays flat in its number of cases. Printed only at the end, as ever: a
 * batch that stops (a worker thread's bug) prints nothing on standard output. The cases
 * written go into the lead's list of cases (issue 26) a thousand at a time; not a redacted
 * copy's, which is a copy to share, not a case to follow.
 */
class Summary {
  /** The text to print, each KEPT_AT_ONCE cases' joined (for JSON, by ",\n"), and the cases' since. */
  private readonly kept: string[] = [];
  private text: string[] = [];
  private written = 0;
  private failed = 0;
  /** The first case folder written: every case folder is on the same drive. */
  private first: string | undefined;
  private toList: KnownCase[] = [];
  /** Why the list of cases could not be kept, the first time it could not. */
  private unlisted: string | undefined;

  constructor(
    private readonly world: World,
    private readonly json: boolean,
    private readonly remember: ((cases: KnownCase[]) => string | undefined) | undefined,
  ) {}

  add(d: Done): void {
    if (d.ok) this.written++;
    else this.failed++;
    if (d.ok && d.folder) this.first ??= d.folder;
    if (this.remember && d.ok && d.folder && d.case_id) {
      this.toList.push({ folder: resolve(this.world.cwd, d.folder), caseId: d.case_id });
      if (this.toList.length >= LISTED_AT_ONCE) this.list();
    }
    if (this.text.length >= KEPT_AT_ONCE) this.keep();
    // As JSON.stringify({ cases: [...] }, null, 2) puts each case: four spaces in.
    if (this.json) this.text.push(`    ${JSON.stringify(d, null, 2).replace(/\n/g, "\n    ")}`);
    else if (d.ok)
      this.text.push(
        `ok      ${t(d.file)} -> ${t(d.folder ?? "")}/ (${plural(d.actions ?? 0, "action")}, ${plural(d.documents ?? 0, "document")})\n`,
      );
    else
      this.text.push(
        `FAILED  ${t(d.file)}\n${(d.problems ?? []).map((p) => `          ${t(p)}\n`).join("")}`,
      );
  }

  /** The cases' text since the last keep, as one string. */
  private keep(): void {
    if (this.text.length === 0) return;
    this.kept.push(this.text.join(this.json ? ",\n" : ""));
    this.text = [];
  }

  private list(): void {
    if (!this.remember || this.toList.length === 0) return;
    const why = this.remember(this.toList);
    this.unlisted ??= why;
    this.toList = [];
  }

  /** Everything said: the exit code, 1 when any case failed. */
  finish(out: string): number {
    const { stdout, stderr } = this.world;
    this.list();
    if (this.unlisted) stderr.write(`${this.unlisted}\n`);
    if (this.first && notOwnerOnly(resolve(this.world.cwd, this.first)))
      stderr.write(`${t(say.notOwnerOnly(out))}\n`);
    const { written, failed, kept } = this;
    this.keep();
    if (this.json) {
      const cases = kept.length === 0 ? "[]" : `[\n${kept.join(",\n")}\n  ]`;
      stdout.write(`{\n  "cases": ${cases},\n  "written": ${written},\n  "failed": ${failed}\n}\n`);
    } else {
      for (const text of kept) stdout.write(text);
      stdout.write(
        `\n${plural(written + failed, "case")}: ${written} written to ${t(out)}/, ${failed} failed\n`,
      );
    }
    return failed > 0 ? 1 : 0;
  }
}

const failure = (input: Pick<Input, "file">, problems: string[], caseId: string | null = null): Done => ({
  file: input.file,
  case_id: caseId,
  ok: false,
  folder: null,
  problems,
});

/**
 * Whether a prepared case may be written: the case's failure if it failed, or if an earlier
 * case in this batch has its folder (two cases with one case_id would overwrite each
 * other's files: the second one fails), or its files could not be made. Undefined when it
 * may, and then its folder is taken. Called in input order, whichever thread prepared it.
 */
function claim(input: Pick<Input, "file">, n: Note, used: Map<string, string>): Done | undefined {
  if (n.kind === "failed") return failure(input, n.problems);
  const owner = used.get(n.name);
  if (owner !== undefined) {
    return failure(
      input,
      [`case_id "${n.caseId}" is already used by ${owner} in this batch: give each case its own case_id`],
      n.caseId,
    );
  }
  used.set(n.name, input.file);
  if (n.renderError !== undefined)
    return failure(input, [`could not write the files: ${n.renderError}`], n.caseId);
  return undefined;
}

/** A case that was written, or why its files could not be (`problem`). */
function outcome(input: Pick<Input, "file">, n: Note & { kind: "ready" }, problem: string | undefined): Done {
  if (problem !== undefined) return failure(input, [problem], n.caseId);
  return {
    file: input.file,
    case_id: n.caseId,
    ok: true,
    folder: n.folder,
    actions: n.actions,
    documents: n.documents,
  };
}

/** Cases sent to a worker and not yet prepared, at most: each always has the next to hand. */
const IN_FLIGHT = 3;
/** Cases prepared ahead of the next one to claim, at most: memory stays flat. */
const AHEAD = 64;

/**
 * Each worker's young generation, in MB (see startWorker; npm run bench's memory row). 4,
 * not 8: 10,000 cases on two workers peaked at 171-182 MB against 182-189 MB with 8, for
 * no more CPU time (within the runs' spread; issue 25, README "Speed").
 */
const YOUNG_GENERATION_MB = 4;

/**
 * The cases decided, rendered and written on `count` worker threads
 * (src/commands/batch-worker.ts), each handed the next case as it prepares one. Each case's
 * folder is claimed here, in input order, and only then written by the worker that holds
 * it: which of two cases with one case_id is refused never depends on threads, and two
 * folders that one file system sees as one (case-insensitive names) are never written at
 * once. The result is in input order. A bad flow is reported as the main thread would. A
 * worker that stops (a bug) ends the batch with exit 70 once the other workers have
 * written what they were writing: no case already written is lost.
 */
function inWorkers(
  cases: Cases,
  count: number,
  setup: WorkerSetup,
  spinner: Spinner | undefined,
  said: (d: Done) => void,
): Promise<void> {
  return new Promise((resolveAll, reject) => {
    const pool: Pool = {
      cases,
      upcoming: undefined,
      pulling: false,
      files: new Map(),
      setup,
      spinner,
      said,
      done: new Map(),
      written: 0,
      notes: new Map(),
      busy: new Map(),
      running: new Set(),
      ready: new Set(),
      writing: new Map(),
      folders: new Set(),
      used: new Map(),
      sent: 0,
      next: 0,
      reported: 0,
      crash: undefined,
      ended: false,
      end: (error?: Error) => {
        if (pool.ended) return;
        pool.ended = true;
        for (const w of pool.busy.keys()) void w.terminate();
        if (error) reject(error);
        else resolveAll();
      },
    };
    for (let i = 0; i < count; i++) startWorker(pool);
  });
}

/** The main thread's side of a batch on worker threads (inWorkers), as its handlers share it. */
interface Pool {
  cases: Cases;
  /** The next case to send, read ahead of its turn, and whether it is being read. */
  upcoming: Pending | undefined;
  pulling: boolean;
  /** The file of each case sent and not yet reported: what its report says. */
  files: Map<number, string>;
  setup: WorkerSetup;
  spinner: Spinner | undefined;
  /** Each case's outcome, in input order. */
  said: (d: Done) => void;
  /** Outcomes not yet said (a case after one still being written), by their place in the input. */
  done: Map<number, Done>;
  /** Cases written so far. */
  written: number;
  /** Cases prepared and not yet claimed, by index, with the worker that holds their files. */
  notes: Map<number, { note: Note; from: Worker }>;
  /** Per worker: cases sent and not yet prepared, and cases it is writing. */
  busy: Map<Worker, { preparing: number; writing: number }>;
  /** Workers not yet stopped, and those of them that have loaded the flow and not failed. */
  running: Set<Worker>;
  ready: Set<Worker>;
  /** Cases claimed and being written, with their folder's name folded to lower case. */
  writing: Map<number, { note: Note & { kind: "ready" }; from: Worker; folded: string }>;
  folders: Set<string>;
  /** Folder names claimed so far, and the file that claimed each. */
  used: Map<string, string>;
  /** Cases sent to a worker, claimed (the next to claim), and reported. */
  sent: number;
  next: number;
  reported: number;
  /** Why a worker stopped: the batch then stops too. */
  crash: Error | undefined;
  ended: boolean;
  /** Resolve with the outcomes, or reject with `error`, once; the workers are terminated. */
  end: (error?: Error) => void;
}

const busyOf = (pool: Pool, w: Worker) => pool.busy.get(w) as { preparing: number; writing: number };

function report(pool: Pool, i: number, d: Done): void {
  pool.files.delete(i);
  pool.done.set(i, d);
  if (d.ok) pool.written++;
  for (let got = pool.done.get(pool.reported); got !== undefined; got = pool.done.get(pool.reported)) {
    pool.done.delete(pool.reported);
    pool.reported++;
    pool.said(got);
  }
}

/** Hand each ready worker cases up to IN_FLIGHT, never more than AHEAD past the next to claim. */
function feed(pool: Pool): void {
  for (const w of pool.ready) {
    const b = busyOf(pool, w);
    while (!pool.crash && b.preparing < IN_FLIGHT && pool.sent < pool.next + AHEAD) {
      const pending = pool.upcoming;
      if (pending === undefined) {
        pull(pool);
        return;
      }
      pool.upcoming = undefined;
      b.preparing++;
      pool.files.set(pool.sent, pending.file);
      w.postMessage({ type: "case", index: pool.sent, input: readInput(pending) } satisfies ToWorker);
      pool.sent++;
    }
  }
}

/** Read the next case (standard input may keep it waiting), then feed it to a worker. */
function pull(pool: Pool): void {
  if (pool.pulling || pool.ended || pool.cases.exhausted) return;
  pool.pulling = true;
  pool.cases.next().then(
    (got) => {
      pool.pulling = false;
      pool.upcoming = got;
      if (!pool.ended) settle(pool);
    },
    (error: unknown) => pool.end(error instanceof Error ? error : new Error(String(error))),
  );
}

/** Claim folders in input order, as far as the notes go. */
function advance(pool: Pool): void {
  for (
    let got = pool.notes.get(pool.next);
    got !== undefined && pool.ready.has(got.from);
    got = pool.notes.get(pool.next)
  ) {
    const { note: n, from } = got;
    const index = pool.next;
    const input = { file: pool.files.get(index) as string };
    // A file system that ignores case sees ABC and abc as one folder: one at a time.
    const folded = n.kind === "ready" ? n.name.toLowerCase() : "";
    if (n.kind === "ready" && pool.folders.has(folded)) break;
    pool.spinner?.update(index, input.file);
    pool.notes.delete(index);
    const refused = claim(input, n, pool.used);
    if (refused || n.kind === "failed") {
      report(pool, index, refused ?? failure(input, []));
      from.postMessage({ type: "drop", index } satisfies ToWorker);
    } else {
      pool.folders.add(folded);
      pool.writing.set(index, { note: n, from, folded });
      busyOf(pool, from).writing++;
      from.postMessage({ type: "write", index } satisfies ToWorker);
    }
    pool.next++;
  }
}

/** Done when every case is reported; after a crash, once no worker has anything left to say. */
function settle(pool: Pool): void {
  const total = pool.cases.total;
  if (pool.reported === total && !pool.pulling) {
    pool.end();
    return;
  }
  if (pool.crash) {
    // Stop once no worker is still loading, working, or stopping: what they had to
    // send (a case written) has then been heard.
    const working = [...pool.running].some((w) => {
      const b = busyOf(pool, w);
      return !pool.ready.has(w) || b.preparing > 0 || b.writing > 0;
    });
    if (!working)
      pool.end(stopped(pool.crash, pool.written, total, pool.cases.taken, pool.setup.options.out));
    return;
  }
  feed(pool);
}

/** A worker failed: it is sent nothing more, and the batch stops (settle). */
function lost(pool: Pool, w: Worker, why: Error): void {
  if (pool.ended) return;
  pool.ready.delete(w);
  pool.crash ??= why;
  settle(pool);
}

/** What a worker said: loaded (or not), a case prepared, or a case written. */
function heard(pool: Pool, w: Worker, m: FromWorker): void {
  const b = busyOf(pool, w);
  if (m.type === "load-error") {
    pool.end(received(m.error));
    return;
  }
  if (m.type === "ready") pool.ready.add(w);
  else if (m.type === "prepared") {
    b.preparing--;
    pool.notes.set(m.index, { note: m.note, from: w });
  } else {
    const was = pool.writing.get(m.index);
    if (!was) throw new Error(`case ${m.index} was written without being claimed`);
    pool.writing.delete(m.index);
    pool.folders.delete(was.folded);
    b.writing--;
    report(pool, m.index, outcome({ file: pool.files.get(m.index) as string }, was.note, m.problem));
  }
  advance(pool);
  settle(pool);
}

function startWorker(pool: Pool): void {
  // A smaller young generation: otherwise each worker's heap keeps growing with the batch
  // (peak at 4,000 cases 1.23x that at 1,000; with it about 1.0x, and in two paired runs
  // of 4,000 cases 33.5 s against 34.2 s, then 45.5 s against 40.4 s: within the noise).
  const w = new Worker(new URL("./batch-worker.js", import.meta.url), {
    workerData: pool.setup,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  pool.busy.set(w, { preparing: 0, writing: 0 });
  w.on("message", (m: FromWorker) => {
    if (pool.ended) return;
    try {
      heard(pool, w, m);
    } catch (error) {
      pool.end(error instanceof Error ? error : new Error(String(error)));
    }
  });
  pool.running.add(w);
  // Only the error's kind is said: its message could quote a case.
  w.on("error", (error) => lost(pool, w, Object.assign(error, { reason: error.name })));
  w.on("messageerror", (error) =>
    lost(pool, w, Object.assign(error, { reason: "a message it could not read" })),
  );
  w.on("exit", (code) => {
    pool.running.delete(w);
    lost(pool, w, Object.assign(new Error(`exit code ${code}`), { reason: `exit code ${code}` }));
  });
}

/** A worker's error, as the main thread would have thrown it: a bad flow stays exit 2. */
function received(e: SentError): Error {
  if (e.name === "InputError" || e.name === "UsageError") return new InputError(e.message, e.problems);
  const error = Object.assign(new Error(e.message), {
    ...(e.code ? { code: e.code } : {}),
    ...(e.syscall ? { syscall: e.syscall } : {}),
    ...(e.path ? { path: e.path } : {}),
  });
  if (e.stack) error.stack = e.stack;
  return error;
}

/**
 * A worker thread stopped: a bug (exit 70). Says what was written, never a case's contents:
 * of how many cases, when the input had ended (else of those read so far).
 */
function stopped(
  why: Error & { reason?: string },
  written: number,
  total: number | undefined,
  read: number,
  out: string,
): Error {
  const of = total === undefined ? `the first ${read}` : String(total);
  const error = new Error(
    `a worker thread stopped (${why.reason ?? why.name}) after ${written} of ${of} cases were written to ${out}/; the others were not written: run again with --jobs 1 to work them out on one thread`,
  );
  error.stack = `${error.message}\nin the worker thread: ${why.stack ?? why.message}`;
  return error;
}

/**
 * Files, folders (their case files, sorted), globs, and - (NDJSON, one case per line), in
 * order, as they are asked for. A file's name may be a person's name: with REDACT each file
 * (or argument that names none) is shown by its place in the batch (case-3), in what is
 * printed and, for a case with no case_id, its folder.
 */
async function* collect(world: World, args: string[], redact: boolean, out: string): AsyncGenerator<Pending> {
  let count = 0;
  const written = outputs(out);
  const shownAs = (name: string) => (redact ? `case-${count + 1}` : name);
  const put = (pending: Pending): Pending => {
    count++;
    if (redact) pending.stem = `case-${count}`;
    return pending;
  };
  // Read when its turn comes: a folder's list of files is held, never their texts.
  const read = (path: string): Pending =>
    put({ file: shownAs(shown(path, world.cwd)), stem: basename(path, extname(path)), path });
  for (const arg of args) {
    if (arg === "-") {
      for await (const input of ndjsonCases(world.stdin)) yield put(input);
      continue;
    }
    const path = resolve(world.cwd, arg);
    let kind: "file" | "dir" | "none" = "none";
    try {
      kind = statSync(path).isDirectory() ? "dir" : "file";
    } catch {
      kind = "none";
    }
    if (kind === "file") yield read(path);
    else if (kind === "dir") {
      const files = await glob(["**/*.yaml", "**/*.yml", "**/*.json"], { cwd: path, absolute: true });
      for (const f of files.sort()) if (!written(f)) yield read(f);
    } else if (/[*?[{]/.test(arg)) {
      const files = (await glob(arg, { cwd: world.cwd, absolute: true })).filter(
        (f) => CASE_FILE.test(f) && !written(f),
      );
      if (files.length === 0)
        yield put({ file: shownAs(arg), error: "no case files match this pattern", stem: "none" });
      for (const f of files.sort()) yield read(f);
    } else yield put({ file: shownAs(arg), error: "no such file or folder", stem: "none" });
  }
}

/**
 * Whether a file found in a folder or by a glob is safeguard's output rather than a case:
 * inside the --out folder (`batch cases --out cases/out`), or in any case folder (one with
 * a manifest: a previous run's, wherever it went). Its pathway.json is not a case file.
 */
function outputs(out: string): (file: string) => boolean {
  const caseFolder = new Map<string, boolean>();
  const isCaseFolder = (dir: string): boolean => {
    let known = caseFolder.get(dir);
    if (known === undefined) {
      const up = dirname(dir);
      known = existsSync(join(dir, MANIFEST)) || (up !== dir && isCaseFolder(up));
      caseFolder.set(dir, known);
    }
    return known;
  };
  return (file) => {
    const rel = relative(out, file);
    const inOut = rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
    return inOut || isCaseFolder(dirname(file));
  };
}

/**
 * The cases on standard input, one a line (NDJSON), each given as its line ends, read no
 * further ahead than the batch asks (the stream waits meanwhile): a line is held only up to
 * MAX_CASE_BYTES, as a case file is, and a longer one fails alone, read no further than its
 * end (a 100 MB line never sits in memory, let alone reaches the YAML parser).
 */
async function* ndjsonCases(stream: NodeJS.ReadableStream): AsyncGenerator<Input> {
  let number = 0;
  /** The case on the next line; none for a blank line. */
  const caseOn = (parts: Buffer[] | "too long"): Input | undefined => {
    number++;
    const file = `stdin line ${number}`;
    try {
      if (parts === "too long")
        throw new InputError(
          say.caseTooLarge(file, MAX_CASE_BYTES / 1024 / 1024, "each line holds one case (NDJSON)"),
        );
      const line = decodeCase(Buffer.concat(parts), "stdin", number).replace(/\r$/, "");
      return line.trim() === "" ? undefined : { file, text: line, stem: `stdin-${number}` };
    } catch (error) {
      return { file, error: error instanceof Error ? error.message : String(error), stem: "none" };
    }
  };
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf(0x0a, start);
      const piece = bytes.subarray(start, end === -1 ? bytes.length : end);
      start = end === -1 ? bytes.length : end + 1;
      if (!tooLong && size + piece.length > MAX_CASE_BYTES) {
        tooLong = true;
        parts = [];
      }
      if (!tooLong && piece.length > 0) {
        parts.push(piece);
        size += piece.length;
      }
      if (end === -1) break;
      const input = caseOn(tooLong ? "too long" : parts);
      parts = [];
      size = 0;
      tooLong = false;
      if (input) yield input;
    }
  }
  const last = size > 0 || tooLong ? caseOn(tooLong ? "too long" : parts) : undefined;
  if (last) yield last;
}

/** A spinner with a count, only on a terminal and never with NO_COLOR (cli-contract). */
type Spinner = { update: (i: number, file: string) => void; stop: () => void };

async function progress(world: World, total: number | undefined): Promise<Spinner | undefined> {
  if (!world.stderr.isTTY || !useColour({ ...world, stdout: world.stderr })) return undefined;
  const { default: ora } = await import("ora");
  // Of standard input still being read, the count alone.
  const of = total === undefined ? "" : `/${total}`;
  const spinner = ora({ stream: world.stderr, text: `0${of}` }).start();
  return {
    update: (i: number, file: string) => {
      spinner.text = `${i + 1}${of}  ${file}`;
    },
    stop: () => spinner.stop(),
  };
}
