import { createRequire } from "node:module";
import type { RE2JS } from "re2js";
import { say } from "../words/problems.js";

/**
 * CEL's `matches()` with a linear-time engine. cel-js runs it with JavaScript's RegExp,
 * which backtracks: `(a+)+$` took 37 s on a 41-character answer, and even `a*a*b` grows
 * with the cube of the answer's length. CEL's own specification says RE2 syntax, and RE2
 * (re2js, a pure-JavaScript port) matches in time linear in the answer whatever the pattern.
 * So a condition's `x.matches("…")` is evaluated as `x.matches_re2("…")`, and a pattern
 * must be written out in the flow, so that it is checked when the flow is loaded.
 */

/** The function conditions are evaluated with in place of `matches` (not for flows to name). */
export const LINEAR_MATCHES = "matches_re2";

let engine: typeof RE2JS | undefined;
const compiled = new Map<string, RE2JS>();

/** re2js is loaded only for a flow that uses matches(): the bundled flows do not. */
function compile(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    engine ??= (createRequire(import.meta.url)("re2js") as typeof import("re2js")).RE2JS;
    re = engine.compile(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

/** What `s.matches(pattern)` means in CEL: the pattern found anywhere in s (RE2 syntax). */
export function linearMatches(s: string, pattern: string): boolean {
  return compile(pattern).matcher(s).find();
}

/** Why a pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).replace(
      /^error parsing regexp: /,
      "",
    );
    return say.patternUnusable(why);
  }
}

interface Node {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
}

/** A `matches` call in a condition: where its name stands, and its problem if it has one. */
export interface MatchCall {
  /** Offset of the name `matches` in the text, when it is to be renamed. */
  name?: number;
  problem?: { offset: number; message: string };
}

/** Every `x.matches(...)` in an expression, each with a problem when its pattern is not a usable literal. */
export function matchCalls(ast: unknown, text: string): MatchCall[] {
  const out: MatchCall[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    if (!n || typeof n !== "object" || !("op" in n)) return;
    const node = n as Node;
    if (node.op === "rcall") {
      const [name, target, args] = node.args as [string, Node, Node[]];
      if (name === "matches" || name === LINEAR_MATCHES) out.push(matchCall(node, name, target, args, text));
    }
    visit(node.args);
  };
  visit(ast);
  return out;
}

function matchCall(node: Node, name: string, target: Node, args: Node[], text: string): MatchCall {
  const offset = node.start ?? 0;
  if (name === LINEAR_MATCHES) return { problem: { offset, message: say.unknownFunction(name) } };
  const pattern = args[0];
  if (pattern?.op !== "value" || typeof pattern.args !== "string") {
    return {
      problem: {
        offset: pattern?.start ?? offset,
        message: say.matchesLiteral(),
      },
    };
  }
  const message = patternProblem(pattern.args);
  if (message) return { problem: { offset: pattern.start ?? offset, message } };
  return { name: text.indexOf(name, target.end ?? offset) };
}
