import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_INCLUDED } from "../src/flow/templates.js";
import { packageRoot } from "../src/io/paths.js";
import { cli, example } from "./helpers/cli.js";
import { FIXED_SEED, fuzzSeed } from "./support/fast-check-seed.js";

/**
 * Issue 24, "the last escapes": what a case or a custom flow holds, and what the program
 * prints, reach a reader only as text.
 */

const BIN = join(packageRoot, "bin", "safeguard.js");
const scratch = mkdtempSync(join(tmpdir(), "safeguard-trust-escapes-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let n = 0;

/** A copy of the bundled flow (flows/ and templates/ side by side) in a folder of its own. */
function customFlow(edit: (dir: string) => void): { dir: string; flow: string } {
  const dir = mkdtempSync(join(scratch, `f${n++}-`));
  cpSync(join(packageRoot, "flows"), join(dir, "flows"), { recursive: true });
  cpSync(join(packageRoot, "templates"), join(dir, "templates"), { recursive: true });
  edit(dir);
  return { dir, flow: join(dir, "flows", "all-age.flow.yaml") };
}

const oneLine = (r: { code: number | null; stderr: string }) => {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/This is a bug|\n\s+at |node:events/);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
};

/** The built CLI with its output a pipe nobody reads: the reading end is closed before it starts. */
function intoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("the fast start's own output fails as every command's does: exit 2, one line", () => {
  it("--version and -V onto a full disk (/dev/full)", () => {
    if (!existsSync("/dev/full")) return;
    for (const flag of ["--version", "-V", "--help"]) {
      const full = openSync("/dev/full", "w");
      const r = spawnSync(process.execPath, [BIN, flag], {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      });
      closeSync(full);
      oneLine({ code: r.status, stderr: r.stderr });
      expect(r.stderr).toBe("safeguard: error: cannot write the output: the disk is full\n");
    }
  });

  it("--help and --version into a closed pipe (`| head -0`)", async () => {
    for (const flag of ["--help", "--version"]) {
      const r = await intoClosedPipe([flag]);
      oneLine(r);
      expect(r.stderr).toBe(
        "safeguard: error: cannot write the output: the output was closed before everything was written\n",
      );
    }
  });
});

describe("a custom flow's includes are bounded, however they branch", () => {
  /** x1.md includes x2.md twice, x2.md x3.md twice, … to x{LEVELS}.md; the case summary includes x1.md. */
  function doubling(levels: number) {
    return customFlow((dir) => {
      for (let i = 1; i <= levels; i++) {
        const next = i < levels ? `{% include 'x${i + 1}.md' %}{% include 'x${i + 1}.md' %}\n` : "";
        writeFileSync(join(dir, "templates", `x${i}.md`), `level ${i}\n${next}`);
      }
      const summary = join(dir, "templates", "case-summary.md");
      writeFileSync(summary, `${readFileSync(summary, "utf8")}\n{% include 'x1.md' %}\n`);
    });
  }

  it("30 levels that each include the next twice (2^30 templates): refused at load, once, at the include that passes the bound; exit 2, never a hang", () => {
    const { dir, flow } = doubling(30);
    // 2^k - 1 templates from x(31-k): x21.md (1023) is the first over the bound.
    const over = 30 - Math.ceil(Math.log2(MAX_INCLUDED + 1)) + 1;
    for (const args of [
      ["flows", "validate", flow],
      ["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).not.toMatch(/This is a bug|\n\s+at /);
      const problems = r.stderr.split("\n").filter((l) => /templates[\\/]\S+\.md:\d+:\d+ /.test(l));
      expect(problems.map((l) => l.replace(/^.*templates[\\/]/, ""))).toEqual([
        `x${over}.md:2:${"{% include 'x00.md' %}{% include ".length + 1}  include "x${over + 1}.md": x${over}.md would be made of more than ${MAX_INCLUDED} templates, counting each include as often as it is reached (a template that includes another twice, which includes another twice, … doubles each time): include fewer`,
      ]);
    }
    expect(readdirSync(dir)).not.toContain("out");
  });

  it("just within the bound (9 levels, 511 templates), the same chain is a flow like any other", () => {
    const { dir, flow } = doubling(9);
    const r = cli(["run", flow, "--answers", example("ex-1-county-lines-15.yaml"), "--out", "out"], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    const summary = readFileSync(join(dir, "out", "EX-1", "case-summary.md"), "utf8");
    expect(summary.match(/^level 9$/gm)).toHaveLength(256);
  });
});

describe("the debug switches of bundled libraries are cleared at start", () => {
  it("LOG_TOKENS, LOG_STREAM (yaml) and TINYGLOBBY_DEBUG print nothing of a case: run and batch say what they say without them", () => {
    const dir = mkdtempSync(join(scratch, "debug-"));
    const text = readFileSync(example("ex-1-county-lines-15.yaml"), "utf8").replace(
      "person:\n",
      "person:\n  name: Taro Yamada\n",
    );
    writeFileSync(join(dir, "Taro-Yamada.yaml"), text);
    const switches = { LOG_TOKENS: "1", LOG_STREAM: "1", TINYGLOBBY_DEBUG: "1" };
    for (const args of [
      ["run", "--answers", "Taro-Yamada.yaml", "--date", "2026-08-27"],
      ["run", "--answers", "-", "--date", "2026-08-27"],
      ["batch", "*.yaml", "--out", "out", "--date", "2026-08-27", "--force"],
    ]) {
      const input = args.includes("-") ? text : "";
      const plain = cli(args, { cwd: dir, input });
      expect(plain.code, plain.stderr).toBe(0);
      const debug = cli(args, { cwd: dir, input, env: switches });
      expect(debug.stdout).toBe(plain.stdout);
      expect(debug.stderr).toBe(plain.stderr);
      expect(debug.stderr).not.toContain("Taro");
    }
  });
});

describe("the fuzzers run on a fixed seed, and a failure can be replayed", () => {
  it("every property runs on FIXED_SEED, or on FC_SEED when that is an integer", () => {
    expect(fc.readConfigureGlobal().seed).toBe(fuzzSeed(process.env));
    expect(fuzzSeed({})).toBe(FIXED_SEED);
    expect(fuzzSeed({ FC_SEED: "42" })).toBe(42);
    expect(fuzzSeed({ FC_SEED: "-7" })).toBe(-7);
    expect(fuzzSeed({ FC_SEED: "" })).toBe(FIXED_SEED);
    expect(fuzzSeed({ FC_SEED: "random" })).toBe(FIXED_SEED);
  });

  it("the same cases each run; a failure prints its seed and path, which replay it", () => {
    const seen = () => fc.sample(fc.string(), 20);
    expect(seen()).toEqual(seen());
    const failing = fc.property(fc.integer(), (i) => i < 1000);
    const first = fc.check(failing);
    expect(first.failed).toBe(true);
    expect(first.seed).toBe(fuzzSeed(process.env));
    expect(fc.defaultReportMessage(first)).toContain(
      `seed: ${first.seed}, path: "${first.counterexamplePath}"`,
    );
    const replayed = fc.check(failing, { seed: first.seed, path: first.counterexamplePath ?? "" });
    expect(replayed.counterexample).toEqual(first.counterexample);
  });
});
