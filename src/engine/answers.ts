import { isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import {
  dotPath,
  keyPositionOf,
  type Problem,
  parseSource,
  positionOf,
  type SourceFile,
  suggest,
} from "../flow/problems.js";
import type { Fact } from "../flow/types.js";
import { type Value, validateValue } from "../flow/values.js";
import { say } from "../words/problems.js";
import { ageOn, compareIso, isIsoDate } from "./dates.js";

export type { Value } from "../flow/values.js";
// The wizard (prompts/ask.ts) checks each typed answer with it, imported from here.
export { validateValue } from "../flow/values.js";

export type Answers = ReadonlyMap<string, Value | null>;

/** Steps the case file marks done (`done: { STEP_ID: YYYY-MM-DD }`), each with its date. */
export type DoneMarks = Map<string, string>;
/** Where each step marked done is written in the case file (its key), to say a problem there. */
export type DoneWhere = Map<string, { line: number; column: number }>;

/**
 * Read a case file (YAML or JSON; nested `concern: {date: …}` or flat `concern.date: …`)
 * against the fact catalogue. Every problem is returned, each with its line and column.
 */
export function readCase(
  file: string,
  text: string,
  facts: ReadonlyMap<string, Fact>,
  opts: { today?: string; steps?: readonly string[] } = {},
): { answers?: Map<string, Value | null>; done?: DoneMarks; doneAt?: DoneWhere; problems: Problem[] } {
  const { source, problems } = parseSource(file, text);
  if (problems.length > 0) return { problems };
  const root = source.doc.contents;
  if (!isMap(root)) {
    return {
      problems: [{ file, line: 1, column: 1, message: say.caseNotMapping() }],
    };
  }
  const answers = new Map<string, Value | null>();
  const where = new Map<string, { line: number; column: number }>();
  const done: DoneMarks = new Map();
  const doneAt: DoneWhere = new Map();
  const items = (root.items as Pair[]).filter((pair) => {
    if (!isScalar(pair.key) || pair.key.value !== DONE) return true;
    readDone(source, pair.value as Node | null, opts.steps, { done, doneAt }, problems);
    return false;
  });
  walk(source, items, [], facts, { answers, where }, problems);
  // A date of birth more than 120 years before the concern (or today): a typing slip.
  const dob = answers.get("person.dob");
  const on = answers.get("concern.date") ?? opts.today;
  if (
    typeof dob === "string" &&
    typeof on === "string" &&
    isIsoDate(on) &&
    compareIso(dob, on) <= 0 &&
    ageOn(dob, on) > MAX_AGE
  ) {
    problems.push({
      file,
      ...(where.get("person.dob") ?? { line: 1, column: 1 }),
      field: "person.dob",
      message: say.ageOver(dob, MAX_AGE, on),
    });
  }
  return problems.length > 0 ? { problems } : { answers, done, doneAt, problems };
}

const MAX_AGE = 120;
/** The case file's key for the steps done: not a fact (facts are what is known of the person). */
const DONE = "done";

/**
 * `done: { STEP_ID: YYYY-MM-DD }`: each step a step of the flow (`steps`, when given, with a
 * "did you mean"), each date a real date. `null` is "not done", as a fact's null is "not known".
 */
function readDone(
  source: SourceFile,
  node: Node | null,
  steps: readonly string[] | undefined,
  read: { done: DoneMarks; doneAt: DoneWhere },
  problems: Problem[],
): void {
  if (node === null || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    problems.push({
      file: source.file,
      ...positionOf(source, [DONE]),
      field: DONE,
      message: say.doneNotAMap(),
    });
    return;
  }
  for (const pair of node.items as Pair[]) {
    const id = isScalar(pair.key) ? String(pair.key.value) : "";
    const path = [DONE, id];
    if (steps && !steps.includes(id)) {
      problems.push({
        file: source.file,
        ...keyPositionOf(source, path),
        field: `${DONE}.${id}`,
        message: say.noSuchStep(id, suggest(id, steps)),
      });
      continue;
    }
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    const date = isScalar(value) ? asWritten({ type: "date" } as Fact, value) : undefined;
    if (typeof date !== "string" || !isIsoDate(date)) {
      problems.push({
        file: source.file,
        ...positionOf(source, path),
        field: `${DONE}.${id}`,
        message: say.notADate(isScalar(value) ? String(value.source ?? value.value) : "?"),
      });
      continue;
    }
    read.done.set(id, date);
    read.doneAt.set(id, keyPositionOf(source, path));
  }
}

function walk(
  source: SourceFile,
  items: Pair[],
  prefix: string[],
  facts: ReadonlyMap<string, Fact>,
  seen: { answers: Map<string, Value | null>; where: Map<string, { line: number; column: number }> },
  problems: Problem[],
): void {
  const { answers, where } = seen;
  for (const pair of items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const parts = [...prefix, ...key.split(".")];
    const id = parts.join(".");
    const fact = facts.get(id);
    const path = [...prefix, key];
    if (fact && !fact.derived) {
      const at = positionOf(source, path);
      const first = where.get(id);
      // Flat `concern.date` and nested `concern: {date}` both given: never "the last wins".
      if (first !== undefined) {
        problems.push({
          file: source.file,
          ...keyPositionOf(source, path),
          field: id,
          message: say.givenTwice(first.line),
        });
        continue;
      }
      where.set(id, at);
      const problem = checkValue(fact, pair.value as Node | null);
      if (typeof problem === "string") {
        problems.push({ file: source.file, ...at, field: id, message: problem });
      } else answers.set(id, problem.value);
      continue;
    }
    if (isMap(pair.value) && [...facts.keys()].some((f) => f.startsWith(`${id}.`))) {
      walk(source, pair.value.items as Pair[], parts, facts, seen, problems);
      continue;
    }
    const known = [...facts.values()].filter((f) => !f.derived).map((f) => f.id);
    const message = fact?.derived ? say.derivedInCase() : say.unknownField(suggest(id, known));
    problems.push({ file: source.file, ...keyPositionOf(source, path), field: dotPath(parts), message });
  }
}

function checkValue(fact: Fact, node: Node | null): string | { value: Value | null } {
  if (node === null || (isScalar(node) && node.value === null)) return { value: null };
  // A list given one value (`open_to_childrens_services: exploitation`) is a list of one.
  if (fact.type === "list" && !isSeq(node) && !isScalar(node)) return say.notAList(fact.values ?? []);
  if (fact.type !== "list" && !isScalar(node)) return say.notSingle(describe(fact));
  const plain = isSeq(node)
    ? node.items.map((i) => (isScalar(i) ? i.value : undefined))
    : asWritten(fact, node);
  return validateValue(fact, plain);
}

/**
 * A scalar as the case file means it. Text keeps its text: `07700900123` and `000123`
 * keep their zeros, `1.50` its digits (YAML would read numbers). A date is the calendar
 * date written, never an instant moved through UTC (`!!timestamp 2009-09-14T23:30-05:00`
 * is 14 September).
 */
function asWritten(fact: Fact, node: Node): unknown {
  const scalar = node as Node & { value: unknown; source?: string };
  const source = typeof scalar.source === "string" ? scalar.source : undefined;
  if ((fact.type === "string" || fact.type === "text") && typeof scalar.value === "number" && source)
    return source.trim();
  if (fact.type === "date" && scalar.value instanceof Date) {
    const written = /^\s*(\d{4}-\d{2}-\d{2})(?:$|[Tt ])/.exec(source ?? "");
    return written ? written[1] : String(source ?? scalar.value);
  }
  return scalar.value;
}

function describe(fact: Fact): string {
  return fact.type === "enum" ? `value (${(fact.values ?? []).join(", ")})` : fact.type;
}

/** The oldest age taken without a question (an age over it is a check, and over 120 an error). */
export const QUESTIONED_AGE = 110;

/**
 * A date answer worth a second look before it is kept (issue 14): a concern or referral date
 * after today, or a date of birth giving an age over 110 at the concern date (today when that
 * is not given). The wizard asks "keep it?"; case files get the same as warnings (checks.yaml).
 * Undefined when the date is plausible, or is not one of these.
 */
export function dateDoubt(id: string, value: unknown, answers: Answers, today: string): string | undefined {
  if (typeof value !== "string" || !isIsoDate(value)) return undefined;
  if ((id === "concern.date" || id === "referral.date") && compareIso(value, today) > 0)
    return say.dateDoubt(value, "future", today);
  if (id === "person.dob") {
    const given = answers.get("concern.date");
    const on = typeof given === "string" && isIsoDate(given) ? given : today;
    if (compareIso(value, on) <= 0 && ageOn(value, on) > QUESTIONED_AGE)
      return say.dateDoubt(value, "age", on, ageOn(value, on), QUESTIONED_AGE);
  }
  return undefined;
}
