import {
  chmodSync,
  closeSync,
  existsSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { crypto } from "../flow/crypto.js";
import type { AssembledCase, CaseFile } from "../render/case-files.js";
import { say } from "../words/problems.js";
import { CASE_LOCK, clearStaleCaseLock, HISTORY } from "./history.js";

/** The manifest in every case folder: the case it holds and the sha256 of each file written. */
export const MANIFEST = ".safeguard-case.json";
/** Temporary folders beside the case folders, while a case is written or replaced. */
const TEMP_PREFIX = ".safeguard-tmp-";
const MAX_NAME_BYTES = 120;
/** In every case folder: keeps it out of any git checkout it is written into. */
const GITIGNORE: CaseFile = {
  path: ".gitignore",
  bytes: new TextEncoder().encode("# written by safeguard: personal data, never to be committed\n*\n"),
  mode: 0o600,
};

/** One call, no Hash object made (crypto.hash: Node 20.12 and later, as engines asks). */
const sha256 = (s: string | Uint8Array) => crypto().hash("sha256", s, "hex");

/**
 * Output folder name for a case: the case_id, readable and never merged with another's.
 * Letters and digits of any script, `_` and `-` (and `.` after the first character) are
 * kept; anything else is percent-encoded (`%2F`). When anything was changed (encoded,
 * shortened, or an empty id) a `~` and a hash of the whole id are added, so two ids never
 * share a folder: `..` is `%2E.~3f1c…`, `山田` stays `山田`. Names Windows reserves
 * (`con`, `nul.txt`, `com1`) and a trailing dot are changed too: `con` is `%63on~…`.
 */
export function caseFolderName(caseId: string): string {
  let name = "";
  let bytes = 0;
  let changed = caseId.normalize("NFC") !== caseId || caseId === "";
  // One pass, and shortened as it goes: a piece that would pass MAX_NAME_BYTES ends the
  // name (never cut inside a %-escape), however long the id.
  for (const ch of caseId) {
    const kept = /^[\p{L}\p{N}\p{M}_-]$/u.test(ch) || (ch === "." && name !== "");
    const piece = kept ? ch : percentEncoded(ch);
    const size = kept ? Buffer.byteLength(ch, "utf8") : piece.length;
    if (!kept) changed = true;
    if (bytes + size > MAX_NAME_BYTES) {
      changed = true;
      break;
    }
    name += piece;
    bytes += size;
  }
  // Windows will not make a file or folder named `con`, `nul.txt` or `com1` (the part before
  // the first dot is what counts), and drops a trailing dot: the first character is
  // encoded instead, and the hash added, which ends the name with no dot.
  if (WINDOWS_RESERVED.test(name)) {
    name = `${percentEncoded(name.charAt(0))}${name.slice(1)}`;
    changed = true;
  }
  if (name.endsWith(".")) changed = true;
  if (!changed) return name;
  return `${name || "case"}~${sha256(caseId).slice(0, 10)}`;
}

/** Device names Windows reserves in any case, alone or before a dot (`CON`, `aux.md`, `COM¹`). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(\.|$)/iu;

function percentEncoded(ch: string): string {
  return [...Buffer.from(ch, "utf8")]
    .map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");
}

interface Manifest {
  case_id: string;
  files: Record<string, string>;
  /**
   * While an update writes files one by one: each file's new hash. A file reading either
   * hash is safeguard's, so a killed update never makes its own files look edited.
   */
  pending?: Record<string, string>;
}

/** The history and what is rendered from it, and the lock: safeguard's, never hashed (appended or rewritten whole). */
export const CHRONOLOGY = "chronology.md";
/** chronology.md's Word twin, rewritten with it. */
export const CHRONOLOGY_DOCX = "chronology.docx";
const UNHASHED = new Set([MANIFEST, HISTORY, CASE_LOCK, CHRONOLOGY, CHRONOLOGY_DOCX]);
/** A file an update is writing, renamed into place when whole. */
const WRITE_PREFIX = ".safeguard-write-";

/** What writing a case folder did: made it, or updated it; each file written, the same, kept, removed. */
export interface Written {
  created: boolean;
  /** Files written (new or changed), by name in the folder. */
  written: string[];
  /** Files whose text was already the same. */
  unchanged: string[];
  /** Drafts the lead edited: kept, the new version written beside. */
  kept: { file: string; beside: string }[];
  /** Files safeguard wrote before that this case no longer has (never one the lead edited). */
  removed: string[];
}

function readManifest(dir: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
    return typeof m.case_id === "string" && m.files && typeof m.files === "object" ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Files in a folder (relative names, sorted), the manifest left out. */
function filesUnder(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = `${prefix}${e.name}`;
    if (UNHASHED.has(rel) || e.name.startsWith(WRITE_PREFIX)) continue;
    if (e.isDirectory()) out.push(...filesUnder(join(dir, e.name), `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Temporary folders left by a run that was killed: removed, since they can hold personal
 * data. A replaced folder's old copy that a run of an earlier version left with no case
 * folder in its place (killed between its two renames) is put back instead.
 */
export function cleanStale(outDir: string): void {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(outDir, name);
    if (!leftBehind(name.slice(TEMP_PREFIX.length), path)) continue;
    if (name.endsWith("-old") && putBack(outDir, path)) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Whether a temporary folder or file (`PID-hHOST-…` after its prefix) is a run's that has
 * gone, judged as the sessions' lock judges: a process of this computer that no longer
 * runs, or anything an hour old. Another computer's process (an output folder on a shared
 * drive) is not this one's to judge by its id. A name without a host is an earlier
 * version's, judged as it was, as this computer's.
 */
function leftBehind(rest: string, path: string): boolean {
  const m = /^(\d+)-(?:(h[0-9a-f]{8})-)?/.exec(rest);
  const pid = Number(m?.[1]);
  const here = m?.[2] === undefined || m[2] === hostTag();
  if (here && pid === process.pid) return false;
  try {
    if (Date.now() - lstatSync(path).mtimeMs > 3_600_000) return true;
  } catch {
    return false;
  }
  return here && !alive(pid);
}

/** This computer in a temporary name: a hash of its name, never the name. */
let tag: string | undefined;
function hostTag(): string {
  tag ??= `h${sha256(hostname()).slice(0, 8)}`;
  return tag;
}

/** An old copy put back where its case folder should be, when nothing is there: true if it was. */
function putBack(outDir: string, old: string): boolean {
  const manifest = readManifest(old);
  if (!manifest) return false;
  const dir = join(outDir, caseFolderName(manifest.case_id));
  if (existsSync(dir) || isLink(dir)) return false;
  renameSync(old, dir);
  return true;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Why an existing folder may not be written with this case's files: it is not a folder, or
 * holds another case or files safeguard did not write. Undefined when it may (an update:
 * drafts edited since are kept, updateFolder).
 */
function refusal(dir: string, caseId: string): string | undefined {
  const st = lstatSync(dir);
  // Never written through a link (trust-output.test.ts), wherever it leads.
  if (st.isSymbolicLink()) return say.casePlaceIsLink(dir);
  if (!st.isDirectory()) return say.casePlaceNotAFolder(dir);
  const manifest = readManifest(dir);
  if (!manifest) {
    // No manifest: nothing in it is safeguard's, whatever its name. Only an empty folder (a
    // lead who made the case's folder in advance) is written, as a new one; and one holding
    // only a case's lock no window holds (an older version locked a folder before writing
    // it), the lock removed. A window at work there is refused, naming it.
    const present = readdirSync(dir).sort();
    if (present.length === 0) return undefined;
    if (present.length === 1 && present[0] === CASE_LOCK && clearStaleCaseLock(dir, caseId)) return undefined;
    return say.casePlaceNotOurs(dir, list(present));
  }
  if (manifest.case_id !== caseId) return say.casePlaceOtherCase(dir);
  return undefined;
}

/**
 * Whether `dir` is a case folder safeguard wrote, itself and not a link: its manifest or its
 * history is in it. Only such a folder is locked to be changed (case/record.ts); an empty
 * folder, or one of the lead's own, is never written into, not even a lock.
 */
export function caseFolderAt(dir: string): boolean {
  try {
    if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) return false;
    return existsSync(join(dir, MANIFEST)) || existsSync(join(dir, HISTORY));
  } catch {
    return false;
  }
}

function list(names: string[]): string {
  return names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", ");
}

/**
 * The case pipeline's "apply": an assembled case (render/case-files.ts) written to its
 * folder, resolved from `cwd`, as writeCaseFolder writes. Nothing when it has no folder.
 */
export function applyCase(
  assembled: Pick<AssembledCase, "caseId" | "folder" | "files">,
  opts: { cwd: string; force: boolean; today?: string; along?: Along },
): Written | undefined {
  if (assembled.folder === null) return undefined;
  return writeCaseFolder(resolve(opts.cwd, assembled.folder), assembled.files, {
    caseId: assembled.caseId,
    force: opts.force,
    ...(opts.today ? { today: opts.today } : {}),
    ...(opts.along ? { along: opts.along } : {}),
  });
}

/**
 * Files a new folder is written with beside its hashed ones, given what was written: its
 * history and chronology (src/case/record.ts), in the temporary folder before the rename, so
 * the folder appears with them, whole, and nothing is locked, appended or replaced after.
 */
export type Along = (written: Written) => readonly CaseFile[];

/** Output folders whose stale temporary folders this process has removed. */
const cleaned = new Set<string>();

/**
 * Write a case folder: a new one whole (every file owner-only, created exclusively, never
 * through a planted link, into a temporary folder beside it with a manifest of hashes and a
 * `.gitignore` that keeps it out of any git checkout, and any files `along` gives, then
 * renamed into place); an existing one of this same case
 * updated in place (updateFolder: a draft the lead edited is kept and the new version
 * written beside it, unless `force`; `along` is not called). A folder of another case, or of
 * files safeguard did not write, is refused.
 */
export function writeCaseFolder(
  dir: string,
  files: readonly CaseFile[],
  opts: { caseId: string; force?: boolean; today?: string; along?: Along },
): Written {
  const outDir = dirname(dir);
  makeFolders(outDir);
  // Once per folder and process: what a killed run left is there before this one starts,
  // and listing a folder of a thousand cases for each case would be most of a batch's I/O.
  if (!cleaned.has(outDir)) {
    cleanStale(outDir);
    cleaned.add(outDir);
  }
  const exists = existsSync(dir) || isLink(dir);
  if (exists) {
    const why = refusal(dir, opts.caseId);
    if (why) throw new InputError(why);
    const manifest = readManifest(dir);
    if (manifest) return updateFolder(dir, files, manifest, opts);
  }
  const tmp = mkdtempSync(join(outDir, `${TEMP_PREFIX}${process.pid}-${hostTag()}-`));
  try {
    chmodSync(tmp, 0o700);
    const all: CaseFile[] = [...files.filter((f) => f.path !== GITIGNORE.path), GITIGNORE];
    const hashes: Record<string, string> = {};
    for (const f of all) {
      const target = join(tmp, f.path);
      // The temporary folder is new and empty: only a file in a subfolder needs one made.
      if (dirname(target) !== tmp) makeFolders(dirname(target));
      writeExclusive(target, f.bytes, f.mode);
      hashes[f.path] = sha256(f.bytes);
    }
    const manifest: Manifest = { case_id: opts.caseId, files: hashes };
    writeExclusive(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
    const written: Written = {
      created: true,
      written: all.map((f) => f.path),
      unchanged: [],
      kept: [],
      removed: [],
    };
    for (const f of opts.along?.(written) ?? []) writeExclusive(join(tmp, f.path), f.bytes, f.mode);
    // An existing folder here is empty (refusal): rename replaces an empty folder, and the
    // new one is owner-only whatever the old one's mode.
    try {
      renameSync(tmp, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") throw new InputError(say.casePlaceFilledMeanwhile(dir));
      throw error;
    }
    return written;
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * A case folder updated in place (issue 26), so its history stays where it is: each file
 * written to a temporary file, synced, and renamed over the old one; the manifest says
 * first which new hashes are coming (`pending`) and last what is there. A draft the lead
 * edited (its hash not safeguard's) is never overwritten: the new version goes beside it
 * (`mash-referral.2026-12-14.md`), and the edited one keeps the hash safeguard wrote, so it
 * stays "edited". Files safeguard wrote that the case no longer has are removed, unless
 * edited. A kill at any moment leaves every file whole, old (`files`) or new (`pending`).
 */
function updateFolder(
  dir: string,
  files: readonly CaseFile[],
  manifest: Manifest,
  opts: { caseId: string; force?: boolean; today?: string },
): Written {
  cleanStaleWrites(dir);
  const present = new Set(filesUnder(dir));
  const hashOf = (f: string) => {
    try {
      return sha256(readFileSync(join(dir, f)));
    } catch {
      return undefined;
    }
  };
  const current = new Map([...present].map((f) => [f, hashOf(f)]));
  const ours = (f: string) => {
    const h = current.get(f);
    return h !== undefined && (h === manifest.files[f] || h === manifest.pending?.[f]);
  };
  const all: CaseFile[] = [...files.filter((f) => f.path !== GITIGNORE.path), GITIGNORE];
  const names = new Set(all.map((f) => f.path));
  const result: Written = { created: false, written: [], unchanged: [], kept: [], removed: [] };
  const hashes: Record<string, string> = {};
  const writes: { path: string; bytes: Uint8Array; mode: number }[] = [];
  for (const f of all) {
    let target = f.path;
    if (present.has(f.path) && !ours(f.path) && !opts.force) {
      target = besideName(f.path, opts.today ?? "new", (n) => names.has(n) || (present.has(n) && !ours(n)));
      names.add(target);
      result.kept.push({ file: f.path, beside: target });
      const original = manifest.files[f.path];
      if (original !== undefined) hashes[f.path] = original;
    }
    const hash = sha256(f.bytes);
    hashes[target] = hash;
    if (current.get(target) === hash) result.unchanged.push(target);
    else {
      writes.push({ path: target, bytes: f.bytes, mode: f.mode });
      result.written.push(target);
    }
  }
  // The wizard's answers.yaml is the record of what was given: a run from a case file keeps it.
  const removed = [...present].filter(
    (f) => !names.has(f) && f in manifest.files && ours(f) && f !== "answers.yaml",
  );
  const pending = Object.fromEntries(writes.map((w) => [w.path, hashes[w.path] as string]));
  // A file an earlier update, killed, left new (its hash in that one's `pending`) is
  // safeguard's as it is now: recorded so, or a second kill would make it look edited.
  const settled = { ...manifest.files };
  for (const [f, h] of current) if (h !== undefined && ours(f)) settled[f] = h;
  replaceFile(dir, MANIFEST, json({ case_id: manifest.case_id, files: settled, pending } satisfies Manifest));
  for (const w of writes) replaceFile(dir, w.path, w.bytes, w.mode);
  for (const f of removed) rmSync(join(dir, f), { force: true });
  result.removed = removed;
  replaceFile(dir, MANIFEST, json({ case_id: opts.caseId, files: hashes } satisfies Manifest));
  return result;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** `mash-referral.2026-12-14.md` for `mash-referral.md`, with `-2`, `-3` … where `taken`. */
function besideName(path: string, day: string, taken: (name: string) => boolean): string {
  const dot = path.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [path.slice(0, dot), path.slice(dot)] : [path, ""];
  for (let n = 1; ; n++) {
    const name = `${stem}.${day}${n === 1 ? "" : `-${n}`}${ext}`;
    if (!taken(name)) return name;
  }
}

/**
 * A file of the folder replaced whole: written to a new temporary file beside it (owner-only,
 * exclusive), synced, then renamed over it. Readers see the old file or the new, never part.
 */
export function replaceFile(dir: string, name: string, content: string | Uint8Array, mode = 0o600): void {
  const tmp = join(dir, `${WRITE_PREFIX}${process.pid}-${hostTag()}-${basename(name)}`);
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, "wx", mode);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  renameSync(tmp, join(dir, name));
}

/** Temporary files a killed update left in a case folder (leftBehind): removed. */
function cleanStaleWrites(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name.startsWith(WRITE_PREFIX) && leftBehind(name.slice(WRITE_PREFIX.length), path))
      rmSync(path, { force: true });
  }
}

/**
 * Whether files and folders written owner-only kept it: every mode (stat's) has no bit for
 * the group or others. A file system that keeps no permissions (exFAT, FAT: most USB
 * sticks) shows 0755 or 0777 whatever chmod asked.
 */
export function modesKept(modes: readonly number[]): boolean {
  return modes.every((mode) => (mode & 0o077) === 0);
}

/**
 * Whether a case folder just written is not owner-only: its manifest, chmod-ed 0600 by
 * every write, does not read so (modesKept). To be said once. Never on Windows, which
 * keeps no modes: there a folder's access list says who reads it.
 */
export function notOwnerOnly(folder: string): boolean {
  if (process.platform === "win32") return false;
  try {
    return !modesKept([statSync(join(folder, MANIFEST)).mode]);
  } catch {
    return false;
  }
}

/**
 * `mkdir -p`, owner-only, one level at a time: Node's own recursive mkdir loops for ever
 * on some special file systems (`--out /proc/x`). A file where a folder should be is said
 * plainly.
 */
export function makeFolders(path: string): void {
  const missing: string[] = [];
  let p = path;
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(p);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (st) {
      if (!st.isDirectory()) throw new InputError(say.outIsFile(p));
      break;
    }
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) mkdirSync(m, { mode: 0o700 });
}

function isLink(path: string): boolean {
  try {
    // Nothing there is the usual answer (a new folder): said without an exception.
    return lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  } catch {
    return false;
  }
}

/** A new file with this mode; fails rather than follow or overwrite anything already there. */
function writeExclusive(path: string, content: string | Uint8Array, mode: number): void {
  const fd = openSync(path, "wx", mode);
  try {
    writeFileSync(fd, content);
    // The mode whatever the umask, set on the file opened (no second look-up of its path).
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}
