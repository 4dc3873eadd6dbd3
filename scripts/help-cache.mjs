// Build step: `safeguard --help` as printed with output piped (width 80, no colour), kept in
// dist/help.txt, so that --help need not load the command table (src/cli/fast.ts). Run with
// the fast path off, so the text always comes from the full command table.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const target = join(root, "dist", "help.txt");
rmSync(target, { force: true });
const r = spawnSync(process.execPath, [join(root, "bin", "safeguard.js"), "--help"], { encoding: "utf8" });
if (r.status !== 0 || r.stdout === "") throw new Error(`safeguard --help: exit ${r.status}: ${r.stderr}`);
writeFileSync(target, r.stdout);
