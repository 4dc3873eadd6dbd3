import { Chalk, type ChalkInstance } from "chalk";
import type { Value } from "../engine/answers.js";
import { formatLong, isIsoDate } from "../engine/dates.js";
import type { Pathway, Reason, Recommendation } from "../engine/decide.js";
import type { Flow, Need } from "../flow/types.js";
import { terminalSafe as t, terminalText } from "./inert.js";

/**
 * Trainer mode: a case stepped through action by action, each with why it follows (the
 * rule's reason, the facts it read, its condition, citation and due rule). Every word
 * comes from the pathway's own record (style.md §9); nothing is explained twice.
 * Pure: the command decides whether to pause between the steps.
 */
export interface DemoScript {
  /** The scenario, the case facts in plain words, anything to check. */
  intro: string;
  /** One per recommended action, in pathway order. */
  steps: string[];
  /** What is not decided and what would decide it; the currency notes; how to run it. */
  outro: string;
}

export interface DemoCase {
  stem: string;
  name: string;
  /** The case file as the user should see it. */
  file: string;
  /** A plain case file, which `safeguard run --answers FILE` takes as it is. */
  plain: boolean;
}

/** A fact's value as written in a case file: `evidence`, `[criminal, county-lines]`, `true`. */
export function rawValue(value: Value | null | undefined): string {
  if (value === null || value === undefined) return "not known";
  if (Array.isArray(value)) return `[${value.map((v) => t(v)).join(", ")}]`;
  return t(String(value));
}

/** A fact's value in plain words: the question's choice labels, yes/no, dates spelt out. */
export function valueWords(flow: Flow, id: string, value: Value | null | undefined): string {
  if (value === null || value === undefined) return "not known";
  const choices = flow.questions.find((q) => q.fact.id === id)?.choices;
  const word = (v: string) => t(choices?.[v] ?? v);
  if (Array.isArray(value)) return value.length > 0 ? value.map(word).join("; ") : "none";
  if (typeof value === "boolean") return choices?.[String(value)] ?? (value ? "yes" : "no");
  if (typeof value === "string" && flow.facts.get(id)?.type === "date" && isIsoDate(value)) {
    return `${formatLong(value)} (${value})`;
  }
  return t(word(String(value)));
}

function label(flow: Flow, id: string): string {
  return flow.facts.get(id)?.label ?? id;
}

function factLine(flow: Flow, id: string, value: Value | null, pathway: Pathway): string {
  const action = /^recommends\[(.+)\]$/.exec(id)?.[1];
  if (action !== undefined) {
    const step = pathway.actions.findIndex((a) => a.id === action);
    const title = flow.actionById.get(action)?.title ?? action;
    return `${id} = ${rawValue(value)}: "${title}" is recommended${step >= 0 ? ` (step ${step + 1})` : ""}`;
  }
  const words = valueWords(flow, id, value);
  const plain = words === rawValue(value) ? "" : `: ${words}`;
  return `${id} = ${rawValue(value)}  (${label(flow, id)}${plain})`;
}

function who(p: Pathway): string {
  if (p.person.group === "none")
    return "The concern is about a peer group, place or online space: no individual pathway applies.";
  const group = p.person.group === "child" ? "the child pathway applies" : "the adult pathway applies";
  if (p.person.ageSource === "not-known")
    return `The age is not known: ${group}, and the person is treated as a child for NRM purposes.`;
  const from = p.person.ageSource === "dob" ? "from the date of birth" : "as given";
  return `Age ${p.person.age} at the concern date (${from}): ${group}.`;
}

function reasonLines(c: ChalkInstance, flow: Flow, p: Pathway, r: Reason, n: number, of: number): string[] {
  const lines = [`    ${of > 1 ? `${n}. ` : ""}${c.bold("because")} ${r.because}`];
  const pad = of > 1 ? "         " : "      ";
  lines.push(`${pad}${c.dim("cites")}   ${r.cite}`);
  lines.push(`${pad}${c.dim("when")}    ${c.cyan(r.when.replace(/\s+/g, " ").trim())}`);
  const facts = Object.entries(r.facts);
  facts.forEach(([id, v], i) => {
    lines.push(`${pad}${c.dim(i === 0 ? "facts" : "     ")}   ${factLine(flow, id, v, p)}`);
  });
  for (const i of r.settled)
    lines.push(
      `${pad}${c.dim("settled")} ${i.fact} = ${i.atLeast ? "at least " : ""}${String(i.value)}: ${i.because} (${i.cite})`,
    );
  for (const n of r.notKnown) lines.push(`${pad}${c.dim("not known")} ${n.fact}: ${n.readsAs}`);
  for (const n of r.named)
    lines.push(`${pad}${c.dim("named")}   ${n.name} = ${n.holds}: ${n.meaning} (${n.cite})`);
  if (r.note) lines.push(`${pad}${c.dim("note")}    ${r.note}`);
  return lines;
}

function stepText(c: ChalkInstance, flow: Flow, p: Pathway, a: Recommendation, i: number): string {
  const lines = [
    `${c.bold(`Step ${i + 1} of ${p.actions.length}: ${a.title}`)}  ${c.cyan(`[${a.id}]`)}`,
    `  ${c.dim("section")} ${a.section}; ${c.dim("cites")} ${a.citation}`,
  ];
  if (a.detail) lines.push(`  ${a.detail}`);
  const due = a.due ? c.green(`${formatLong(a.due)} (${a.due})`) : c.dim("no date set");
  lines.push(`  ${c.bold("Due")} ${due}: ${a.dueRule}`);
  lines.push(
    `  ${c.bold("Why")} (${a.because.length === 1 ? "the rule that fired" : "the rules that fired"}):`,
  );
  a.because.forEach((r, n) => {
    lines.push(...reasonLines(c, flow, p, r, n + 1, a.because.length));
  });
  for (const ct of a.contacts) {
    const how = [ct.phone, ct.email, ct.web].filter(Boolean).join(", ");
    lines.push(`  ${c.dim("contact")} ${ct.name}${how ? `: ${how}` : ""}`);
  }
  if (a.documents.length > 0) {
    const titles = a.documents.map((d) => `${flow.documents.get(d)?.title ?? d} (${d}.md)`);
    lines.push(`  ${c.dim("draft")}   ${titles.join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function needWords(flow: Flow, need: Need): string {
  if ("action" in need)
    return `whether "${flow.actionById.get(need.action)?.title ?? need.action}" is recommended`;
  return `${label(flow, need.fact)} (${need.fact})`;
}

/** The whole demonstration for one case, split so that the command can pause between steps. */
export function demoScript(flow: Flow, p: Pathway, demo: DemoCase, opts: { colour: boolean }): DemoScript {
  const c = new Chalk({ level: opts.colour ? 1 : 0 });
  const intro: string[] = [
    c.bold(`Demo: ${demo.stem}`),
    t(demo.name),
    c.dim(`Case ${t(p.caseId)}, from ${t(demo.file)}; ${p.flow.name}, version ${p.flow.version}`),
    "",
    c.bold("The case, in plain words:"),
  ];
  for (const [id, v] of p.answers) {
    intro.push(`  - ${label(flow, id)}: ${valueWords(flow, id, v)}  ${c.dim(`(${id})`)}`);
  }
  if (p.answers.size === 0) intro.push("  (no facts given)");
  intro.push(`  ${who(p)}`);
  const check = p.warnings.filter((w) => w.kind !== "currency" && w.kind !== "not-decided");
  if (check.length > 0) {
    intro.push("", c.yellow.bold("Check:"));
    for (const w of check) {
      intro.push(`  ! ${t(w.text)}${w.cite ? c.dim(` (${w.cite})`) : ""}`);
      if (w.suggestion) intro.push(`    ${c.dim(`suggest: ${t(w.suggestion)}`)}`);
    }
  }
  const n = p.actions.length;
  intro.push(
    "",
    n === 0
      ? "Nothing is recommended yet: see what is not decided below."
      : `The procedures recommend ${n} action${n === 1 ? "" : "s"}, in this order:`,
  );

  const steps = p.actions.map((a, i) => stepText(c, flow, p, a, i));

  const outro: string[] = [];
  if (p.undecided.length > 0) {
    outro.push(c.bold("Not decided: knowing one of these would decide more steps"));
    const byNeeds = new Map<string, string[]>();
    for (const u of p.undecided) {
      const key = u.needs.map((x) => needWords(flow, x)).join(", or ") || "(nothing known would decide it)";
      byNeeds.set(key, [...(byNeeds.get(key) ?? []), u.id]);
    }
    for (const [key, ids] of byNeeds) outro.push(`  - ${key}`, `      decides: ${ids.join(", ")}`);
  } else outro.push(c.bold("Not decided: nothing; every step is decided by the facts given."));
  if (p.currency.length > 0) {
    outro.push("", c.bold("Where national guidance has moved on (currency notes):"));
    for (const cn of p.currency) {
      outro.push(`  - ${cn.topic}: the procedures say ${cn.seeds}.`);
      outro.push(`    National guidance now says ${cn.national} (${cn.source}; checked ${cn.checked}).`);
    }
  }
  outro.push(
    "",
    c.dim(
      demo.plain
        ? `The same pathway, with drafts: safeguard run --answers ${demo.file} --out DIR`
        : `The case is under "case:" in ${demo.file}; its expected pathway under "expect:".`,
    ),
  );
  return {
    intro: terminalText(`${intro.join("\n")}\n`),
    steps: steps.map(terminalText),
    outro: terminalText(`${outro.join("\n")}\n`),
  };
}

/** The demonstration without pauses: for pipes, tests and `--all`. */
export function demoText(script: DemoScript): string {
  return [script.intro, ...script.steps, script.outro].join("\n");
}

export interface ScenarioListing {
  stem: string;
  name: string;
  kind: "example" | "scenario";
}

/** `safeguard demo` with no name: what there is to step through, and how. */
export function scenarioList(entries: readonly ScenarioListing[]): string {
  if (entries.length === 0) return "No bundled scenarios found. Give a path: safeguard demo CASE.yaml\n";
  const width = Math.min(32, Math.max(...entries.map((e) => e.stem.length)));
  const lines = ["Trainer mode: step through a case and see why each recommendation follows.", ""];
  const groups: [ScenarioListing["kind"], string][] = [
    ["example", "Worked examples (examples/):"],
    ["scenario", "Scenarios (test/scenarios/):"],
  ];
  for (const [kind, heading] of groups) {
    const list = entries.filter((e) => e.kind === kind);
    if (list.length === 0) continue;
    lines.push(heading);
    for (const e of list) lines.push(`  ${e.stem.padEnd(width)}  ${e.name}`);
    lines.push("");
  }
  const first = entries[0]?.stem ?? "NAME";
  lines.push(
    `Run one: safeguard demo ${first}`,
    "At a terminal it pauses after each step (Enter for the next, q to stop); --all prints it all at once.",
    "A path to any case file works too: safeguard demo path/to/case.yaml",
  );
  return `${lines.join("\n")}\n`;
}
