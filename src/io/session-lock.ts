import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { terminalSafe } from "../render/inert.js";
import { type LockDoubt, say } from "../words/problems.js";
import { fsWords } from "./fs-errors.js";
import { localTime, lockFile, sessionsFolder } from "./sessions.js";

/**
 * A session is open in one window at a time: `<id>.lock` beside its file, created
 * exclusively ('wx', owner-only) when the wizard or `resume` opens it and removed when it
 * stops. Without it two `resume` windows would each save their own answers over the
 * other's. A lock whose process has gone (killed, a closed window, a restart) is taken
 * over, with a note.
 */
export interface SessionLock {
  /** Set when a stale lock was taken over: say so to the user. */
  note?: string;
  release(): void;
}

interface Owner {
  pid: number;
  host: string;
  /** /proc/sys/kernel/random/boot_id: a lock from before a restart is stale whatever its pid. */
  boot?: string | undefined;
  /** The process's start time in clock ticks since boot (/proc/PID/stat): a reused pid differs. */
  start?: string | undefined;
  since: string;
}

/** Lock session `id`, or an InputError (exit 2) naming it when another live process holds it. */
export function lockSession(dir: string, id: string, now: string): SessionLock {
  sessionsFolder(dir);
  return lockFileAt(lockFile(dir, id), now, {
    what: `session ${id}`,
    hint: "carry on there, or stop it (Ctrl-C saves the answers) and resume again",
  });
}

/**
 * The same lock for anything one window at a time may change (a case folder's history,
 * issue 26): `file` created exclusively, a stale one taken over with a note. `what` names
 * it in the messages ("case EX-1"), `hint` says what to do when another window has it.
 */
export function lockFileAt(file: string, now: string, words: { what: string; hint: string }): SessionLock {
  const { what, hint } = words;
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), boot: bootId(), start: startOf(process.pid), since: now } satisfies Owner)}\n`;
  let note: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      return held(file, mine, note);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const text = readLock(file);
    if (text === undefined) continue; // released meanwhile: try again
    if (typeof text !== "string") throw new InputError(say.lockUnreadable(what, file, text.why));
    const owner = parseOwner(text);
    const gone = owner ? staleness(owner) : emptyLockAge(file);
    if (gone === undefined) {
      if (!owner) throw new InputError(say.beingOpened(what));
      // The host is the lock file's word, not ours: shown as text (the wizard says this error too).
      if (owner.host !== hostname())
        throw new InputError(
          say.openOnAnotherComputer(
            what,
            describeOwner({ ...owner, host: terminalSafe(owner.host) }),
            hint,
            file,
          ),
        );
      throw new InputError(say.openElsewhere(what, describeOwner(owner), hint));
    }
    // Remove the stale lock only if it is still the one just read (another window may be taking it over too).
    try {
      if (readLock(file) === text) unlinkSync(file);
    } catch {
      // Gone already.
    }
    note = `${what.charAt(0).toUpperCase()}${what.slice(1)} was left open by a safeguard window that ${gone}: it is taken over here.`;
  }
  throw new InputError(say.beingOpened(what));
}

/**
 * A lock cleared by a person who judged its window gone (`sessions rm --force`): a file, a
 * link or a named pipe at its path removed; a folder there too, but only when it is empty or
 * holds only locks (a folder of anything else is not safeguard's to delete: false, left).
 */
export function clearLock(file: string): boolean {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(file);
  } catch {
    return true; // nothing there
  }
  if (!st.isDirectory()) {
    rmSync(file, { force: true });
    return true;
  }
  const inside = readdirSync(file).map((n) => join(file, n));
  if (!inside.every((f) => isLockFile(f))) return false;
  rmSync(file, { recursive: true, force: true });
  return true;
}

/** A plain file holding nothing, or a lock's owner as safeguard writes it. */
export function isLockFile(file: string): boolean {
  try {
    const st = lstatSync(file);
    if (!st.isFile() || st.size > 4096) return false;
    const text = readFileSync(file, "utf8");
    return text.trim() === "" || parseOwner(text) !== undefined;
  } catch {
    return false;
  }
}

/** Who holds session `id` open now ("process 123, since …"), or undefined when nobody does. */
export function openBy(dir: string, id: string): string | undefined {
  return holder(dir, id)?.who;
}

/**
 * Who holds session `id` open now, and whether this computer can be sure of it (`sure`
 * false: a process of another computer, or a lock that cannot be read, which a person
 * may judge gone and remove: `sessions rm --force`). Undefined when nobody does.
 */
export function holder(dir: string, id: string): { who: string; sure: boolean } | undefined {
  const file = lockFile(dir, id);
  const text = readLock(file);
  if (text === undefined) return undefined;
  if (typeof text !== "string") return { who: `its lock cannot be judged: ${file}`, sure: false };
  const owner = parseOwner(text);
  if (!owner)
    return emptyLockAge(file) === undefined ? { who: "a window opening it now", sure: true } : undefined;
  if (staleness(owner) !== undefined) return undefined;
  return { who: describeOwner(owner), sure: owner.host === hostname() };
}

/**
 * A lock file's text; undefined when there is none; or why it cannot be judged. Never
 * blocks: a named pipe or a device at the lock's path is opened without waiting for a
 * writer and refused, as is a link, a folder or a file that cannot be read.
 */
function readLock(file: string): string | { why: LockDoubt } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    return { why: code === "ELOOP" ? "a link" : fsWords(error) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 4096) return { why: "not a lock" };
    return readFileSync(fd, "utf8");
  } catch (error) {
    return { why: fsWords(error) };
  } finally {
    closeSync(fd);
  }
}

function describeOwner(owner: Owner): string {
  const where = owner.host === hostname() ? "" : ` on ${owner.host}`;
  return `process ${owner.pid}${where}, since ${localTime(owner.since)}`;
}

/** Why a lock's owner no longer holds it, or undefined when it still may. */
function staleness(owner: Owner): string | undefined {
  if (owner.host !== hostname()) return undefined; // another computer's process: not ours to judge
  const boot = bootId();
  if (owner.boot && boot && owner.boot !== boot) return "was open before the computer was restarted";
  if (!alive(owner.pid)) return "is no longer running";
  const start = startOf(owner.pid);
  if (owner.start && start && owner.start !== start) return "is no longer running";
  return undefined;
}

/** A lock file with nothing readable in it: being written this instant, or left by a crash. */
function emptyLockAge(file: string): string | undefined {
  try {
    return Date.now() - statSync(file).mtimeMs > 10_000 ? "stopped while opening it" : undefined;
  } catch {
    return "stopped while opening it";
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.since === "string")
      return o as Owner;
  } catch {
    // Not written whole.
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A zombie (ended, not yet reaped) still answers to kill 0.
  const state = procStat(pid)?.[0];
  return state !== "Z" && state !== "X";
}

/** Fields of /proc/PID/stat after the command name (state first), on Linux. */
function procStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text
      .slice(text.lastIndexOf(")") + 2)
      .trim()
      .split(" ");
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat: when the process started, in ticks since boot. */
function startOf(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

let boot: string | null | undefined;
function bootId(): string | undefined {
  if (boot === undefined) {
    try {
      boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      boot = null;
    }
  }
  return boot ?? undefined;
}

/** The lock, removed on release, at exit, and on a hang-up or terminate (a closed window). */
function held(file: string, mine: string, note: string | undefined): SessionLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    try {
      if (readFileSync(file, "utf8") === mine) unlinkSync(file);
    } catch {
      // Gone already.
    }
  };
  const handlers = (["SIGHUP", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      release();
      process.kill(process.pid, signal); // and end as the signal would have
    };
    return [signal, handler] as const;
  });
  process.on("exit", release);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return { ...(note ? { note } : {}), release };
}
