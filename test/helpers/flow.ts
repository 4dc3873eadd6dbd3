import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { z } from "zod";
import { readCase, type Value } from "../../src/engine/answers.js";
import { decide, type Pathway } from "../../src/engine/decide.js";
import { groupAnswers, nextScreen } from "../../src/engine/next.js";
import { compileFlow } from "../../src/flow/compile.js";
import { plainIssues } from "../../src/flow/issues.js";
import type { Condition, Flow } from "../../src/flow/types.js";
import { loadFlow, locateFlow, readFlowSources } from "../../src/io/flows.js";
import { packageRoot } from "../../src/io/paths.js";

let cached: Flow | undefined;

/** Every condition a flow holds (rules, guards, named conditions, drafts, due rules…), once each. */
export function conditionsOf(flow: object): Condition[] {
  const out: Condition[] = [];
  const seen = new Set<unknown>();
  const walk = (x: unknown) => {
    if (x === null || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (typeof (x as Condition).evaluate === "function" && typeof (x as Condition).expanded === "string")
      out.push(x as Condition);
    for (const v of x instanceof Map ? x.values() : Object.values(x)) walk(v);
  };
  walk(flow);
  return out;
}

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

/** The answers of a case given as an object (as a case file would hold it), read as run --answers reads it. */
export function caseAnswers(caseObject: Record<string, unknown>): Map<string, Value | null> {
  const { answers, problems } = readCase("case.yaml", stringify(caseObject), bundledFlow().facts);
  if (!answers) throw new Error(problems.map((p) => `${p.field}: ${p.message}`).join("\n"));
  return answers;
}

/** Decide a case given as an object (as a case file would hold it). */
export function decideCase(caseObject: Record<string, unknown>, today = "2026-11-23"): Pathway {
  return decide(bundledFlow(), caseAnswers(caseObject), today);
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

const texts = z.array(z.string());
const byAction = <T extends z.ZodType>(v: T) => z.record(z.string(), v);

/**
 * A scenario file, checked before any test reads it: every key is known, so a misspelt key
 * (`not_document:`) fails the file instead of asserting nothing.
 */
export const scenarioSchema = z.strictObject({
  name: z.string(),
  today: z.string().optional(),
  /** A training scenario (`safeguard demo` lists it), with the story told to the room. */
  training: z.boolean().optional(),
  story: z.string().optional(),
  case: z.record(z.string(), z.unknown()),
  expect: z.strictObject({
    group: z.enum(["child", "adult", "none", "not-known"]).optional(),
    age: z.number().nullable().optional(),
    actions: byAction(z.string().nullable()).optional(),
    not: texts.optional(),
    documents: texts.optional(),
    not_documents: texts.optional(),
    warnings: texts.optional(),
    not_decided: texts.optional(),
    due_rule_includes: byAction(z.string()).optional(),
    contacts: byAction(texts).optional(),
    /** Text some warning contains; and text no warning contains. */
    warnings_include: texts.optional(),
    not_warnings_include: texts.optional(),
    /** Action id -> the title the step shows (a rule may say the step its own way). */
    titles: byAction(z.string()).optional(),
    /** Action id -> text one of its reasons contains. */
    because_includes: byAction(z.string()).optional(),
    /** Action id -> text none of its reasons contains (the action is recommended). */
    not_because_includes: byAction(z.string()).optional(),
    /** Action id -> facts its reasons read as not known (with their when_not_known reading). */
    reads_as: byAction(texts).optional(),
    /** Action id -> facts its reasons do not read as not known (the action is recommended). */
    not_reads_as: byAction(texts).optional(),
    /** Action id -> days overdue against `today` (0: not overdue). */
    overdue: byAction(z.number().int()).optional(),
    /**
     * Steps anticipated (the strategy discussion has yet to agree: "expected", a tentative
     * calendar event), and steps recommended as firm (issue 22).
     */
    expected: texts.optional(),
    firm: texts.optional(),
    /** Text the glance (compactPathway), the calendar file (deadlines.ics, unfolded) contain, or must not. */
    glance_includes: texts.optional(),
    glance_excludes: texts.optional(),
    calendar_includes: texts.optional(),
    calendar_excludes: texts.optional(),
    /** Document id -> text the rendered draft contains, or must not contain. */
    document_includes: z.record(z.string(), texts).optional(),
    document_excludes: z.record(z.string(), texts).optional(),
    /**
     * Facts the wizard asks, and facts it does not, when the case's answers are given one
     * question at a time (replayScreens; "not known" where the case has nothing).
     */
    asks: texts.optional(),
    not_asks: texts.optional(),
  }),
});

export type Scenario = { file: string } & z.infer<typeof scenarioSchema>;

/** A scenario file's TEXT, checked against scenarioSchema; an error names the file and each field. */
export function readScenarioFile(file: string, text: string): Scenario {
  const data: unknown = parse(text);
  const result = scenarioSchema.safeParse(data);
  if (result.success) return { file, ...result.data };
  const lines = plainIssues(scenarioSchema, data, result.error.issues).map(
    (i) => `  ${i.path.join(".")}: ${i.message}`,
  );
  throw new Error(`scenarios/${file}:\n${lines.join("\n")}`);
}

export function scenarios(): Scenario[] {
  const dir = join(packageRoot, "scenarios");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      return readScenarioFile(f, readFileSync(join(dir, f), "utf8"));
    });
}

/** A string as a regular expression that matches it literally. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Any of a flow's dotted fact ids, standing alone ("concern.date", not "the concern.date_x"). */
export function factIdRe(flow: Flow): RegExp {
  const ids = [...flow.facts.keys()].filter((id) => id.includes("."));
  return new RegExp(`(?<![\\w.])(?:${ids.map(escapeRe).join("|")})(?![\\w])`);
}
