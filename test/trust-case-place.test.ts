import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { MANIFEST } from "../src/io/output.js";
import { example } from "./helpers/cli.js";
import { testWorld } from "./helpers/world.js";

// What is already at a case's place in the output folder (the defect: a folder the lead made
// in advance, empty, was refused "the folder is not empty"). Through the commands, in-process:
// an empty folder is written as a new case; a case safeguard wrote is updated; anything else
// (the lead's own files, a file, a link) is refused, exit 2, and left exactly as it was.

const EX1 = example("ex-1-county-lines-15.yaml");
const EX2 = example("ex-2-adult-refuses-nrm.yaml");

function scratch() {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-place-"));
  const data = join(dir, "data");
  const out = join(dir, "out");
  mkdirSync(out);
  const safeguard = async (...args: string[]) => {
    const t = testWorld({ cwd: dir, env: { SAFEGUARD_DATA_DIR: data }, today: "2026-11-23" });
    const code = await main(["node", "safeguard", ...args], t.world);
    return { code, out: t.out(), err: t.err() };
  };
  return { dir, out, safeguard };
}

/** Everything in a folder, each entry's kind, mode, size and time: a change to any shows. */
function snapshot(path: string): string[] {
  const st = lstatSync(path);
  const self = `${path} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs}`;
  if (st.isSymbolicLink()) return [`${self} -> ${readlinkSync(path)}`];
  if (!st.isDirectory()) return [`${self} ${readFileSync(path, "utf8")}`];
  return [self, ...readdirSync(path).flatMap((n) => snapshot(join(path, n)))];
}

/** A past time on a folder and what it holds, so that a file made and removed in it (a lock) shows. */
function aged(path: string): void {
  const past = new Date("2026-01-01T00:00:00Z");
  utimesSync(path, past, past);
}

/** A folder of the lead's own holding one file, aged so that a touch shows. */
function leadsFolder(folder: string, file: string, text = "the lead's own"): void {
  mkdirSync(folder);
  writeFileSync(join(folder, file), text, { mode: 0o600 });
  aged(join(folder, file));
  aged(folder);
}

const history = (folder: string) =>
  readFileSync(join(folder, "chronology.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { kind: string });

/** A case folder written new: owner-only, whole, with its history of one run, and nothing of a writer left. */
function expectNewCase(out: string, id: string, like: string[]): void {
  const folder = join(out, id);
  expect(statSync(folder).mode & 0o777).toBe(0o700);
  const names = readdirSync(folder).sort();
  expect(names).toEqual(like);
  for (const f of names) expect(statSync(join(folder, f)).mode & 0o777, f).toBe(0o600);
  expect(names).not.toContain(".safeguard-lock");
  expect(names.filter((n) => n.startsWith(".safeguard-write-"))).toEqual([]);
  expect(readdirSync(out).filter((n) => n.startsWith(".safeguard-tmp-"))).toEqual([]);
  expect(JSON.parse(readFileSync(join(folder, MANIFEST), "utf8")).case_id).toBe(id);
  expect(history(folder).map((e) => e.kind)).toEqual(["run"]);
  expect(readFileSync(join(folder, "chronology.md"), "utf8")).toContain(id);
}

/** The files of a case written where nothing was: what a new case folder holds. */
async function freshNames(): Promise<string[]> {
  const { out, safeguard } = scratch();
  expect((await safeguard("run", "--answers", EX1, "--out", out)).code).toBe(0);
  return readdirSync(join(out, "EX-1")).sort();
}

/** A refusal: exit 2, one line naming the folder and what to do, no stack. */
function expectRefused(r: { code: number; err: string }, folder: string, what: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err).not.toMatch(/This is a bug|\n\s+at /);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toContain(folder);
  expect(r.err).toMatch(what);
  expect(r.err).toMatch(/choose another --out/);
}

describe("run --out: what is already at the case's place", () => {
  it("an empty folder made in advance is written as a new case: whole, owner-only, no lock left", async () => {
    const like = await freshNames();
    const { out, safeguard } = scratch();
    mkdirSync(join(out, "EX-1"), { mode: 0o755 });
    const r = await safeguard("run", "--answers", EX1, "--out", out);
    expect(r.code, r.err).toBe(0);
    expectNewCase(out, "EX-1", like);
    // And it is a case folder like any other: the next run updates it.
    const again = await safeguard("run", "--answers", EX1, "--out", out, "--date", "2026-11-30");
    expect(again.code, again.err).toBe(0);
    expect(history(join(out, "EX-1")).map((e) => e.kind)).toEqual(["run", "update"]);
    expect(readdirSync(join(out, "EX-1"))).not.toContain(".safeguard-lock");
  });

  it("a folder of the lead's own files is refused, and nothing in it is touched: not even a lock made and removed", async () => {
    for (const theirs of [["notes.txt"], ["chronology.md"], [".notes"], ["sub/notes.txt"]]) {
      const { out, safeguard } = scratch();
      const folder = join(out, "EX-1");
      for (const f of theirs) {
        mkdirSync(join(folder, f, ".."), { recursive: true });
        writeFileSync(join(folder, f), "the lead's own");
        aged(join(folder, f));
      }
      if (existsSync(join(folder, "sub"))) aged(join(folder, "sub"));
      aged(folder);
      const before = snapshot(out);
      const r = await safeguard("run", "--answers", EX1, "--out", out);
      expectRefused(r, folder, /holds files safeguard did not write .*move the folder/);
      expect(r.err).toContain((theirs[0] as string).split("/")[0]);
      expect(snapshot(out), theirs.join()).toEqual(before);
    }
  });

  it("a case safeguard wrote there is updated, as before", async () => {
    const { out, safeguard } = scratch();
    expect((await safeguard("run", "--answers", EX1, "--out", out)).code).toBe(0);
    const r = await safeguard("run", "--answers", EX1, "--out", out, "--date", "2026-11-30");
    expect(r.code, r.err).toBe(0);
    expect(history(join(out, "EX-1")).map((e) => e.kind)).toEqual(["run", "update"]);
    expect(readdirSync(join(out, "EX-1"))).not.toContain(".safeguard-lock");
  });

  it("a folder holding only a lock no window holds (an older version's, its process gone or left empty) is written as a new case", async () => {
    const like = await freshNames();
    // A process that has ended: its pid, no longer running.
    const ended = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const stale: Record<string, string> = {
      "its process gone": `${JSON.stringify({ pid: ended, host: hostname(), since: "2026-01-01T09:00:00.000Z" })}\n`,
      "the computer restarted since": `${JSON.stringify({ pid: process.pid, host: hostname(), boot: "an-earlier-boot", since: "2026-01-01T09:00:00.000Z" })}\n`,
      "left empty by a crash, long ago": "",
    };
    for (const [why, text] of Object.entries(stale)) {
      const { out, safeguard } = scratch();
      leadsFolder(join(out, "EX-1"), ".safeguard-lock", text);
      const r = await safeguard("run", "--answers", EX1, "--out", out);
      expect(r.code, `${why}: ${r.err}`).toBe(0);
      expectNewCase(out, "EX-1", like);
    }
  });

  it("a folder holding only a lock a window holds (another run at work) is refused, naming it, and left as it was", async () => {
    // A run at work: a live process of this computer, or a lock being written this instant.
    const other = spawn("sleep", ["60"]);
    try {
      const held: Record<string, [string, RegExp]> = {
        "a live process": [
          `${JSON.stringify({ pid: other.pid, host: hostname(), since: "2026-11-23T09:00:00.000Z" })}\n`,
          new RegExp(
            `case EX-1 is open in another safeguard window \\(process ${other.pid}, since .*\\): let it finish`,
          ),
        ],
        "being written now": ["", /case EX-1 is being opened in another safeguard window: try again/],
      };
      for (const [why, [text, said]] of Object.entries(held)) {
        const { out, safeguard } = scratch();
        const folder = join(out, "EX-1");
        leadsFolder(folder, ".safeguard-lock", text);
        // Being written now: as new as a lock just made.
        if (text === "") writeFileSync(join(folder, ".safeguard-lock"), "");
        const before = snapshot(out);
        const r = await safeguard("run", "--answers", EX1, "--out", out);
        expect(r.code, why).toBe(2);
        expect(r.err, why).toMatch(said);
        expect(r.err).not.toMatch(/This is a bug|\n\s+at /);
        expect(snapshot(out), why).toEqual(before);
      }
    } finally {
      other.kill();
    }
  });

  it("a file of the lead's named like the lock, alone in the folder, is not a lock: refused and left as it was", async () => {
    const { out, safeguard } = scratch();
    const folder = join(out, "EX-1");
    leadsFolder(folder, ".safeguard-lock");
    const before = snapshot(out);
    const r = await safeguard("run", "--answers", EX1, "--out", out);
    expectRefused(r, folder, /holds files safeguard did not write \(\.safeguard-lock\)/);
    expect(snapshot(out)).toEqual(before);
  });

  it("a file at the case's place is refused and left as it was", async () => {
    const { out, safeguard } = scratch();
    writeFileSync(join(out, "EX-1"), "the lead's own");
    const before = snapshot(out);
    const r = await safeguard("run", "--answers", EX1, "--out", out);
    expectRefused(r, join(out, "EX-1"), /is not a folder/);
    expect(snapshot(out)).toEqual(before);
  });

  it("a link to an empty folder elsewhere is refused, never followed: the link and the folder it leads to are left as they were", async () => {
    const { dir, out, safeguard } = scratch();
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, "EX-1"));
    aged(elsewhere);
    const before = [...snapshot(out), ...snapshot(elsewhere)];
    const r = await safeguard("run", "--answers", EX1, "--out", out);
    expectRefused(r, join(out, "EX-1"), /is a link/);
    expect([...snapshot(out), ...snapshot(elsewhere)]).toEqual(before);
  });
});

describe("batch --out: the same, case by case", () => {
  it("an empty folder is written as a new case; a folder of the lead's fails that case alone, untouched", async () => {
    const like = await freshNames();
    const { out, safeguard } = scratch();
    mkdirSync(join(out, "EX-1"), { mode: 0o755 });
    const theirs = join(out, "EX-2");
    leadsFolder(theirs, "notes.txt");
    const before = snapshot(theirs);
    const r = await safeguard("batch", EX1, EX2, "--out", out);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(
      /FAILED {2}.*ex-2-adult-refuses-nrm\.yaml\n.*EX-2 holds files safeguard did not write \(notes\.txt\)/,
    );
    expectNewCase(out, "EX-1", like);
    expect(snapshot(theirs)).toEqual(before);
  });

  it("a file, and a link to an empty folder elsewhere, each fail their case with why, and are left as they were", async () => {
    const { dir, out, safeguard } = scratch();
    writeFileSync(join(out, "EX-1"), "the lead's own");
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, "EX-2"));
    aged(elsewhere);
    const before = [...snapshot(out), ...snapshot(elsewhere)];
    const r = await safeguard("batch", EX1, EX2, "--out", out);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(
      /FAILED {2}.*ex-1-county-lines-15\.yaml\n.*EX-1 exists and is not a folder: choose another --out\n/,
    );
    expect(r.out).toMatch(
      /FAILED {2}.*ex-2-adult-refuses-nrm\.yaml\n.*EX-2 is a link: .*choose another --out/,
    );
    expect([...snapshot(out), ...snapshot(elsewhere)]).toEqual(before);
  });
});
