import { dirname } from "node:path";
import { lexiconFor } from "../case/decide.js";
import { type Mark, whyNotMarkable, withDone } from "../case/done.js";
import { findCase } from "../case/folders.js";
import { answersOf } from "../case/history.js";
import { hasWordTwins, openCase, recordCase } from "../case/record.js";
import { updateText } from "../case/update.js";
import { decide } from "../engine/decide.js";
import { InputError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { rememberCases } from "../io/case-index.js";
import { loadFlow, shown } from "../io/flows.js";
import { useColour, type World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { say } from "../words/problems.js";

/** `safeguard done CASE STEP`: the options the table declares for it (src/cli/main.ts). */
export interface DoneOptions {
  date: string | undefined;
  note: string | undefined;
  locality: string | undefined;
}

/**
 * `safeguard done CASE STEP [--date] [--note]` (issue 26): a step of a case's pathway (CASE:
 * its folder, or a case reference the data folder knows)
 * marked done on its date (today by default), in its history, and the folder updated so the
 * glance, the drafts, deadlines.ics and pathway.json show it done. A step the pathway does
 * not recommend is refused with the reason (exit 2).
 */
export async function run(world: World, args: string[], opts: DoneOptions): Promise<number> {
  const [given = "", step = ""] = args;
  const { folder, caseId } = findCase(world.cwd, given, world.env);
  const today = world.today();
  const date = opts.date ?? today;
  if (date > today) throw new InputError(say.doneAfterToday(date, today));
  const flow = loadFlow(undefined, world.cwd, opts.locality);
  const open = openCase(folder, caseId, world.now());
  let marks: Map<string, Mark>;
  let pathway: ReturnType<typeof decideFrom>;
  try {
    const { given: facts, redacted } = open.state;
    if (!facts) throw new InputError(say.noHistoryYet(given, shown(dirname(folder), world.cwd)));
    if (redacted) throw new InputError(say.redactedCopy(given));
    const why = whyNotMarkable(flow, decideFrom(flow, facts, today, open.state.marks), step);
    if (why) throw new InputError(say.cannotMarkDone(step, why));
    marks = new Map(open.state.marks).set(step, { date, ...(opts.note ? { note: opts.note } : {}) });
    pathway = decideFrom(flow, facts, today, marks);
  } catch (error) {
    open.lock?.release();
    throw error;
  }
  const recorded = await recordCase(flow, pathway, marks, open, {
    out: dirname(folder),
    cwd: world.cwd,
    docx: hasWordTwins(folder),
    force: false,
    today,
    now: world.now(),
    source: "safeguard done",
    kind: "done",
    step,
    ...(opts.note ? { note: opts.note } : {}),
  });
  if (recorded.note) world.stderr.write(`${recorded.note}\n`);
  const unlisted = rememberCases(world.env, [{ folder, caseId }], world.now());
  if (unlisted) world.stderr.write(`${unlisted}\n`);
  const title = pathway.actions.find((a) => a.id === step)?.title ?? step;
  world.stdout.write(
    `Marked done: ${terminalSafe(title)} (${date}). ${terminalSafe(shown(folder, world.cwd))}/ updated.\n`,
  );
  world.stdout.write(updateText(recorded, useColour(world)));
  return 0;
}

function decideFrom(
  flow: Flow,
  facts: Parameters<typeof answersOf>[0],
  today: string,
  marks: ReadonlyMap<string, Mark>,
) {
  const answers = answersOf(facts);
  return withDone(flow, decide(flow, answers, today, lexiconFor(flow, answers)), marks);
}
