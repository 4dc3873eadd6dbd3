// npm run bench: how fast safeguard is, measured, not asserted. Run on a quiet machine;
// numbers are medians of several runs.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { readCase } from "../dist/engine/answers.js";
import { decide } from "../dist/engine/decide.js";
import { nextQuestion } from "../dist/engine/next.js";
import { loadFlow } from "../dist/io/flows.js";
import { packageRoot } from "../dist/io/paths.js";
import { checkText } from "../dist/language/check.js";
import { loadLexicon } from "../dist/language/load.js";
import { templateEngine } from "../dist/render/documents.js";
import { renderOutputs } from "../dist/render/outputs.js";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bin = join(packageRoot, "bin", "safeguard.js");
const example = join(packageRoot, "examples", "ex-1-county-lines-15.yaml");
const rows = [];

function cold(label, args, runs = 7) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}: ${r.stderr}`);
  }
  rows.push([label, `${median(times).toFixed(0)} ms`, "whole process, median of " + runs]);
}

cold("safeguard --version", ["--version"]);
cold("safeguard flows validate", ["flows", "validate"]);
cold("safeguard run --answers EX-1 --json", ["run", "--answers", example, "--json"]);

let t = performance.now();
const flow = loadFlow(undefined, packageRoot);
rows.push(["compile the bundled flow (in process, first)", `${(performance.now() - t).toFixed(0)} ms`, ""]);

const cases = readdirSync(join(packageRoot, "examples"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => readCase(f, readFileSync(join(packageRoot, "examples", f), "utf8"), flow.facts).answers);
const liquid = templateEngine();
for (const a of cases) renderOutputs(liquid, flow, decide(flow, a, "2026-11-23"), "out"); // warm up
const n = 300;
t = performance.now();
for (let i = 0; i < n; i++) {
  const a = cases[i % cases.length];
  renderOutputs(liquid, flow, decide(flow, a, "2026-11-23"), "out");
}
const per = (performance.now() - t) / n;
rows.push(["decide + render one case (warm)", `${per.toFixed(2)} ms`, `${Math.round(1000 / per)} cases/s`]);

t = performance.now();
for (let i = 0; i < n; i++) nextQuestion(flow, cases[i % cases.length], "2026-11-23");
rows.push(["nextQuestion (warm)", `${((performance.now() - t) / n).toFixed(2)} ms`, "per question asked"]);

// check-language must stay linear: 1 MB of text full of phrases to reword and quotations.
const lexicon = loadLexicon(join(packageRoot, "flows"));
const mb = 'She keeps going missing and chose to go with them. "she chose" '.repeat(16_000);
checkText(mb.slice(0, 10_000), lexicon); // warm up
const mbTimes = [];
let found = 0;
for (let i = 0; i < 3; i++) {
  t = performance.now();
  found = checkText(mb, lexicon).length;
  mbTimes.push(performance.now() - t);
}
rows.push([
  "check-language, 1 MB (in process)",
  `${median(mbTimes).toFixed(0)} ms`,
  `${found} findings, uncapped`,
]);

const w = Math.max(...rows.map((r) => r[0].length));
for (const [a, b, c] of rows) console.log(`${a.padEnd(w)}  ${b.padStart(9)}  ${c}`);
