import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { cli } from "./helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "safeguard-batch-"));

function casesDir(): string {
  const dir = tmp();
  cpSync(join(packageRoot, "examples"), join(dir, "cases"), { recursive: true });
  return dir;
}

/**
 * The built CLI (run through `wrap`, if given, e.g. GNU time), its standard input a pipe
 * the test writes to as it goes.
 */
function piped(cwd: string, args: string[], wrap: string[] = []) {
  const bin = [process.execPath, join(packageRoot, "bin", "safeguard.js"), ...args];
  const [command, ...rest] = [...wrap, ...bin] as [string, ...string[]];
  const child = spawn(command, rest, { cwd, env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0" } });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) =>
    child.on("close", (code) => res({ code, stdout, stderr })),
  );
  /** A line written, once the pipe has room for more. */
  const write = async (line: string) => {
    if (!child.stdin.write(`${line}\n`)) await once(child.stdin, "drain");
  };
  return { write, end: () => child.stdin.end(), done };
}

/** Whether `path` comes to exist within a minute. */
async function appears(path: string): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    if (existsSync(path)) return true;
    await sleep(100);
  }
  return false;
}

const gnuTime = spawnSync("/usr/bin/time", ["-f", "%M", "true"], { encoding: "utf8" });
const hasGnuTime = gnuTime.status === 0 && /^\d+$/.test(gnuTime.stderr.trim());

describe("safeguard batch", () => {
  it("writes every good case and reports every bad one: exit 1, nothing lost", () => {
    const dir = casesDir();
    writeFileSync(join(dir, "cases", "bad.yaml"), "case_id: BAD\nconcern:\n  date: 2026-02-31\n");
    const r = cli(["batch", "cases", "nope.yaml", "--out", "out"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('cases/bad.yaml:3:9  concern.date: "2026-02-31" is not a date');
    expect(r.stdout).toContain("FAILED  nope.yaml");
    expect(r.stdout).toContain("5 cases: 3 written to out/, 2 failed");
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["EX-1", "EX-2", "EX-3"]);
  });

  it("writes the same files as run --answers, case by case (one engine)", () => {
    const dir = casesDir();
    expect(cli(["batch", "cases", "--out", "batch"], { cwd: dir }).code).toBe(0);
    for (const [file, id] of [
      ["ex-1-county-lines-15.yaml", "EX-1"],
      ["ex-2-adult-refuses-nrm.yaml", "EX-2"],
    ] as const) {
      expect(cli(["run", "--answers", join("cases", file), "--out", "run"], { cwd: dir }).code).toBe(0);
      // Every file byte for byte (pathway.json names its documents relative to its folder),
      // but the manifest and the history, which hold the time of each run and its source.
      const same = (n: string) =>
        n !== ".safeguard-case.json" && n !== "chronology.jsonl" && n !== "chronology.md";
      for (const f of readdirSync(join(dir, "run", id)).filter(same)) {
        const a = readFileSync(join(dir, "run", id, f), "utf8");
        const b = readFileSync(join(dir, "batch", id, f), "utf8");
        expect(b, `${id}/${f}`).toBe(a);
      }
    }
  });

  it("a second case with the same case_id fails instead of overwriting the first", () => {
    const dir = tmp();
    writeFileSync(
      join(dir, "a.yaml"),
      "case_id: SAME\nconcern: { date: 2026-11-23, about: individual }\nperson: { age: 15 }\n",
    );
    writeFileSync(
      join(dir, "b.yaml"),
      "case_id: SAME\nconcern: { date: 2026-11-23, about: individual }\nperson: { age: 40 }\n",
    );
    const r = cli(["batch", "a.yaml", "b.yaml", "--out", "out", "--json"], { cwd: dir });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.written).toBe(1);
    expect(summary.cases[1].problems[0]).toContain('case_id "SAME" is already used by a.yaml');
    expect(JSON.parse(readFileSync(join(dir, "out", "SAME", "pathway.json"), "utf8")).person.age).toBe(15);
  });

  it("reads NDJSON from standard input, and names a case with no case_id after its file", () => {
    const dir = tmp();
    const ndjson = [
      JSON.stringify({
        case_id: "N1",
        concern: { date: "2026-11-23", about: "individual" },
        person: { age: 16 },
      }),
      JSON.stringify({ case_id: "N2", concern: { date: "2026-13-01" } }),
      "",
    ].join("\n");
    const r = cli(["batch", "-", "--out", "out", "--json"], { cwd: dir, input: ndjson });
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout);
    expect(summary.cases.map((c: { ok: boolean }) => c.ok)).toEqual([true, false]);
    expect(summary.cases[1].problems[0]).toContain("stdin line 2:1:");
    // Printed case by case as it is kept (issue 25), laid out as JSON.stringify lays it out.
    expect(r.stdout).toBe(`${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(dir, "no-id.yaml"), "concern: { date: 2026-11-23 }\nperson: { age: 30 }\n");
    const named = cli(["batch", "no-id.yaml", "--out", "out"], { cwd: dir });
    expect(named.code).toBe(0);
    expect(readdirSync(join(dir, "out"))).toContain("no-id");
  });

  it("says every case of a batch of over a thousand, in input order, as text and as JSON (its text kept a thousand cases at a time)", () => {
    const dir = tmp();
    // Cases 1000 and 1001 (the last of the first thousand kept and the first after it) are
    // written; the others fail (a date that is no date), each with its own line.
    const good = new Set([1000, 1001]);
    const lines = Array.from({ length: 2001 }, (_, i) =>
      JSON.stringify(
        good.has(i + 1)
          ? {
              case_id: `K${i + 1}`,
              concern: { date: "2026-11-23", about: "individual" },
              person: { age: 16 },
            }
          : { case_id: `K${i + 1}`, concern: { date: "2026-13-01" } },
      ),
    );
    const input = `${lines.join("\n")}\n`;
    const json = cli(["batch", "-", "--out", "out", "--json", "--jobs", "1"], { cwd: dir, input });
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.stdout);
    expect(json.stdout).toBe(`${JSON.stringify(summary, null, 2)}\n`);
    expect(summary.cases.map((c: { file: string }) => c.file)).toEqual(
      lines.map((_, i) => `stdin line ${i + 1}`),
    );
    expect(
      summary.cases.filter((c: { ok: boolean }) => c.ok).map((c: { case_id: string }) => c.case_id),
    ).toEqual(["K1000", "K1001"]);
    expect([summary.written, summary.failed]).toEqual([2, 1999]);

    const text = cli(["batch", "-", "--out", "out2", "--jobs", "1"], { cwd: dir, input });
    expect(text.code).toBe(1);
    const said = text.stdout.split("\n").filter((l) => /^(ok|FAILED) /.test(l));
    expect(said.map((l) => /stdin line (\d+)/.exec(l)?.[1])).toEqual(lines.map((_, i) => String(i + 1)));
    expect(said[999]).toMatch(/^ok {6}stdin line 1000 -> out2\/K1000\/ \(\d+ actions?, \d+ documents?\)$/);
    expect(said[1000]).toMatch(/^ok {6}stdin line 1001 -> out2\/K1001\//);
    expect(said[1001]).toBe("FAILED  stdin line 1002");
    expect(text.stdout.endsWith("\n2001 cases: 2 written to out2/, 1999 failed\n")).toBe(true);
  });

  it("reads standard input as it comes: a case is written as its line arrives, a bad line failing alone", async () => {
    const line = (id: string) =>
      JSON.stringify({
        case_id: id,
        concern: { date: "2026-11-23", about: "individual" },
        person: { age: 16 },
      });
    // --jobs N reads N lines ahead to start its threads (1: the main thread); then each case
    // is decided and written as its line comes, the input still open.
    for (const jobs of ["1", "2"]) {
      const dir = tmp();
      const run = piped(dir, ["batch", "-", "--out", "out", "--json", "--jobs", jobs]);
      await run.write(line("S-1"));
      if (jobs === "2") await run.write(line("S-2"));
      const first = await appears(join(dir, "out", "S-1", ".safeguard-case.json"));
      await run.write('{"case_id": "S-BAD", "concern": {"date": "2026-13-01"}}');
      await run.write(line("S-3"));
      run.end();
      const r = await run.done;
      expect(first, `--jobs ${jobs}: the first case written before the input ended`).toBe(true);
      expect(r.code, r.stderr).toBe(1);
      const { cases } = JSON.parse(r.stdout) as {
        cases: { file: string; ok: boolean; problems?: string[] }[];
      };
      const n = jobs === "2" ? 4 : 3;
      expect(cases.map((c) => [c.file, c.ok])).toEqual(
        [...Array(n).keys()].map((i) => [`stdin line ${i + 1}`, i !== n - 2]),
      );
      expect(cases[n - 2]?.problems?.[0]).toContain(`stdin line ${n - 1}:1:`);
      expect(readdirSync(join(dir, "out")).sort()).toEqual(
        jobs === "2" ? ["S-1", "S-2", "S-3"] : ["S-1", "S-3"],
      );
    }
  }, 300_000);

  it.skipIf(!hasGnuTime)(
    "holds standard input a line at a time, never whole: 300 MB of cases in less memory than that",
    async () => {
      // Each case's line padded with 1 MB of spaces (JSON allows them): the whole input read
      // before the first case is decided was 440 MB at its peak; a line at a time, about 160 MB.
      const dir = tmp();
      const run = piped(dir, ["batch", "-", "--out", "out", "--jobs", "1"], ["/usr/bin/time", "-f", "%M"]);
      const pad = " ".repeat(1024 * 1024);
      for (let i = 0; i < 300; i++)
        await run.write(
          `{"case_id": "PAD-${i}",${pad}"concern": {"date": "2026-11-23"}, "person": {"age": 15}}`,
        );
      run.end();
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("300 cases: 300 written to out/, 0 failed");
      const peakMb = Number(r.stderr.trim().split("\n").at(-1)) / 1024;
      expect(peakMb).toBeGreaterThan(0);
      expect(peakMb).toBeLessThan(300);
    },
    600_000,
  );

  it("never reads its own outputs back as cases: the --out folder inside the cases, or a previous run's case folders", () => {
    const dir = casesDir();
    // A first run into a folder beside the cases, then moved in with them, as a lead might.
    expect(cli(["batch", "cases", "--out", "cases/out"], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, "cases", "out")).sort()).toEqual(["EX-1", "EX-2", "EX-3"]);
    expect(cli(["batch", "cases", "--out", "first"], { cwd: dir }).code).toBe(0);
    cpSync(join(dir, "first"), join(dir, "cases", "old"), { recursive: true });
    for (const args of [
      ["batch", "cases", "--out", "cases/out", "--json"],
      ["batch", "cases/**/*.{yaml,json}", "--out", "cases/out", "--json"],
    ]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const files = JSON.parse(r.stdout).cases.map((c: { file: string }) => c.file);
      expect(files.filter((f: string) => /\/(out|old)\//.test(f))).toEqual([]);
      expect(readdirSync(join(dir, "cases", "out")).sort()).toEqual(["EX-1", "EX-2", "EX-3"]);
    }
  });

  it("takes globs, and needs --out", () => {
    const dir = casesDir();
    const r = cli(["batch", "cases/ex-*.yaml", "--out", "out"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("3 cases: 3 written to out/, 0 failed");
    expect(cli(["batch", "cases"], { cwd: dir }).code).toBe(2);
    expect(cli(["batch", "cases/zzz-*.yaml", "--out", "out"], { cwd: dir }).code).toBe(1);
  });
});
