// npm run bench: how fast safeguard is, measured side by side in one run, each figure as a
// ratio to what it is compared with (issue 10), and each with the load average it was taken
// at (uptime's 1-minute figure, before and after). Measured, never asserted.
//
// How it stays honest (issue 25): nothing is deleted while anything is being timed. Deleting
// a big tree leaves the disk busy for half a minute and swells whatever runs next (the I/O
// floor took 3.1 s right after `rm -rf` against 0.5-0.75 s without), so every timed run
// writes to a fresh folder, and all of them are removed at the very end. What is compared is
// run in interleaved rounds (A B C, B C A, C A B…), so each side meets the same load.
//   BENCH_CASES=1000   cases in the timed batch (and the first memory figure)
//   BENCH_BIG=4000     cases in the second memory figure (0: skip), with N again on its threads
//   BENCH_SESSIONS=24  wizard sessions replayed for the review-after-a-change figure
//   BENCH_ROUNDS=3     interleaved rounds of the batch against its floors
//   BENCH_PARTS=batch,start,review,memory,linear   which figures (also: workers)
//   BENCH_WORKERS=1000,10000   batch sizes for `workers`: 1 against 2 threads, interleaved
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTS = new Set((process.env.BENCH_PARTS ?? "batch,start,review,memory,linear").split(","));
const WORKER_SIZES = (process.env.BENCH_WORKERS ?? "1000,10000").split(",").map(Number);
const DATE = "2026-11-23";
const node = process.execPath;
const bin = join(packageRoot, "bin", "safeguard.js");
const example = join(packageRoot, "examples", "ex-1-county-lines-15.yaml");
const work = mkdtempSync(join(tmpdir(), "safeguard-bench-"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const rows = [];
/** uptime's 1-minute load average, now. */
const load = () => loadavg()[0].toFixed(2);
/** A figure, with the load when its measuring began (FROM) and now. */
const row = (what, value, ratio, target, from) => {
  rows.push([what, value, ratio, from === undefined ? `load ${load()}` : `load ${from}→${load()}`, target]);
  console.log(`  ${rows.at(-1).filter(Boolean).join("  ")}`); // as taken: a long run shows its progress
};
let made = 0;
/** A folder name not used before in this run: timed runs write only to these. */
const fresh = (name) => join(work, `${name}-${++made}`);
/** Rounds of the runs given, each round in a turned order (A B C, B C A, C A B…). */
function interleaved(rounds, runs) {
  for (let i = 0; i < rounds; i++) for (let j = 0; j < runs.length; j++) runs[(i + j) % runs.length]();
}

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
  const dir = fresh(`cases-${n}`);
  mkdirSync(dir);
  for (let i = 0; i < n; i++) {
    const c = { ...scenarios[i % scenarios.length].case, case_id: `BENCH-${String(i).padStart(5, "0")}` };
    writeFileSync(join(dir, `case-${String(i).padStart(5, "0")}.yaml`), stringify(c));
  }
  return dir;
}

/** The environment, with a data folder of the run's own (below). */
const isolated = () => ({ ...process.env, SAFEGUARD_DATA_DIR: fresh("data") });

/**
 * One batch run into OUT (a fresh folder): wall ms, CPU ms and peak resident memory (MB), from
 * GNU time. Each run has a data folder of its own: the lead's list of cases (issue 26) is
 * never the bench's, and one run's thousands of cases never swell the next run's list.
 */
function batch(cases, out, extra = []) {
  const t = performance.now();
  const r = spawnSync(
    "/usr/bin/time",
    ["-f", "%U %S %M", node, bin, "batch", cases, "--out", out, "--date", DATE, ...extra],
    // A line a case: 10,000 cases print more than spawnSync's 1 MB default.
    {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: isolated(),
    },
  );
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`batch: exit ${r.status}: ${r.stderr}`);
  const [user, sys, kb] = (r.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return { ms, cpu: (user + sys) * 1000, mb: kb / 1024 };
}

/** One run of the I/O floor script (PLAIN: bare writeFileSync), plus `node -e 0` for its start. */
function floor(cases, ref, plain) {
  const r = spawnSync(
    node,
    [join(packageRoot, "scripts", "io-floor.mjs"), cases, ref, fresh("floor"), ...(plain ? ["--plain"] : [])],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`io-floor: ${r.stderr}`);
  return bare + Number(r.stdout);
}

const bare = timed(["-e", "0"], 15);
console.log(`node -e 0: ${bare.toFixed(0)} ms (${availableParallelism()} cores, load ${load()})`);
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;

// 1. batch of N cases with --out, against the I/O floor script (the same reads and writes,
// the same discipline: tmp, 0600, rename, manifest) and a plain writeFileSync floor: as it
// runs by default, and on one thread (--jobs 1), the four taking turns round by round.
const cases = PARTS.has("batch") || PARTS.has("memory") ? generate(N) : "";
let mem1 = 0;
if (PARTS.has("batch")) {
  const threads = workerCount(N, undefined, availableParallelism());
  const ref = fresh("ref");
  batch(cases, ref); // warm the page cache, and the reference tree for the floors
  const from = load();
  const runs = { batch: [], one: [], floor: [], plain: [] };
  interleaved(ROUNDS, [
    () => {
      const r = batch(cases, fresh("out"));
      runs.batch.push(r.ms);
      mem1 = Math.max(mem1, r.mb);
    },
    () => runs.one.push(batch(cases, fresh("out"), ["--jobs", "1"]).ms),
    () => runs.floor.push(floor(cases, ref, false)),
    () => runs.plain.push(floor(cases, ref, true)),
  ]);
  const [b, b1, f, p] = [runs.batch, runs.one, runs.floor, runs.plain].map(median);
  const ratios = (ms) =>
    `${(ms / f).toFixed(1)}× the I/O floor (${s(f)}), ${(ms / p).toFixed(0)}× plain writes (${s(p)})`;
  row(
    `batch ${N} cases --out (${threads ? `${threads} worker threads` : "one thread"})`,
    s(b),
    ratios(b),
    "≤ 3×",
    from,
  );
  row("  the same, --jobs 1", s(b1), ratios(b1), "", from);
}

// 2. start-up, each run beside a run of `node -e 0`, so both meet the same load.
/** Median wall times (ms) of ARGS (a function of the run's number) and of `node -e 0`, run in turn. */
function besideBare(args, runs, env = process.env) {
  const times = [];
  const bares = [];
  for (let i = 0; i < runs; i++) {
    bares.push(timed(["-e", "0"], 1, env));
    times.push(timed(args(i), 1, env));
  }
  return [median(times), median(bares)];
}
const startUp = (what, args, runs, target, env = process.env) => {
  const from = load();
  const [ms, base] = besideBare(typeof args === "function" ? args : () => args, runs, env);
  row(
    what,
    `${ms.toFixed(0)} ms`,
    `${(ms / base).toFixed(2)}× node -e 0 (${base.toFixed(0)} ms)`,
    target,
    from,
  );
};
// NODE_EXTRA_CA_CERTS makes every Node start, `node -e 0`'s too, read and parse a file of
// certificates first (on the machine these figures were taken on, 0.42 G of `node -e 0`'s
// 0.50 G instructions): a swollen base squeezes every ratio toward 1. Where it is set, the
// start-up figures are taken a second time without it, as most machines start Node.
const startUps = (env, note) => {
  const as = (what) => `${what}${note}`;
  startUp(as("run --answers EX-1"), [bin, "run", "--answers", example, "--date", DATE], 15, "≤ 1.5×", env);
  startUp(
    as("run --answers EX-1 --out"),
    () => [bin, "run", "--answers", example, "--date", DATE, "--out", fresh("run-out")],
    15,
    "≤ 2×",
    env,
  );
  startUp(as("--version"), [bin, "--version"], 21, "≤ 1.1×", env);
  startUp(as("--help"), [bin, "--help"], 21, "≤ 1.1×", env);
};
if (PARTS.has("start")) {
  startUps(process.env, "");
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _certs, ...without } = process.env;
    startUps(without, " (no NODE_EXTRA_CA_CERTS)");
  }
}

// 3. The wizard's review after a change: replay sessions (each scenario's case answered
// question by question, as the wizard asks), then at the review change each answer in turn
// to another value, timing changeAnswer and the question that follows it.
if (PARTS.has("review")) {
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
  const fromReview = load();
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
    fromReview,
  );
}

// 4. Peak memory: a batch of BIG against the batch of N above (both by default), and, when
// the two run on different numbers of threads (one thread for N, workers for BIG), N again on
// BIG's threads: what grows with the cases apart from what the threads add.
if (PARTS.has("memory") && BIG > 0) {
  const from = load();
  if (mem1 === 0) mem1 = batch(cases, fresh("out")).mb;
  const big = batch(generate(BIG), fresh("out-big"));
  const threads = (n) => workerCount(n, undefined, availableParallelism());
  const on = (n) => (threads(n) ? `${threads(n)} worker threads` : "one thread");
  row(
    `peak memory, batch ${BIG} vs ${N} (${on(BIG)} vs ${on(N)})`,
    `${big.mb.toFixed(0)} MB vs ${mem1.toFixed(0)} MB`,
    `${(big.mb / mem1).toFixed(2)}× (${BIG} cases in ${s(big.ms)})`,
    "≤ 1.25×",
    from,
  );
  if (threads(BIG) !== threads(N)) {
    const jobs = String(Math.max(1, threads(BIG)));
    const same = batch(cases, fresh("out"), ["--jobs", jobs]);
    row(
      `  the ${N} on the same threads (--jobs ${jobs})`,
      `${big.mb.toFixed(0)} MB vs ${same.mb.toFixed(0)} MB`,
      `${(big.mb / same.mb).toFixed(2)}×`,
      "",
      from,
    );
  }
}

if (PARTS.has("linear")) {
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
  /** The case of 40,000 characters is refused (exit 1): that run is timed all the same. */
  const runs300 = (dir) => {
    const t = performance.now();
    spawnSync(node, [bin, "batch", dir, "--out", fresh("out-300"), "--date", DATE, "--jobs", "1"], {
      env: isolated(),
    });
    return performance.now() - t;
  };
  const t300s = [];
  const t300longs = [];
  const from300 = load();
  interleaved(3, [() => t300s.push(runs300(plain300)), () => t300longs.push(runs300(withLong))]);
  const t300 = median(t300s);
  const t300long = median(t300longs);
  row(
    "batch 300, one case_id of 40,000 characters",
    `${(t300long / 1000).toFixed(1)} s`,
    `${(t300long / t300).toFixed(2)}× without it (${(t300 / 1000).toFixed(1)} s); was 68 s against 7 s`,
    "≈ 1×",
    from300,
  );

  const hugeLine = Buffer.alloc(100 * 1024 * 1024, 0x20);
  hugeLine.write('{"case_id":"HUGE",', 0);
  hugeLine.write('"concern":{"date":"2026-11-23"}}', hugeLine.length - 32);
  const fromHuge = load();
  const t0 = performance.now();
  const huge = spawnSync("/usr/bin/time", ["-f", "%M", node, bin, "batch", "-", "--out", fresh("out-huge")], {
    input: hugeLine,
    encoding: "utf8",
    env: isolated(),
    maxBuffer: 1024 * 1024 * 1024,
  });
  const hugeMs = performance.now() - t0;
  if (!huge.stdout.includes("larger than 4 MB"))
    throw new Error(`batch -: the 100 MB line was not refused: ${huge.stdout}`);
  row(
    "batch -, one NDJSON line of 100 MB",
    `${(hugeMs / 1000).toFixed(1)} s, ${(Number(huge.stderr.trim().split("\n").at(-1)) / 1024).toFixed(0)} MB peak`,
    "refused as over 4 MB; was decided with 3.5 GB",
    "< 200 MB",
    fromHuge,
  );
}

// 5. Where worker threads pay (issue 25): each batch size on one thread and on two, the
// two taking turns, with wall time and CPU time (user + system, all threads).
if (PARTS.has("workers")) {
  for (const n of WORKER_SIZES) {
    const dir = generate(n);
    batch(dir, fresh("out")); // warm the page cache
    const from = load();
    const one = [];
    const two = [];
    interleaved(ROUNDS, [
      () => one.push(batch(dir, fresh("out"), ["--jobs", "1"])),
      () => two.push(batch(dir, fresh("out"), ["--jobs", "2"])),
    ]);
    const [w1, w2, c1, c2] = [one, two, one, two].map((rs, i) =>
      median(rs.map((r) => (i < 2 ? r.ms : r.cpu))),
    );
    row(
      `batch ${n}: 2 worker threads vs --jobs 1`,
      `${s(w2)} vs ${s(w1)}`,
      `${(w2 / w1).toFixed(2)}× the time, ${(c2 / c1).toFixed(2)}× the CPU (${s(c2)} vs ${s(c1)})`,
      "",
      from,
    );
  }
}

// Only now, with every figure taken, is anything deleted.
rmSync(work, { recursive: true, force: true });
const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
console.log();
for (const r of rows) console.log(r.map((c, i) => (i < 4 ? c.padEnd(w[i]) : c && `target ${c}`)).join("  "));
