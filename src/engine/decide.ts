import type { Action, Contact, CurrencyNote, Flow, Need } from "../flow/types.js";
import { checkText, type Lexicon } from "../language/check.js";
import type { Answers, Value } from "./answers.js";
import { type Implied, type Situation, situate, type Warning } from "./context.js";
import type { IsoDate } from "./dates.js";
import { computeDue, type Due } from "./due.js";
import { type ActionVerdict, evaluateActions, testCondition } from "./evaluate.js";

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
}

export interface Recommendation {
  id: string;
  title: string;
  detail?: string;
  section: string;
  due: IsoDate | null;
  dueRule: string;
  /** The date comes from the date of birth (or from a step that does). */
  dueFromDob: boolean;
  citation: string;
  because: Reason[];
  documents: readonly string[];
  contacts: Contact[];
}

export interface Undecided {
  id: string;
  title: string;
  needs: Need[];
}

export interface Pathway {
  caseId: string;
  flow: { id: string; name: string; version: string; sha256: string; factsVersion: string };
  referenceDate: IsoDate;
  person: { age: number | null; group: "child" | "adult" | "none"; ageSource: Situation["ageSource"] };
  actions: Recommendation[];
  undecided: Undecided[];
  documents: string[];
  warnings: Warning[];
  currency: CurrencyNote[];
  /** Facts not given that other facts settle, and how. */
  implied: Implied[];
  /** The facts as given (an answer of "not known" kept as given), for the case summary. */
  answers: Answers;
  /** The facts the rules saw: defaults and derived facts added. */
  facts: ReadonlyMap<string, Value>;
}

/**
 * The recommended pathway for a case: pure, deterministic. `today` is only the default
 * for concern.date; every date is computed from the facts.
 */
export function decide(
  flow: Flow,
  answers: Answers,
  today: IsoDate,
  options: { lexicon?: Lexicon } = {},
): Pathway {
  const situation = situate(flow, answers, today);
  const verdicts = evaluateActions(flow, situation.facts);
  const recommended = flow.actions.filter((a) => verdicts.get(a.id)?.status === "recommended");

  const dues = new Map<string, Due>();
  const computing = new Set<string>();
  const dueOf = (id: string): Due | undefined => {
    if (dues.has(id)) return dues.get(id);
    const v = verdicts.get(id);
    if (v?.status !== "recommended" || computing.has(id)) return undefined;
    computing.add(id);
    const due = dueFor(v, { flow, facts: situation.facts, referenceDate: situation.referenceDate, dueOf });
    computing.delete(id);
    dues.set(id, due);
    return due;
  };

  const recMap = new Map(
    [...verdicts]
      .filter(([, v]) => v.status !== "undecided")
      .map(([k, v]) => [k, v.status === "recommended"]),
  );
  const actions = recommended.map((a) =>
    recommendation(flow, situation, a, verdicts.get(a.id) as ActionVerdict, dueOf(a.id) as Due),
  );
  const undecided = flow.actions
    .filter((a) => verdicts.get(a.id)?.status === "undecided")
    .map((a) => ({ id: a.id, title: a.title, needs: verdicts.get(a.id)?.needs ?? [] }));

  const warnings: Warning[] = [...situation.warnings];
  for (const check of flow.checks) {
    if (testCondition(flow, check.when, situation.facts, recMap).status === "true") {
      warnings.push({ kind: check.kind, text: check.text, ...(check.cite ? { cite: check.cite } : {}) });
    }
  }
  for (const u of undecided) {
    warnings.push({
      kind: "not-decided",
      ...(u.needs[0] && "fact" in u.needs[0] ? { field: u.needs[0].fact } : {}),
      text: `Could not decide whether to recommend "${u.title}" (${u.id}): not known: ${u.needs.map(needWords).join(", ")}.`,
    });
  }
  if (options.lexicon) warnings.push(...languageWarnings(flow, answers, options.lexicon));
  const ids = new Set(actions.map((a) => a.id));
  const currency = flow.currency.filter((c) => c.actions.length === 0 || c.actions.some((a) => ids.has(a)));
  for (const c of currency) {
    warnings.push({
      kind: "currency",
      text: `${c.topic}: the procedures say ${c.seeds}; national guidance now says ${c.national} (${c.source}, checked ${c.checked}).`,
    });
  }
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
    person: { age: situation.age, group: situation.group, ageSource: situation.ageSource },
    actions,
    undecided,
    documents,
    warnings,
    currency,
    implied: situation.implied,
    answers,
    facts: situation.facts,
  };
}

/**
 * What "not known" was taken to mean, once per fact, with the steps that took it so:
 * for the case summary and the terminal (each rule's own list is in its reason).
 */
export function notKnownReadings(p: Pathway): { fact: string; readsAs: string; actions: string[] }[] {
  const out = new Map<string, { fact: string; readsAs: string; actions: string[] }>();
  for (const a of p.actions)
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
        text: `${id}, line ${f.line} column ${f.column}: "${f.phrase}": ${f.why}`,
        suggestion: f.suggestion,
        cite: f.cite,
      });
    }
  }
  return out;
}

/** A need in words: the fact's id, or whether another step is recommended. */
export function needWords(n: Need): string {
  return "fact" in n ? n.fact : `whether ${n.action} is recommended`;
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
    ...(fromDob ? { fromDob } : {}),
  };
}

function recommendation(flow: Flow, s: Situation, a: Action, v: ActionVerdict, due: Due): Recommendation {
  return {
    id: a.id,
    title: a.title,
    ...(a.detail ? { detail: a.detail } : {}),
    section: a.section,
    due: due.date,
    dueRule: due.rule,
    dueFromDob: due.fromDob ?? false,
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
    })),
    documents: a.documents,
    contacts: [...new Set([...a.contacts, ...v.fired.flatMap((f) => f.rule.contacts)])].map(
      (c) => flow.locality.contacts.get(c) as Contact,
    ),
  };
}
