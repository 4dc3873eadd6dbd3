import { describeFrom, dueRuleWords } from "../engine/due.js";
import type { Action, DueRule, Flow, Rule } from "../flow/types.js";

/**
 * The flow as a diagram, for trainers: Mermaid (`flowchart TD`) or an indented outline.
 * Pure: the same flow gives the same bytes (flow order throughout, no clock, no sets
 * iterated in hash order).
 */

/** Mermaid words that break a flowchart when used as a node id. */
const RESERVED = new Set([
  "end",
  "graph",
  "flowchart",
  "subgraph",
  "direction",
  "style",
  "class",
  "classdef",
  "click",
  "linkstyle",
  "call",
  "href",
  "default",
]);

/** A node id Mermaid accepts: letters, digits and underscores (hyphens become underscores). */
export function mermaidId(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_]/g, "_");
  return RESERVED.has(safe.toLowerCase()) ? `${safe}_` : safe;
}

const ENTITIES: Record<string, string> = {
  '"': "#quot;",
  "#": "#35;",
  "&": "#amp;",
  "<": "#lt;",
  ">": "#gt;",
  "`": "#96;",
  "|": "#124;",
};

/**
 * Text safe inside a quoted Mermaid label (`["..."]`, `-->|"..."|`): quotes and the
 * characters Mermaid reads as markup become entity codes; line breaks become spaces.
 */
export function escapeMermaid(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").replace(/["#&<>`|]/g, (ch) => ENTITIES[ch] ?? ch);
}

/** At most `max` characters, cut at a word where possible, with "…" when cut. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

/** A due rule as written in the flow, in words, with fact and step ids (no dates: those need a case). */
export function dueWords(spec: DueRule): string {
  return dueRuleWords(spec, describeFrom);
}

/** Node shape by the kind of deadline: urgent, counted, a fixed date, or none set. */
function shape(spec: DueRule): [string, string] {
  if (spec === "immediately") return ["{{", "}}"];
  if ("none" in spec) return ["[", "]"];
  if ("age" in spec || "on" in spec) return ["[/", "/]"];
  return ["(", ")"];
}

/** Rules that start from facts alone (they read no other action): a section's entry points. */
function entryRules(action: Action): Rule[] {
  return action.rules.filter((r) => r.when.actions.length === 0);
}

interface SectionView {
  name: string;
  index: number;
  actions: Action[];
  /** Facts the section's entry rules read, in flow order, each once. */
  startFacts: string[];
}

function sectionsOf(flow: Flow): SectionView[] {
  const out: SectionView[] = [];
  flow.sections.forEach((name, i) => {
    const actions = flow.actions.filter((a) => a.section === name);
    if (actions.length === 0) return;
    const startFacts: string[] = [];
    for (const a of actions)
      for (const r of entryRules(a))
        for (const f of r.when.facts) if (!startFacts.includes(f)) startFacts.push(f);
    out.push({ name, index: i + 1, actions, startFacts });
  });
  return out;
}

/** Edges "action -> an action whose rule reads it", in flow order; one edge per pair. */
export function dependencyEdges(flow: Flow): { from: string; to: string; rules: Rule[] }[] {
  const edges: { from: string; to: string; rules: Rule[] }[] = [];
  for (const target of flow.actions) {
    for (const rule of target.rules) {
      for (const source of rule.when.actions) {
        const edge = edges.find((e) => e.from === source && e.to === target.id);
        if (edge) edge.rules.push(rule);
        else edges.push({ from: source, to: target.id, rules: [rule] });
      }
    }
  }
  return edges;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const EDGE_LABEL = 56;
const DUE_LABEL = 60;
/** Start facts shown in a section's entry node; the outline (`--format text`) lists them all. */
const START_FACTS = 9;

/** The flow as a Mermaid flowchart: a subgraph per section, a node per action. */
export function flowMermaid(flow: Flow): string {
  const lines: string[] = [
    `%% ${escapeMermaid(flow.name)}, version ${escapeMermaid(flow.version)} (${escapeMermaid(flow.id)})`,
    "%% Shapes: {{immediately}}  (counted days or weeks)  [/a birthday or a given date/]  [no set date]",
    "%% An arrow runs from an action to the actions whose rules read it (recommends[...]).",
    "%% A dotted arrow runs from a named condition {decision} to the actions whose rules use it.",
    "flowchart TD",
  ];
  const sections = sectionsOf(flow);
  const entryEdges: string[] = [];
  for (const s of sections) {
    const sid = `S${s.index}`;
    lines.push(`  subgraph ${sid} ["${escapeMermaid(s.name)}"]`);
    lines.push("    direction TB");
    if (s.startFacts.length > 0) {
      const shown = s.startFacts.slice(0, START_FACTS).map(escapeMermaid);
      const more = s.startFacts.length - shown.length;
      const rows = chunk(shown, 3).map((row) => row.join(", "));
      if (more > 0) rows.push(`and ${more} more`);
      lines.push(`    ${sid}_START>"starts from<br/>${rows.join("<br/>")}"]`);
    }
    for (const a of s.actions) {
      const [open, close] = shape(a.due);
      const label = [a.title, a.id, a.cite, `due: ${shorten(dueWords(a.due), DUE_LABEL)}`]
        .map(escapeMermaid)
        .join("<br/>");
      lines.push(`    ${mermaidId(a.id)}${open}"${label}"${close}`);
      if (s.startFacts.length > 0 && entryRules(a).length > 0)
        entryEdges.push(`  ${sid}_START --> ${mermaidId(a.id)}`);
    }
    lines.push("  end");
  }
  lines.push(...entryEdges);
  for (const e of dependencyEdges(flow)) {
    const label = shorten(e.rules.map((r) => r.because).join(" / "), EDGE_LABEL);
    lines.push(`  ${mermaidId(e.from)} -->|"${escapeMermaid(label)}"| ${mermaidId(e.to)}`);
  }
  lines.push(...namedConditionLines(flow));
  const starts = sections.filter((s) => s.startFacts.length > 0).map((s) => `S${s.index}_START`);
  if (starts.length > 0) {
    lines.push("  classDef start fill:#eef3fb,stroke:#7a8fb3,color:#1d2a44");
    lines.push(`  class ${starts.join(",")} start`);
  }
  return `${lines.join("\n")}\n`;
}

/** The Mermaid id of a named condition's decision node. */
export function namedId(name: string): string {
  return `N_${mermaidId(name)}`;
}

/**
 * Each named condition as a decision node (its name, its meaning in plain words, its
 * citation), with a dotted arrow to every action a rule of which reads it.
 */
function namedConditionLines(flow: Flow): string[] {
  const lines: string[] = [];
  const ids: string[] = [];
  for (const n of flow.conditions.values()) {
    const users = flow.actions.filter((a) => a.rules.some((r) => r.when.named.includes(n.name)));
    if (users.length === 0) continue;
    const label = [n.name, shorten(n.meaning, 90), n.cite].map(escapeMermaid).join("<br/>");
    lines.push(`  ${namedId(n.name)}{"${label}"}`);
    ids.push(namedId(n.name));
    for (const a of users) lines.push(`  ${namedId(n.name)} -.-> ${mermaidId(a.id)}`);
  }
  if (ids.length > 0)
    lines.push(
      "  classDef named fill:#fff4d6,stroke:#b08a2e,color:#3a2c00",
      `  class ${ids.join(",")} named`,
    );
  return lines;
}

/** The flow as an indented outline: section, action (due rule), rule conditions and citations. */
export function flowOutline(flow: Flow): string {
  const lines: string[] = [`${flow.name}, version ${flow.version} (${flow.id})`];
  if (flow.conditions.size > 0) {
    lines.push("", "Named conditions (rules use them by name)");
    for (const n of flow.conditions.values()) {
      lines.push(`  ${n.name}: ${n.meaning}`);
      lines.push(`    when ${n.when.source.replace(/\s+/g, " ")}`);
      lines.push(`    cite: ${n.cite}`);
    }
  }
  for (const s of sectionsOf(flow)) {
    lines.push("", s.name);
    if (s.startFacts.length > 0) lines.push(`  starts from: ${s.startFacts.join(", ")}`);
    for (const a of s.actions) {
      lines.push(`  ${a.id}: ${a.title}`);
      lines.push(`    due: ${dueWords(a.due)}`);
      lines.push(`    cite: ${a.cite}`);
      for (const r of a.rules) {
        lines.push(`    when ${r.when.source.replace(/\s+/g, " ")}`);
        lines.push(`      because ${r.because}`);
        if (r.title) lines.push(`      title: ${r.title}`);
        if (r.cite !== a.cite) lines.push(`      cite: ${r.cite}`);
        if (r.due) lines.push(`      due: ${dueWords(r.due)}`);
        if (r.note) lines.push(`      note: ${r.note}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
