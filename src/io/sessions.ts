import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import type { Value } from "../engine/answers.js";
import { isIsoDate } from "../engine/dates.js";
import { crypto } from "../flow/crypto.js";
import { say } from "../words/problems.js";

/**
 * The wizard's session store: one JSON file per session, written owner-only and
 * atomically (temporary file, fsync, rename) after every answer, so a killed process or
 * a closed terminal loses at most the answer being typed. The files hold personal data
 * (names, dates of birth, free text); nothing else in safeguard logs answers.
 */
export interface Session {
  /** Format version of this file. */
  version: 1;
  id: string;
  /** The flow as named on the command line (a bundled name, or an absolute path). */
  flow: string;
  /** Absolute path of the locality file, when one was given instead of the bundled one. */
  locality?: string;
  /** The flow's version and sha256 when the session started, to notice a changed flow. */
  flowVersion: string;
  flowSha256: string;
  /** ISO timestamps. */
  started: string;
  updated: string;
  /** Fact id -> value; null is an explicit "not known". */
  answers: Record<string, Value | null>;
  /** Facts in the order they were asked: the wizard's back stack. */
  order: string[];
  /** Set when the documents were written. */
  finished: boolean;
  /** The output folder the documents were written to, as the user typed it. */
  out?: string;
  /** Steps marked done on the pathway screen (issue 26): step id -> YYYY-MM-DD. */
  done?: Record<string, string>;
  /**
   * A `safeguard update` of a case folder (issue 26), so that a resumed one stays an update:
   * the folder (absolute), the day of its last entry when the update began, and where the
   * update's first round is (the questions it has asked so far, or "over").
   */
  update?: { folder: string; since: string; round: string[] | "over" };
}

/** The lead's data folder: `$SAFEGUARD_DATA_DIR`, else `$XDG_DATA_HOME/safeguard`, else `~/.local/share/safeguard`. */
export function dataDir(env: Record<string, string | undefined>): string {
  if (env.SAFEGUARD_DATA_DIR) return env.SAFEGUARD_DATA_DIR;
  // The XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : undefined;
  const base = xdg ?? join(env.HOME || homedir(), ".local", "share");
  return join(base, "safeguard");
}

/** The sessions folder, in the data folder. */
export function sessionsDir(env: Record<string, string | undefined>): string {
  return join(dataDir(env), "sessions");
}

/** Short, readable, not guessable by accident: the start date and six random letters or digits. */
export function newSessionId(today: string): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = crypto().randomBytes(6);
  let suffix = "";
  for (const b of bytes) suffix += alphabet[b % alphabet.length];
  return `${today.replaceAll("-", "")}-${suffix}`;
}

export function sessionFile(dir: string, id: string): string {
  return join(dir, `${id}.json`);
}

/** Beside the session's file while a window has it open (src/io/session-lock.ts). */
export function lockFile(dir: string, id: string): string {
  return join(dir, `${id}.lock`);
}

const ID = /^[0-9]{8}-[a-z0-9]{4,12}$/;

export function isSessionId(id: string): boolean {
  return ID.test(id);
}

/**
 * The sessions folder, made owner-only (0700) if it was not, without the temporary files a
 * process killed in the middle of a save left behind (they hold answers): a save takes
 * milliseconds, so one a minute old is nobody's.
 */
export function sessionsFolder(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".tmp")) continue;
    try {
      if (Date.now() - lstatSync(join(dir, name)).mtimeMs > 60_000) rmSync(join(dir, name), { force: true });
    } catch {
      // Gone already.
    }
  }
  return dir;
}

/** Write a session: owner-only folder (0700) and file (0600); temp file, fsync, rename. */
export function saveSession(dir: string, session: Session): string {
  sessionsFolder(dir);
  return writePrivate(sessionFile(dir, session.id), `${JSON.stringify(session, null, 2)}\n`);
}

/**
 * Write a file owner-only (0600), whole or not at all: a temporary file beside it, fsync,
 * rename. The temporary file is created exclusively: never through a link planted there.
 */
export function writePrivate(target: string, text: string): string {
  const tmp = `${target}.${process.pid}.${crypto().randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, target);
  return target;
}

/**
 * A session file that cannot be read. The message says what is wrong in general words only:
 * never the parser's excerpt, which can quote a name or an answer.
 */
export class DamagedSession extends Error {
  constructor(
    readonly id: string,
    readonly file: string,
    readonly why: string,
  ) {
    super(`session ${id} is damaged (${why}): ${file}`);
    this.name = "DamagedSession";
  }
}

/** A session by id, or undefined when there is none; throws DamagedSession when the file is damaged. */
export function loadSession(dir: string, id: string): Session | undefined {
  if (!isSessionId(id)) return undefined;
  let text: string;
  try {
    text = readFileSync(sessionFile(dir, id), "utf8");
  } catch {
    return undefined;
  }
  return parseSession(text, id, sessionFile(dir, id));
}

function parseSession(text: string, id: string, file: string): Session {
  let s: Partial<Session>;
  try {
    s = JSON.parse(text) as Partial<Session>;
  } catch {
    throw new DamagedSession(id, file, "it is not valid JSON");
  }
  if (
    typeof s !== "object" ||
    s === null ||
    s.version !== 1 ||
    s.id !== id ||
    typeof s.flow !== "string" ||
    typeof s.started !== "string" ||
    typeof s.updated !== "string" ||
    typeof s.answers !== "object" ||
    s.answers === null ||
    !Array.isArray(s.order) ||
    !s.order.every((f) => typeof f === "string") ||
    (s.done !== undefined &&
      (typeof s.done !== "object" ||
        s.done === null ||
        !Object.values(s.done).every((d) => typeof d === "string" && isIsoDate(d)))) ||
    (s.update !== undefined && !isUpdate(s.update))
  ) {
    throw new DamagedSession(id, file, "it is not a safeguard session file");
  }
  return { ...s, finished: s.finished === true } as Session;
}

function isUpdate(u: unknown): u is Session["update"] {
  if (typeof u !== "object" || u === null) return false;
  const { folder, since, round } = u as Record<string, unknown>;
  return (
    typeof folder === "string" &&
    isAbsolute(folder) &&
    typeof since === "string" &&
    isIsoDate(since) &&
    (round === "over" || (Array.isArray(round) && round.every((f) => typeof f === "string")))
  );
}

export interface Listed {
  id: string;
  file: string;
  session?: Session;
  /** Why the file could not be read, when it could not (never its contents). */
  problem?: string;
}

/** Every session in the store, oldest first; damaged files are listed with the problem. */
export function listSessions(dir: string): Listed[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Listed[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith(".json")) continue;
    const id = name.slice(0, -".json".length);
    const file = join(dir, name);
    try {
      out.push({ id, file, session: parseSession(readFileSync(file, "utf8"), id, file) });
    } catch (error) {
      out.push({ id, file, problem: error instanceof DamagedSession ? error.why : say.sessionUnreadable() });
    }
  }
  return out.sort((a, b) => (a.session?.started ?? "").localeCompare(b.session?.started ?? ""));
}

/** Remove a session's file, and the lock a window that has gone left beside it. */
export function removeSession(dir: string, id: string): void {
  rmSync(sessionFile(dir, id), { force: true });
  rmSync(lockFile(dir, id), { force: true });
}

/** A timestamp as local "YYYY-MM-DD HH:MM". */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "?";
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "30d", "4w", "12h" -> milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*([dwh])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as "h" | "d" | "w"];
  return n * unit;
}
