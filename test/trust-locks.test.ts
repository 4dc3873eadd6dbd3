import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { example } from "./helpers/cli.js";

// A lock this computer cannot judge (issue 24): another computer's, one of mode 000, a named
// pipe at its path. Each is refused at once, naming the file and how to clear it; nothing
// waits for ever. Every run is a child process with a time limit: a hang fails the test
// (status null), it is never timed.

const BIN = join(packageRoot, "bin", "safeguard.js");
const LOCK = pathToFileURL(join(packageRoot, "dist", "io", "session-lock.js")).href;
const ID = "20261207-abcdef";
/** Root reads a file of mode 000: the runs that meet one run as nobody, as a lead would. */
const lead = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), "safeguard-lock-"));
  if (lead) chownSync(dir, lead.uid, lead.gid);
  return dir;
}

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: packageRoot,
    input: "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0", ...env },
    timeout: 20_000,
    ...lead,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What the wizard and resume do first: take the session's lock (the built module, in a child). */
function lockSession(dir: string) {
  const script = `import(${JSON.stringify(LOCK)}).then((m) => { try { m.lockSession(${JSON.stringify(dir)}, ${JSON.stringify(ID)}, new Date().toISOString()); console.log("taken"); } catch (e) { console.log(e.message); } })`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
    ...lead,
  });
  return { code: r.status, stdout: r.stdout };
}

/** A data folder with one saved, unfinished session (ID), owned as the lead's would be by the caller. */
function savedSession(): { data: string; dir: string } {
  const data = tmp();
  const dir = join(data, "sessions");
  mkdirSync(dir, { mode: 0o700 });
  const now = "2026-12-07T10:00:00.000Z";
  const session = { version: 1, id: ID, flow: "all-age", flowVersion: "1", flowSha256: "x" };
  writeFileSync(
    join(dir, `${ID}.json`),
    JSON.stringify({ ...session, started: now, updated: now, answers: {}, order: [], finished: false }),
  );
  return { data, dir };
}

/** Plant a lock of each kind at `file`, owned as the lead's would be. */
const KINDS: Record<string, (file: string) => void> = {
  "another computer's": (file) =>
    writeFileSync(
      file,
      `${JSON.stringify({ pid: 4242, host: "other-pc.example", since: "2026-12-07T09:00:00Z" })}\n`,
    ),
  "mode 000": (file) => {
    writeFileSync(file, `${JSON.stringify({ pid: 4242, host: "x", since: "2026-12-07T09:00:00Z" })}\n`);
    chmodSync(file, 0o000);
  },
  "a named pipe": (file) => expect(spawnSync("mkfifo", [file]).status).toBe(0),
};
function plant(kind: string, file: string) {
  KINDS[kind]?.(file);
  if (lead) chownSync(file, lead.uid, lead.gid);
}

describe("a lock this computer cannot judge never blocks: named, with how to clear it", () => {
  for (const kind of Object.keys(KINDS)) {
    it(`a case's lock: ${kind}`, () => {
      const out = tmp();
      expect(run(["run", "--answers", example("ex-1-county-lines-15.yaml"), "--out", out]).code).toBe(0);
      const lock = join(out, "EX-1", ".safeguard-lock");
      plant(kind, lock);
      const r = run(["run", "--answers", example("ex-1-county-lines-15.yaml"), "--out", out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(lock);
      expect(r.stderr).toMatch(/remove (its lock|that file)/);
    });

    it(`a session's lock: ${kind}; sessions lists it, sessions rm --force clears it`, () => {
      const { data, dir } = savedSession();
      if (lead) {
        chownSync(dir, lead.uid, lead.gid);
        chownSync(join(dir, `${ID}.json`), lead.uid, lead.gid);
      }
      const lock = join(dir, `${ID}.lock`);
      plant(kind, lock);
      const taken = lockSession(dir);
      expect(taken.code).toBe(0);
      expect(taken.stdout).toContain(lock);
      expect(taken.stdout).toMatch(/remove (its lock|that file)/);
      const env = { SAFEGUARD_DATA_DIR: data };
      const listed = run(["sessions", "--json"], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout).sessions[0].open_by).not.toBeNull();
      const refused = run(["sessions", "rm", ID], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(lock);
      expect(refused.stderr).toContain("--force");
      const removed = run(["sessions", "rm", ID, "--force"], env);
      expect(removed.code, removed.stderr).toBe(0);
      expect(existsSync(lock)).toBe(false);
      expect(existsSync(join(dir, `${ID}.json`))).toBe(false);
    });
  }
});

describe("sessions rm --force and a folder at the lock's path", () => {
  /** A saved, unfinished session, and a folder at its lock's path holding `files`. */
  function planted(files: Record<string, string>) {
    const { data, dir } = savedSession();
    const lock = join(dir, `${ID}.lock`);
    mkdirSync(lock);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(lock, name), text);
    if (lead)
      for (const p of [dir, join(dir, `${ID}.json`), lock, ...Object.keys(files).map((n) => join(lock, n))])
        chownSync(p, lead.uid, lead.gid);
    return { env: { SAFEGUARD_DATA_DIR: data }, dir, lock };
  }
  const owner = `${JSON.stringify({ pid: 4242, host: "other-pc.example", since: "2026-12-07T09:00:00Z" })}\n`;

  for (const [kind, files] of [
    ["empty", {}],
    ["holding only locks", { "a.lock": owner, "b.lock": "" }],
  ] as const) {
    it(`${kind}: removed with the session`, () => {
      const { env, dir, lock } = planted(files);
      expect(run(["sessions", "rm", ID], env).code).toBe(2);
      const removed = run(["sessions", "rm", ID, "--force"], env);
      expect(removed.code, removed.stderr).toBe(0);
      expect(existsSync(lock)).toBe(false);
      expect(existsSync(join(dir, `${ID}.json`))).toBe(false);
    });
  }

  it("holding anything else: left as it is, with the session, exit 2 naming it", () => {
    const { env, dir, lock } = planted({ "a.lock": owner, "notes.txt": "the lead's notes\n" });
    const r = run(["sessions", "rm", ID, "--force"], env);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(lock);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(lock).sort()).toEqual(["a.lock", "notes.txt"]);
    expect(existsSync(join(dir, `${ID}.json`))).toBe(true);
  });
});
