import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
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
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import type { AssembledCase, CaseFile } from "../render/case-files.js";
import { say } from "../words/problems.js";

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

const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");

/**
 * Output folder name for a case: the case_id, readable and never merged with another's.
 * Letters and digits of any script, `_` and `-` (and `.` after the first character) are
 * kept; anything else is percent-encoded (`%2F`). When anything was changed (encoded,
 * shortened, or an empty id) a `~` and a hash of the whole id are added, so two ids never
 * share a folder: `..` is `%2E.~3f1c…`, `山田` stays `山田`.
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
  if (!changed) return name;
  return `${name || "case"}~${sha256(caseId).slice(0, 10)}`;
}

function percentEncoded(ch: string): string {
  return [...Buffer.from(ch, "utf8")]
    .map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`)
    .join("");
}

interface Manifest {
  case_id: string;
  files: Record<string, string>;
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
    if (rel === MANIFEST) continue;
    if (e.isDirectory()) out.push(...filesUnder(join(dir, e.name), `${rel}/`));
    else out.push(rel);
  }
  return out.sort();
}

/**
 * Temporary folders left by a run that was killed (its process is gone, or an hour has
 * passed): removed, since they can hold personal data.
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
    const pid = Number(/^\.safeguard-tmp-(\d+)-/.exec(name)?.[1]);
    const path = join(outDir, name);
    let old = true;
    try {
      old = Date.now() - lstatSync(path).mtimeMs > 3_600_000;
    } catch {
      continue;
    }
    if (pid !== process.pid && (old || !alive(pid))) rmSync(path, { recursive: true, force: true });
  }
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
 * Why an existing folder may not be replaced by this case's files: it is not a folder,
 * holds another case or files safeguard did not write, or a file was edited since it
 * was written (unless `force`). Undefined when it may.
 */
function refusal(dir: string, caseId: string, force: boolean): string | undefined {
  const st = lstatSync(dir);
  if (!st.isDirectory()) return `${dir} exists and is not a folder: choose another --out`;
  const manifest = readManifest(dir);
  const present = filesUnder(dir);
  if (!manifest) {
    if (present.length === 0) return undefined;
    return `${dir} holds files safeguard did not write (${list(present)}): it was not replaced; choose another --out, or move the folder`;
  }
  if (manifest.case_id !== caseId)
    return `${dir} holds another case: it was not replaced; give this case its own case_id, or choose another --out`;
  if (force) return undefined;
  const edited = present.filter((f) => {
    const want = manifest.files[f];
    if (want === undefined) return true;
    try {
      return sha256(readFileSync(join(dir, f))) !== want;
    } catch {
      return true;
    }
  });
  if (edited.length === 0) return undefined;
  return `${dir} has files changed or added since safeguard wrote them (${list(edited)}): they were kept; copy them elsewhere, or run again with --force to replace them`;
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
  opts: { cwd: string; force: boolean },
): void {
  if (assembled.folder === null) return;
  writeCaseFolder(resolve(opts.cwd, assembled.folder), assembled.files, {
    caseId: assembled.caseId,
    force: opts.force,
  });
}

/** Output folders whose stale temporary folders this process has removed. */
const cleaned = new Set<string>();

/**
 * Write a case folder whole: every file (owner-only, created exclusively, never through
 * a planted link) into a new temporary folder beside it, with a manifest of hashes and a
 * `.gitignore` that keeps it out of any git checkout, then renamed into place. An
 * existing folder is replaced only when it holds this same case, unedited (or `force`).
 * A killed run leaves the old folder, or the new one, never a mixture.
 */
export function writeCaseFolder(
  dir: string,
  files: readonly CaseFile[],
  opts: { caseId: string; force?: boolean },
): void {
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
    const why = refusal(dir, opts.caseId, opts.force ?? false);
    if (why) throw new InputError(why);
  }
  const tmp = mkdtempSync(join(outDir, `${TEMP_PREFIX}${process.pid}-`));
  try {
    chmodSync(tmp, 0o700);
    const all: CaseFile[] = [...files.filter((f) => f.path !== GITIGNORE.path), GITIGNORE];
    const hashes: Record<string, string> = {};
    for (const f of all) {
      const target = join(tmp, f.path);
      makeFolders(dirname(target));
      writeExclusive(target, f.bytes, f.mode);
      hashes[f.path] = sha256(f.bytes);
    }
    const manifest: Manifest = { case_id: opts.caseId, files: hashes };
    writeExclusive(join(tmp, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
    if (exists) {
      const old = `${tmp}-old`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
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
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A new file with this mode; fails rather than follow or overwrite anything already there. */
function writeExclusive(path: string, content: string | Uint8Array, mode: number): void {
  const fd = openSync(path, "wx", mode);
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  chmodSync(path, mode);
}
