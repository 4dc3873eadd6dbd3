// Build step: `safeguard --version` and `safeguard --help` (output piped: width 80, no
// colour) as the full command table prints them, kept in dist/start-texts.json with the
// size and time of the files the version is read from, so that bin/boot.js can answer
// them without loading the program while those files are unchanged. Run with no such file,
// so the texts always come from the full program.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const target = join(root, "dist", "start-texts.json");
const boot = createRequire(import.meta.url)("../bin/boot.js");
rmSync(target, { force: true });
const texts = { inputs: boot.inputsNow() };
for (const [key, flag] of [
  ["version", "--version"],
  ["help", "--help"],
]) {
  const r = spawnSync(process.execPath, [join(root, "bin", "safeguard.js"), flag], { encoding: "utf8" });
  if (r.status !== 0 || r.stdout === "") throw new Error(`safeguard ${flag}: exit ${r.status}: ${r.stderr}`);
  texts[key] = r.stdout;
}
writeFileSync(target, `${JSON.stringify(texts, null, 2)}\n`);
