import { LINEAR_MATCHES, linearMatches } from "./regex.js";

/**
 * Conditions compiled to plain closures (issue 25): cel-js's own parse tree, for the part
 * of CEL the flows use, turned into nested functions, so evaluating one walks no tree and
 * throws nothing for a fact not known. cel-js stays the language: it parses and type-checks
 * every condition, and it evaluates whatever this does not know.
 *
 * Each closure gives a value, or NOT_KNOWN where CEL would throw (a fact or step not known:
 * its "No such key"), or OTHER where a value is not of a kind handled here (a null, a number,
 * a type the checker let through as dyn): then the whole condition is left to cel-js, so a
 * difference can only cost time, never an answer. `&&`, `||` and `exists`/`all` absorb
 * NOT_KNOWN as CEL does (style.md §2).
 */
const NOT_KNOWN: unique symbol = Symbol("not known");
const OTHER: unique symbol = Symbol("other");
type Out = unknown;
type Vars = Record<string, unknown>;
type Closure = (ctx: Record<string, unknown>, vars: Vars) => Out;

/** What a compiled condition throws for NOT_KNOWN: made once, so no throw captures a stack. */
export class NotKnown extends Error {}
const notKnown = new NotKnown("No such key: a fact or step not known");

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface Node {
  op: string;
  args: unknown;
}

/**
 * A condition's parse as plain data (issue 25): cel-js's tree reduced to the `op` and `args`
 * compileCel reads, so the build can keep it in the flow's image (V8's serializer keeps
 * plain objects, strings, bigints) and a run builds the closures without parsing. The
 * build checks it with compileCel before keeping it (celTree in conditions.ts).
 */
export type CelTree = { op: string; args: unknown };

/** AST (cel-js's parse) as a CelTree; undefined when a literal in it is not a string, int or bool. */
export function plainTree(ast: unknown): CelTree | undefined {
  const plainArg = (a: unknown): unknown => {
    if (Array.isArray(a)) {
      const out = a.map(plainArg);
      return out.includes(undefined) ? undefined : out;
    }
    if (a !== null && typeof a === "object") return "op" in a ? plainTree(a) : undefined;
    return typeof a === "string" || typeof a === "bigint" || typeof a === "boolean" ? a : undefined;
  };
  const node = ast as Node;
  if (typeof node?.op !== "string") return undefined;
  const args = plainArg(node.args);
  return args === undefined ? undefined : { op: node.op, args };
}

const hasOwn = (o: object, k: string) => Object.hasOwn(o, k);
const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && (v.constructor === Object || v.constructor === undefined);

/**
 * AST (from cel-js's parse) as one closure over the evaluation context, falling back to
 * CEL for anything not handled; undefined when the tree holds something not handled at all.
 */
export function compileCel(
  ast: unknown,
  cel: (context: Record<string, unknown>) => unknown,
): ((context: Record<string, unknown>) => unknown) | undefined {
  const run = closure(ast as Node, new Set());
  if (!run) return undefined;
  const none: Vars = {};
  return (context) => {
    const v = run(context, none);
    if (v === NOT_KNOWN) throw notKnown;
    if (v === OTHER) return cel(context);
    return v;
  };
}

/** The node's closure, or undefined when it (or anything in it) is not handled. */
function closure(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  switch (node.op) {
    case "value": {
      const v = node.args;
      return typeof v === "string" || typeof v === "bigint" || typeof v === "boolean" ? () => v : undefined;
    }
    case "id": {
      const name = node.args as string;
      if (bound.has(name)) return (_, vars) => vars[name];
      return (ctx) => (hasOwn(ctx, name) && ctx[name] !== undefined ? ctx[name] : OTHER);
    }
    case ".":
      return field(node, bound);
    case "[]":
      return step(node, bound);
    case "!_": {
      const a = closure(node.args as Node, bound);
      if (!a) return undefined;
      return (ctx, vars) => {
        const v = a(ctx, vars);
        return typeof v === "boolean" ? !v : v === NOT_KNOWN ? NOT_KNOWN : OTHER;
      };
    }
    case "&&":
    case "||":
      return logical(node, bound);
    case "?:": {
      const [c, l, r] = children(node, bound, 3);
      if (!c || !l || !r) return undefined;
      return (ctx, vars) => {
        const v = c(ctx, vars);
        return v === true ? l(ctx, vars) : v === false ? r(ctx, vars) : v === NOT_KNOWN ? NOT_KNOWN : OTHER;
      };
    }
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=":
    case "+":
    case "-":
    case "*":
    case "in":
      return binary(node, bound);
    case "list": {
      const items = (node.args as Node[]).map((n) => closure(n, bound));
      if (items.some((i) => !i)) return undefined;
      const all = items as Closure[];
      return (ctx, vars) => {
        const out: unknown[] = [];
        // CEL evaluates a list's items last to first and throws the first error it meets.
        for (let i = all.length - 1; i >= 0; i--) {
          const v = (all[i] as Closure)(ctx, vars);
          if (v === NOT_KNOWN || v === OTHER) return v;
          out[i] = v;
        }
        return out;
      };
    }
    case "call":
      return call(node, bound);
    case "rcall":
      return method(node, bound);
    default:
      return undefined;
  }
}

function children(node: Node, bound: ReadonlySet<string>, n: number): (Closure | undefined)[] {
  const args = node.args as Node[];
  if (!Array.isArray(args) || args.length !== n) return [];
  return args.map((a) => closure(a, bound));
}

/** `ns.field`: a fact. Absent from its namespace: not known. */
function field(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  const [target, name] = node.args as [Node, string];
  const t = closure(target, bound);
  if (!t || typeof name !== "string") return undefined;
  return (ctx, vars) => {
    const o = t(ctx, vars);
    if (o === NOT_KNOWN || o === OTHER) return o;
    if (!plain(o)) return OTHER;
    const v = hasOwn(o, name) ? o[name] : undefined;
    return v === undefined ? NOT_KNOWN : v === null ? OTHER : v;
  };
}

/** `recommends["step"]`: a step decided so far; not decided: not known. */
function step(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  const [t, k] = children(node, bound, 2);
  if (!t || !k) return undefined;
  return (ctx, vars) => {
    const m = t(ctx, vars);
    const key = k(ctx, vars);
    for (const v of [m, key]) if (v === NOT_KNOWN || v === OTHER) return v;
    if (!(m instanceof Map) || typeof key !== "string") return OTHER;
    const v = m.get(key);
    return v === undefined ? NOT_KNOWN : typeof v === "boolean" ? v : OTHER;
  };
}

/**
 * `&&` and `||` as cel-js 8 evaluates them (operators.js): the left's error is held while
 * the right is evaluated, and a right that decides the whole (false for &&, true for ||)
 * wins over it.
 */
function logical(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  const [l, r] = children(node, bound, 2);
  if (!l || !r) return undefined;
  const decisive = node.op === "||";
  return (ctx, vars) => {
    const a = l(ctx, vars);
    if (a === decisive) return decisive;
    if (a === OTHER || (a !== NOT_KNOWN && typeof a !== "boolean")) return OTHER;
    const b = r(ctx, vars);
    if (b === OTHER) return OTHER;
    if (b === NOT_KNOWN) return NOT_KNOWN;
    if (typeof b !== "boolean") return OTHER;
    if (b === decisive) return decisive;
    return a === NOT_KNOWN ? NOT_KNOWN : b;
  };
}

const sameKind = (a: unknown, b: unknown) =>
  (typeof a === "string" || typeof a === "bigint" || typeof a === "boolean") && typeof a === typeof b;

function binary(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  const [l, r] = children(node, bound, 2);
  if (!l || !r) return undefined;
  const apply = OPERATIONS[node.op as keyof typeof OPERATIONS];
  return (ctx, vars) => {
    // Both sides are evaluated, as CEL does, and either's error is the whole's.
    const a = l(ctx, vars);
    const b = r(ctx, vars);
    if (a === OTHER || b === OTHER) return OTHER;
    if (a === NOT_KNOWN || b === NOT_KNOWN) return NOT_KNOWN;
    return apply(a, b);
  };
}

const int = (v: bigint) => (v < INT64_MIN || v > INT64_MAX ? OTHER : v);

/**
 * Each operator on the kinds handled here (strings, ints, bools; `+` joins strings too; lists
 * and `recommends` for `in`); else OTHER.
 */
const OPERATIONS = {
  "==": (a: unknown, b: unknown) => (sameKind(a, b) ? a === b : OTHER),
  "!=": (a: unknown, b: unknown) => (sameKind(a, b) ? a !== b : OTHER),
  "<": (a: unknown, b: unknown) => (ordered(a, b) ? (a as string) < (b as string) : OTHER),
  "<=": (a: unknown, b: unknown) => (ordered(a, b) ? (a as string) <= (b as string) : OTHER),
  ">": (a: unknown, b: unknown) => (ordered(a, b) ? (a as string) > (b as string) : OTHER),
  ">=": (a: unknown, b: unknown) => (ordered(a, b) ? (a as string) >= (b as string) : OTHER),
  "+": (a: unknown, b: unknown) =>
    typeof a === "bigint" && typeof b === "bigint"
      ? int(a + b)
      : typeof a === "string" && typeof b === "string"
        ? a + b
        : OTHER,
  "-": (a: unknown, b: unknown) => (typeof a === "bigint" && typeof b === "bigint" ? int(a - b) : OTHER),
  "*": (a: unknown, b: unknown) => (typeof a === "bigint" && typeof b === "bigint" ? int(a * b) : OTHER),
  in: (a: unknown, b: unknown) => {
    // A key of `recommends`: whether the step is decided so far.
    if (b instanceof Map && typeof a === "string") return b.has(a);
    if (!Array.isArray(b) || !(typeof a === "string" || typeof a === "bigint")) return OTHER;
    for (const x of b) if (typeof x !== typeof a) return OTHER;
    return b.includes(a);
  },
};

const ordered = (a: unknown, b: unknown) =>
  (typeof a === "string" || typeof a === "bigint") && typeof a === typeof b;

/** A whole number written plainly (no sign but -, no leading zero), as int() reads it. */
const DECIMAL = /^-?(?:0|[1-9][0-9]{0,18})$/;
/** Whether each character of TEXT is one UTF-16 unit, so slicing it is slicing its code points. */
const ascii = (text: string) => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** `has(ns.field)`, `size(list)`, `int(text)` and `string(int)`. */
function call(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  const [name, args] = node.args as [string, Node[]];
  if (!Array.isArray(args) || args.length !== 1) return undefined;
  const arg = args[0] as Node;
  if (name === "has") {
    if (arg.op !== ".") return undefined;
    const [target, key] = arg.args as [Node, string];
    const t = closure(target, bound);
    if (!t || typeof key !== "string") return undefined;
    return (ctx, vars) => {
      const o = t(ctx, vars);
      if (o === NOT_KNOWN || o === OTHER) return o;
      if (!plain(o)) return OTHER;
      const v = hasOwn(o, key) ? o[key] : undefined;
      // cel-js checks a field's value against its type as it reads it: a null is its error.
      return v === null ? OTHER : v !== undefined;
    };
  }
  if (name === "size") {
    const a = closure(arg, bound);
    if (!a) return undefined;
    return (ctx, vars) => {
      const v = a(ctx, vars);
      if (v === NOT_KNOWN || v === OTHER) return v;
      return Array.isArray(v) ? BigInt(v.length) : OTHER;
    };
  }
  if (name === "int" || name === "string") {
    const a = closure(arg, bound);
    if (!a) return undefined;
    const convert =
      name === "int"
        ? (v: unknown) => (typeof v === "string" && DECIMAL.test(v) ? int(BigInt(v)) : OTHER)
        : (v: unknown) => (typeof v === "bigint" ? String(v) : OTHER);
    return (ctx, vars) => {
      const v = a(ctx, vars);
      return v === NOT_KNOWN || v === OTHER ? v : convert(v);
    };
  }
  return undefined;
}

/**
 * `list.exists(x, p)` and `list.all(x, p)` as CEL's quantifiers: an item that decides the
 * whole wins over any item whose test is not known; the linear-time `matches` (regex.ts).
 */
function method(node: Node, bound: ReadonlySet<string>): Closure | undefined {
  const [name, target, args] = node.args as [string, Node, Node[]];
  const t = closure(target, bound);
  if (!t || !Array.isArray(args)) return undefined;
  if (name === LINEAR_MATCHES && args.length === 1) {
    const p = closure(args[0] as Node, bound);
    if (!p) return undefined;
    return (ctx, vars) => {
      const s = t(ctx, vars);
      const pattern = p(ctx, vars);
      for (const v of [s, pattern]) if (v === NOT_KNOWN || v === OTHER) return v;
      if (typeof s !== "string" || typeof pattern !== "string") return OTHER;
      try {
        return linearMatches(s, pattern);
      } catch {
        return OTHER;
      }
    };
  }
  if (name === "substring" && (args.length === 1 || args.length === 2)) {
    const bounds = args.map((a) => closure(a, bound));
    if (bounds.some((b) => !b)) return undefined;
    const [from, to] = bounds as Closure[];
    return (ctx, vars) => {
      const text = t(ctx, vars);
      const a = (from as Closure)(ctx, vars);
      const b = to ? to(ctx, vars) : BigInt(typeof text === "string" ? text.length : 0);
      for (const v of [text, a, b]) if (v === NOT_KNOWN || v === OTHER) return v;
      if (typeof text !== "string" || !ascii(text) || typeof a !== "bigint" || typeof b !== "bigint")
        return OTHER;
      // Out of range, or the wrong way round: CEL's error, whatever cel-js says of it.
      if (a < 0n || b < a || b > BigInt(text.length)) return OTHER;
      return text.slice(Number(a), Number(b));
    };
  }
  if ((name !== "exists" && name !== "all") || args.length !== 2) return undefined;
  const [v, body] = args as [Node, Node];
  if (v.op !== "id" || typeof v.args !== "string") return undefined;
  const varName = v.args;
  const test = closure(body, new Set([...bound, varName]));
  if (!test) return undefined;
  const decisive = name === "exists";
  return (ctx, vars) => {
    const items = t(ctx, vars);
    if (items === NOT_KNOWN || items === OTHER) return items;
    if (!Array.isArray(items)) return OTHER;
    let unknown = false;
    const inner: Vars = { ...vars };
    for (const item of items) {
      inner[varName] = item;
      const r = test(ctx, inner);
      if (r === decisive) return decisive;
      if (r === NOT_KNOWN) unknown = true;
      else if (r !== !decisive) return OTHER;
    }
    return unknown ? NOT_KNOWN : !decisive;
  };
}
