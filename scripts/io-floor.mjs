// The I/O floor for `npm run bench`: a plain Node script that does the disk work of
// `safeguard batch CASES --out OUT` and nothing else. It reads every case file, as batch
// does, and writes the same tree with the same discipline (src/io/output.ts): an owner-only
// folder per case (mkdir 0700, chmod), each file written to a tmp name with mode 0600,
// chmod 0600, renamed into place. The contents are those of a reference tree REF (a batch
// run's output), read into memory before the clock starts, so the script decides nothing.
// With --plain it writes the same files with bare writeFileSync (no tmp name, chmod or rename):
// the floor of any program that writes this much, for comparison.
//   node scripts/io-floor.mjs CASES REF OUT [--plain]   -> prints the milliseconds spent on I/O
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const [cases, ref, out, how] = process.argv.slice(2);
const plain = how === "--plain";
const tree = readdirSync(ref)
  .sort()
  .map((d) => [d, readdirSync(join(ref, d)).map((f) => [f, readFileSync(join(ref, d, f), "utf8")])]);
const start = performance.now();
const inputs = readdirSync(cases)
  .sort()
  .map((f) => readFileSync(join(cases, f), "utf8"));
if (inputs.length !== tree.length)
  throw new Error(`${inputs.length} cases but ${tree.length} folders in ${ref}`);
for (const [name, files] of tree) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (plain) {
    for (const [file, content] of files) writeFileSync(join(dir, file), content);
    continue;
  }
  chmodSync(dir, 0o700);
  for (const [file, content] of files) {
    const target = join(dir, file);
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, content, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, target);
  }
}
console.log((performance.now() - start).toFixed(1));
