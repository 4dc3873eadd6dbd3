import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseFolderName, MANIFEST, modesKept, notOwnerOnly } from "../src/io/output.js";
import { packageRoot } from "../src/io/paths.js";
import { say } from "../src/words/problems.js";
import { cli, example } from "./helpers/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "safeguard-out-"));
const EX1 = example("ex-1-county-lines-15.yaml");
/** A name Windows will not make as given: a device name (before any dot), or a trailing dot or space. */
const WINDOWS_UNSAFE = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\.|$)|[. ]$/iu;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * A case folder is whole: its manifest names every file in it, each with its hash (the case's
 * history, appended, and the chronology rendered from it, aside).
 */
function whole(folder: string, leftByAKill = false): boolean {
  const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), "utf8"));
  if (manifest.pending) return false;
  const files = readdirSync(folder).filter(
    (f) =>
      f !== MANIFEST &&
      f !== "chronology.jsonl" &&
      f !== "chronology.md" &&
      !(leftByAKill && (f === ".safeguard-lock" || f.startsWith(".safeguard-write-"))),
  );
  if (files.sort().join() !== Object.keys(manifest.files).sort().join()) return false;
  return files.every((f) => sha(readFileSync(join(folder, f))) === manifest.files[f]);
}

/**
 * What a kill may leave of a case folder (issue 26: an update is written in place, file by
 * file): the folder whole, or one being updated, its manifest saying which new hashes are
 * coming, and every file in it the old (`files`) or the new (`pending`), none part-written.
 * The lock of the killed run, and a temporary file it was writing, are left for the next.
 */
function wholeOrUpdating(folder: string): string | undefined {
  // A run killed before its update began, or after it ended (while its history was appended
  // and its chronology rendered), leaves its lock and perhaps a temporary file: the folder is
  // whole all the same, and the next run takes the lock over (the last check below).
  if (whole(folder, true)) return undefined;
  const manifest = JSON.parse(readFileSync(join(folder, MANIFEST), "utf8"));
  if (!manifest.pending) return "not whole, and no update under way";
  for (const f of readdirSync(folder)) {
    if ([MANIFEST, "chronology.jsonl", "chronology.md", ".safeguard-lock"].includes(f)) continue;
    if (f.startsWith(".safeguard-write-")) continue;
    const h = sha(readFileSync(join(folder, f)));
    if (h !== manifest.files[f] && h !== manifest.pending[f]) return `${f} is neither old nor new`;
  }
  return undefined;
}

describe("one case, one folder: names", () => {
  it("ids in any script, and ids that are only punctuation, never share a folder", () => {
    const ids = ["山田", "山田太郎", "محمد", "..", ".", "~", "", "a/b", "a%2Fb", "A B", "ex-1", "EX-1"];
    const names = ids.map(caseFolderName);
    expect(new Set(names).size).toBe(ids.length);
    expect(caseFolderName("EX-1")).toBe("EX-1");
    expect(caseFolderName("山田")).toBe("山田");
    expect(caseFolderName("محمد")).toBe("محمد");
    expect(caseFolderName("..")).toMatch(/^%2E\.~[0-9a-f]{10}$/);
    expect(caseFolderName("")).toMatch(/^case~[0-9a-f]{10}$/);
  });

  it("names Windows reserves, in any case, with or without an extension, and a trailing dot or space, are made safe", () => {
    const reserved = [
      "con",
      "CON",
      "Aux",
      "nul.txt",
      "prn.tar.gz",
      "com1",
      "COM9.md",
      "lpt1",
      "LPT9",
      "com¹",
      "con.",
      "nul ",
    ];
    for (const id of reserved) {
      const name = caseFolderName(id);
      expect(name, id).not.toMatch(WINDOWS_UNSAFE);
      expect(name, id).toMatch(/~[0-9a-f]{10}$/);
    }
    expect(caseFolderName("con")).toMatch(/^%63on~[0-9a-f]{10}$/);
    expect(caseFolderName("NUL.txt")).toMatch(/^%4EUL\.txt~[0-9a-f]{10}$/);
    expect(caseFolderName("EX-1.")).toMatch(/^EX-1\.~[0-9a-f]{10}$/);
    expect(new Set(reserved.map(caseFolderName)).size).toBe(reserved.length);
    // Names that only begin like one are kept as they are.
    for (const id of ["console", "auxiliary", "com10", "lpt0", "nullable", "CONCERN-7", "com"])
      expect(caseFolderName(id)).toBe(id);
  });

  it("batch: a case file named as Windows reserves, with no case_id, gets a safe folder", () => {
    const dir = tmp();
    const input = join(dir, "in");
    mkdirSync(input);
    writeFileSync(join(input, "con.yaml"), "concern.date: 2026-08-26\n");
    writeFileSync(join(input, "LPT1.yaml"), "concern.date: 2026-08-26\n");
    const r = cli(["batch", input, "--out", join(dir, "out")]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const names = readdirSync(join(dir, "out")).sort();
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).not.toMatch(WINDOWS_UNSAFE);
  });

  it("property: distinct ids give distinct, safe folder names", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.string({ unit: "binary", maxLength: 200 }),
        (a, b) => {
          fc.pre(a !== b);
          const [x, y] = [caseFolderName(a), caseFolderName(b)];
          expect(x).not.toBe(y);
          for (const n of [x, y]) {
            expect(n).not.toMatch(/[/\\\u0000-\u001f]|^\.|^$/);
            expect(n).not.toMatch(WINDOWS_UNSAFE);
            expect(Buffer.byteLength(n, "utf8")).toBeLessThanOrEqual(140);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("one case, one folder: writing (built CLI)", () => {
  it("a re-run replaces the folder: drafts no longer recommended are gone, the rest whole", () => {
    const dir = tmp();
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    expect(existsSync(join(dir, "EX-1", "nrm-referral.md"))).toBe(true);
    writeFileSync(join(dir, "less.yaml"), "case_id: EX-1\nconcern.date: 2026-08-26\n");
    const r = cli(["run", "--answers", join(dir, "less.yaml"), "--out", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, "EX-1", "nrm-referral.md"))).toBe(false);
    expect(whole(join(dir, "EX-1"))).toBe(true);
    expect(readdirSync(dir)).toEqual(["EX-1", "less.yaml"]);
  });

  it("a draft edited since it was written: kept, the new version beside it (said), again on the next update; replaced with --force", () => {
    const dir = tmp();
    const folder = join(dir, "EX-1");
    expect(cli(["run", "--answers", EX1, "--out", dir, "--date", "2026-09-01"]).code).toBe(0);
    const draft = join(folder, "mash-referral.md");
    writeFileSync(draft, "my notes\n");
    writeFileSync(join(folder, "extra.txt"), "added\n");
    const r = cli(["run", "--answers", EX1, "--out", dir, "--date", "2026-09-02"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "mash-referral.md was edited since it was written: kept; the new version is mash-referral.2026-09-02.md",
    );
    expect(readFileSync(draft, "utf8")).toBe("my notes\n");
    expect(readFileSync(join(folder, "extra.txt"), "utf8")).toBe("added\n");
    expect(readFileSync(join(folder, "mash-referral.2026-09-02.md"), "utf8")).toContain(
      "# Referral to Children's Services",
    );
    // Still edited next time: kept again, and the version beside it from last time replaced by today's.
    const again = cli(["run", "--answers", EX1, "--out", dir, "--date", "2026-09-03", "--json"]);
    expect(JSON.parse(again.stdout).update.drafts.kept).toEqual([
      { file: "mash-referral.md", beside: "mash-referral.2026-09-03.md" },
    ]);
    expect(existsSync(join(folder, "mash-referral.2026-09-02.md"))).toBe(false);
    expect(readFileSync(draft, "utf8")).toBe("my notes\n");
    expect(cli(["run", "--answers", EX1, "--out", dir, "--force"]).code).toBe(0);
    expect(readFileSync(draft, "utf8")).toContain("# Referral to Children's Services");
    expect(readFileSync(join(folder, "extra.txt"), "utf8")).toBe("added\n");
  });

  it("a folder holding another case, or files safeguard did not write, is never written over", () => {
    const dir = tmp();
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    const manifest = join(dir, "EX-1", MANIFEST);
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace('"EX-1"', '"someone-else"'));
    const other = cli(["run", "--answers", EX1, "--out", dir, "--force"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("holds another case");
    const mine = join(dir, "mine");
    mkdirSync(join(mine, "EX-1"), { recursive: true });
    writeFileSync(join(mine, "EX-1", "thesis.docx"), "x");
    const foreign = cli(["run", "--answers", EX1, "--out", mine]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("did not write (thesis.docx)");
    symlinkSync(join(dir, "EX-1"), join(dir, "linked"));
    writeFileSync(join(dir, "l.yaml"), "case_id: linked\nconcern.date: 2026-08-26\n");
    expect(cli(["run", "--answers", join(dir, "l.yaml"), "--out", dir]).code).toBe(2);
  });

  it("batch: a folder that cannot be written fails that case alone", () => {
    const dir = tmp();
    mkdirSync(join(dir, "EX-1"));
    writeFileSync(join(dir, "EX-1", "notes.txt"), "mine");
    const r = cli(["batch", EX1, example("ex-2-adult-refuses-nrm.yaml"), "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED {2}.*ex-1-county-lines-15\.yaml\n.*did not write \(notes\.txt\)/);
    expect(whole(join(dir, "EX-2"))).toBe(true);
  });

  it("a killed run's temporary folder is cleaned up by the next run", () => {
    const dir = tmp();
    mkdirSync(join(dir, ".safeguard-tmp-999999-abc"));
    writeFileSync(join(dir, ".safeguard-tmp-999999-abc", "case-summary.md"), "personal");
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    expect(readdirSync(dir)).toEqual(["EX-1"]);
  });

  it("on a folder shared by two computers: another computer's temporary folder or file is left alone until it is an hour old", () => {
    const dir = tmp();
    // Process 999999 is not running here; on the other computer it may be, writing now.
    const other = createHash("sha256").update(hostname()).digest("hex").startsWith("00000000")
      ? "hffffffff"
      : "h00000000";
    const theirs = join(dir, `.safeguard-tmp-999999-${other}-abc123`);
    const gone = join(dir, ".safeguard-tmp-999999-abc123");
    for (const d of [theirs, gone]) {
      mkdirSync(d);
      writeFileSync(join(d, "case-summary.md"), "personal");
    }
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    const write = join(dir, "EX-1", `.safeguard-write-999999-${other}-case-summary.md`);
    writeFileSync(write, "personal");
    expect(cli(["run", "--answers", EX1, "--out", dir, "--date", "2026-09-02"]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([`.safeguard-tmp-999999-${other}-abc123`, "EX-1"]);
    expect(existsSync(write)).toBe(true);
    // An hour later nothing is writing it, wherever it was.
    const hourAgo = new Date(Date.now() - 3_700_000);
    utimesSync(theirs, hourAgo, hourAgo);
    utimesSync(write, hourAgo, hourAgo);
    expect(cli(["run", "--answers", EX1, "--out", dir, "--date", "2026-09-03"]).code).toBe(0);
    expect(readdirSync(dir)).toEqual(["EX-1"]);
    expect(existsSync(write)).toBe(false);
  });

  it("an old copy an earlier version left with no case folder in its place (killed between two renames) is put back, not removed", () => {
    const dir = tmp();
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    const before = readFileSync(join(dir, "EX-1", "case-summary.md"), "utf8");
    // What the two renames left: the old folder moved aside, the new one still temporary.
    renameSync(join(dir, "EX-1"), join(dir, ".safeguard-tmp-999999-abc123-old"));
    mkdirSync(join(dir, ".safeguard-tmp-999999-abc123"));
    writeFileSync(join(dir, ".safeguard-tmp-999999-abc123", "case-summary.md"), "new, part written");
    expect(cli(["run", "--answers", example("ex-2-adult-refuses-nrm.yaml"), "--out", dir]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["EX-1", "EX-2"]);
    expect(readFileSync(join(dir, "EX-1", "case-summary.md"), "utf8")).toBe(before);
    expect(whole(join(dir, "EX-1"))).toBe(true);
    // With the case folder in its place, an old copy is only a copy: removed.
    cpSync(join(dir, "EX-1"), join(dir, ".safeguard-tmp-999999-def456-old"), { recursive: true });
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["EX-1", "EX-2"]);
  });

  it("a drive that keeps no permissions (exFAT, FAT): a folder whose files read as others' is said not to be owner-only", () => {
    const dir = tmp();
    expect(cli(["run", "--answers", EX1, "--out", dir]).code).toBe(0);
    const folder = join(dir, "EX-1");
    const manifest = join(folder, MANIFEST);
    expect(modesKept([statSync(folder).mode, statSync(manifest).mode])).toBe(true);
    expect(notOwnerOnly(folder)).toBe(false);
    // What a FAT stick shows whatever chmod asked: the real stat of a file made so here.
    chmodSync(manifest, 0o644);
    expect(modesKept([statSync(manifest).mode])).toBe(false);
    expect(notOwnerOnly(folder)).toBe(true);
    chmodSync(manifest, 0o600);
    chmodSync(folder, 0o777);
    expect(modesKept([statSync(folder).mode])).toBe(false);
    expect(say.notOwnerOnly("drafts/EX-1")).toMatch(
      /^Note: drafts\/EX-1 is not readable by you only: .*USB sticks/,
    );
  });

  it("inside a git checkout, the case folder never shows in git status", () => {
    const dir = tmp();
    if (spawnSync("git", ["init", "-q", dir]).status !== 0) return;
    expect(cli(["run", "--answers", EX1, "--out", "safeguard-out"], { cwd: dir }).code).toBe(0);
    const status = spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(status.stdout).toBe("");
  });

  it("SIGKILL at random moments: every case folder is absent, whole, or every file old or new; the next run leaves each whole", {
    timeout: 60_000,
  }, async () => {
    const dir = tmp();
    const bin = join(packageRoot, "bin", "safeguard.js");
    const files = [EX1, example("ex-2-adult-refuses-nrm.yaml"), example("ex-3-transition-17.yaml")];
    for (let i = 0; i < 8; i++) {
      const args = i % 2 === 0 ? ["batch", ...files, "--out", dir] : ["run", "--answers", EX1, "--out", dir];
      const child = spawn(process.execPath, [bin, ...args], { stdio: "ignore" });
      // Listened for before the kill: a run that ends first has already exited by then.
      const exited = new Promise((res) => child.on("exit", res));
      const delay = 50 + ((i * 97) % 350);
      await new Promise((res) => setTimeout(res, delay));
      child.kill("SIGKILL");
      await exited;
      for (const name of readdirSync(dir).filter((n) => !n.startsWith("."))) {
        expect(wholeOrUpdating(join(dir, name)), `${name} after a kill at ${delay} ms`).toBeUndefined();
      }
    }
    expect(cli(["batch", ...files, "--out", dir]).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["EX-1", "EX-2", "EX-3"]);
    for (const name of readdirSync(dir)) expect(whole(join(dir, name)), name).toBe(true);
  });
});

describe("exit codes as promised: the environment's problems are exit 2, one line", () => {
  const oneLine = (r: { code: number | null; stderr: string }) => {
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/This is a bug|\n\s+at /);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  };

  it("--out naming a file, below a file, in /proc, or a loop of links", () => {
    const dir = tmp();
    writeFileSync(join(dir, "afile"), "x");
    oneLine(cli(["run", "--answers", EX1, "--out", join(dir, "afile")]));
    oneLine(cli(["run", "--answers", EX1, "--out", join(dir, "afile", "sub")]));
    oneLine(cli(["run", "--answers", EX1, "--out", "/proc/x"]));
    symlinkSync(join(dir, "b"), join(dir, "a"));
    symlinkSync(join(dir, "a"), join(dir, "b"));
    oneLine(cli(["run", "--answers", EX1, "--out", join(dir, "a")]));
    oneLine(cli(["run", "--answers", join(dir, "a")]));
  });

  it("a full disk on stdout (/dev/full)", () => {
    if (!existsSync("/dev/full")) return;
    const full = openSync("/dev/full", "w");
    const r = spawnSync(
      process.execPath,
      [join(packageRoot, "bin", "safeguard.js"), "run", "--answers", EX1],
      {
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      },
    );
    closeSync(full);
    oneLine({ code: r.status, stderr: r.stderr });
    expect(r.stderr).toContain("the disk is full");
  });

  it("a --date past any plausible year is a usage error, not a crash", () => {
    oneLine(cli(["run", "--answers", EX1, "--date", "9999-12-31"]));
    oneLine(cli(["batch", EX1, "--out", tmp(), "--date", "9999-12-31"]));
  });
});
