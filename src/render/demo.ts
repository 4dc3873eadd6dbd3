import { Chalk, type ChalkInstance } from "chalk";
import type { Value } from "../engine/answers.js";
import { formatLong, type IsoDate, isIsoDate } from "../engine/dates.js";
import { needInWords, type Pathway, type Reason, type Recommendation } from "../engine/decide.js";
import type { Flow, Need } from "../flow/types.js";
import { contactLine, plural } from "../words/words.js";
import { terminalSafe as t, terminalText } from "./inert.js";
import { monthWords, REDACTED_NOTE } from "./redact.js";
import { overdueWords, qualifiedDate } from "./text.js";
import { saidIn, valueWords } from "./value-words.js";

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
  /** A training scenario's story, told before the facts. */
  story?: string | undefined;
  /**
   * The day it is worked out on, when not the real today: the day a worked example or
   * story is told on (`told`), or the day given with --date.
   */
  asOn?: { day: IsoDate; told: boolean };
}

/** Words folded into lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A fact's value as written in a case file: `evidence`, `[criminal, county-lines]`, `true`. */
export function rawValue(value: Value | null | undefined): string {
  if (value === null || value === undefined) return "not known";
  if (Array.isArray(value)) return `[${value.map((v) => t(v)).join(", ")}]`;
  return t(String(value));
}

/** A fact's value in plain words (valueWords), inert; a date with its case-file form beside it, for the trainer. */
export function factValueWords(flow: Flow, id: string, value: Value | null | undefined): string {
  const words = t(valueWords(saidIn(flow, id), value));
  return typeof value === "string" && flow.facts.get(id)?.type === "date" && isIsoDate(value)
    ? `${words} (${value})`
    : words;
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
  const words = factValueWords(flow, id, value);
  const plain = words === rawValue(value) ? "" : `: ${words}`;
  return `${id} = ${rawValue(value)}  (${label(flow, id)}${plain})`;
}

function who(p: Pathway): string {
  if (p.person.group === "none")
    return "The concern is about a peer group, place or online space: no individual pathway applies.";
  if (p.person.group === "not-known")
    return "The age is not known: the steps that differ for a child and an adult wait for it; the steps for every age stand.";
  const group = p.person.group === "child" ? "the child pathway applies" : "the adult pathway applies";
  if (p.person.ageSource === "not-known")
    return `The age is not known and disputed: ${group}, and the person is treated as a child for NRM purposes.`;
  const from = p.person.ageSource === "dob" ? "from the date of birth" : "as given";
  return `Age ${p.person.ageBand ?? p.person.age} at the concern date (${from}): ${group}.`;
}

/** A fact in plain words: its label, first letter lower-cased unless it starts an acronym. */
function plainLabel(flow: Flow, id: string): string {
  const l = label(flow, id);
  const lower = /^[A-Z][a-z]/.test(l) ? `${l[0]?.toLowerCase()}${l.slice(1)}` : l;
  return lower.startsWith("date ") ? `the ${lower}` : lower;
}

/** Where a rule read another step: "step 5 (Refer to Children's Services (MASH))". */
function stepWords(flow: Flow, p: Pathway, action: string): string {
  const n = p.actions.findIndex((a) => a.id === action);
  const title = flow.actionById.get(action)?.title ?? action;
  return n >= 0 ? `step ${n + 1} (${title})` : `"${title}"`;
}

/**
 * A due rule in plain words: fact ids become their labels, another step's id its number
 * and title. The dates and the bank holidays skipped are kept as they are.
 */
export function plainDueRule(flow: Flow, p: Pathway, rule: string): string {
  return plainIds(
    flow,
    rule
      .replace(/^immediately \(concern\.date, [^)]*\)/, "immediately")
      .replace(
        /the due date of ([a-z0-9-]+)/g,
        (_m, id: string) => `the due date of ${stepWords(flow, p, id)}`,
      ),
  );
}

/** Fact ids in a text (a due rule; a warning, quoted) replaced by their labels. */
function plainIds(flow: Flow, text: string, quoted = false): string {
  return text.replace(/\b[a-z_0-9]+\.[a-z_0-9]+\b/g, (id) =>
    !flow.facts.has(id) ? id : quoted ? `"${label(flow, id)}"` : plainLabel(flow, id),
  );
}

/** What a rule read, in plain words: the facts' labels and values, the named conditions' meanings. */
function plainReasonLines(flow: Flow, p: Pathway, r: Reason, pad: string): string[] {
  const lines: string[] = [];
  for (const [id, v] of Object.entries(r.facts)) {
    const action = /^recommends\[(.+)\]$/.exec(id)?.[1];
    if (action !== undefined) {
      lines.push(`${pad}- ${v === true ? "it follows" : "it does not follow"} ${stepWords(flow, p, action)}`);
      continue;
    }
    if (r.notKnown.some((n) => n.fact === id) || r.settled.some((i) => i.fact === id)) continue;
    lines.push(`${pad}- ${label(flow, id)}: ${factValueWords(flow, id, v)}`);
  }
  for (const i of r.settled)
    lines.push(
      `${pad}- ${label(flow, i.fact)}: ${i.atLeast ? "at least " : ""}${factValueWords(flow, i.fact, i.value)}, because ${i.because} (${i.cite})`,
    );
  for (const n of r.notKnown) lines.push(`${pad}- ${label(flow, n.fact)}: not known, so ${n.readsAs}`);
  for (const n of r.named) {
    const holds = n.holds === "true" ? "yes" : n.holds === "false" ? "no" : "not known";
    lines.push(`${pad}- ${n.meaning}: ${holds} (${n.cite})`);
  }
  if (r.note) lines.push(`${pad}  ${r.note}`);
  return lines;
}

/** For `--rules`: the rule's condition as written, the facts by id with their values, the named conditions. */
function ruleLines(c: ChalkInstance, flow: Flow, p: Pathway, r: Reason, pad: string): string[] {
  const lines = [`${pad}${c.dim("rule")}    ${r.rule}`];
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
  return lines;
}

function stepText(
  c: ChalkInstance,
  flow: Flow,
  p: Pathway,
  a: Recommendation,
  i: number,
  rules: boolean,
): string {
  const lines = [
    `${c.bold(`Step ${i + 1} of ${p.actions.length}: ${a.title}`)}${rules ? `  ${c.cyan(`[${a.id}]`)}` : ""}`,
  ];
  const late = a.daysOverdue > 0 ? ` ${c.red.bold(`(${overdueWords(a)})`)}` : "";
  const when = a.due
    ? c.green(formatLong(a.due))
    : a.dueMonth
      ? c.green(`in ${monthWords(a.dueMonth)}`)
      : c.dim("no date set");
  const rule = rules ? a.dueRule : plainDueRule(flow, p, a.dueRule);
  const iso = rules && a.due ? ` (${a.due})` : "";
  lines.push(`  ${c.bold("When")}   ${qualifiedDate(a, `${when}${iso}`)}${late}: ${rule}`);
  for (const [n, ct] of a.contacts.entries()) {
    lines.push(`  ${c.bold(n === 0 ? "Who" : "   ")}    ${contactLine(ct)}`);
  }
  if (a.detail) lines.push(`  ${c.bold("What")}   ${a.detail.replace(/\s+/g, " ").trim()}`);
  const many = a.because.length > 1;
  a.because.forEach((r, n) => {
    const head = n === 0 ? c.bold("Why") : "   ";
    lines.push(`  ${head}    ${many ? `${n + 1}. ` : ""}${r.because} ${c.dim(`(${r.cite})`)}`);
    const pad = many ? "            " : "           ";
    lines.push(...plainReasonLines(flow, p, r, pad));
    if (rules) lines.push(...ruleLines(c, flow, p, r, pad));
  });
  if (a.documents.length > 0) {
    const titles = a.documents.map((d) => `${flow.documents.get(d)?.title ?? d} (${d}.md)`);
    lines.push(`  ${c.bold("Draft")}  ${titles.join("; ")}`);
  }
  lines.push(`  ${c.bold("Cites")}  ${a.citation}${rules ? `; ${c.dim("section")} ${a.section}` : ""}`);
  return `${lines.join("\n")}\n`;
}

function needWords(flow: Flow, need: Need, rules: boolean): string {
  return needInWords(flow, need, (id) => (rules ? `${label(flow, id)} (${id})` : label(flow, id)));
}

/** The whole demonstration for one case, split so that the command can pause between steps. */
export function demoScript(
  flow: Flow,
  p: Pathway,
  demo: DemoCase,
  /** `program`: the program as it was called, for the hint at the end ("safeguard" by default). */
  opts: { colour: boolean; rules?: boolean; program?: string },
): DemoScript {
  const program = opts.program ?? "safeguard";
  const c = new Chalk({ level: opts.colour ? 1 : 0 });
  const rules = opts.rules ?? false;
  const intro: string[] = [
    c.bold(`Demo: ${demo.stem}`),
    t(demo.name),
    c.dim(`Case ${t(p.caseId)}, from ${t(demo.file)}; ${p.flow.name}, version ${p.flow.version}`),
  ];
  if (p.redacted) intro.push(c.dim(REDACTED_NOTE));
  if (demo.asOn)
    intro.push(
      demo.asOn.told
        ? `Told on ${formatLong(demo.asOn.day)}: the dates are worked out as on that day.`
        : `Worked out as on ${formatLong(demo.asOn.day)} (--date).`,
    );
  if (demo.story) intro.push("", ...wrap(t(demo.story), 76).map((l) => `  ${l}`));
  intro.push("", c.bold("The case, in plain words:"));
  for (const [id, v] of p.answers) {
    intro.push(
      `  - ${label(flow, id)}: ${factValueWords(flow, id, v)}${rules ? `  ${c.dim(`(${id})`)}` : ""}`,
    );
  }
  if (p.answers.size === 0) intro.push("  (no facts given)");
  intro.push(`  ${who(p)}`);
  const check = p.warnings.filter((w) => w.kind !== "currency" && w.kind !== "not-decided");
  if (check.length > 0) {
    intro.push("", c.yellow.bold("Check:"));
    for (const w of check) {
      intro.push(
        `  ! ${t(rules ? w.text : plainIds(flow, w.text, true))}${w.cite ? c.dim(` (${w.cite})`) : ""}`,
      );
      if (w.suggestion) intro.push(`    ${c.dim(`suggest: ${t(w.suggestion)}`)}`);
    }
  }
  const n = p.actions.length;
  intro.push(
    "",
    n === 0
      ? "Nothing is recommended yet: see what is not decided below."
      : `The procedures recommend ${plural(n, "action")}, in this order:`,
  );

  const steps = p.actions.map((a, i) => stepText(c, flow, p, a, i, rules));
  const outro: string[] = [];
  if (p.undecided.length > 0) {
    outro.push(c.bold("Not decided: knowing one of these would decide more steps"));
    const byNeeds = new Map<string, string[]>();
    for (const u of p.undecided) {
      const key =
        u.needs.map((x) => needWords(flow, x, rules)).join(", or ") || "(nothing known would decide it)";
      byNeeds.set(key, [...(byNeeds.get(key) ?? []), rules ? u.id : u.title]);
    }
    for (const [key, ids] of byNeeds)
      outro.push(`  - ${key}`, `      decides: ${ids.join(rules ? ", " : "; ")}`);
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
        ? `The same pathway, with drafts: ${program} run --answers ${demo.file} --out DIR`
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
  kind: "example" | "training" | "scenario";
}

/**
 * `safeguard demo` with no name: what there is to step through, and how. The test
 * scenarios (over a hundred) only with `all`.
 */
export function scenarioList(
  entries: readonly ScenarioListing[],
  opts: { all?: boolean; program?: string } = {},
): string {
  const program = opts.program ?? "safeguard";
  const shown = opts.all ? entries : entries.filter((e) => e.kind !== "scenario");
  if (shown.length === 0) return `No bundled scenarios found. Give a path: ${program} demo CASE.yaml\n`;
  const width = Math.min(32, Math.max(...shown.map((e) => e.stem.length)));
  const lines = ["Trainer mode: step through a case and see why each recommendation follows.", ""];
  const groups: [ScenarioListing["kind"], string][] = [
    ["example", "Worked examples (examples/):"],
    ["training", "Training scenarios, one per main route:"],
    ["scenario", "Test scenarios (scenarios/):"],
  ];
  for (const [kind, heading] of groups) {
    const list = shown.filter((e) => e.kind === kind);
    if (list.length === 0) continue;
    lines.push(heading);
    for (const e of list) lines.push(`  ${e.stem.padEnd(width)}  ${t(e.name)}`);
    lines.push("");
  }
  const first = shown.find((e) => e.kind === "training")?.stem ?? shown[0]?.stem ?? "NAME";
  const hidden = entries.length - shown.length;
  lines.push(
    `Run one: ${program} demo ${first}`,
    "At a terminal it pauses after each step (Enter for the next, q to stop); --all prints it all at once.",
    "--quiz asks the room what happens next before each step; --rules adds each rule's condition and field ids.",
    `A path to any case file works too: ${program} demo path/to/case.yaml`,
  );
  if (hidden > 0)
    lines.push(`${hidden} test scenarios are not listed: ${program} demo --all lists them too.`);
  return `${lines.join("\n")}\n`;
}
