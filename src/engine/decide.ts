import type { Action, Contact, CurrencyNote, Flow, NamedCondition, Need, Team } from "../flow/types.js";
import { checkText, type Lexicon } from "../language/check.js";
import { whetherRecommended } from "../words/words.js";
import type { Answers, Value } from "./answers.js";
import { type Implied, type Situation, situate, type Warning } from "./context.js";
import {
  addYearsMonths,
  compareIso,
  daysBetween,
  formatLong,
  type IsoDate,
  workingDaysBetween,
} from "./dates.js";
import { computeDue, type DayCount, type Due, type NonWorking } from "./due.js";
import { type ActionVerdict, distinctNeeds, evaluateActions, testCondition } from "./evaluate.js";

export interface Reason {
  rule: string;
  because: string;
  cite: string;
  facts: Record<string, Value | null>;
  note?: string;
  /** The condition, as written in the flow: for trainers. */
  when: string;
  /** Facts the rule read that other facts settled (not given). */
  settled: Implied[];
  /** Facts the rule fired without, and what it took "not known" to mean for each. */
  notKnown: { fact: string; readsAs: string }[];
  /** The named conditions the rule reads, what each means, and whether it held. */
  named: { name: string; meaning: string; cite: string; holds: "true" | "false" | "not known" }[];
}

export interface Recommendation {
  id: string;
  title: string;
  detail?: string;
  section: string;
  due: IsoDate | null;
  dueRule: string;
  /** How the date was worked out, in a receiving team's words (no ids): for drafts. */
  dueWords: string;
  /** The date comes from the date of birth (or from a step that does). */
  dueFromDob: boolean;
  /** A redacted copy's birthday step: its month (YYYY-MM) in place of the date. */
  dueMonth?: string;
  /** The due date is a weekend day or bank holiday (kept, as the procedures count calendar days): why, and the last working day before it. */
  dueNonWorking?: NonWorking;
  citation: string;
  because: Reason[];
  documents: readonly string[];
  contacts: Contact[];
  /** Whole days the due date is before today (0 when it is today, later, or not set). */
  daysOverdue: number;
  /** What the deadline counts, and so what lateness is said in: working days or calendar days. */
  counts: DayCount;
  /** Working days after the due date up to and including today (0 when not overdue). */
  workingDaysOverdue: number;
  /** Who does the step, when it is another team's (the flow's `by`, from the locality's teams). */
  by?: Team;
  /**
   * Anticipated, not decided: every rule that recommends it is one the strategy discussion has
   * yet to agree (procedure map § Under 18), in that rule's words ("expected if the strategy
   * discussion agrees"). Never overdue; a tentative event in the calendar.
   */
  expected?: string;
  /** The date is when something ends, in the words before it ("support until at least"): never overdue. */
  until?: string;
  /** Done (src/case/done.ts): never overdue. Absent while the step is open. */
  done?: StepDone;
}

/**
 * A step done: on its date (null where the facts show it done without one), marked by the
 * lead (`done:` in the case file, `safeguard done`) or shown by the facts (a strategy
 * discussion held), and the lead's note.
 */
export interface StepDone {
  date: IsoDate | null;
  source: "marked" | "facts";
  /** The fact that shows it done, for `source: "facts"`. */
  fact?: string;
  note?: string;
}

export interface Undecided {
  id: string;
  title: string;
  needs: Need[];
  /** Each need as the case summary names it: the fact's id, or whether another step is recommended. */
  needsNamed: string[];
  /** Each need in words, for a person: the question that would settle it, or the step it waits on. */
  waitsOn: string[];
}

/** What "not known" was taken to mean for one fact, and the steps that took it so. */
export interface Reading {
  fact: string;
  readsAs: string;
  actions: string[];
}

export interface Pathway {
  caseId: string;
  flow: { id: string; name: string; version: string; sha256: string; factsVersion: string };
  referenceDate: IsoDate;
  /** The day the pathway was worked out on: due dates before it are overdue. */
  today: IsoDate;
  person: {
    age: number | null;
    group: Situation["group"];
    ageSource: Situation["ageSource"];
    /** A redacted copy's age band ("16-17"), shown in place of the age. */
    ageBand?: string;
  };
  /** A copy for supervision and training (`--redact`: src/render/redact.ts). */
  redacted?: boolean;
  actions: Recommendation[];
  undecided: Undecided[];
  documents: string[];
  warnings: Warning[];
  currency: CurrencyNote[];
  /** Facts not given that other facts settle, and how. */
  implied: Implied[];
  /**
   * What "not known" was taken to mean, once per fact, with the steps that took it so: for the
   * case summary and the terminal (each rule's own list is in its reason).
   */
  readAs: Reading[];
  /** The facts as given (an answer of "not known" kept as given), for the case summary. */
  answers: Answers;
  /** The facts the rules saw: defaults and derived facts added. */
  facts: ReadonlyMap<string, Value>;
  /**
   * Steps the facts show done that the pathway no longer recommends because they are done
   * (a strategy discussion held): src/case/done.ts. Absent when none.
   */
  doneAlready?: { id: string; title: string; done: StepDone }[];
}

/**
 * The recommended pathway for a case: pure, deterministic. `today` is the default for
 * concern.date, the day a concern date must not be after, and the day past due dates are
 * overdue against; every due date is computed from the facts.
 */
export function decide(
  flow: Flow,
  answers: Answers,
  today: IsoDate,
  options: { lexicon?: Lexicon } = {},
): Pathway {
  const situation = situateAt(flow, answers, today);
  return pathwayFrom(flow, answers, situation, evaluateActions(flow, situation.facts), today, options);
}

/** The situation the rules see on `today`: situate's facts, and the facts that need today's date. */
export function situateAt(flow: Flow, answers: Answers, today: IsoDate): Situation {
  const situation = situate(flow, answers, today);
  addTimeFacts(situation.facts, answers, today);
  return situation;
}

/** The pathway from the situation and every action's verdict: dates, reasons, warnings. */
export function pathwayFrom(
  flow: Flow,
  answers: Answers,
  situation: Situation,
  verdicts: ReadonlyMap<string, ActionVerdict>,
  today: IsoDate,
  options: { lexicon?: Lexicon } = {},
): Pathway {
  const dueOf = dueTable(flow, situation, verdicts, today);
  const actions = flow.actions
    .filter((a) => verdicts.get(a.id)?.status === "recommended")
    .map((a) =>
      recommendation(flow, situation, a, verdicts.get(a.id) as ActionVerdict, dueOf(a.id) as Due, today),
    );
  const undecided = flow.actions
    .filter((a) => verdicts.get(a.id)?.status === "undecided")
    .map((a) => {
      const needs = askedFor(flow, situation, verdicts.get(a.id)?.needs ?? []);
      return {
        id: a.id,
        title: a.title,
        needs,
        needsNamed: needs.map(needWords),
        waitsOn: needs.map((n) => needInWords(flow, n)),
      };
    });
  const ids = new Set(actions.map((a) => a.id));
  // A note only where it touches the case: its action recommended, and its applies condition
  // holding or not decided (a note shown in doubt is safer than one hidden).
  const currency = flow.currency
    .filter((c) => c.actions.length === 0 || c.actions.some((a) => ids.has(a)))
    .filter(
      (c) => !c.applies || testCondition(flow, c.applies, situation.facts, new Map()).status !== "false",
    )
    .map(({ applies: _applies, ...note }) => note);
  const documents: string[] = [];
  for (const a of actions) for (const d of a.documents) if (!documents.includes(d)) documents.push(d);
  return {
    caseId: typeof answers.get("case_id") === "string" ? (answers.get("case_id") as string) : "case",
    flow: {
      id: flow.id,
      name: flow.name,
      version: flow.version,
      sha256: flow.sha256,
      factsVersion: flow.factsVersion,
    },
    referenceDate: situation.referenceDate,
    today,
    person: { age: situation.age, group: situation.group, ageSource: situation.ageSource },
    actions,
    undecided,
    documents,
    warnings: [
      ...situation.warnings,
      ...turning18Warnings(flow, situation, actions),
      ...checkWarnings(flow, situation, verdicts),
      ...undecided.map(undecidedWarning),
      ...(options.lexicon ? languageWarnings(flow, answers, options.lexicon) : []),
      ...currency.map(currencyWarning),
    ],
    currency,
    implied: situation.implied,
    readAs: notKnownReadings(actions),
    answers,
    facts: situation.facts,
  };
}

/** Each recommended action's due date, worked out once, on demand (a date may count from another's). */
function dueTable(
  flow: Flow,
  situation: Situation,
  verdicts: ReadonlyMap<string, ActionVerdict>,
  today: IsoDate,
): (id: string) => Due | undefined {
  const dues = new Map<string, Due>();
  const computing = new Set<string>();
  const dueOf = (id: string): Due | undefined => {
    if (dues.has(id)) return dues.get(id);
    const v = verdicts.get(id);
    if (v?.status !== "recommended" || computing.has(id)) return undefined;
    computing.add(id);
    const due = dueFor(v, {
      flow,
      facts: situation.facts,
      referenceDate: situation.referenceDate,
      today,
      dueOf,
    });
    computing.delete(id);
    dues.set(id, due);
    return due;
  };
  return dueOf;
}

/** The flow's own checks (contradictions and cautions) that hold. */
function checkWarnings(
  flow: Flow,
  situation: Situation,
  verdicts: ReadonlyMap<string, ActionVerdict>,
): Warning[] {
  const recMap = new Map(
    [...verdicts]
      .filter(([, v]) => v.status !== "undecided")
      .map(([k, v]) => [k, v.status === "recommended"]),
  );
  return flow.checks
    .filter((check) => testCondition(flow, check.when, situation.facts, recMap).status === "true")
    .map((check) => ({ kind: check.kind, text: check.text, ...(check.cite ? { cite: check.cite } : {}) }));
}

function undecidedWarning(u: Undecided): Warning {
  return {
    kind: "not-decided",
    ...(u.needs[0] && "fact" in u.needs[0] ? { field: u.needs[0].fact } : {}),
    text: `Could not decide whether to recommend "${u.title}" (${u.id}): not known: ${u.needsNamed.join(", ")}.`,
  };
}

function currencyWarning(c: CurrencyNote): Warning {
  return {
    kind: "currency",
    text: `${c.topic}: the procedures say ${c.seeds}; national guidance now says ${c.national} (${c.source}, checked ${c.checked}).`,
  };
}

function namedReason(flow: Flow, s: Situation, name: string): Reason["named"][number] {
  const n = flow.conditions.get(name) as NamedCondition;
  const v = testCondition(flow, n.when, s.facts, new Map()).status;
  return { name, meaning: n.meaning, cite: n.cite, holds: v === "undecided" ? "not known" : v };
}

/** What "not known" was taken to mean, once per fact, across the recommended steps' reasons. */
function notKnownReadings(actions: readonly Recommendation[]): Reading[] {
  const out = new Map<string, Reading>();
  for (const a of actions)
    for (const r of a.because)
      for (const n of r.notKnown) {
        const entry = out.get(n.fact) ?? { ...n, actions: [] };
        if (!entry.actions.includes(a.id)) entry.actions.push(a.id);
        out.set(n.fact, entry);
      }
  return [...out.values()];
}

/**
 * Free-text answers checked for victim-blaming language (Procedures §7): a warning with
 * the phrase and a suggestion, never a block. Only the phrase is repeated, not the text.
 */
export function languageWarnings(flow: Flow, answers: Answers, lexicon: Lexicon): Warning[] {
  const out: Warning[] = [];
  for (const [id, value] of answers) {
    if (flow.facts.get(id)?.type !== "text" || typeof value !== "string") continue;
    for (const f of checkText(value, lexicon)) {
      out.push({
        kind: "language",
        field: id,
        text: `${flow.facts.get(id)?.label ?? id}, line ${f.line} column ${f.column}: "${f.phrase}": ${f.why}`,
        suggestion: f.suggestion,
        cite: f.cite,
      });
    }
  }
  return out;
}

/**
 * What to ask for a step not decided: a derived fact not known (the pathway, while the age is
 * not known) is asked for through the facts it is worked out from (`from` in facts.yaml).
 */
function askedFor(flow: Flow, s: Situation, needs: readonly Need[]): Need[] {
  const out = distinctNeeds();
  for (const n of needs) {
    const from = "fact" in n ? flow.facts.get(n.fact)?.from : undefined;
    if (!from) out.add(n);
    else for (const f of from) if (!s.facts.has(f)) out.add({ fact: f });
  }
  return out.needs;
}

/** A need named: the fact's id, or whether another step is recommended. */
function needWords(n: Need): string {
  return "fact" in n ? n.fact : whetherRecommended(n.action);
}

/**
 * A need in a person's words, no ids: the fact as `fact` names it (by default the question
 * that asks for it, its label where no question does), or whether another step is
 * recommended, by its title.
 */
export function needInWords(flow: Flow, n: Need, fact?: (id: string) => string): string {
  if ("action" in n) return whetherRecommended(`"${flow.actionById.get(n.action)?.title ?? n.action}"`);
  return fact ? fact(n.fact) : (asksOf(flow).get(n.fact) ?? flow.facts.get(n.fact)?.label ?? n.fact);
}

/**
 * Each fact's question (the first in flow order that asks for it), by fact id: once a flow.
 * A case has dozens of steps not decided, each needing facts named; a search of the
 * questions for each was a tenth of deciding a batch's case.
 */
const asks = new WeakMap<Flow, Map<string, string>>();

function asksOf(flow: Flow): Map<string, string> {
  let byFact = asks.get(flow);
  if (!byFact) {
    byFact = new Map();
    for (const q of flow.questions) if (!byFact.has(q.fact.id)) byFact.set(q.fact.id, q.ask);
    asks.set(flow, byFact);
  }
  return byFact;
}

function dueFor(v: ActionVerdict, ctx: Parameters<typeof computeDue>[1]): Due {
  const specs = v.fired.map((f) => f.rule.due ?? v.action.due);
  const unique = specs.filter(
    (s, i) => specs.findIndex((t) => JSON.stringify(t) === JSON.stringify(s)) === i,
  );
  const computed = unique.map((s) => computeDue(s, ctx));
  if (computed.length === 1) return computed[0] as Due;
  const dated = computed.filter((c) => c.date !== null);
  const pick =
    dated.length > 0
      ? dated.reduce((a, b) => ((b.date as string) < (a.date as string) ? b : a))
      : computed[0];
  const fromDob = computed.some((c) => c.fromDob);
  return {
    date: pick?.date ?? null,
    rule: computed.map((c) => c.rule).join("; or "),
    words: computed.map((c) => c.words).join("; or "),
    ...(fromDob ? { fromDob } : {}),
    ...(pick?.nonWorking ? { nonWorking: pick.nonWorking } : {}),
    ...(pick?.counts ? { counts: pick.counts } : {}),
  };
}

/**
 * Facts that need today's date or a difference of dates, which conditions cannot work out:
 * declared under `derived` in flows/facts.yaml, absent when what they need is not known.
 */
function addTimeFacts(facts: Map<string, Value>, answers: Answers, today: IsoDate): void {
  const concern = answers.get("concern.date");
  if (typeof concern === "string") facts.set("concern.after_today", compareIso(concern, today) > 0);
  const referral = answers.get("referral.date");
  if (typeof referral === "string") facts.set("referral.after_today", compareIso(referral, today) > 0);
  const back = facts.get("missing.return_date");
  const concernDate = facts.get("concern.date");
  if (typeof back === "string" && typeof concernDate === "string")
    facts.set("missing.days_since_return", daysBetween(back, concernDate));
}

/**
 * A child's step of the children's procedures (`until_18` in the flow) that falls due on or
 * after the 18th birthday: from 18 the matter goes to adult safeguarding (Procedures §20.7).
 * Without a date of birth, a 17-year-old's dated steps may cross 18: said once.
 */
function turning18Warnings(flow: Flow, s: Situation, actions: Recommendation[]): Warning[] {
  // An age in doubt has its own warning: the birthday it would count from is what is in doubt.
  if (s.group !== "child" || s.age === null || s.facts.get("person.age_in_doubt") === true) return [];
  const steps = actions.filter(
    (a) => flow.actionById.get(a.id)?.until18 && a.due !== null && compareIso(a.due, s.referenceDate) > 0,
  );
  if (steps.length === 0) return [];
  const dob = s.facts.get("person.dob");
  const cite = "Procedures §20.7";
  if (s.ageSource === "dob" && typeof dob === "string") {
    const eighteen = addYearsMonths(dob, 18, 0);
    return steps
      .filter((a) => compareIso(a.due as IsoDate, eighteen) >= 0)
      .map((a) => ({
        kind: "caution" as const,
        field: "person.dob",
        text:
          `"${a.title}" is due ${formatLong(a.due as IsoDate)}, on or after the 18th birthday ` +
          `(${formatLong(eighteen)}): from 18 the matter goes to adult safeguarding, led by Adult Care and ` +
          "Support under the Care Act 2014, with the same professionals. Involve them before then.",
        cite,
      }));
  }
  if (s.ageSource === "age" && s.age === 17) {
    const list = steps.map((a) => `"${a.title}" (${formatLong(a.due as IsoDate)})`).join(", ");
    return [
      {
        kind: "missing",
        field: "person.dob",
        text:
          `Aged 17, date of birth not known: if the 18th birthday comes before a step is due (${list}), ` +
          "that step goes to adult safeguarding from 18, led by Adult Care and Support under the Care Act 2014. " +
          "Add the date of birth to check.",
        cite,
      },
    ];
  }
  return [];
}

/**
 * Who does the step, when another team does: the team every rule that fired names (its own
 * `by`, or the action's). A rule that names none leaves the step the lead's.
 */
function teamFor(flow: Flow, a: Action, v: ActionVerdict): { by?: Team } {
  const teams = new Set(v.fired.map((f) => f.rule.by ?? a.by));
  const [only] = teams;
  const team = teams.size === 1 && only !== undefined ? flow.locality.teams.get(only) : undefined;
  return team ? { by: team } : {};
}

function recommendation(
  flow: Flow,
  s: Situation,
  a: Action,
  v: ActionVerdict,
  due: Due,
  today: IsoDate,
): Recommendation {
  // One firm route makes the step firm; a date something ends is never late.
  const expected = v.fired.length > 0 && v.fired.every((f) => f.rule.expected);
  const late = !expected && a.until === undefined ? due.date : null;
  const expectedIf = v.fired.find((f) => f.rule.note)?.rule.note ?? "expected";
  return {
    id: a.id,
    // The first rule that fired and says the step its own way (flows/parts: a rule's title).
    title: v.fired.find((f) => f.rule.title)?.rule.title ?? a.title,
    ...(a.detail ? { detail: a.detail } : {}),
    section: a.section,
    due: due.date,
    dueRule: due.rule,
    dueWords: due.words,
    dueFromDob: due.fromDob ?? false,
    ...(due.nonWorking ? { dueNonWorking: due.nonWorking } : {}),
    citation: a.cite,
    because: v.fired.map(({ rule, facts }) => ({
      rule: rule.id,
      because: rule.because,
      cite: rule.cite,
      facts,
      when: rule.when.source,
      ...(rule.note ? { note: rule.note } : {}),
      settled: s.implied.filter((i) => rule.when.facts.includes(i.fact)),
      notKnown: [...new Set(rule.when.absent.map((t) => t.fact))]
        .filter((f) => !s.facts.has(f))
        .map((f) => ({ fact: f, readsAs: flow.facts.get(f)?.whenNotKnown ?? "not known" })),
      named: rule.when.named.map((n) => namedReason(flow, s, n)),
    })),
    documents: a.documents,
    contacts: [...new Set([...a.contacts, ...v.fired.flatMap((f) => f.rule.contacts)])].map(
      (c) => flow.locality.contacts.get(c) as Contact,
    ),
    daysOverdue: late !== null && compareIso(late, today) < 0 ? daysBetween(late, today) : 0,
    counts: due.counts ?? "calendar_days",
    workingDaysOverdue: late === null ? 0 : workingDaysBetween(late, today),
    ...teamFor(flow, a, v),
    ...(expected ? { expected: expectedIf } : {}),
    ...(a.until ? { until: a.until } : {}),
  };
}
