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

/**
 * Steps the facts show done without marking (issue 26): a fact that says it happened, and
 * the fact that gives its date. Only facts as given count: a date a default fills in
 * (referral.date from concern.date) is not a date anything was done on, so not known
 * stays not known and the step is done with no date.
 */
const DONE_BY_FACTS: Readonly<Record<string, { shows: readonly string[]; date: string }>> = {
  "mash-referral": { shows: ["mash.referral_made"], date: "referral.date" },
  "strategy-discussion": {
    shows: ["strategy_discussion.date", "strategy_discussion.outcome"],
    date: "strategy_discussion.date",
  },
  "maace-meeting": { shows: ["maace.last_meeting_date"], date: "maace.last_meeting_date" },
  "nrm-referral": { shows: ["nrm.referral_date"], date: "nrm.referral_date" },
  "discuss-with-safeguarding-lead": {
    shows: ["responder.lead_discussed_date"],
    date: "responder.lead_discussed_date",
  },
};

/** Every step and fact the table names: a test checks each is in the flow. */
export const doneByFactsTable = DONE_BY_FACTS;

/** A fact given as happened: true, a date, a choice (never "not known", which is absent by now). */
function happened(v: Value | null | undefined): boolean {
  return v === true || (typeof v === "string" && v !== "" && v !== "not-known");
}

/**
 * Each step the facts show done (`facts`: as given, and as other facts settle them: a
 * strategy discussion held settles that a MASH referral was made), with the fact that shows
 * it and its date where given (`answers`).
 */
export function doneByFacts(answers: Answers, facts: Answers = answers): Map<string, StepDone> {
  const out = new Map<string, StepDone>();
  for (const [id, { shows, date }] of Object.entries(DONE_BY_FACTS)) {
    const fact = shows.find((f) => happened(facts.get(f)));
    if (fact === undefined) continue;
    const on = answers.get(date);
    out.set(id, { date: typeof on === "string" && isIsoDate(on) ? on : null, source: "facts", fact });
  }
  return out;
}

/**
 * The pathway with its steps done: marked by the lead, else shown by the facts. A done step
 * is never overdue. A mark for a step the pathway does not recommend now is kept (in the
 * case's history) and said once, never shown as a step.
 */
export function withDone(flow: Flow, pathway: Pathway, marks: ReadonlyMap<string, Mark>): Pathway {
  const byFacts = doneByFacts(pathway.answers, pathway.facts);
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
