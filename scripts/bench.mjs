// npm run bench: how fast safeguard is, measured side by side in one run, each figure as a
// ratio to what it is compared with (issue 10). Measured, never asserted: run on a quiet
// machine. Whole-process times are medians of several runs.
//   BENCH_CASES=1000   cases in the timed batch (and the first memory figure)
//   BENCH_BIG=4000     cases in the second memory figure (0: skip)
//   BENCH_SESSIONS=24  wizard sessions replayed for the review-after-a-change figure
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parse, stringify } from "yaml";
import { workerCount } from "../dist/commands/batch.js";
import { readCase } from "../dist/engine/answers.js";
import { nextQuestion } from "../dist/engine/next.js";
import { loadFlow } from "../dist/io/flows.js";
import { loadLexicon } from "../dist/io/lexicon.js";
import { caseFolderName } from "../dist/io/output.js";
import { packageRoot } from "../dist/io/paths.js";
import { checkText } from "../dist/language/check.js";
import { changeAnswer } from "../dist/prompts/wizard-loop.js";

const N = Number(process.env.BENCH_CASES ?? 1000);
const BIG = Number(process.env.BENCH_BIG ?? 4000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 24);
const DATE = "2026-11-23";
const node = process.execPath;
const bin = join(packageRoot, "bin", "safeguard.js");
const example = join(packageRoot, "examples", "ex-1-county-lines-15.yaml");
const work = mkdtempSync(join(tmpdir(), "safeguard-bench-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const rows = [];
const row = (what, value, ratio, target) => rows.push([what, value, ratio, target]);

/** Median wall time of a whole process, in ms. */
function timed(args, runs = 9, env = process.env) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(node, args, { encoding: "utf8", env });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

/** Generated case files: the scenarios' cases, round and round, each with its own case_id. */
const scenarioDir = join(packageRoot, "scenarios");
const scenarios = readdirSync(scenarioDir)
  .sort()
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => parse(readFileSync(join(scenarioDir, f), "utf8")));
function generate(n) {
  const dir = join(work, `cases-${n}`);
  mkdirSync(dir);
  for (let i = 0; i < n; i++) {
    const c = { ...scenarios[i % scenarios.length].case, case_id: `BENCH-${String(i).padStart(5, "0")}` };
    writeFileSync(join(dir, `case-${String(i).padStart(5, "0")}.yaml`), stringify(c));
  }
  return dir;
}

/** One batch run: wall ms and peak resident memory (MB), from GNU time. */
function batch(cases, out, extra = []) {
  rmSync(out, { recursive: true, force: true });
  const t = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%M", node, bin, "batch", cases, "--out", out, "--date", DATE, ...extra],
    {
      encoding: "utf8",
    },
  );
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`batch: exit ${r.status}: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split("\n").at(-1));
  return { ms, mb: kb / 1024 };
}

const bare = timed(["-e", "0"], 15);
console.log(`node -e 0: ${bare.toFixed(0)} ms (${availableParallelism()} cores)`);

// 1. batch of N cases with --out, against the I/O floor script: as it runs by default
// (worker threads, one per core, for a batch this large), and on one thread (--jobs 1),
// the two runs taking turns so that both see the same machine.
const cases = generate(N);
const threads = workerCount(N, undefined, availableParallelism());
const ref = join(work, "ref");
batch(cases, ref); // warm the page cache, and the reference tree for the floor
const batchRuns = [];
const oneThreadRuns = [];
let mem1 = 0;
for (let i = 0; i < 3; i++) {
  const r = batch(cases, join(work, "out"));
  batchRuns.push(r.ms);
  mem1 = Math.max(mem1, r.mb);
  oneThreadRuns.push(batch(cases, join(work, "out"), ["--jobs", "1"]).ms);
}
const floorRuns = [];
for (let i = 0; i < 5; i++) {
  const out = join(work, "floor");
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(node, [join(packageRoot, "scripts", "io-floor.mjs"), cases, ref, out], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`io-floor: ${r.stderr}`);
  floorRuns.push(bare + Number(r.stdout));
}
const b = median(batchRuns);
const b1 = median(oneThreadRuns);
const f = median(floorRuns);
row(
  `batch ${N} cases --out (${threads ? `${threads} worker threads` : "one thread"})`,
  `${b.toFixed(0)} ms`,
  `${(b / f).toFixed(1)}× the I/O floor (${f.toFixed(0)} ms)`,
  "≤ 5×",
);
row(
  `  the same, --jobs 1 (for information)`,
  `${b1.toFixed(0)} ms`,
  `${(b1 / f).toFixed(1)}× the I/O floor`,
  "",
);

// 2. start-up, each run beside a run of `node -e 0`, so both meet the same load.
/** Median wall times (ms) of ARGS and of `node -e 0`, run in turn. */
function besideBare(args, runs) {
  const times = [];
  const bares = [];
  for (let i = 0; i < runs; i++) {
    bares.push(timed(["-e", "0"], 1));
    times.push(timed(args, 1));
  }
  return [median(times), median(bares)];
}
const startUp = (what, args, runs, target) => {
  const [ms, base] = besideBare(args, runs);
  row(what, `${ms.toFixed(0)} ms`, `${(ms / base).toFixed(2)}× node -e 0 (${base.toFixed(0)} ms)`, target);
};
startUp("run --answers EX-1", [bin, "run", "--answers", example, "--date", DATE], 15, "≤ 2×");
startUp("--version", [bin, "--version"], 21, "≤ 1.1×");
startUp("--help", [bin, "--help"], 21, "≤ 1.1×");

// 3. The wizard's review after a change: replay sessions (each scenario's case answered
// question by question, as the wizard asks), then at the review change each answer in turn
// to another value, timing changeAnswer and the question that follows it.
const flow = loadFlow(undefined, packageRoot);
const other = (q, v) => {
  const t = q.fact.type;
  if (t === "bool") return v !== true;
  if (t === "enum") {
    const vs = q.fact.values ?? [];
    return vs[(vs.indexOf(v) + 1) % vs.length] ?? null;
  }
  if (t === "int") return typeof v === "number" ? (v >= 18 ? v - 4 : v + 4) : 20;
  if (t === "date") return typeof v === "string" && v < "2000" ? "2011-05-19" : "1999-03-02";
  if (t === "list")
    return Array.isArray(v) && v.length > 0 ? v.slice(1) : [...(q.fact.values ?? []).slice(0, 1)];
  return v === null ? "changed" : null;
};
const reviews = [];
const step = Math.max(1, Math.floor(scenarios.length / SESSIONS));
for (let s = 0; s < scenarios.length && reviews.length < 100000; s += step) {
  const known = readCase("case.yaml", stringify(scenarios[s].case), flow.facts).answers;
  const state = { answers: new Map(), order: [] };
  for (let q = nextQuestion(flow, state.answers, DATE); q; q = nextQuestion(flow, state.answers, DATE)) {
    const id = q.fact.id;
    state.answers.set(id, known.has(id) ? known.get(id) : q.notKnown ? null : other(q, undefined));
    state.order.push(id);
  }
  for (const id of [...state.order]) {
    const q = flow.questions.find((x) => x.fact.id === id);
    const copy = { answers: new Map(state.answers), order: [...state.order] };
    const t = performance.now();
    changeAnswer(flow, copy, id, other(q, copy.answers.get(id)), DATE);
    nextQuestion(flow, copy.answers, DATE);
    reviews.push(performance.now() - t);
  }
  if (s / step + 1 >= SESSIONS) break;
}
const p90 = pct(reviews, 0.9);
row(
  `wizard review after a change (${reviews.length} changes)`,
  `p90 ${p90.toFixed(1)} ms`,
  `median ${median(reviews).toFixed(1)} ms, max ${Math.max(...reviews).toFixed(0)} ms`,
  "p90 < 50 ms",
);

// 4. Peak memory.
if (BIG > 0) {
  const big = batch(generate(BIG), join(work, "out-big"));
  row(
    `peak memory, batch ${BIG} vs ${N}`,
    `${big.mb.toFixed(0)} MB vs ${mem1.toFixed(0)} MB`,
    `${(big.mb / mem1).toFixed(2)}× (${BIG} cases in ${(big.ms / 1000).toFixed(1)} s)`,
    "≤ 1.2×",
  );
} else row(`peak memory, batch ${N}`, `${mem1.toFixed(0)} MB`, "", "");

// check-language must stay linear: 1 MB of text full of phrases to reword and quotations.
const lexicon = loadLexicon(join(packageRoot, "flows"));
const mb = 'She keeps going missing and chose to go with them. "she chose" '.repeat(16_000);
checkText(mb.slice(0, 10_000), lexicon); // warm up
const mbTimes = [];
let found = 0;
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  found = checkText(mb, lexicon).length;
  mbTimes.push(performance.now() - t0);
}
row(
  "check-language, 1 MB (in process)",
  `${median(mbTimes).toFixed(0)} ms`,
  `${found} findings, uncapped`,
  "linear",
);

// Every path linear in its input (issue 24): a long case_id, and one huge NDJSON line.
const longId = "x/".repeat(31_000); // 62 KB: minutes before (the name was shortened a character at a time)
const nameTimes = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  caseFolderName(longId);
  nameTimes.push(performance.now() - t0);
}
row(
  "folder name of a 62 KB case_id (in process)",
  `${median(nameTimes).toFixed(1)} ms`,
  "was 276 s",
  "< 50 ms",
);

const withLong = join(work, "cases-long-id");
mkdirSync(withLong);
for (let i = 0; i < 300; i++) {
  const c = { ...scenarios[i % scenarios.length].case, case_id: i === 150 ? "R".repeat(40_000) : `L-${i}` };
  writeFileSync(join(withLong, `case-${String(i).padStart(3, "0")}.yaml`), stringify(c));
}
const plain300 = generate(300);
const runs300 = (dir) => {
  const t0 = performance.now();
  spawnSync(node, [
    bin,
    "batch",
    dir,
    "--out",
    join(work, "out-300"),
    "--date",
    DATE,
    "--force",
    "--jobs",
    "1",
  ]);
  rmSync(join(work, "out-300"), { recursive: true, force: true });
  return performance.now() - t0;
};
const t300 = median([0, 1, 2].map(() => runs300(plain300)));
const t300long = median([0, 1, 2].map(() => runs300(withLong)));
row(
  "batch 300, one case_id of 40,000 characters",
  `${(t300long / 1000).toFixed(1)} s`,
  `${(t300long / t300).toFixed(2)}× without it (${(t300 / 1000).toFixed(1)} s); was 68 s against 7 s`,
  "≈ 1×",
);

const hugeLine = Buffer.alloc(100 * 1024 * 1024, 0x20);
hugeLine.write('{"case_id":"HUGE",', 0);
hugeLine.write('"concern":{"date":"2026-11-23"}}', hugeLine.length - 32);
const t0 = performance.now();
const huge = spawnSync(
  "/usr/bin/time",
  ["-f", "%M", node, bin, "batch", "-", "--out", join(work, "out-huge")],
  {
    input: hugeLine,
    encoding: "utf8",
    maxBuffer: 1024 * 1024 * 1024,
  },
);
const hugeMs = performance.now() - t0;
if (!huge.stdout.includes("larger than 4 MB"))
  throw new Error(`batch -: the 100 MB line was not refused: ${huge.stdout}`);
row(
  "batch -, one NDJSON line of 100 MB",
  `${(hugeMs / 1000).toFixed(1)} s, ${(Number(huge.stderr.trim().split("\n").at(-1)) / 1024).toFixed(0)} MB peak`,
  "refused as over 4 MB; was decided with 3.5 GB",
  "< 200 MB",
);

rmSync(work, { recursive: true, force: true });
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log();
for (const r of rows) console.log(r.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c && `target ${c}`)).join("  "));
