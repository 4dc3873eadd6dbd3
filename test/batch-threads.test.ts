import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CASES_PER_WORKER, workerCount } from "../src/commands/batch.js";
import { packageRoot } from "../src/io/paths.js";
import { scenarios } from "./helpers/flow.js";

// batch on worker threads (issue 10) must write what one thread writes, byte for byte:
// every file and its mode, stdout, stderr and the exit code. Each run is in its own
// folder, with the same relative paths, so the two can be compared whole.

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function batch(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  node: string[] = [],
  input = "",
): Ran {
  const r = spawnSync(
    process.execPath,
    [...node, join(packageRoot, "bin", "safeguard.js"), "batch", ...args],
    {
      cwd,
      input,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0", ...env },
      timeout: 240_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`: its path, mode and sha256 (a case's history without the time of the run). */
function tree(dir: string): Record<string, string> {
  const bytes = (p: string) =>
    p.endsWith("chronology.jsonl")
      ? readFileSync(p, "utf8").replace(/"at":"[^"]*"/g, '"at":""')
      : readFileSync(p);
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      const mode = (statSync(p).mode & 0o777).toString(8);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = mode;
        walk(p);
      } else out[relative(dir, p)] = `${mode} ${createHash("sha256").update(bytes(p)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

/** A folder holding every scenario's case, with bad cases among them. */
function cases(): string {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-threads-"));
  const cases = join(dir, "cases");
  mkdirSync(cases);
  for (const s of scenarios()) writeFileSync(join(cases, s.file), stringify(s.case));
  // Bad cases, sorted in among the good ones: each must fail alone, as on one thread.
  writeFileSync(join(cases, "m-bad-yaml.yaml"), "case_id: BAD-1\nconcern: { date: 2026-11-23\n");
  writeFileSync(
    join(cases, "m-unknown-fact.yaml"),
    "case_id: BAD-2\nconcern: { date: 2026-11-23 }\nperson: { agee: 15 }\n",
  );
  writeFileSync(join(cases, "m-not-utf8.yaml"), Buffer.from([0x63, 0x3a, 0x20, 0xff, 0x0a]));
  writeFileSync(join(cases, "n-same-id-1.yaml"), "case_id: SAME\nconcern: { date: 2026-11-23 }\n");
  writeFileSync(join(cases, "n-same-id-2.yaml"), "case_id: SAME\nperson: { age: 40 }\n");
  return dir;
}

/** The same batch on one thread and on `jobs` threads, each in a copy of `dir`. */
function both(dir: string, args: string[], jobs: string[] = ["2", "3"], input = "") {
  const run = (j: string) => {
    const copy = mkdtempSync(join(tmpdir(), `safeguard-jobs-${j}-`));
    cpSync(dir, copy, { recursive: true });
    const r = batch(copy, [...args, "--jobs", j], {}, [], input);
    return { r, out: tree(copy), dir: copy };
  };
  return { one: run("1"), many: jobs.map(run) };
}

describe("batch on worker threads", () => {
  it("writes every scenario's case, and fails every bad one, as one thread does, byte for byte", () => {
    const dir = cases();
    for (const args of [
      ["cases", "nope.yaml", "--out", "out", "--date", "2026-11-23"],
      ["cases", "--out", "out", "--json", "--redact", "--date", "2026-11-23"],
    ]) {
      const { one, many } = both(dir, args);
      expect(one.r.code, one.r.stderr).toBe(1);
      if (args.includes("--redact")) {
        // Each file by its place in the batch, and an unknown key never quoted.
        expect(one.r.stdout).not.toMatch(/m-bad-yaml|agee/);
        expect(one.r.stdout).toMatch(/case-\d+:3:\d+ +unknown field \(its name withheld\)/);
        expect(one.r.stdout).toMatch(/case_id \\"SAME\\" is already used by case-\d+ in this batch/);
      } else {
        expect(one.r.stdout).toContain("m-bad-yaml.yaml:");
        expect(one.r.stdout).toMatch(/m-unknown-fact\.yaml:3:\d+ +person\.agee/);
        expect(one.r.stdout).toMatch(/case_id "SAME" is already used by cases\/n-same-id-1\.yaml/);
      }
      const written = Object.keys(one.out).filter((f) => /^out\/[^/]+\/pathway\.json$/.test(f)).length;
      expect(written).toBeGreaterThan(scenarios().length - 5);
      for (const m of many) {
        expect(m.r).toEqual(one.r);
        expect(m.out).toEqual(one.out);
      }
    }
  }, 600_000);

  it("reads standard input as it comes, on worker threads as on one: a bad line among many fails alone", () => {
    // Every scenario's case a line, twice over (each its own case_id), with bad lines in the
    // middle: worker threads are fed each case as its line is read, not from the whole input.
    const good = (round: number) =>
      scenarios().map((s, i) =>
        JSON.stringify({ ...s.case, case_id: `S${round}-${String(i).padStart(3, "0")}` }),
      );
    const [first, second] = [good(1), good(2)];
    const lines = [
      ...first,
      '{"case_id": "BAD-1", "concern": {"date": "2026-11-23"',
      "",
      JSON.stringify({ case_id: "BAD-2", concern: { date: "2026-11-23" }, person: { agee: 15 } }),
      JSON.stringify({ case_id: "S1-003", person: { age: 40 } }),
      ...second,
    ];
    const dir = mkdtempSync(join(tmpdir(), "safeguard-threads-stdin-"));
    const { one, many } = both(
      dir,
      ["-", "--out", "out", "--date", "2026-11-23", "--json"],
      ["2", "3"],
      `${lines.join("\n")}\n`,
    );
    expect(one.r.code, one.r.stderr).toBe(1);
    const { cases } = JSON.parse(one.r.stdout) as { cases: { file: string; ok: boolean }[] };
    // The blank line is no case; the bad lines fail, and each scenario's case fares alike in
    // both rounds, before them and after.
    expect(cases.length).toBe(lines.length - 1);
    const at = first.length + 1;
    const bad = [at, at + 2, at + 3].map((n) => cases.find((c) => c.file === `stdin line ${n}`)?.ok);
    expect(bad).toEqual([false, false, false]);
    const ok = cases.map((c) => c.ok);
    expect(ok.slice(0, first.length)).toEqual(ok.slice(first.length + 3));
    expect(ok.filter(Boolean).length).toBeGreaterThan(2 * (first.length - 5));
    for (const m of many) {
      expect(m.r).toEqual(one.r);
      expect(m.out).toEqual(one.out);
    }
  }, 600_000);

  it("a flow given with --flow is the flow every worker uses; a bad one is reported as on one thread", () => {
    const dir = cases();
    cpSync(join(packageRoot, "flows"), join(dir, "mine", "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "mine", "templates"), { recursive: true });
    const summary = join(dir, "mine", "templates", "case-summary.md");
    writeFileSync(summary, `${readFileSync(summary, "utf8")}\nOur own flow's summary.\n`);
    const args = ["cases", "--out", "out", "--flow", "mine/flows/all-age.flow.yaml"];
    const { one, many } = both(dir, args, ["2"]);
    expect(one.r.code).toBe(1);
    const first = readdirSync(join(one.dir, "out")).sort()[0] ?? "none";
    expect(readFileSync(join(one.dir, "out", first, "case-summary.md"), "utf8")).toContain(
      "Our own flow's summary.",
    );
    for (const m of many) expect(m.out).toEqual(one.out);

    const facts = join(dir, "mine", "flows", "facts.yaml");
    writeFileSync(
      facts,
      readFileSync(facts, "utf8").replace("person.age: { type: int,", "person.age: { type: integer,"),
    );
    const bad = both(dir, args, ["2"]);
    expect(bad.one.r.code).toBe(2);
    expect(bad.one.r.stderr).toMatch(
      /^safeguard: error: the flow all-age\.flow\.yaml has \d+ problems?:\n {2}mine/,
    );
    expect(bad.many[0]?.r).toEqual(bad.one.r);
    expect(bad.many[0]?.out).toEqual(bad.one.out);
  }, 600_000);

  it("a worker that stops is a bug (exit 70); every case written before it stays whole", () => {
    const dir = cases();
    const args = ["cases", "--out", "out", "--date", "2026-11-23", "--jobs", "2"];
    const { one } = both(dir, args.slice(0, -2), []);
    const ref = one.out;
    // The crash is the test's own (test/helpers/worker-crash.cjs): no shipped code reads
    // the variable that asked for it once.
    const shipped = mkdtempSync(join(tmpdir(), "safeguard-no-hook-"));
    cpSync(dir, shipped, { recursive: true });
    const plain = batch(shipped, args, { SAFEGUARD_TEST_WORKER_CRASH_AT: "40", WORKER_CRASH_AT: "40" });
    expect(plain).toEqual(one.r);
    expect(tree(shipped)).toEqual(ref);
    const r = batch(dir, args, { WORKER_CRASH_AT: "40" }, [
      "--require",
      join(packageRoot, "test", "helpers", "worker-crash.cjs"),
    ]);
    expect(r.code).toBe(70);
    expect(r.stdout).toBe("");
    const said =
      /a worker thread stopped \(.*\) after (\d+) of (\d+) cases were written to out\/.*--jobs 1/.exec(
        r.stderr,
      );
    expect(said, r.stderr).not.toBeNull();
    expect(r.stderr).toContain("This is a bug");
    const out = tree(dir);
    const folders = Object.keys(out).filter((f) => /^out\/[^/]+\/$/.test(f));
    expect(folders.length).toBe(Number(said?.[1]));
    expect(folders.length).toBeGreaterThan(0);
    expect(folders.length).toBeLessThan(Number(said?.[2]));
    // Whole, as one thread writes them, and nothing half-written left behind.
    for (const f of Object.keys(out).filter((p) => p.startsWith("out/"))) expect(out[f], f).toBe(ref[f]);
  }, 600_000);

  it("--jobs must be a whole number of threads", () => {
    const dir = cases();
    for (const bad of ["0", "two", "1.5", "-1"]) {
      const r = batch(dir, ["cases", "--out", "out", `--jobs=${bad}`]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--jobs "${bad}": give a whole number of threads`);
    }
  });

  it("workers start only for a batch large enough to pay for them, or when asked for", () => {
    expect(workerCount(10, undefined, 8)).toBe(0);
    expect(workerCount(2 * CASES_PER_WORKER - 1, undefined, 2)).toBe(0);
    expect(workerCount(2 * CASES_PER_WORKER, undefined, 2)).toBe(2);
    expect(workerCount(3 * CASES_PER_WORKER, undefined, 8)).toBe(3);
    expect(workerCount(100 * CASES_PER_WORKER, undefined, 8)).toBe(8);
    expect(workerCount(100 * CASES_PER_WORKER, undefined, 1)).toBe(0);
    expect(workerCount(5, 2, 1)).toBe(2);
    expect(workerCount(1, 4, 8)).toBe(1);
    expect(workerCount(5000, 1, 8)).toBe(0);
  });
});
