import type { z } from "zod";
import { say } from "../words/problems.js";
import { plural } from "../words/words.js";
import { suggest } from "./problems.js";

/**
 * zod's issues in plain words, so no raw zod wording ever reaches a user: what is wrong
 * with the field and, where a key or choice is close to a known one, "did you mean".
 * `key` marks a problem with a key itself (an unknown field), to point at the key.
 */
export interface PlainIssue {
  path: (string | number)[];
  message: string;
  key?: boolean;
}

type Path = (string | number)[];
type Def = { type: string; [k: string]: unknown };
type Issue = z.core.$ZodIssue;

export function plainIssues(
  schema: z.ZodType,
  data: unknown,
  issues: readonly Issue[],
  base: Path = [],
): PlainIssue[] {
  return issues.flatMap((issue) => plainIssue(schema, data, issue, base));
}

function plainIssue(schema: z.ZodType, data: unknown, issue: Issue, base: Path): PlainIssue[] {
  const path = [...base, ...issue.path.filter((k): k is string | number => typeof k !== "symbol")];
  const value = valueAt(data, path);
  const at = (message: string): PlainIssue[] => [{ path, message }];
  switch (issue.code) {
    case "invalid_type":
      return at(
        value === undefined
          ? `missing; ${typeWords(issue.expected)} is needed`
          : `should be ${typeWords(issue.expected)}, not ${describe(value)}`,
      );
    case "invalid_value": {
      const values = issue.values.map(String);
      if (values.length === 1) return at(`should be "${values[0]}", not ${describe(value)}`);
      return at(
        `${describe(value)} is not one of ${values.map((v) => `"${v}"`).join(", ")}${suggest(String(value), values)}`,
      );
    }
    case "unrecognized_keys": {
      const allowed = keysOf(schemaAt(schema, path));
      return issue.keys.map((k) => ({
        path: [...path, k],
        key: true,
        message: say.unknownField(suggest(k, allowed)),
      }));
    }
    case "too_small":
    case "too_big":
      return at(sizeWords(issue.code === "too_small" ? "least" : "most", issue));
    case "invalid_format":
      return at(issue.message.startsWith("Invalid") ? "does not have the expected form" : issue.message);
    case "invalid_union":
      return unionIssues(schemaAt(schema, path), data, issue.errors, path);
    case "custom":
      return at(issue.message);
    default:
      return at("is not valid here");
  }
}

/**
 * A value that fits none of a union's forms: explain it against the form it comes closest
 * to (the fewest problems, among forms of the same shape), or list the forms.
 */
function unionIssues(
  union: z.ZodType | undefined,
  data: unknown,
  branches: Issue[][],
  path: Path,
): PlainIssue[] {
  const options = (union ? (def(union).options as z.ZodType[] | undefined) : undefined) ?? [];
  let best: { issues: Issue[]; schema: z.ZodType; score: number } | undefined;
  branches.forEach((issues, i) => {
    const schema = options[i];
    const otherShape = issues.some(
      (x) => x.path.length === 0 && (x.code === "invalid_type" || x.code === "invalid_value"),
    );
    if (!schema || otherShape) return;
    const score = weight(issues);
    if (!best || score < best.score) best = { issues, schema, score };
  });
  if (best)
    return plainIssues(best.schema, valueAt(data, path), best.issues).map((p) => ({
      ...p,
      path: [...path, ...p.path],
    }));
  const forms = options.map(formWords).filter((f) => f !== "");
  return [{ path, message: say.notOneOfForms(forms) }];
}

/** How far a value is from a form: one per problem, one per unknown key. */
function weight(issues: readonly Issue[]): number {
  return issues.reduce((n, x) => n + (x.code === "unrecognized_keys" ? x.keys.length : 1), 0);
}

function formWords(schema: z.ZodType): string {
  const d = def(schema);
  if (d.type === "literal") return (d.values as unknown[]).map((v) => `"${String(v)}"`).join(", ");
  if (d.type === "object") {
    const shape = d.shape as Record<string, z.ZodType>;
    const required = Object.keys(shape).filter((k) => def(shape[k] as z.ZodType).type !== "optional");
    return `{${required.join(", ")}}`;
  }
  return "";
}

function sizeWords(
  bound: "least" | "most",
  issue: { origin: string; minimum?: unknown; maximum?: unknown },
): string {
  const n = Number(bound === "least" ? issue.minimum : issue.maximum);
  if (issue.origin === "array") return `needs at ${bound} ${plural(n, "item")}`;
  if (issue.origin === "string")
    return bound === "least" && n === 1 ? "must not be empty" : `needs at ${bound} ${plural(n, "character")}`;
  return `must be at ${bound} ${n}`;
}

function typeWords(expected: string): string {
  const words: Record<string, string> = {
    string: "text",
    number: "a number",
    int: "a whole number",
    boolean: "true or false",
    array: "a list",
    object: "a mapping (key: value)",
    record: "a mapping (key: value)",
  };
  return words[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 37)}...` : value}"`;
  return String(value);
}

function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const k of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[k];
  }
  return node;
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema a path leads to, through optionals, lists, records and lazy parts. */
function schemaAt(schema: z.ZodType | undefined, path: Path): z.ZodType | undefined {
  let s = unwrap(schema);
  for (const k of path) {
    if (!s) return undefined;
    const d = def(s);
    if (d.type === "object") s = unwrap((d.shape as Record<string, z.ZodType>)[String(k)]);
    else if (d.type === "array") s = unwrap(d.element as z.ZodType);
    else if (d.type === "record") s = unwrap(d.valueType as z.ZodType);
    else return undefined;
  }
  return s;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  for (let d = s && def(s); s && d; d = def(s)) {
    if (d.type === "optional" || d.type === "nullable" || d.type === "default") s = d.innerType as z.ZodType;
    else if (d.type === "lazy") s = (d.getter as () => z.ZodType)();
    else return s;
  }
  return s;
}

function keysOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const d = def(schema);
  if (d.type === "object") return Object.keys(d.shape as object);
  if (d.type === "union") return (d.options as z.ZodType[]).flatMap(keysOf);
  return [];
}
