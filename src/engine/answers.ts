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
import { isIsoDate } from "./dates.js";

/** A fact's value. `null` is an explicit "not known". */
export type Value = string | number | boolean | readonly string[];
export type Answers = ReadonlyMap<string, Value | null>;

/**
 * Read a case file (YAML or JSON; nested `concern: {date: …}` or flat `concern.date: …`)
 * against the fact catalogue. Every problem is returned, each with its line and column.
 */
export function readCase(
  file: string,
  text: string,
  facts: ReadonlyMap<string, Fact>,
): { answers?: Map<string, Value | null>; problems: Problem[] } {
  const { source, problems } = parseSource(file, text);
  if (problems.length > 0) return { problems };
  const root = source.doc.contents;
  if (!isMap(root)) {
    return {
      problems: [
        { file, line: 1, column: 1, message: "a case file is a mapping of facts (see README 'Case files')" },
      ],
    };
  }
  const answers = new Map<string, Value | null>();
  walk(source, root.items as Pair[], [], facts, answers, problems);
  return problems.length > 0 ? { problems } : { answers, problems };
}

function walk(
  source: SourceFile,
  items: Pair[],
  prefix: string[],
  facts: ReadonlyMap<string, Fact>,
  answers: Map<string, Value | null>,
  problems: Problem[],
): void {
  for (const pair of items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    const parts = [...prefix, ...key.split(".")];
    const id = parts.join(".");
    const fact = facts.get(id);
    const path = [...prefix, key];
    if (fact && !fact.derived) {
      const problem = checkValue(fact, pair.value as Node | null);
      if (typeof problem === "string") {
        problems.push({ file: source.file, ...positionOf(source, path), field: id, message: problem });
      } else answers.set(id, problem.value);
      continue;
    }
    if (isMap(pair.value) && [...facts.keys()].some((f) => f.startsWith(`${id}.`))) {
      walk(source, pair.value.items as Pair[], parts, facts, answers, problems);
      continue;
    }
    const known = [...facts.values()].filter((f) => !f.derived).map((f) => f.id);
    const message = fact?.derived
      ? "is worked out by safeguard and cannot be set in a case file"
      : `unknown field${suggest(id, known)}`;
    problems.push({ file: source.file, ...keyPositionOf(source, path), field: dotPath(parts), message });
  }
}

function checkValue(fact: Fact, node: Node | null): string | { value: Value | null } {
  if (node === null || (isScalar(node) && node.value === null)) return { value: null };
  if (fact.type === "list" && !isSeq(node)) return `should be a list of: ${(fact.values ?? []).join(", ")}`;
  if (fact.type !== "list" && !isScalar(node)) return `should be a single ${describe(fact)}`;
  const plain = isSeq(node)
    ? node.items.map((i) => (isScalar(i) ? i.value : undefined))
    : (node as { value: unknown }).value;
  return validateValue(fact, plain);
}

/**
 * Check one answer against its fact: the message for a person, or the value as the engine
 * stores it. The wizard checks each answer with this as it is typed; case files use it too.
 */
export function validateValue(fact: Fact, v: unknown): string | { value: Value | null } {
  if (v === null || v === undefined) return { value: null };
  if (fact.type === "list") {
    if (!Array.isArray(v)) return `should be a list of: ${(fact.values ?? []).join(", ")}`;
    const out: string[] = [];
    for (const item of v as unknown[]) {
      if (typeof item !== "string" || !fact.values?.includes(item)) {
        return `${JSON.stringify(item ?? null)} is not one of: ${(fact.values ?? []).join(", ")}${suggest(String(item), fact.values ?? [])}`;
      }
      if (!out.includes(item)) out.push(item);
    }
    return { value: out };
  }
  switch (fact.type) {
    case "bool":
      return typeof v === "boolean" ? { value: v } : `${JSON.stringify(v)} should be true or false`;
    case "int":
      if (typeof v !== "number" || !Number.isInteger(v))
        return `${JSON.stringify(v)} should be a whole number`;
      if (fact.min !== undefined && v < fact.min) return `${v} is below ${fact.min}`;
      if (fact.max !== undefined && v > fact.max) return `${v} is above ${fact.max}`;
      return { value: v };
    case "date": {
      const s = typeof v === "string" ? v : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
      return isIsoDate(s) ? { value: s } : `"${s}" is not a date (use YYYY-MM-DD)`;
    }
    case "enum": {
      // Numeric enums (screening.threshold_level) may be written as integers.
      const s = typeof v === "number" || typeof v === "boolean" ? String(v) : v;
      if (typeof s !== "string" || !fact.values?.includes(s)) {
        return `${JSON.stringify(v)} is not one of: ${(fact.values ?? []).join(", ")}${suggest(String(s), fact.values ?? [])}`;
      }
      return { value: s };
    }
    default:
      if (typeof v === "string") return { value: v };
      if (typeof v === "number" && fact.type === "string") return { value: String(v) };
      return `${JSON.stringify(v)} should be text`;
  }
}

function describe(fact: Fact): string {
  return fact.type === "enum" ? `value (${(fact.values ?? []).join(", ")})` : fact.type;
}
