import type { Pathway } from "../engine/decide.js";

export interface ResultObject {
  case_id: string;
  procedure: { name: string; version: string; flow: string; facts_version: string; flows_sha256: string };
  reference_date: string;
  /** The day the pathway was worked out on; due dates before it are overdue. */
  today: string;
  person: { age: number | null; group: "child" | "adult" | "none"; age_source: string };
  actions: {
    id: string;
    title: string;
    section: string;
    due: string | null;
    due_rule: string;
    overdue: boolean;
    /** Whole days past the due date at `today`; 0 when not overdue. */
    days_overdue: number;
    citation: string;
    because: string[];
    rules: {
      id: string;
      because: string;
      cite: string;
      when: string;
      facts: Record<string, unknown>;
      note?: string;
    }[];
    documents: string[];
    contacts: string[];
  }[];
  not_decided: { id: string; title: string; needs: string[] }[];
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
    person: { age: p.person.age, group: p.person.group, age_source: p.person.ageSource },
    actions: p.actions.map((a) => ({
      id: a.id,
      title: a.title,
      section: a.section,
      due: a.due,
      due_rule: a.dueRule,
      overdue: a.daysOverdue > 0,
      days_overdue: a.daysOverdue,
      citation: a.citation,
      because: a.because.map((b) => `${b.because} (${b.cite})`),
      rules: a.because.map((b) => ({
        id: b.rule,
        because: b.because,
        cite: b.cite,
        when: b.when,
        facts: b.facts,
        ...(b.note ? { note: b.note } : {}),
      })),
      documents: [...a.documents],
      contacts: a.contacts.map((c) => c.id),
    })),
    not_decided: p.undecided.map((u) => ({ id: u.id, title: u.title, needs: u.needs })),
    documents: ["case-summary", ...p.documents].map((id) => ({ id, path: documentPath(id) })),
    warnings: p.warnings.map((w) => ({
      kind: w.kind,
      ...(w.field ? { field: w.field } : {}),
      text: w.text,
      ...(w.suggestion ? { suggestion: w.suggestion } : {}),
      ...(w.cite ? { cite: w.cite } : {}),
    })),
  };
}
