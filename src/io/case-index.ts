import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { say } from "../words/problems.js";
import { fsProblem } from "./fs-errors.js";
import { MANIFEST } from "./output.js";
import { lockFileAt, type SessionLock } from "./session-lock.js";
import { dataDir, writePrivate } from "./sessions.js";

// The case folders the lead's data folder knows (issue 26): `due`, `cases` with no folder
// given, and a case reference for `done`, `close`, `reopen` and `update`. Each case folder
// safeguard writes is recorded by its path and case reference only: never a name, never an
// answer. Owner-only, written whole (temporary file, fsync, rename) under a lock.

/** One case folder the data folder knows: its absolute path and its case reference. */
export interface KnownCase {
  folder: string;
  caseId: string;
}

interface IndexFile {
  version: 1;
  cases: { path: string; case_id: string }[];
}

/** The index, in the lead's data folder. */
export function caseIndexFile(env: Record<string, string | undefined>): string {
  return join(dataDir(env), "cases.json");
}

/** The cases the index holds, as written (none when there is no index, or it cannot be read as one). */
function readIndex(file: string): KnownCase[] {
  let data: Partial<IndexFile>;
  try {
    data = JSON.parse(readFileSync(file, "utf8")) as Partial<IndexFile>;
  } catch {
    return [];
  }
  if (data?.version !== 1 || !Array.isArray(data.cases)) return [];
  return data.cases
    .filter((c) => typeof c?.path === "string" && typeof c?.case_id === "string")
    .map((c) => ({ folder: c.path, caseId: c.case_id }));
}

function writeIndex(file: string, cases: readonly KnownCase[]): void {
  const sorted = [...cases].sort((a, b) => a.folder.localeCompare(b.folder));
  const data: IndexFile = { version: 1, cases: sorted.map((c) => ({ path: c.folder, case_id: c.caseId })) };
  writePrivate(file, `${JSON.stringify(data, null, 2)}\n`);
}

/**
 * The index read, changed by `change` and written back, under its lock: two windows never
 * lose each other's cases. A window holding the lock has it for milliseconds, so another
 * waits for it (up to two seconds) rather than being refused.
 */
function updateIndex(
  env: Record<string, string | undefined>,
  now: string,
  change: (cases: KnownCase[]) => KnownCase[],
) {
  const dir = dataDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = caseIndexFile(env);
  let lock: SessionLock | undefined;
  for (let waited = 0; !lock; waited += 50) {
    try {
      lock = lockFileAt(`${file}.lock`, now, { what: "the list of your cases", hint: "try again" });
    } catch (error) {
      if (!(error instanceof InputError) || waited >= 2000) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    const before = readIndex(file);
    const after = change(before);
    if (JSON.stringify(after) !== JSON.stringify(before)) writeIndex(file, after);
  } finally {
    lock.release();
  }
}

/**
 * Case folders (absolute paths) recorded in the index: a folder already there takes its
 * case reference as now. Undefined when recorded, or why not in words (the case itself is
 * written; only the list of cases could not be kept).
 */
export function rememberCases(
  env: Record<string, string | undefined>,
  cases: readonly KnownCase[],
  now: string,
): string | undefined {
  if (cases.length === 0) return undefined;
  try {
    updateIndex(env, now, (known) => {
      const folders = new Set(cases.map((c) => c.folder));
      return [...known.filter((k) => !folders.has(k.folder)), ...cases];
    });
    return undefined;
  } catch (error) {
    const why = error instanceof InputError ? error.message : fsProblem(error);
    return say.caseIndexNotKept(caseIndexFile(env), why);
  }
}

/**
 * The case folders the index knows that are still case folders, and those that are gone
 * (moved or deleted). Given `now`, the gone ones are taken out of the index, so each is said once.
 */
export function knownCases(
  env: Record<string, string | undefined>,
  now?: string,
): { cases: KnownCase[]; gone: KnownCase[] } {
  const all = readIndex(caseIndexFile(env));
  const isCase = (c: KnownCase) => existsSync(join(c.folder, MANIFEST));
  const gone = all.filter((c) => !isCase(c));
  if (gone.length > 0 && now !== undefined) {
    try {
      updateIndex(env, now, (known) => known.filter(isCase));
    } catch {
      // Said again next time: the list is only read here.
    }
  }
  return { cases: all.filter(isCase), gone };
}
