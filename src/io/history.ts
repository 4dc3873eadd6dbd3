import {
  closeSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { isLockFile, lockFileAt, type SessionLock } from "./session-lock.js";

// A case folder's history (issue 26): one JSON line per entry, appended and never rewritten.

/** The case's history, in its folder: one JSON object a line. */
export const HISTORY = "chronology.jsonl";
/** Beside the history while one window changes the case. */
export const CASE_LOCK = ".safeguard-lock";

/** What reading a history found: every whole entry, in order, and the lines that were not whole. */
export interface HistoryRead {
  entries: unknown[];
  /**
   * Lines that are not a whole entry: a last line without its newline is the one a killed
   * run was writing (ignored, and reported); any other is damage (reported too).
   */
  torn: { line: number; last: boolean }[];
}

/** The history of a case folder; none yet is an empty history. */
export function readHistory(folder: string): HistoryRead {
  let text: string;
  try {
    text = readFileSync(join(folder, HISTORY), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], torn: [] };
    throw error;
  }
  const lines = text.split("\n");
  const complete = text.endsWith("\n");
  if (complete) lines.pop();
  const entries: unknown[] = [];
  const torn: HistoryRead["torn"] = [];
  lines.forEach((line, i) => {
    const last = i === lines.length - 1 && !complete;
    if (line.trim() === "") return;
    try {
      if (last) throw new Error("no newline: not written whole");
      entries.push(JSON.parse(line));
    } catch {
      torn.push({ line: i + 1, last });
    }
  });
  return { entries, torn };
}

/**
 * How far a case folder's history has got: its size in bytes (-1: no history yet). Only
 * ever appended, so any write since it was read changes it.
 */
export function historyMark(folder: string): number {
  try {
    // No history yet is the usual answer (a new case): said without an exception.
    return statSync(join(folder, HISTORY), { throwIfNoEntry: false })?.size ?? -1;
  } catch {
    return -1;
  }
}

/**
 * One entry appended as one line, and on the disk before this returns (fsync): a kill at
 * any moment leaves every earlier entry whole and at most this one torn. A torn last line
 * left by a killed run is closed with a newline first, so this entry starts a line of its own.
 */
export function appendHistory(folder: string, entry: unknown): void {
  const fd = openSync(join(folder, HISTORY), "a+", 0o600);
  try {
    const size = fstatSync(fd).size;
    let prefix = "";
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = "\n";
    }
    writeSync(fd, `${prefix}${historyLine(entry)}`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** An entry as the history holds it: one line. */
export const historyLine = (entry: unknown): string => `${JSON.stringify(entry)}\n`;

/** One window at a time changes a case (the sessions' lock): another is refused, naming it. */
export function lockCase(folder: string, caseId: string, now: string): SessionLock {
  return lockFileAt(join(folder, CASE_LOCK), now, {
    what: `case ${caseId}`,
    hint: "let it finish, then try again",
  });
}

/**
 * A case's lock that no window holds (its process gone, the computer restarted since, or
 * left empty by a crash), removed, as lockCase takes such a lock over: true. False when
 * the file is not a lock as safeguard writes one. A lock a window holds is refused as
 * lockCase refuses it (an InputError naming who has it).
 */
export function clearStaleCaseLock(folder: string, caseId: string): boolean {
  if (!isLockFile(join(folder, CASE_LOCK))) return false;
  lockCase(folder, caseId, new Date().toISOString()).release();
  return true;
}
