import type { Implied } from "../engine/context.js";
import type { Pathway } from "../engine/decide.js";
import type { Need } from "../flow/types.js";

function impliedJson(i: Implied) {
  return { fact: i.fact, value: i.value, at_least: i.atLeast, because: i.because, cite: i.cite };
}

export interface ResultObject {
  case_id: string;
  procedure: { name: string; version: string; flow: string; facts_version: string; flows_sha256: string };
  reference_date: string;
  /** The day the pathway was worked out on; due dates before it are overdue. */
  today: string;
  person: {
    age: number | null;
    group: "child" | "adult" | "none" | "not-known";
    age_source: string;
    age_band?: string;
  };
  /** A redacted copy (`--redact`): `person.age` is null and `age_band` says the band. */
  redacted?: true;
  actions: {
    id: string;
    title: string;
    section: string;
    due: string | null;
    due_rule: string;
    /** A due date on a weekend or bank holiday keeps its date: the last working day before it; else null. */
    last_working_day: string | null;
    overdue: boolean;
    /** Whole days past the due date at `today`; 0 when not overdue. */
    days_overdue: number;
    /** What the deadline counts, and so what lateness is said in on screen and in the drafts. */
    overdue_unit: "working_days" | "calendar_days";
    /** Working days after the due date up to and including `today`; 0 when not overdue. */
    working_days_overdue: number;
    /** The team that does the step, where it is not the lead's own; else null. */
    by: { id: string; name: string } | null;
    /** Anticipated, not decided ("expected if the strategy discussion agrees"): never overdue. Absent when firm. */
    expected?: true;
    /** The date is when something ends, in the words before it ("support until at least"): never overdue. */
    until?: string;
    /** Done: on its date (null where the facts show it done without one), marked or shown by the facts. Absent while open. */
    done?: { date: string | null; source: "marked" | "facts"; fact?: string; note?: string };
    citation: string;
    because: string[];
    rules: {
      id: string;
      because: string;
      cite: string;
      when: string;
      facts: Record<string, unknown>;
      note?: string;
      /** Facts the rule read that other facts settled. */
      settled?: { fact: string; value: unknown; at_least: boolean; because: string; cite: string }[];
      /** Facts the rule fired without, and what it took "not known" to mean. */
      not_known?: { fact: string; reads_as: string }[];
      /** Named conditions the rule reads: what each means, and whether it held. */
      named?: { name: string; meaning: string; cite: string; holds: string }[];
    }[];
    documents: string[];
    contacts: string[];
  }[];
  /** Steps the facts show done, no longer recommended because they are done (a strategy discussion held). Absent when none. */
  done_steps?: { id: string; title: string; date: string | null; source: "facts"; fact?: string }[];
  /** Each need is `{ "fact": id }` or `{ "action": id }` (whether that step is recommended). */
  not_decided: { id: string; title: string; needs: Need[] }[];
  /** Facts not given that other facts settle (flows' implications). */
  implied: { fact: string; value: unknown; at_least: boolean; because: string; cite: string }[];
  documents: { id: string; path: string | null }[];
  warnings: { kind: string; field?: string; text: string; suggestion?: string; cite?: string }[];
}

/** The result object of the CLI contract. `documentPath` maps a document id to where it was written. */
export function resultObject(p: Pathway, documentPath: (id: string) => string | null): ResultObject {
  return {
    case_id: p.caseId,
    procedure: {
      name: p.flow.name,
      version: p.flow.version,
      flow: p.flow.id,
      facts_version: p.flow.factsVersion,
      flows_sha256: p.flow.sha256,
    },
    reference_date: p.referenceDate,
    today: p.today,
    person: {
      age: p.person.ageBand === undefined ? p.person.age : null,
      group: p.person.group,
      age_source: p.person.ageSource,
      ...(p.person.ageBand !== undefined ? { age_band: p.person.ageBand } : {}),
    },
    ...(p.redacted ? { redacted: true as const } : {}),
    actions: p.actions.map((a) => ({
      id: a.id,
      title: a.title,
      section: a.section,
      due: a.due,
      due_rule: a.dueRule,
      last_working_day: a.dueNonWorking?.lastWorkingDay ?? null,
      overdue: a.daysOverdue > 0,
      days_overdue: a.daysOverdue,
      overdue_unit: a.counts,
      working_days_overdue: a.daysOverdue > 0 ? a.workingDaysOverdue : 0,
      by: a.by ? { id: a.by.id, name: a.by.name } : null,
      ...(a.expected ? { expected: true as const } : {}),
      ...(a.until ? { until: a.until } : {}),
      ...(a.done ? { done: { ...a.done } } : {}),
      citation: a.citation,
      because: a.because.map((b) => `${b.because} (${b.cite})`),
      rules: a.because.map((b) => ({
        id: b.rule,
        because: b.because,
        cite: b.cite,
        when: b.when,
        facts: b.facts,
        ...(b.note ? { note: b.note } : {}),
        ...(b.settled.length > 0 ? { settled: b.settled.map(impliedJson) } : {}),
        ...(b.notKnown.length > 0
          ? { not_known: b.notKnown.map((n) => ({ fact: n.fact, reads_as: n.readsAs })) }
          : {}),
        ...(b.named.length > 0 ? { named: b.named } : {}),
      })),
      documents: [...a.documents],
      contacts: a.contacts.map((c) => c.id),
    })),
    ...(p.doneAlready
      ? {
          done_steps: p.doneAlready.map(({ id, title, done }) => ({
            id,
            title,
            date: done.date,
            source: "facts" as const,
            ...(done.fact ? { fact: done.fact } : {}),
          })),
        }
      : {}),
    not_decided: p.undecided.map((u) => ({ id: u.id, title: u.title, needs: u.needs })),
    implied: p.implied.map(impliedJson),
    documents: ["case-summary", "before-you-send", ...p.documents].map((id) => ({
      id,
      path: documentPath(id),
    })),
    warnings: p.warnings.map((w) => ({
      kind: w.kind,
      ...(w.field ? { field: w.field } : {}),
      text: w.text,
      ...(w.suggestion ? { suggestion: w.suggestion } : {}),
      ...(w.cite ? { cite: w.cite } : {}),
    })),
  };
}
