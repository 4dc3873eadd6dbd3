import type { Answers, Value } from "../engine/answers.js";
import { formatLong, isIsoDate } from "../engine/dates.js";
import type { Pathway, StepDone } from "../engine/decide.js";
import { suggest } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";

/** A step marked done by the lead: its date and, from `safeguard done --note`, a note. */
export interface Mark {
  date: string;
  note?: string;
}

/** A fact given as happened: true, a date, a choice (never "not known", which is absent by now). */
function happened(v: Value | null | undefined): boolean {
  return v === true || (typeof v === "string" && v !== "" && v !== "not-known");
}

/**
 * Each step the facts show done (issue 26: each action's `done_when:` in the flow), with
 * the fact that shows it and its date where given. `facts`: as given, and as other facts
 * settle them (a strategy discussion held settles that a MASH referral was made). The date
 * only as given (`answers`): a date a default fills in (referral.date from concern.date) is
 * not a date anything was done on, so not known stays not known and the step is done with
 * no date.
 */
export function doneByFacts(flow: Flow, answers: Answers, facts: Answers = answers): Map<string, StepDone> {
  const out = new Map<string, StepDone>();
  for (const { id, doneWhen } of flow.actions) {
    if (!doneWhen) continue;
    const fact = doneWhen.shownBy.find((f) => happened(facts.get(f)));
    if (fact === undefined) continue;
    const on = doneWhen.date === undefined ? undefined : answers.get(doneWhen.date);
    out.set(id, { date: typeof on === "string" && isIsoDate(on) ? on : null, source: "facts", fact });
  }
  return out;
}

/**
 * The pathway with its steps done: marked by the lead, else shown by the facts. A done step
 * is never overdue. A mark made before (in the case's history) for a step the pathway does
 * not recommend now is kept and said once, never shown as a step; a case file's own mark of
 * such a step is refused when it is read (src/case/decide.ts).
 */
export function withDone(flow: Flow, pathway: Pathway, marks: ReadonlyMap<string, Mark>): Pathway {
  const byFacts = doneByFacts(flow, pathway.answers, pathway.facts);
  const recommended = new Set(pathway.actions.map((a) => a.id));
  const actions = pathway.actions.map((a) => {
    const mark = marks.get(a.id);
    const done: StepDone | undefined = mark
      ? { date: mark.date, source: "marked", ...(mark.note ? { note: mark.note } : {}) }
      : byFacts.get(a.id);
    return done ? { ...a, done, daysOverdue: 0, workingDaysOverdue: 0 } : a;
  });
  const already = [...byFacts]
    .filter(([id]) => !recommended.has(id))
    .map(([id, done]) => ({ id, title: flow.actionById.get(id)?.title ?? id, done }));
  // A step done by the facts is done whether or not it is marked as well.
  const stray = [...marks].filter(([id]) => !recommended.has(id) && !byFacts.has(id));
  const warnings = stray.map(([id, m]) => ({
    kind: "caution" as const,
    text:
      `"${flow.actionById.get(id)?.title ?? id}" is marked done on ${formatLong(m.date)}, but the pathway ` +
      "does not recommend it for these facts: the mark is kept, and the step is not shown.",
  }));
  return {
    ...pathway,
    actions,
    warnings: [...pathway.warnings, ...warnings],
    ...(already.length > 0 ? { doneAlready: already } : {}),
  };
}

/**
 * Why a step cannot be marked done in this pathway, in words; undefined when it can (it is
 * recommended). Not a step of the flow at all, not decided yet (and what it waits on), or
 * not recommended for these facts.
 */
export function whyNotMarkable(flow: Flow, pathway: Pathway, id: string): string | undefined {
  if (pathway.actions.some((a) => a.id === id)) return undefined;
  const action = flow.actionById.get(id);
  if (!action) return `there is no step "${id}"${suggest(id, [...flow.actionById.keys()])}`;
  const undecided = pathway.undecided.find((u) => u.id === id);
  if (undecided)
    return `"${action.title}" is not decided yet for this case: it waits on ${undecided.waitsOn.join("; ")}`;
  return `the pathway does not recommend "${action.title}" for this case's facts (safeguard explain ${id} says when it applies)`;
}
