import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { cli } from "./helpers/cli.js";
import { scenarios } from "./helpers/flow.js";

/** Every file under a folder, by path relative to it, with its bytes. */
function tree(dir: string, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) for (const [k, v] of tree(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel), "latin1"));
  }
  return out;
}

describe("batch on worker threads", () => {
  it("writes the same files and prints the same report as a single-threaded run, byte for byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-workers-"));
    mkdirSync(join(dir, "cases"));
    const all = scenarios();
    // Every scenario, plus a case_id used twice (the second fails), one with no case_id
    // (its file name is its folder) and a case that does not read: order decides which wins.
    all.forEach((s, i) => {
      const c = { ...s.case, case_id: i === 40 ? "TWICE" : `W-${i}` };
      if (i === 7) delete (c as Record<string, unknown>).case_id;
      writeFileSync(join(dir, "cases", `c${String(i).padStart(4, "0")}.yaml`), stringify(c));
    });
    writeFileSync(join(dir, "cases", "c0100b.yaml"), stringify({ ...all[3]?.case, case_id: "TWICE" }));
    writeFileSync(join(dir, "cases", "c0050b.yaml"), "case_id: BAD\nconcern:\n  date: 2026-02-31\n");
    const one = cli(["batch", "cases", "--out", "one", "--date", "2026-11-23"], {
      cwd: dir,
      env: { SAFEGUARD_WORKERS: "0" },
    });
    const many = cli(["batch", "cases", "--out", "many", "--date", "2026-11-23"], {
      cwd: dir,
      env: { SAFEGUARD_WORKERS: "3" },
    });
    expect(one.code).toBe(1);
    expect(one.stdout).toContain(`${all.length + 2} cases: ${all.length} written to one/, 2 failed`);
    expect(one.stdout).toContain('case_id "TWICE" is already used by cases/c0040.yaml');
    expect(many.code).toBe(one.code);
    expect(many.stdout.replaceAll("many/", "one/")).toBe(one.stdout);
    expect(many.stderr).toBe(one.stderr);
    const a = tree(join(dir, "one"));
    const b = tree(join(dir, "many"));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, text] of a) expect(b.get(file)?.replaceAll("many/", "one/"), file).toBe(text);
  }, 120_000);
});
