import { dirname, resolve } from "node:path";
import { findCase, folderState } from "../case/folders.js";
import { updateAnswers } from "../case/update.js";
import { formatLong } from "../engine/dates.js";
import { InputError } from "../errors.js";
import { DEFAULT_FLOW, loadFlow, shown } from "../io/flows.js";
import { lockSession } from "../io/session-lock.js";
import { newSessionId, type Session, sessionsDir } from "../io/sessions.js";
import type { World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { fitted } from "../render/wrap.js";
import { say } from "../words/problems.js";
import { fitAnswers } from "./resume.js";
import { interview, terminal } from "./wizard.js";

/** `safeguard update CASE`: the options the table declares for it (src/cli/main.ts). */
export interface UpdateOptions {
  date: string | undefined;
  locality: string | undefined;
}

/**
 * `safeguard update CASE` (issue 26): the wizard on a case folder's saved answers (its
 * history's last facts), asking first what may have happened since (the flow's over-time
 * questions), then the review, the pathway (where a step can be marked done) and the drafts,
 * written into the folder as an update: what changed, its chronology, edited drafts kept.
 * A session, as the wizard's: Ctrl-C saves it for `resume`, which carries on with it as an
 * update (the session's `update`: the folder, the day, where the first round is).
 */
export async function run(world: World, args: string[], opts: UpdateOptions): Promise<number> {
  const given = args[0] ?? "";
  const { folder } = findCase(world.cwd, given, world.env);
  // Read unlocked: the write takes the case's lock, as run --answers into it does.
  const state = folderState(folder);
  const out = shown(dirname(folder), world.cwd);
  if (!state.given || !state.last) throw new InputError(say.noHistoryToUpdate(given, out));
  if (state.redacted) throw new InputError(say.redactedUpdate(given));
  // The case is checked first: a folder that cannot be updated is said wherever it is run.
  const streams = terminal(world);
  const flow = loadFlow(undefined, world.cwd, opts.locality);
  const today = opts.date ?? world.today();
  const now = world.now();
  const session: Session = {
    version: 1,
    id: newSessionId(today),
    flow: DEFAULT_FLOW,
    ...(opts.locality ? { locality: resolve(world.cwd, opts.locality) } : {}),
    flowVersion: flow.version,
    flowSha256: flow.sha256,
    started: now,
    updated: now,
    answers: updateAnswers(flow, state.given),
    order: [],
    finished: false,
    out,
    update: { folder, since: state.last.date, round: [] },
  };
  session.order = Object.keys(session.answers);
  const notes = fitAnswers(flow, session);
  const lines = [
    `Updating ${shown(folder, world.cwd)}: last updated ${formatLong(state.last.date)}.`,
    ...(state.closed
      ? [`It was closed on ${formatLong(state.closed.date)}: an update leaves it closed.`]
      : []),
    ...notes,
  ];
  streams.output.write(fitted(`${lines.map((l) => terminalSafe(l)).join("\n")}\n`, streams.output));
  const lock = lockSession(sessionsDir(world.env), session.id, now);
  try {
    return await interview(world, streams, flow, session, today, false, out);
  } finally {
    lock.release();
  }
}
