import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { z } from "zod";
import { readCase, type Value } from "../../src/engine/answers.js";
import { decide, type Pathway } from "../../src/engine/decide.js";
import { groupAnswers, nextScreen } from "../../src/engine/next.js";
import { compileFlow } from "../../src/flow/compile.js";
import { plainIssues } from "../../src/flow/issues.js";
import type { Condition, Flow } from "../../src/flow/types.js";
import { loadFlow, locateFlow, readFlowSources } from "../../src/io/flows.js";
import { packageRoot } from "../../src/io/paths.js";
import { scenarioNames, scenarioZod } from "../../src/render/scenario-schema.js";

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

/**
 * A scenario file, checked before any test reads it against the definition the published
 * scenario schema is made from (src/render/scenario-schema.ts): every key is known, and so is
 * every action, document and fact it names, so a slip fails the file instead of asserting nothing.
 */
let definition: ReturnType<typeof scenarioZod> | undefined;
export function scenarioDefinition(): ReturnType<typeof scenarioZod> {
  definition ??= scenarioZod(scenarioNames(bundledFlow()));
  return definition;
}

export type Scenario = { file: string } & z.infer<ReturnType<typeof scenarioZod>>;

/** A scenario file's TEXT, checked against scenarioSchema; an error names the file and each field. */
export function readScenarioFile(file: string, text: string): Scenario {
  const data: unknown = parse(text);
  const scenarioSchema = scenarioDefinition();
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
