import { firstConcernType } from "../case/due.js";
import { InputError, UsageError } from "../errors.js";
import { suggest } from "../flow/problems.js";
import { clearLock, holder, openBy } from "../io/session-lock.js";
import {
  DamagedSession,
  listSessions,
  loadSession,
  localTime,
  lockFile,
  parseDuration,
  removeSession,
  type Session,
  sessionFile,
  sessionsDir,
} from "../io/sessions.js";
import type { World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { say } from "../words/problems.js";
import { plural } from "../words/words.js";

/**
 * `safeguard sessions`: the saved wizard sessions, by id, case reference, first concern
 * type, flow, start and progress, so that interrupted cases can be told apart. Never a
 * name or any other answer on screen: those stay in the owner-only session files.
 */
export async function run(world: World, _args: string[], opts: { json: boolean }): Promise<number> {
  const dir = sessionsDir(world.env);
  const all = listSessions(dir);
  if (opts.json) {
    world.stdout.write(
      `${JSON.stringify({ folder: dir, sessions: all.map((l) => sessionJson(dir, l)) }, null, 2)}\n`,
    );
    return 0;
  }
  if (all.length === 0) {
    world.stdout.write(`No saved sessions (in ${dir}).\n`);
    return 0;
  }
  const rows = [["ID", "CASE", "CONCERN", "FLOW", "STARTED", "LAST CHANGE", "PROGRESS"]];
  const damaged: string[] = [];
  for (const { id, file, session, problem } of all) {
    if (!session) {
      rows.push([id, "?", "?", "?", "?", "?", "damaged: cannot be read"]);
      damaged.push(`  ${id}: ${problem ?? "it cannot be read"} (${file})`);
      continue;
    }
    const n = session.order.length;
    const open = openBy(dir, id);
    const progress =
      (session.finished ? `finished (${plural(n, "answer")})` : `${plural(n, "answer")} so far`) +
      // An update of a case folder (issue 26): resumed, it stays one.
      (session.update ? ", an update" : "") +
      // The lock file's host is as another computer (or anyone) wrote it: shown, never sent raw.
      (open ? `, open now (${terminalSafe(open)})` : "");
    const ref = caseId(session);
    rows.push([
      id,
      ref === null ? "-" : shortText(ref),
      firstConcernType(session.answers["concern.types"]) ?? "-",
      terminalSafe(flowName(session.flow)),
      localTime(session.started),
      localTime(session.updated),
      progress,
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows)
    world.stdout.write(
      `${r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  if (damaged.length > 0) {
    world.stdout.write(
      `\nDamaged (safeguard cannot read ${damaged.length === 1 ? "it" : "them"}; ` +
        `the answers may still be in the file):\n${damaged.join("\n")}\n`,
    );
  }
  world.stdout.write(
    `\nIn ${dir} (readable by you only).\n` +
      `${world.program} resume ID carries on with one; ${world.program} sessions rm ID removes a finished one.\n`,
  );
  return 0;
}

/**
 * One session as `sessions --json` gives it: what the table shows, as data (the case
 * reference whole, times in UTC), and never a name or any other answer.
 */
function sessionJson(dir: string, { id, session, problem }: ReturnType<typeof listSessions>[number]) {
  if (!session) return { id, damaged: problem ?? "it cannot be read" };
  return {
    id,
    case_id: caseId(session),
    concern_type: firstConcernType(session.answers["concern.types"]),
    flow: flowName(session.flow),
    started: session.started,
    updated: session.updated,
    answers: session.order.length,
    finished: session.finished,
    update: session.update !== undefined,
    open_by: openBy(dir, id) ?? null,
  };
}

/** The case reference as answered, or null when not answered yet. */
function caseId(session: Session): string | null {
  const id = session.answers.case_id;
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

/** A case reference on one short line of the table. */
function shortText(ref: string): string {
  const text = terminalSafe(ref);
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

/** `safeguard sessions rm ID`: remove a finished session (an unfinished or damaged one only with --force). */
export async function rm(world: World, args: string[], opts: { force: boolean }): Promise<number> {
  const dir = sessionsDir(world.env);
  const id = args[0] ?? "";
  let session: Session | undefined;
  let damaged: DamagedSession | undefined;
  try {
    session = loadSession(dir, id);
  } catch (error) {
    if (!(error instanceof DamagedSession)) throw error;
    damaged = error;
  }
  if (!session && !damaged) {
    const ids = listSessions(dir).map((s) => s.id);
    throw new InputError(say.noSession(id, suggest(id, ids), world.program));
  }
  // Another computer's window, or a lock that cannot be read, is for the person to judge: --force.
  const open = holder(dir, id);
  if (open?.sure) throw new UsageError(say.sessionOpenToRemove(id, open.who));
  if (open && !opts.force)
    throw new UsageError(say.sessionMayBeOpenToRemove(id, open.who, lockFile(dir, id)));
  if (damaged && !opts.force) {
    throw new UsageError(say.sessionDamagedToRemove(id, damaged.why, sessionFile(dir, id)));
  }
  if (session && !session.finished && !opts.force) {
    throw new UsageError(say.sessionUnfinished(id, world.program));
  }
  // The lock first: a folder at its path holding more than locks keeps the session too.
  if (!clearLock(lockFile(dir, id))) throw new InputError(say.lockFolderKept(id, lockFile(dir, id)));
  removeSession(dir, id);
  world.stdout.write(`Removed session ${id}.\n`);
  return 0;
}

/** `safeguard sessions prune --older-than 30d`: remove finished sessions not changed for that long. */
export async function prune(
  world: World,
  _args: string[],
  opts: { olderThan: string | undefined },
): Promise<number> {
  const text = opts.olderThan;
  const ms = text === undefined ? undefined : parseDuration(text);
  if (ms === undefined) {
    throw new UsageError(say.notADuration(text ?? ""));
  }
  const dir = sessionsDir(world.env);
  const cutoff = Date.parse(world.now()) - ms;
  let removed = 0;
  let open = 0;
  for (const { id, session } of listSessions(dir)) {
    if (!session) continue;
    if (!session.finished) {
      open++;
      continue;
    }
    if (Date.parse(session.updated) < cutoff && !openBy(dir, id)) {
      removeSession(dir, id);
      removed++;
    }
  }
  world.stdout.write(
    `Removed ${plural(removed, "finished session")} not changed for ${text}.` +
      (open > 0
        ? ` ${plural(open, "unfinished session")} ${open === 1 ? "was" : "were"} kept: ${world.program} sessions lists them.`
        : "") +
      "\n",
  );
  return 0;
}

function flowName(flow: string): string {
  return flow.replace(/^.*[\\/]/, "").replace(/\.flow\.ya?ml$/, "");
}
