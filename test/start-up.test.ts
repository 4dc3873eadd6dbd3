import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { cli, example } from "./helpers/cli.js";

// How the command starts (bin/boot.js, scripts/bundle.mjs, scripts/start-texts.mjs): the
// bundle and the build's texts only save time, so what they print must be what the modules
// tsc wrote print, byte for byte.

interface Boot {
  compile(dir: string, cache: Buffer | undefined): { exports: { main: unknown }; script: Script };
  cacheFile(dir: string): string;
  inputsNow(): [string, string][];
}
const boot = createRequire(import.meta.url)("../bin/boot.js") as Boot;
const dist = join(packageRoot, "dist");
const built = existsSync(join(dist, "safeguard.cjs"));
if (!built) console.warn("Skipping the start-up tests: dist/ is not built (npm run build).");

/** The full program from the modules tsc wrote (no bundle, no captured texts), output piped. */
function unbundled(args: string[]): { code: number | null; stdout: string } {
  const main = pathToFileURL(join(dist, "cli", "main.js")).href;
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv.slice(0, 1).concat(["safeguard"], process.argv.slice(1)));`,
      "--",
      ...args,
    ],
    { cwd: packageRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0" } },
  );
  return { code: r.status, stdout: r.stdout };
}

/**
 * Each way cel-js was loaded while the modules tsc wrote ran ARGS: an ES module import of it
 * (seen by a resolve hook) or a require of it (seen in require's cache).
 */
function celLoads(args: string[]): { code: number | null; loads: string[] } {
  const log = join(mkdtempSync(join(tmpdir(), "safeguard-cel-")), "loads.txt");
  const hook = `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.includes("/@marcbachmann/cel-js/")) appendFileSync(${JSON.stringify(log)}, "import " + r.url + "\\n");
  return r;
}`;
  const main = pathToFileURL(join(dist, "cli", "main.js")).href;
  const r = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});
const { main } = await import(${JSON.stringify(main)});
process.exitCode = await main(process.argv.slice(0, 1).concat(["safeguard"], process.argv.slice(1)));
for (const k of Object.keys(createRequire(${JSON.stringify(main)}).cache))
  if (k.includes("/@marcbachmann/cel-js/")) appendFileSync(${JSON.stringify(log)}, "require " + k + "\\n");
appendFileSync(${JSON.stringify(log)}, "");`,
      "--",
      ...args,
    ],
    { cwd: packageRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0" } },
  );
  const loads = readFileSync(log, "utf8").split("\n").filter(Boolean);
  return { code: r.status, loads };
}

/**
 * The Node built-in modules the installed command (bin/safeguard.js: the bundle) loaded while
 * running ARGS, its output piped: process.moduleLoadList, read as the process exits.
 */
function builtinLoads(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; loads: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-builtins-"));
  const log = join(dir, "loads.txt");
  const preload = join(dir, "preload.cjs");
  writeFileSync(
    preload,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.join("\\n")));`,
  );
  const r = spawnSync(
    process.execPath,
    ["--require", preload, join(packageRoot, "bin", "safeguard.js"), ...args],
    {
      cwd: packageRoot,
      encoding: "utf8",
      env: { ...process.env, ...env },
    },
  );
  const loads = existsSync(log) ? readFileSync(log, "utf8").split("\n") : [];
  return { code: r.status, loads: loads.map((l) => l.replace(/^NativeModule /, "")) };
}

describe.skipIf(!built)("start-up", () => {
  it("--version and piped --help print what the full command table prints", () => {
    for (const flag of ["--version", "-V", "--help", "-h"]) {
      const fast = cli([flag]);
      expect(fast.code, flag).toBe(0);
      expect(fast.stdout, flag).toBe(unbundled([flag]).stdout);
    }
    // After a build the texts are used: the files the version is read from are as they were.
    const texts = JSON.parse(readFileSync(join(dist, "start-texts.json"), "utf8"));
    expect(texts.inputs).toEqual(boot.inputsNow());
    expect(texts.version).toMatch(/^safeguard \d+\.\d+\.\d+\n {2}all-age: .+\(version [^)]+\)\n$/);
  });

  it("the bundle prints and writes what the modules print, for every worked example", () => {
    const examples = readdirSync(join(packageRoot, "examples")).filter((f) => f.endsWith(".yaml"));
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) {
      for (const extra of [[], ["--json"]]) {
        const args = ["run", "--answers", example(name), "--date", "2026-11-23", ...extra];
        const bundled = cli(args);
        expect(bundled.code, name).toBe(0);
        expect(bundled.stdout, `${name} ${extra}`).toBe(unbundled(args).stdout);
      }
    }
  });

  it("the bundle is ASCII only (a one-byte source for V8), and means what the modules mean", () => {
    const bytes = readFileSync(join(dist, "safeguard.cjs"));
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
    // The escaped characters are still there, as escapes: a curly apostrophe is a word
    // character to the language check (the worked examples above compare whole outputs).
    expect(bytes.toString("latin1")).toContain("\\u2019");
  });

  it("runs the bundle from the build's code cache, which V8 accepts", () => {
    const { exports, script } = boot.compile(dist, readFileSync(boot.cacheFile(dist)));
    expect(script.cachedDataRejected).toBe(false);
    expect(typeof exports.main).toBe("function");
  });

  it("never uses a cache from another build; the bundle is then compiled as usual", () => {
    const cache = Buffer.from(readFileSync(boot.cacheFile(dist)));
    const at = cache.indexOf("build ") + "build ".length;
    cache[at] = cache[at] === 0x30 ? 0x31 : 0x30; // another build id
    const { exports, script } = boot.compile(dist, cache);
    expect(script.cachedDataRejected).toBeUndefined(); // not offered to V8 at all
    expect(typeof exports.main).toBe("function");
  });

  it("a run from the bundled flow's image does not load cel-js; a flow given by path does", () => {
    const run = ["run", "--answers", example("ex-1-county-lines-15.yaml"), "--date", "2026-11-23"];
    const fromImage = celLoads(run);
    expect(fromImage.code).toBe(0);
    expect(fromImage.loads).toEqual([]);
    const out = celLoads([...run, "--out", join(mkdtempSync(join(tmpdir(), "safeguard-out-")), "drafts")]);
    expect(out.code).toBe(0);
    expect(out.loads).toEqual([]);
    // A flow of one's own (here a copy of the bundled one) is compiled, its conditions parsed
    // and checked by cel-js.
    const own = mkdtempSync(join(tmpdir(), "safeguard-flow-"));
    for (const dir of ["flows", "templates"])
      cpSync(join(packageRoot, dir), join(own, dir), { recursive: true });
    const custom = celLoads(["run", join(own, "flows", "all-age.flow.yaml"), ...run.slice(1)]);
    expect(custom.code).toBe(0);
    expect(custom.loads.length).toBeGreaterThan(0);
  });

  it("a piped run --answers loads no node:crypto; with --out, which hashes what it writes, it does", () => {
    const run = ["run", "--answers", example("ex-1-county-lines-15.yaml"), "--date", "2026-11-23"];
    const piped = builtinLoads(run);
    expect(piped.code).toBe(0);
    expect(piped.loads).toContain("fs"); // the list was read
    expect(piped.loads).not.toContain("crypto");
    const out = builtinLoads([
      ...run,
      "--out",
      join(mkdtempSync(join(tmpdir(), "safeguard-out-")), "drafts"),
    ]);
    expect(out.code).toBe(0);
    expect(out.loads).toContain("crypto");
  });

  it("a piped run --answers loads no node:tty: colour is chosen without it (FORCE_COLOR still colours)", () => {
    const run = ["run", "--answers", example("ex-1-county-lines-15.yaml"), "--date", "2026-11-23"];
    for (const env of [{}, { FORCE_COLOR: "1" }, { NO_COLOR: "1" }]) {
      const piped = builtinLoads(run, env);
      expect(piped.code).toBe(0);
      expect(piped.loads).toContain("fs");
      expect(piped.loads, JSON.stringify(env)).not.toContain("tty");
    }
    // The bundle gives chalk no colour support of its own (scripts/bundle.mjs), so each Chalk
    // of ours is made with the level useColour chose.
    const made = readdirSync(join(packageRoot, "src"), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => readFileSync(join(packageRoot, "src", f), "utf8").match(/new Chalk\([^)]*\)/g) ?? []);
    expect(made.length).toBeGreaterThan(0);
    for (const m of made) expect(m).toMatch(/level/);
  });
});
