import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";

/**
 * `npm pack` gives a tarball that installs globally from the file with no network (--offline,
 * an empty npm cache) and no build step, and puts a working `safeguard` on the PATH.
 */

const npm = process.env.npm_execpath?.endsWith(".js")
  ? [process.execPath, process.env.npm_execpath]
  : ["npm"];
const runNpm = (args: string[], cwd: string) =>
  execFileSync(npm[0] as string, [...npm.slice(1), ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_update_notifier: "false" },
    maxBuffer: 1 << 28, // npm pack --json lists every bundled file
  });

const built = existsSync(join(packageRoot, "dist", "flow-cache.json"));
if (!built) console.warn("Skipping the package tests: dist/ is not built (npm run build).");

const scratch = mkdtempSync(join(tmpdir(), "safeguard-package-"));
const prefix = join(scratch, "prefix");
const example = "ex-1-county-lines-15.yaml";
let tarball = "";
let files: string[] = [];

describe.skipIf(!built)("the npm package", { timeout: 60_000 }, () => {
  beforeAll(() => {
    // npm test has built dist/ already; --ignore-scripts so packing does not rebuild it
    // under the other test files' feet.
    const out = JSON.parse(
      runNpm(["pack", "--json", "--ignore-scripts", "--pack-destination", scratch], packageRoot),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = join(scratch, (out[0] as { filename: string }).filename);
    files = (out[0] as { files: { path: string }[] }).files.map((f) => f.path);
    // A machine with no network and nothing in npm's cache: the tarball carries its
    // dependencies (bundleDependencies), so npm needs nothing else.
    const cache = join(scratch, "empty-npm-cache");
    runNpm(
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--offline",
        "--cache",
        cache,
        "--no-audit",
        "--no-fund",
        tarball,
      ],
      scratch,
    );
  }, 180_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("ships the built code and the build's caches, not the executables or the sources", () => {
    for (const f of [
      "bin/safeguard.js",
      "dist/cli/main.js",
      "dist/flow-cache.json",
      "dist/engine/bank-holidays.json",
      "flows/all-age.flow.yaml",
      "templates/mash-referral.md",
      "schemas/case.schema.json",
      "schemas/result.schema.json",
      `examples/${example}`,
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => f.startsWith("dist/bin/") || f.startsWith("src/"))).toEqual([]);
  });

  it("ships each package once: bundled into dist/, never again in node_modules", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.bundleDependencies).toBeUndefined();
    expect(files.filter((f) => f.startsWith("node_modules/"))).toEqual([]);
    // The pictures' one font with its licence, and resvg's WebAssembly: not their packages.
    for (const f of ["DejaVuSans.ttf", "DejaVuSans.LICENSE", "resvg.wasm"])
      expect(files).toContain(`dist/assets/${f}`);
    // Their notices go with the bundled packages' code.
    const notices = readFileSync(join(packageRoot, "dist", "THIRD-PARTY-LICENSES.txt"), "utf8");
    for (const name of ["docx 9.7.0 (MIT)", "yaml 2.9.1 (ISC)", "@resvg/resvg-wasm 2.6.2 (MPL-2.0)"])
      expect(notices).toContain(name);
    expect(files).toContain("dist/THIRD-PARTY-LICENSES.txt");
    const installed = join(prefix, "lib", "node_modules", "safeguard");
    expect(existsSync(join(installed, "node_modules"))).toBe(false);
  });

  it("needs no build step when installed: no install scripts", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
    for (const s of ["preinstall", "install", "postinstall"]) expect(pkg.scripts?.[s], s).toBeUndefined();
    // prepare runs for a git checkout, never for a tarball: the installed copy has no compiler.
    const installed = join(prefix, "lib", "node_modules", "safeguard");
    expect(existsSync(join(installed, "dist", "flow-cache.json"))).toBe(true);
    expect(existsSync(join(installed, "node_modules", "typescript"))).toBe(false);
  });

  it("puts safeguard on the PATH; run --answers writes what the checkout writes", () => {
    const dir = join(scratch, "user");
    mkdirSync(dir);
    copyFileSync(join(packageRoot, "examples", example), join(dir, example));
    const env = {
      ...process.env,
      PATH: [join(prefix, "bin"), dirname(process.execPath)].join(delimiter),
      NO_COLOR: "",
      FORCE_COLOR: "0",
    };
    const which = spawnSync("/bin/sh", ["-c", "command -v safeguard"], { env, encoding: "utf8" });
    expect(which.stdout.trim()).toBe(join(prefix, "bin", "safeguard"));
    const r = spawnSync("safeguard", ["run", "--answers", example, "--out", "out"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Case EX-1: 15, child pathway");
    const checkout = join(scratch, "checkout");
    mkdirSync(checkout);
    copyFileSync(join(packageRoot, "examples", example), join(checkout, example));
    expect(cli(["run", "--answers", example, "--out", "out"], { cwd: checkout }).code).toBe(0);
    const written = readdirSync(join(dir, "out", "EX-1")).sort();
    expect(written).toContain("mash-referral.md");
    expect(readdirSync(join(checkout, "out", "EX-1")).sort()).toEqual(written);
    // Byte for byte, but the time of each run in the case's history.
    const read = (root: string, f: string) =>
      f === "chronology.jsonl"
        ? readFileSync(join(root, "out", "EX-1", f), "utf8").replace(/"at":"[^"]*"/g, '"at":""')
        : readFileSync(join(root, "out", "EX-1", f));
    for (const f of written) expect(read(dir, f), f).toEqual(read(checkout, f));
    expect(written).toContain("pathway.svg");
    // The pictures' WebAssembly and font come in the tarball too: a PNG, offline.
    const png = spawnSync("safeguard", ["flows", "graph", "--section", "maace/1", "--format", "png"], {
      cwd: dir,
      env,
    });
    expect(png.stderr.toString()).toBe("");
    expect(png.stdout.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
});
