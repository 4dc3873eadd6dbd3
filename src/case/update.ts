import { resolve } from "node:path";
import { Chalk } from "chalk";
import type { Value } from "../engine/answers.js";
import type { Pathway } from "../engine/decide.js";
import type { Flow } from "../flow/types.js";
import { terminalText } from "../render/inert.js";
import { caseFolder } from "./assemble.js";
import { type Decided, decidedPathway } from "./decide.js";
import type { Mark } from "./done.js";
import { changesWords } from "./history.js";
import { openCase, type Recorded, type RecordOptions, recordCase } from "./record.js";

/**
 * A case file decided and written into its folder under OUT, as a first run or an update
 * (issue 26): the folder opened (locked, its history read), the case decided again with the
 * steps marked done before, then recorded. `first` is the case decided without those marks
 * (it names the case, and so the folder).
 */
export async function recordInto(
  flow: Flow,
  decideWith: (marks: ReadonlyMap<string, Mark>) => Decided,
  first: Decided,
  opts: Omit<RecordOptions, "kind">,
): Promise<Recorded & { pathway: Pathway }> {
  const caseId = decidedPathway(first, "the case file").caseId;
  const open = openCase(resolve(opts.cwd, caseFolder(opts.out, caseId)), caseId, opts.now);
  let decided: Decided;
  let pathway: Pathway;
  try {
    decided = open.state.marks.size > 0 ? decideWith(open.state.marks) : first;
    pathway = decidedPathway(decided, "the case file");
  } catch (error) {
    open.lock?.release();
    throw error;
  }
  const marks = decided.ok ? decided.marks : new Map<string, Mark>();
  const recorded = await recordCase(flow, pathway, marks, open, opts);
  return { ...recorded, pathway };
}

/**
 * The answers an update starts on (issue 26): the case's saved answers, less the over-time
 * questions' saved as "not known". Not known then, they may be known now, and there is no
 * answer to offer for "what has changed since": the interview asks them where the flow does,
 * if they are worth asking, and Enter there records "not known" again.
 */
export function updateAnswers(
  flow: Flow,
  given: Readonly<Record<string, Value | null>>,
): Record<string, Value | null> {
  const overTime = new Set(flow.questions.filter((q) => q.overTime).map((q) => q.fact.id));
  return Object.fromEntries(Object.entries(given).filter(([f, v]) => v !== null || !overTime.has(f)));
}

/** What an update did, for --json: what changed, the drafts written and kept, and the history's state. */
export function updateJson(r: Recorded) {
  return {
    kind: r.entry.kind,
    changed: r.changes,
    drafts: {
      written: r.written?.written ?? [],
      unchanged: r.written?.unchanged ?? [],
      kept: r.written?.kept ?? [],
      removed: r.written?.removed ?? [],
    },
    history: { torn_lines: r.torn },
  };
}

/** What an update did, in words, after the pathway on screen: what changed, drafts changed and kept. */
export function updateText(r: Recorded, colour: boolean): string {
  const c = new Chalk({ level: colour ? 1 : 0 });
  const lines: string[] = [];
  if (r.changes)
    lines.push("", c.bold("What changed since the last update:"), ...changesWords(r.changes, true));
  const w = r.written;
  if (w && !w.created) {
    const changed = w.written.filter(
      (f) => /\.(md|docx)$/.test(f) && f !== "what-changed.md" && !w.kept.some((k) => k.beside === f),
    );
    if (changed.length > 0) lines.push("", `Drafts changed: ${changed.join(", ")}`);
    for (const k of w.kept)
      lines.push(
        `${c.yellow("!")} ${k.file} was edited since it was written: kept; the new version is ${k.beside}`,
      );
    if (w.removed.length > 0) lines.push(`No longer needed, removed: ${w.removed.join(", ")}`);
  }
  if (r.torn > 0)
    lines.push(
      `${c.yellow("!")} ${r.torn} line${r.torn === 1 ? "" : "s"} of the case's history could not be read (a run stopped while writing): left out of chronology.md`,
    );
  return lines.length === 0 ? "" : terminalText(`${lines.join("\n")}\n`);
}
