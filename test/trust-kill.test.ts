import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { MANIFEST } from "../src/io/output.js";
import { packageRoot } from "../src/io/paths.js";

// Nothing lost between two renames (issue 24): a write of a case folder stopped (SIGKILL) at
// every step in turn, a new folder and an update of one, leaves the old folder or the new,
// every file whole, and the next run finishes the job. The built module is what runs.

const OUTPUT = pathToFileURL(join(packageRoot, "dist", "io", "output.js")).href;
const HELPER = join(packageRoot, "test", "helpers", "kill-at.mjs");

const OLD = {
  "case-summary.md": "old summary\n",
  "mash-referral.md": "old referral\n",
  "gone.md": "old only\n",
};
const NEW = {
  "case-summary.md": "new summary\n",
  "mash-referral.md": "new referral\n",
  "added.md": "new only\n",
};
const GITIGNORE = "# written by safeguard: personal data, never to be committed\n*\n";

/** Write `files` as case K-1's folder in `dir`, stopped just before change `at` (0: never); a new one with `along`. */
function write(dir: string, files: Record<string, string>, at: number, along?: Record<string, string>) {
  const args = [
    HELPER,
    OUTPUT,
    dir,
    "K-1",
    JSON.stringify(files),
    String(at),
    ...(along ? [JSON.stringify(along)] : []),
  ];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 30_000 });
  return { killed: r.signal === "SIGKILL", steps: Number(r.stdout), stderr: r.stderr, status: r.status };
}

/** The folder's files (manifest and dot files aside), by name. */
function contents(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(folder).sort())
    if (!f.startsWith(".")) out[f] = readFileSync(join(folder, f), "utf8");
  return out;
}

/** The folder holds this case whole, exactly these files, and nothing temporary is left beside or in it. */
function exactly(out: string, files: Record<string, string>) {
  const folder = join(out, "K-1");
  expect(readdirSync(out)).toEqual(["K-1"]);
  expect(contents(folder)).toEqual(files);
  expect(readFileSync(join(folder, ".gitignore"), "utf8")).toBe(GITIGNORE);
  const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), "utf8"));
  expect(manifest.case_id).toBe("K-1");
  expect(manifest.pending).toBeUndefined();
  expect(Object.keys(manifest.files).sort()).toEqual([".gitignore", ...Object.keys(files)].sort());
  expect(readdirSync(folder).filter((f) => f.startsWith(".safeguard-write-"))).toEqual([]);
}

describe("a write stopped at any moment loses nothing (issue 24)", () => {
  it("a new case folder: after a kill at each step there is no folder or the whole new one; the next run writes it", () => {
    let at = 1;
    for (; ; at++) {
      const out = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
      const r = write(join(out, "K-1"), NEW, at);
      if (!r.killed) {
        expect(r.status, r.stderr).toBe(0);
        exactly(out, NEW);
        break;
      }
      if (existsSync(join(out, "K-1"))) exactly(out, NEW);
      expect(write(join(out, "K-1"), NEW, 0).status).toBe(0);
      exactly(out, NEW);
    }
    expect(at).toBeGreaterThan(1); // it was stopped at least once
  }, 120_000);

  it("a new case folder written with its history: after a kill at each step there is no folder, or the whole one with its history", () => {
    const HISTORY = { "chronology.jsonl": '{"n":1}\n', "chronology.md": "# chronology\n" };
    let at = 1;
    for (; ; at++) {
      const out = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
      const r = write(join(out, "K-1"), NEW, at, HISTORY);
      const folder = join(out, "K-1");
      if (r.killed && !existsSync(folder)) continue;
      if (!r.killed) expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(out).filter((f) => !f.startsWith(".safeguard-tmp-"))).toEqual(["K-1"]);
      expect(contents(folder)).toEqual({ ...NEW, ...HISTORY });
      // Safeguard's own, appended and rewritten: never hashed as a draft is.
      const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), "utf8"));
      expect(Object.keys(manifest.files).sort()).toEqual([".gitignore", ...Object.keys(NEW)].sort());
      if (!r.killed) break;
    }
    expect(at).toBeGreaterThan(1); // it was stopped at least once, with no folder
  }, 120_000);

  it("an update of a case folder: after a kill at each step the folder is there, every file the old or the new; the next run finishes it", () => {
    const base = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
    expect(write(join(base, "K-1"), OLD, 0).status).toBe(0);
    exactly(base, OLD);
    let at = 1;
    for (; ; at++) {
      const out = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
      cpSync(base, out, { recursive: true });
      const r = write(join(out, "K-1"), NEW, at);
      if (!r.killed) {
        expect(r.status, r.stderr).toBe(0);
        exactly(out, NEW);
        break;
      }
      const folder = join(out, "K-1");
      expect(existsSync(join(folder, MANIFEST)), `a case folder after a kill at step ${at}`).toBe(true);
      const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), "utf8"));
      expect(manifest.case_id).toBe("K-1");
      for (const [name, text] of Object.entries(contents(folder))) {
        expect(
          [OLD[name as keyof typeof OLD], NEW[name as keyof typeof NEW]],
          `${name} at step ${at}`,
        ).toContain(text);
      }
      expect(write(folder, NEW, 0).status).toBe(0);
      exactly(out, NEW);
    }
    expect(at).toBeGreaterThan(3); // stopped before, between and after the files' renames
  }, 120_000);

  it("two updates each stopped part-way: every file is the old or the new as the manifest says, and the third run treats none as edited", () => {
    const base = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
    expect(write(join(base, "K-1"), OLD, 0).status).toBe(0);
    const MID = { ...NEW, "case-summary.md": "mid summary\n", "mash-referral.md": "mid referral\n" };
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    const manifestOf = (folder: string) => JSON.parse(readFileSync(join(folder, MANIFEST), "utf8"));
    // The first stopped with the summary written and the referral not; the second once its
    // manifest is written, before any file. Each step tried in turn until it is so.
    let checked = 0;
    for (let first = 1; first < 12; first++) {
      const out = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
      cpSync(base, out, { recursive: true });
      const folder = join(out, "K-1");
      if (!write(folder, MID, first).killed) break;
      const now = contents(folder);
      if (
        now["case-summary.md"] !== MID["case-summary.md"] ||
        now["mash-referral.md"] !== OLD["mash-referral.md"]
      )
        continue;
      for (let second = 1; ; second++) {
        const again = mkdtempSync(join(tmpdir(), "safeguard-kill-"));
        cpSync(out, again, { recursive: true });
        const f2 = join(again, "K-1");
        expect(write(f2, NEW, second).killed, `the second update stopped at step ${second}`).toBe(true);
        if (manifestOf(f2).pending?.["case-summary.md"] !== sha(NEW["case-summary.md"])) continue;
        const manifest = manifestOf(f2);
        for (const [name, text] of Object.entries(contents(f2)))
          expect([manifest.files[name], manifest.pending[name]], `${name}`).toContain(sha(text));
        expect(write(f2, NEW, 0).status).toBe(0);
        exactly(again, NEW);
        checked++;
        break;
      }
    }
    expect(checked).toBeGreaterThan(0);
  }, 60_000);
});
