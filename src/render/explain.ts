import type { Action, Flow } from "../flow/types.js";
import { contactLine } from "../words/words.js";
import { sectionKeys } from "./decisions.js";
import { dueWords } from "./due-words.js";
import { terminalText } from "./inert.js";

/**
 * `safeguard explain ID`: what an action, fact, document, named condition or section of the
 * procedures is, in the flow's own words (style.md §9: nothing explained twice). Pure.
 */
export type Explained =
  | { kind: "action" | "fact" | "document" | "condition" | "section"; id: string; text: string }
  | { kind: "unknown"; suggestion?: string };

/** Every id `explain` takes: actions, facts, documents, named conditions, sections (as slugs). */
export function explainIds(flow: Flow): string[] {
  return [
    ...flow.actions.map((a) => a.id),
    ...flow.facts.keys(),
    ...flow.documents.keys(),
    ...flow.conditions.keys(),
    ...sectionKeys(flow).map((s) => s.key),
    ...actionSections(flow).map(slug),
  ];
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** The sections that hold actions (the parts of the procedures a practitioner meets). */
function actionSections(flow: Flow): string[] {
  return [...new Set(flow.actions.map((a) => a.section))];
}

function factWords(flow: Flow, id: string): string {
  return flow.facts.get(id)?.label ?? id;
}

/** The facts a question asks, for a list of facts read: "ask" (fact id), derived ones said so. */
function questionLines(flow: Flow, facts: Iterable<string>): string[] {
  const lines: string[] = [];
  for (const id of new Set(facts)) {
    const f = flow.facts.get(id);
    if (!f) continue;
    const q = flow.questions.find((x) => x.fact.id === id);
    if (q) lines.push(`    - ${q.ask}  (${id})`);
    else if (f.derived) lines.push(`    - worked out from the answers: ${f.label}  (${id})`);
    else lines.push(`    - ${f.label}  (${id}; from the case file)`);
  }
  return lines.length > 0 ? lines : ["    - none: it follows from other steps"];
}

/** Whether a template reads a fact (`facts.<id>`). */
function reads(template: string, fact: string): boolean {
  return new RegExp(`\\bfacts\\.${fact.replace(/\./g, "\\.")}\\b`).test(template);
}

/** Documents whose template reads a fact. */
function documentsReading(flow: Flow, id: string): string[] {
  const out: string[] = [];
  for (const d of flow.documents.values()) {
    if (reads(flow.templates.get(d.template) ?? "", id))
      out.push(`    - ${d.title}  (${d.id}${d.anonymous ? "; anonymous: never the person's details" : ""})`);
  }
  return out;
}

function actionText(flow: Flow, a: Action): string {
  const lines = [a.title, `  action ${a.id}; part of "${a.section}"; ${a.cite}`, ""];
  if (a.detail) lines.push("  What it is", `    ${a.detail.replace(/\s+/g, " ").trim()}`, "");
  lines.push(a.rules.length > 1 ? "  When it applies (any one of these)" : "  When it applies");
  for (const r of a.rules) {
    lines.push(`    - ${r.because} (${r.cite})`);
    if (r.title) lines.push(`      the step then reads: ${r.title}`);
    if (r.due) lines.push(`      due then: ${dueWords(flow, r.due)}`);
    if (r.note) lines.push(`      ${r.note}`);
  }
  lines.push("", "  Due", `    ${dueWords(flow, a.due)}`);
  if (a.until18)
    lines.push("    (for a child, a date on or after the 18th birthday is flagged: Procedures §20.7)");
  lines.push(
    "",
    "  Questions that decide it",
    ...questionLines(
      flow,
      a.rules.flatMap((r) => r.when.facts),
    ),
  );
  const named = [...new Set(a.rules.flatMap((r) => r.when.named))];
  if (named.length > 0) {
    lines.push("", "  Shared conditions it reads");
    for (const n of named) {
      const c = flow.conditions.get(n);
      if (c) lines.push(`    - ${c.meaning} (${c.cite})  (${n})`);
    }
  }
  const readers = flow.actions.filter((o) => o.rules.some((r) => r.when.actions.includes(a.id)));
  if (readers.length > 0)
    lines.push("", "  Steps that follow from it", ...readers.map((o) => `    - ${o.title}  (${o.id})`));
  lines.push("", "  Documents");
  if (a.documents.length === 0) lines.push("    - none");
  for (const d of a.documents) lines.push(`    - ${flow.documents.get(d)?.title ?? d}  (${d}.md)`);
  const contacts = [...new Set([...a.contacts, ...a.rules.flatMap((r) => r.contacts)])];
  if (contacts.length > 0) {
    lines.push("", "  Who");
    for (const id of contacts) {
      const c = flow.locality.contacts.get(id);
      if (!c) continue;
      lines.push(`    - ${contactLine(c)}`);
    }
  }
  return lines.join("\n");
}

function factText(flow: Flow, id: string): string {
  const f = flow.facts.get(id);
  if (!f) return id;
  const lines = [
    f.label,
    `  fact ${id}; ${f.type}${f.personal ? "; personal (redacted by --redact)" : f.redact ? "; the referrer's own (redacted by --redact)" : ""}`,
    "",
  ];
  if (f.meaning) lines.push("  What it is", `    ${f.meaning}`, "");
  const q = flow.questions.find((x) => x.fact.id === id);
  if (q) {
    lines.push("  Asked as", `    ${q.ask}  (${q.section}${q.cite ? `; ${q.cite}` : ""})`);
    if (q.help) lines.push(`    ${q.help.replace(/\s+/g, " ").trim()}`);
    lines.push("");
  } else if (f.derived) lines.push("  Worked out by safeguard from the answers; never asked.", "");
  const choices = q?.choices ?? {};
  if (f.values && f.values.length > 0) {
    lines.push("  Answers");
    for (const v of f.values)
      lines.push(
        `    - ${v}${choices[v] ? `: ${choices[v]}` : ""}${f.notKnown === v ? " (means not known)" : ""}`,
      );
    lines.push("");
  }
  lines.push(
    "  When not known",
    `    ${f.whenNotKnown ?? 'not known, never "no": a step it would decide is listed as not decided'}`,
    "",
  );
  const readers = flow.actions.filter((a) => a.rules.some((r) => r.when.facts.includes(id)));
  lines.push("  Steps it decides");
  if (readers.length === 0) lines.push("    - none directly");
  for (const a of readers) lines.push(`    - ${a.title}  (${a.id})`);
  const docs = documentsReading(flow, id);
  lines.push("", "  Documents that carry it", ...(docs.length > 0 ? docs : ["    - none"]));
  return lines.join("\n");
}

function documentText(flow: Flow, id: string): string {
  const d = flow.documents.get(id);
  if (!d) return id;
  const lines = [
    d.title,
    `  document ${id} (${id}.md)${d.anonymous ? "; anonymous: it never holds the person's name, date of birth, address or any free text" : ""}`,
    "",
  ];
  const producing = flow.actions.filter((a) => a.documents.includes(id));
  lines.push("  Drafted for");
  if (producing.length === 0) lines.push("    - every case (the case summary)");
  for (const a of producing) lines.push(`    - ${a.title}  (${a.id}; ${a.cite})`);
  const text = flow.templates.get(d.template) ?? "";
  const facts = [...flow.facts.keys()].filter((f) => reads(text, f));
  lines.push("", "  Facts it is filled from");
  if (facts.length === 0) lines.push("    - none");
  for (const f of facts) lines.push(`    - ${factWords(flow, f)}  (${f})`);
  return lines.join("\n");
}

function conditionText(flow: Flow, name: string): string {
  const c = flow.conditions.get(name);
  if (!c) return name;
  const lines = [c.meaning, `  named condition ${name}; ${c.cite}`, ""];
  lines.push("  Questions that decide it", ...questionLines(flow, c.when.facts));
  const readers = flow.actions.filter((a) => a.rules.some((r) => r.when.named.includes(name)));
  lines.push("", "  Steps that read it");
  for (const a of readers) lines.push(`    - ${a.title}  (${a.id})`);
  return lines.join("\n");
}

function sectionText(flow: Flow, section: string): string {
  const lines = [section, `  section ${slug(section)} of the procedures`, "", "  Steps"];
  for (const a of flow.actions.filter((x) => x.section === section))
    lines.push(`    - ${a.title}  (${a.id}; ${a.cite})`);
  const questions = flow.questions.filter((q) => q.section === section);
  if (questions.length > 0) {
    lines.push("", "  Questions");
    for (const q of questions) lines.push(`    - ${q.ask}  (${q.fact.id})`);
  }
  return lines.join("\n");
}

/** Explain one id, or say it is unknown with the closest id there is. */
export function explain(
  flow: Flow,
  id: string,
  suggest: (word: string, ids: string[]) => string | undefined,
): Explained {
  const done = (kind: Exclude<Explained["kind"], "unknown">, text: string): Explained => ({
    kind,
    id,
    text: terminalText(`${text}\n`),
  });
  const action = flow.actionById.get(id);
  if (action) return done("action", actionText(flow, action));
  if (flow.facts.has(id)) return done("fact", factText(flow, id));
  if (flow.documents.has(id)) return done("document", documentText(flow, id));
  if (flow.conditions.has(id)) return done("condition", conditionText(flow, id));
  // A section by its part's name, as `flows graph --section` takes it (adults), or its title (adults-18-and-over).
  const section =
    sectionKeys(flow).find((s) => s.key === id)?.title ??
    actionSections(flow).find((s) => slug(s) === slug(id));
  if (section) return done("section", sectionText(flow, section));
  const suggestion = suggest(id, explainIds(flow));
  return { kind: "unknown", ...(suggestion ? { suggestion } : {}) };
}
