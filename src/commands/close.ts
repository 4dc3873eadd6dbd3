import { findCase } from "../case/folders.js";
import { chronologyMarkdown, type Entry } from "../case/history.js";
import { chronologyTwin, hasWordTwins, openCase, replaceChronology } from "../case/record.js";
import { InputError } from "../errors.js";
import { rememberCases } from "../io/case-index.js";
import { loadFlow, shown } from "../io/flows.js";
import { appendHistory } from "../io/history.js";
import type { World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { say } from "../words/problems.js";

/** `safeguard close`: the options the table declares for it (src/cli/main.ts). */
export interface CloseOptions {
  reason: string | undefined;
}

/**
 * `safeguard close CASE --reason TEXT` (issue 26): the case closed on today's date, with
 * its reason, in its history and chronology. A closed case is left out of `due` and
 * `cases` (`cases --closed` lists it); its files are left as they are.
 */
export async function run(world: World, args: string[], opts: CloseOptions): Promise<number> {
  const reason = (opts.reason ?? "").trim();
  if (reason === "") throw new InputError(say.closeNeedsReason());
  return change(world, args[0] ?? "", "close", reason);
}

/** `safeguard reopen CASE` (issue 26): a closed case open again, in its history and chronology. */
export async function reopen(world: World, args: string[], _opts: Record<string, never>): Promise<number> {
  return change(world, args[0] ?? "", "reopen", undefined);
}

/**
 * One close or reopen entry appended to the case's history, under its lock, and chronology.md
 * rendered (with its Word twin where the drafts have theirs).
 */
async function change(
  world: World,
  given: string,
  kind: "close" | "reopen",
  reason: string | undefined,
): Promise<number> {
  const { folder, caseId } = findCase(world.cwd, given, world.env);
  const flow = loadFlow(undefined, world.cwd, undefined);
  const today = world.today();
  const open = openCase(folder, caseId, world.now());
  try {
    if (open.state.redacted) throw new InputError(say.redactedNotClosed(given, kind));
    const closed = open.state.closed;
    if (kind === "close" && closed) throw new InputError(say.alreadyClosed(given, closed.date));
    if (kind === "reopen" && !closed) throw new InputError(say.notClosed(given));
    const entry: Entry = {
      v: 1,
      at: world.now(),
      date: today,
      kind,
      source: `safeguard ${kind}`,
      case_id: caseId,
      ...(reason ? { reason } : {}),
    };
    const chronology = chronologyMarkdown(flow, caseId, [...open.entries, entry], open.torn);
    const plan = await chronologyTwin({ chronology }, hasWordTwins(folder), today);
    appendHistory(folder, entry);
    replaceChronology(folder, plan);
  } finally {
    open.lock?.release();
  }
  if (open.lock?.note) world.stderr.write(`${open.lock.note}\n`);
  // In the lead's list of cases (issue 26), as done adds it: a case closed by its folder is
  // one `cases --closed` lists, and reopened, one `due` and `cases` list again.
  const unlisted = rememberCases(world.env, [{ folder, caseId }], world.now());
  if (unlisted) world.stderr.write(`${unlisted}\n`);
  const where = terminalSafe(shown(folder, world.cwd));
  world.stdout.write(
    kind === "close"
      ? `Closed on ${today}: ${where}/ is left out of due and cases (cases --closed lists it).\n`
      : `Reopened on ${today}: ${where}/ is back in due and cases.\n`,
  );
  return 0;
}
