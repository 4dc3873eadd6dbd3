import { createRequire } from "node:module";
import type { Environment } from "@marcbachmann/cel-js";
import { LINEAR_MATCHES, linearMatches } from "./regex.js";
import type { Fact } from "./types.js";

/**
 * Conditions are CEL (Common Expression Language): safe, no eval, type-checked against
 * the fact catalogue. Facts are namespaced objects (`screening.outcome`); `recommends`
 * maps action ids to whether this run recommends them.
 *
 * cel-js is loaded here, when an environment is first built (issue 25): a run from the
 * bundled flow's image evaluates its conditions as closures built from the build's parse,
 * and needs cel-js only for what those closures leave, so it need not load it at start.
 */
export function buildEnvironment(facts: ReadonlyMap<string, Fact>): Environment {
  const namespaces = new Map<string, Record<string, string>>();
  const cel = createRequire(import.meta.url)("@marcbachmann/cel-js") as typeof import("@marcbachmann/cel-js");
  const env = new cel.Environment();
  for (const fact of facts.values()) {
    const [ns, field] = splitFact(fact.id);
    if (field === undefined) {
      env.registerVariable(ns, celType(fact));
      continue;
    }
    const schema = namespaces.get(ns) ?? {};
    schema[field] = celType(fact);
    namespaces.set(ns, schema);
  }
  for (const [name, schema] of namespaces) env.registerVariable({ name, schema });
  env.registerVariable("recommends", "map<string, bool>");
  // matches() runs in linear time (src/flow/regex.ts): conditions are rewritten to call this.
  env.registerFunction(`string.${LINEAR_MATCHES}(string): bool`, linearMatches);
  return env;
}

export function splitFact(id: string): [string, string | undefined] {
  const dot = id.indexOf(".");
  return dot < 0 ? [id, undefined] : [id.slice(0, dot), id.slice(dot + 1)];
}

function celType(fact: Fact): string {
  switch (fact.type) {
    case "int":
      return "int";
    case "bool":
      return "bool";
    case "list":
      return "list<string>";
    default:
      return "string";
  }
}

interface AstNode {
  op: string;
  args: unknown;
  pos?: number;
  start?: number;
}

export interface Reference {
  kind: "fact" | "action" | "namespace";
  name: string;
  /** 0-based offset in the expression. */
  offset: number;
}

export interface EnumLiteral {
  fact: string;
  value: string;
  offset: number;
}

/** Every fact, action and enum literal an expression names, read from its syntax tree. */
export function references(ast: unknown): { refs: Reference[]; literals: EnumLiteral[] } {
  const refs: Reference[] = [];
  const literals: EnumLiteral[] = [];
  const factOf = (n: unknown): string | undefined => {
    const node = n as AstNode;
    if (node?.op !== ".") return undefined;
    const [target, field] = node.args as [AstNode, string];
    return target?.op === "id" ? `${target.args as string}.${field}` : undefined;
  };
  const stringOf = (n: unknown): { value: string; offset: number } | undefined => {
    const node = n as AstNode;
    return node?.op === "value" && typeof node.args === "string"
      ? { value: node.args, offset: node.start ?? node.pos ?? 0 }
      : undefined;
  };
  const visit = (n: unknown, bound: Set<string>): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x, bound);
      return;
    }
    if (!n || typeof n !== "object" || !("op" in n)) return;
    const node = n as AstNode;
    const offset = node.start ?? node.pos ?? 0;
    if (node.op === ".") {
      const fact = factOf(node);
      const target = (node.args as [AstNode])[0];
      if (fact && target && !bound.has(target.args as string)) {
        refs.push({ kind: "fact", name: fact, offset });
        return;
      }
    }
    if (node.op === "[]") {
      const [target, key] = node.args as [AstNode, AstNode];
      const lit = stringOf(key);
      if (target?.op === "id" && target.args === "recommends" && lit) {
        refs.push({ kind: "action", name: lit.value, offset: lit.offset });
        return;
      }
    }
    if (node.op === "id") {
      const name = node.args as string;
      if (!bound.has(name)) refs.push({ kind: "namespace", name, offset });
      return;
    }
    if (node.op === "==" || node.op === "!=") {
      const [a, b] = node.args as [unknown, unknown];
      const fa = factOf(a);
      const fb = factOf(b);
      const la = stringOf(a);
      const lb = stringOf(b);
      if (fa && lb) literals.push({ fact: fa, value: lb.value, offset: lb.offset });
      if (fb && la) literals.push({ fact: fb, value: la.value, offset: la.offset });
    }
    if (node.op === "in") {
      const [a, b] = node.args as [AstNode, AstNode];
      const fa = factOf(a);
      const fb = factOf(b);
      if (fa && b?.op === "list") {
        for (const item of b.args as unknown[]) {
          const l = stringOf(item);
          if (l) literals.push({ fact: fa, value: l.value, offset: l.offset });
        }
      }
      const la = stringOf(a);
      if (fb && la) literals.push({ fact: fb, value: la.value, offset: la.offset });
    }
    if (node.op === "rcall") {
      // Macros such as list.exists(x, ...) bind a variable: it is not a fact.
      const [, target, margs] = node.args as [string, unknown, unknown[]];
      visit(target, bound);
      const first = margs?.[0] as AstNode | undefined;
      const inner = new Set(bound);
      if (first?.op === "id") inner.add(first.args as string);
      visit(margs, inner);
      return;
    }
    visit(node.args, bound);
  };
  visit(ast, new Set());
  return { refs, literals };
}

/** CEL's macros that loop over a list, each running its last argument once per item. */
const COMPREHENSIONS = new Set(["all", "exists", "exists_one", "map", "filter"]);

/**
 * The most comprehensions (`exists`, `all`, `map`…) nested one inside another's body: the work
 * a condition does grows as the lists' length to this power. `l.exists(x, l.exists(y, …))` is 2.
 */
export function comprehensionDepth(ast: unknown): number {
  const depth = (n: unknown): number => {
    if (Array.isArray(n)) return n.reduce((most: number, x) => Math.max(most, depth(x)), 0);
    if (!n || typeof n !== "object" || !("op" in n)) return 0;
    const node = n as AstNode;
    if (node.op === "rcall") {
      const [name, target, margs] = node.args as [string, unknown, unknown[]];
      if (COMPREHENSIONS.has(name)) return Math.max(depth(target), 1 + depth(margs));
    }
    return depth(node.args);
  };
  return depth(ast);
}

/** A `has(fact)` test, or a named condition, and whether it stands under a negation. */
export type Polar = { fact: string; offset: number; negated: boolean } | { name: string; negated: boolean };

/**
 * Every `has(fact)` test and every use of a named condition, in text order, with its
 * polarity: under an odd number of negations (or as a ternary's test: both). A negated
 * `has(f)` holds when `f` is not known, so such a condition reads "not known" as something,
 * and the flow must say what (`when_not_known` in facts.yaml).
 */
export function polarities(ast: unknown, names: ReadonlySet<string>): Polar[] {
  const out: Polar[] = [];
  const visit = (n: unknown, negated: boolean): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x, negated);
      return;
    }
    if (!n || typeof n !== "object" || !("op" in n)) return;
    const node = n as AstNode;
    if (node.op === "!_") visit(node.args, !negated);
    else if (node.op === "?:") {
      const [test, ...branches] = node.args as unknown[];
      visit(test, true);
      visit(test, false);
      visit(branches, negated);
    } else if (node.op === "id" && typeof node.args === "string" && names.has(node.args)) {
      out.push({ name: node.args, negated });
    } else if (node.op === "call" && (node.args as [string])[0] === "has") {
      const target = (node.args as [string, AstNode[]])[1]?.[0];
      if (target?.op === ".") {
        const [ns, field] = target.args as [AstNode, string];
        if (ns?.op === "id")
          out.push({ fact: `${ns.args as string}.${field}`, offset: node.start ?? 0, negated });
      }
    } else visit(node.args, negated);
  };
  visit(ast, false);
  return out;
}

/** Where each identifier of `names` stands in the expression (start and end offsets). */
export function identifierSpans(
  ast: unknown,
  names: ReadonlySet<string>,
): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    if (!n || typeof n !== "object" || !("op" in n)) return;
    const node = n as AstNode & { end?: number };
    if (node.op === "id" && typeof node.args === "string" && names.has(node.args)) {
      out.push({ name: node.args, start: node.start ?? 0, end: node.end ?? 0 });
      return;
    }
    visit(node.args);
  };
  visit(ast);
  return out;
}
