import { dirname } from "node:path";
import { nextScreen, nextSince } from "../engine/next.js";
import { InputError } from "../errors.js";
import { suggest } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { validateValue } from "../flow/values.js";
import { loadFlow, shown } from "../io/flows.js";
import { lockSession } from "../io/session-lock.js";
import { DamagedSession, listSessions, loadSession, type Session, sessionsDir } from "../io/sessions.js";
import type { World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { fitted } from "../render/wrap.js";
import { say } from "../words/problems.js";
import { plural } from "../words/words.js";
import { interview, terminal } from "./wizard.js";

/**
 * `safeguard resume [ID]`: carry on with a saved wizard session at its first unanswered
 * question; a session of `safeguard update` as an update (issue 26), in its first round where
 * it stopped in it.
 */
export async function run(world: World, args: string[], opts: { date: string | undefined }): Promise<number> {
  const streams = terminal(world);
  const dir = sessionsDir(world.env);
  const id = pick(dir, args[0], world.program).id;
  // One window at a time; the answers are read again once the lock is held.
  const lock = lockSession(dir, id, world.now());
  try {
    const session = read(dir, id, world.program);
    if (!session) throw new InputError(say.sessionRemoved(id, world.program));
    const flow = loadFlow(session.flow, world.cwd, session.locality);
    const notes: string[] = lock.note ? [lock.note] : [];
    if (flow.sha256 !== session.flowSha256) {
      const versions =
        flow.version === session.flowVersion ? "" : ` (version ${session.flowVersion}, now ${flow.version})`;
      notes.push(
        `The flow has changed since this session was started${versions}: your answers were checked against it, and anything it now needs will be asked.`,
      );
    }
    notes.push(...fitAnswers(flow, session));
    const today = opts.date ?? world.today();
    // A session file is the user's to edit: what it holds reaches the terminal inert.
    const lines = [...recap(flow, session, today, world.cwd).split("\n"), ...notes].map((line) =>
      terminalSafe(line),
    );
    streams.output.write(fitted(`${lines.join("\n")}\n`, streams.output));
    // An update offers its case's folder again, wherever it is resumed from.
    const out = session.update ? shown(dirname(session.update.folder), world.cwd) : undefined;
    return await interview(world, streams, flow, session, today, true, out);
  } finally {
    lock.release();
  }
}

/**
 * Answers the flow no longer knows, or no longer accepts, taken out of the session to be asked
 * again (a resumed session's, or a case folder's being updated); the note saying so, if any.
 */
export function fitAnswers(flow: Flow, session: Session): string[] {
  const dropped: string[] = [];
  for (const [fact, value] of Object.entries(session.answers)) {
    const def = flow.facts.get(fact);
    const checked = def && !def.derived ? validateValue(def, value) : undefined;
    if (checked === undefined || typeof checked === "string") {
      delete session.answers[fact];
      dropped.push(def?.label ?? fact);
    } else session.answers[fact] = checked.value; // as the flow now keeps it (one value: a list of one)
  }
  session.order = session.order.filter((f) => f in session.answers);
  return dropped.length > 0
    ? [`These answers no longer fit the flow and will be asked again: ${dropped.join("; ")}.`]
    : [];
}

/** A session by id; a damaged file is named, with where it is, never quoted. */
function read(dir: string, id: string, program: string): Session | undefined {
  try {
    return loadSession(dir, id);
  } catch (error) {
    if (!(error instanceof DamagedSession)) throw error;
    throw new InputError(say.sessionDamaged(id, error.file, error.why, program));
  }
}

export function recap(flow: Flow, session: Session, today: string, cwd: string): string {
  const { update } = session;
  const n = session.order.length;
  const ask = (fact: string | undefined) => flow.questions.find((q) => q.fact.id === fact)?.ask;
  const last = ask(update && update.round !== "over" ? update.round.at(-1) : session.order.at(-1));
  const given =
    n === 0 ? "no answers yet" : `${plural(n, "answer")} given${last ? `, the last to "${last}"` : ""}`;
  const answers = new Map(session.order.map((f) => [f, session.answers[f] ?? null]));
  // An update in its first round carries on with the rest of it (issue 26).
  const since =
    update && update.round !== "over" ? nextSince(flow, answers, new Set(update.round), today) : null;
  const screen = since ? null : nextScreen(flow, answers, today);
  const next = since ?? (screen?.kind === "group" ? { ask: screen.group.heading } : screen?.question);
  const what = update ? `an update of ${shown(update.folder, cwd)}` : session.flow;
  return [
    `Resuming session ${session.id} (${what}${session.finished ? ", finished" : ""}): ${given}.`,
    next ? `Next: "${next.ask}"` : "Next: the review of your answers, then the pathway.",
  ].join("\n");
}

function pick(dir: string, id: string | undefined, program: string): Session {
  const all = listSessions(dir);
  if (id !== undefined) {
    const session = read(dir, id, program);
    if (!session) {
      throw new InputError(
        say.noSession(
          id,
          suggest(
            id,
            all.map((s) => s.id),
          ),
          program,
        ),
      );
    }
    return session;
  }
  const open = all
    .flatMap((s) => (s.session && !s.session.finished ? [s.session] : []))
    .sort((a, b) => a.updated.localeCompare(b.updated));
  const latest = open.at(-1);
  if (!latest) {
    throw new InputError(say.noUnfinishedSession(program));
  }
  return latest;
}
