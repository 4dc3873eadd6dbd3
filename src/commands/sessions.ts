import type { World } from "../cli/world.js";
import { InputError, UsageError } from "../errors.js";
import { suggest } from "../flow/problems.js";
import { listSessions, loadSession, parseDuration, removeSession, sessionsDir } from "../io/sessions.js";

/**
 * `safeguard sessions`: the saved wizard sessions, by id, flow, start and progress. Never
 * a name or an answer on screen: those stay in the owner-only session files.
 */
export async function run(world: World): Promise<number> {
  const dir = sessionsDir(world.env);
  const all = listSessions(dir);
  if (all.length === 0) {
    world.stdout.write(`No saved sessions (in ${dir}).\n`);
    return 0;
  }
  const rows = [["ID", "FLOW", "STARTED", "LAST CHANGE", "PROGRESS"]];
  for (const { id, session, problem } of all) {
    if (!session) {
      rows.push([id, "?", "?", "?", `cannot be read (${problem ?? "damaged"})`]);
      continue;
    }
    const n = session.order.length;
    const progress = session.finished ? `finished (${n} answers)` : `${n} answer${n === 1 ? "" : "s"} so far`;
    rows.push([id, flowName(session.flow), when(session.started), when(session.updated), progress]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows)
    world.stdout.write(
      `${r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  world.stdout.write(
    `\nIn ${dir} (readable by you only).\n` +
      "safeguard resume ID carries on with one; safeguard sessions rm ID removes a finished one.\n",
  );
  return 0;
}

/** `safeguard sessions rm ID`: remove a finished session (an unfinished one only with --force). */
export async function rm(world: World, args: string[], opts: { force: boolean }): Promise<number> {
  const dir = sessionsDir(world.env);
  const id = args[0] ?? "";
  let session: ReturnType<typeof loadSession>;
  let damaged = false;
  try {
    session = loadSession(dir, id);
  } catch {
    damaged = true;
  }
  if (!session && !damaged) {
    const ids = listSessions(dir).map((s) => s.id);
    throw new InputError(`there is no session "${id}"${suggest(id, ids)}: safeguard sessions lists them`);
  }
  if (session && !session.finished && !opts.force) {
    throw new UsageError(
      `session ${id} is not finished: carry on with safeguard resume ${id}, or add --force to delete its answers`,
    );
  }
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
    throw new UsageError(
      `--older-than "${text ?? ""}" is not a duration: use days, weeks or hours, like 30d, 4w or 12h`,
    );
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
    if (Date.parse(session.updated) < cutoff) {
      removeSession(dir, id);
      removed++;
    }
  }
  world.stdout.write(
    `Removed ${removed} finished session${removed === 1 ? "" : "s"} not changed for ${text}.` +
      (open > 0
        ? ` ${open} unfinished session${open === 1 ? " was" : "s were"} kept: safeguard sessions lists them.`
        : "") +
      "\n",
  );
  return 0;
}

function flowName(flow: string): string {
  return flow.replace(/^.*[\\/]/, "").replace(/\.flow\.ya?ml$/, "");
}

/** A timestamp as local "YYYY-MM-DD HH:MM". */
function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
