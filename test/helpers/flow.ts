import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { readCase, type Value } from "../../src/engine/answers.js";
import { decide, type Pathway } from "../../src/engine/decide.js";
import { groupAnswers, nextScreen } from "../../src/engine/next.js";
import { compileFlow } from "../../src/flow/compile.js";
import type { Flow } from "../../src/flow/types.js";
import { loadFlow, locateFlow, readFlowSources } from "../../src/io/flows.js";
import { packageRoot } from "../../src/io/paths.js";

let cached: Flow | undefined;

/** The bundled all-age flow, compiled once per test file. */
export function bundledFlow(): Flow {
  cached ??= loadFlow(undefined, packageRoot);
  return cached;
}

/** The bundled flow compiled afresh with one of its files' text changed (no build cache). */
export function compileWith(file: string, edit: (text: string) => string) {
  const s = readFlowSources(locateFlow(undefined, packageRoot), packageRoot);
  const files = new Map(s.files);
  const raw = files.get(file);
  if (!raw) throw new Error(`no ${file}`);
  files.set(file, { file: raw.file, text: edit(raw.text) });
  const { cache: _cache, ...rest } = s;
  return compileFlow({ ...rest, files });
}

/** Decide a case given as an object (as a case file would hold it). */
export function decideCase(caseObject: Record<string, unknown>, today = "2026-11-23"): Pathway {
  const flow = bundledFlow();
  const { answers, problems } = readCase("case.yaml", stringify(caseObject), flow.facts);
  if (!answers) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join("\n"));
  return decide(flow, answers, today);
}

/**
 * Replay an interview as the wizard asks it: screen by screen (nextScreen), each question, or
 * each row of a group that the rows above leave worth asking (groupAnswers), answered from
 * `known` or "not known". The facts each screen asked, in order.
 */
export function replayScreens(
  known: ReadonlyMap<string, Value | null>,
  today = "2026-11-23",
  start: ReadonlyMap<string, Value | null> = new Map(),
): string[][] {
  const flow = bundledFlow();
  const answers = new Map(start);
  const screens: string[][] = [];
  for (let i = 0; i < 200; i++) {
    const screen = nextScreen(flow, answers, today);
    if (!screen) break;
    const rows = screen.kind === "group" ? screen.questions : [screen.question];
    const given = groupAnswers(
      flow,
      answers,
      today,
      rows,
      new Map(rows.map((q) => [q.fact.id, known.get(q.fact.id) ?? null])),
    );
    screens.push([...given.keys()]);
    for (const [k, v] of given) answers.set(k, v);
  }
  return screens;
}

export interface Scenario {
  file: string;
  name: string;
  today?: string;
  case: Record<string, unknown>;
  expect: {
    group?: "child" | "adult" | "none" | "not-known";
    age?: number | null;
    actions?: Record<string, string | null>;
    not?: string[];
    documents?: string[];
    not_documents?: string[];
    warnings?: string[];
    not_decided?: string[];
    due_rule_includes?: Record<string, string>;
    contacts?: Record<string, string[]>;
    /** Text some warning contains; and text no warning contains. */
    warnings_include?: string[];
    not_warnings_include?: string[];
    /** Action id -> the title the step shows (a rule may say the step its own way). */
    titles?: Record<string, string>;
    /** Action id -> text one of its reasons contains. */
    because_includes?: Record<string, string>;
    /** Action id -> text none of its reasons contains (the action is recommended). */
    not_because_includes?: Record<string, string>;
    /** Action id -> facts its reasons read as not known (with their when_not_known reading). */
    reads_as?: Record<string, string[]>;
    /** Action id -> facts its reasons do not read as not known (the action is recommended). */
    not_reads_as?: Record<string, string[]>;
    /** Action id -> days overdue against `today` (0: not overdue). */
    overdue?: Record<string, number>;
    /**
     * Steps anticipated (the strategy discussion has yet to agree: "expected", a tentative
     * calendar event), and steps recommended as firm (issue 22).
     */
    expected?: string[];
    firm?: string[];
    /** Text the glance (compactPathway), the calendar file (deadlines.ics, unfolded) contain, or must not. */
    glance_includes?: string[];
    glance_excludes?: string[];
    calendar_includes?: string[];
    calendar_excludes?: string[];
    /** Document id -> text the rendered draft contains, or must not contain. */
    document_includes?: Record<string, string[]>;
    document_excludes?: Record<string, string[]>;
    /**
     * Facts the wizard asks, and facts it does not, when the case's answers are given one
     * question at a time (replayScreens; "not known" where the case has nothing).
     */
    asks?: string[];
    not_asks?: string[];
  };
}

export function scenarios(): Scenario[] {
  const dir = join(packageRoot, "test", "scenarios");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      return { file: f, ...(parse(text) as Omit<Scenario, "file">) };
    });
}

/** A string as a regular expression that matches it literally. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Any of a flow's dotted fact ids, standing alone ("concern.date", not "the concern.date_x"). */
export function factIdRe(flow: Flow): RegExp {
  const ids = [...flow.facts.keys()].filter((id) => id.includes("."));
  return new RegExp(`(?<![\\w.])(?:${ids.map(escapeRe).join("|")})(?![\\w])`);
}
