// `npm run build`: every stage of the build, in order, as one table a maintainer can read:
// what each makes, why it is there, and its freshness key (when the program still uses
// what it made). `node scripts/build.mjs --list` prints the table; `--binary` adds the
// single executables (npm run build:binary; its own options, such as --no-windows, passed on).
//
// One freshness rule (docs/decisions.md, "The build as one table"): a thing the build made
// is used only while what it was made from reads the same, by content, never by time, size
// or a random id. A stage without a key is remade by every build and has no inputs a user
// can change after it (the program reads it as it reads its own code).
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const node = (script, ...args) => [process.execPath, script, ...args];

/** The stages, in the order they run: each may read what the ones above it made. */
const STAGES = [
  {
    name: "clean",
    makes: "an empty dist/",
    why: "nothing from an older build is ever used by this one",
    fresh: "-",
    run: () => rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true }),
  },
  {
    name: "compile",
    makes: "dist/**/*.js (tsc, tsconfig.build.json)",
    why: "the program as Node runs it; every later stage imports it",
    fresh: "-",
    command: node(require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"),
  },
  {
    name: "bank-holidays",
    makes: "dist/engine/bank-holidays.json",
    why: "England and Wales bank holidays 1990-2100, the program's only source (date-holidays is a development dependency); test/dates.test.ts holds it to the library",
    fresh: "-",
    command: node("scripts/bank-holidays.mjs"),
  },
  {
    name: "assets",
    makes: "dist/assets/: DejaVuSans.ttf and its LICENSE, resvg.wasm",
    why: "the pictures' one font and WebAssembly, shipped without the packages they come in",
    fresh: "-",
    command: node("scripts/assets.mjs"),
  },
  {
    name: "flow-cache",
    makes: "dist/flow-cache.json",
    why: "each bundled flow file's parse and checked value, each template's reads, each flow's condition memo: no YAML, Liquid or zod when they are unchanged",
    fresh:
      "sha256 of each file's text (templates: with what they include; the memo: of the flow's, facts' and parts' texts)",
    command: node("scripts/flow-cache.mjs"),
  },
  {
    name: "flow-image",
    makes: "dist/flow-image/NAME.v8",
    why: "each bundled flow as compiled, read with v8.deserialize (~6 ms against ~30 ms to compile)",
    fresh: "every text it was compiled from, compared as strings (and the same V8)",
    command: node("scripts/flow-image.mjs"),
  },
  {
    name: "schemas",
    makes: "schemas/case, result, scenario and story.schema.json",
    why: "JSON Schemas for editors and scripts, from the definitions `safeguard schema` prints",
    fresh: "-",
    command: node("scripts/schemas.mjs"),
  },
  {
    name: "bundle",
    makes: "dist/safeguard.cjs, its code cache dist/safeguard.cjs.cache, dist/vendor/*.cjs",
    why: "one ASCII CommonJS file compiled from V8's code cache: no ES module loading or compiling at start",
    fresh:
      "the bundle's sha256, at the bundle's end and the cache's start (and V8's own check of its version and flags)",
    command: node("scripts/bundle.mjs"),
  },
  {
    name: "start-texts",
    makes: "dist/start-texts.json",
    why: "--version and piped --help as the full program prints them, answered by bin/boot.js without loading it",
    fresh: "the text of package.json and of each bundled flow file",
    command: node("scripts/start-texts.mjs"),
  },
  {
    name: "binary",
    makes: "dist/bin/safeguard-<platform>-<arch>, dist/bin/safeguard-win-x64.exe",
    why: "safeguard with no Node to install (Node's single executable applications; the flow image and cache inside)",
    fresh: "what is inside it is its own: the flow image's texts are the built-in ones",
    only: "--binary",
    command: node("scripts/build-binary.mjs"),
  },
];

const args = process.argv.slice(2);
if (args.includes("--list")) {
  for (const s of STAGES)
    process.stdout.write(
      `${s.name}${s.only ? ` (${s.only})` : ""}\n  makes: ${s.makes}\n  why:   ${s.why}\n  fresh: ${s.fresh}\n`,
    );
  process.exit(0);
}
const passed = args.filter((a) => a !== "--binary");
for (const stage of STAGES) {
  if (stage.only && !args.includes(stage.only)) continue;
  if (stage.run) stage.run();
  else {
    const [cmd, ...rest] = stage.command;
    const extra = stage.only ? passed : [];
    const r = spawnSync(cmd, [...rest, ...extra], { cwd: root, stdio: "inherit" });
    if (r.status !== 0) {
      process.stderr.write(`build: stage ${stage.name} failed (exit ${r.status ?? r.signal})\n`);
      process.exit(r.status || 1);
    }
  }
}
