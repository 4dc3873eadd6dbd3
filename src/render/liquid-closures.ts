import {
  AssignTag,
  CaptureTag,
  CaseTag,
  CommentTag,
  Context,
  Drop,
  ForTag,
  IfTag,
  IncludeTag,
  isFalsy,
  isTruthy,
  type Liquid,
  Output,
  type Template,
  Tokenizer,
  toValue,
  toValueSync,
  UnlessTag,
} from "liquidjs";
import type { NodePlan, OperandPlan, StepPlan, TemplatePlan, ValuePlan } from "../flow/template-plan.js";

/**
 * Templates compiled to plain functions (issue 25): liquidjs's own parse of a template (its
 * tree of tags) turned into closures that write strings, so a draft is rendered without
 * Liquid's render loop (a generator per tag, an emitter, a check of its render limit per
 * tag). What each piece does is liquidjs's own: names are looked up with its Context
 * (findScope, readProperty: own properties only, Drops, size/first/last), operators are its
 * operators, filters its filters (and ours), so answers are still data and never template
 * code. A tag or expression not handled here leaves the whole template to liquidjs, and so
 * does any error while rendering: liquidjs renders it again and says what it says.
 */
type Write = (ctx: Context, out: string[]) => void;
type Eval = (ctx: Context) => unknown;

/** A compiled template: its text for this context, or undefined to have liquidjs render it. */
export type CompiledTemplate = (scope: object) => string | undefined;

/** Why a template is left to liquidjs (thrown while planning or compiling only). */
class NotHandled extends Error {}

interface Token {
  content?: unknown;
  literal?: unknown;
  props?: Token[];
  variable?: Token;
  operator?: string;
}

/**
 * TEMPLATES (liquidjs's parse) as one function, or undefined when something in them is not
 * handled. PARTIAL gives an included template's parse by its name (undefined: not handled).
 */
export function compileLiquid(
  liquid: Liquid,
  templates: Template[],
  partial: (name: string) => Template[] | undefined,
): CompiledTemplate | undefined {
  const plan = planLiquid(liquid, templates);
  if (!plan) return undefined;
  return compilePlan(liquid, plan, (name) => {
    const ts = partial(name);
    return ts && planLiquid(liquid, ts);
  });
}

/**
 * TEMPLATES (liquidjs's parse) as plain data (src/flow/template-plan.ts), which the build
 * keeps; undefined when something in them is not handled here.
 */
export function planLiquid(liquid: Liquid, templates: readonly Template[]): TemplatePlan | undefined {
  try {
    return planBlock(liquid, templates);
  } catch (error) {
    if (error instanceof NotHandled) return undefined;
    throw error;
  }
}

/**
 * PLAN as one function, or undefined when something in it is not handled. PARTIAL gives an
 * included template's plan by its name (undefined: not handled).
 */
export function compilePlan(
  liquid: Liquid,
  plan: TemplatePlan,
  partial: (name: string) => TemplatePlan | undefined,
): CompiledTemplate | undefined {
  let write: Write;
  try {
    write = block({ liquid, partial, including: new Set() }, plan);
  } catch (error) {
    if (error instanceof NotHandled) return undefined;
    throw error;
  }
  return (scope) => {
    const ctx = new Context(scope, liquid.options, { sync: true }, { liquid });
    const out: string[] = [];
    try {
      write(ctx, out);
    } catch {
      return undefined;
    }
    return out.join("");
  };
}

// --- From liquidjs's parse to a plan ---

/** A tag's parse as liquidjs leaves it: its fields are not in liquidjs's types. */
type Fields = Record<string, unknown>;

function planBlock(liquid: Liquid, templates: unknown): NodePlan[] {
  return ((templates as Template[] | undefined) ?? []).flatMap((t) => planTag(liquid, t));
}

/** One tag (or text, or output) as plain data; a comment as nothing. */
function planTag(liquid: Liquid, t: Template): NodePlan[] {
  const x = t as unknown as Fields;
  // liquidjs does not export its HTML class: text is known by its name and its string.
  if (t.constructor.name === "HTML" && typeof x.str === "string") return [{ t: "text", s: x.str }];
  if (t instanceof Output) return [{ t: "out", v: planValue(x.value) }];
  if (t instanceof IfTag || t instanceof UnlessTag) {
    const branches = (x.branches as { value: unknown; test?: unknown; templates: Template[] }[]).map((b) => {
      if (b.test !== undefined && b.test !== isTruthy && b.test !== isFalsy) throw new NotHandled("if test");
      return { v: planValue(b.value), falsy: b.test === isFalsy, body: planBlock(liquid, b.templates) };
    });
    return [{ t: "if", branches, else: planBlock(liquid, x.elseTemplates) }];
  }
  if (t instanceof CaseTag) {
    const branches = (x.branches as { values: Token[]; templates: Template[] }[]).map((b) => ({
      values: b.values.map(planOperand),
      body: planBlock(liquid, b.templates),
    }));
    return [{ t: "case", v: planValue(x.value), branches, else: planBlock(liquid, x.elseTemplates) }];
  }
  if (t instanceof ForTag) {
    if (Object.keys((x.hash as { hash: object }).hash).length > 0) throw new NotHandled("for with options");
    return [
      {
        t: "for",
        name: x.variable as string,
        items: planOperand(x.collection as Token),
        text: (x.collection as { getText(): string }).getText(),
        body: planBlock(liquid, x.templates),
        else: planBlock(liquid, x.elseTemplates),
      },
    ];
  }
  if (t instanceof AssignTag) return [{ t: "assign", key: x.key as string, v: planValue(x.value) }];
  if (t instanceof CaptureTag)
    return [{ t: "capture", key: x.variable as string, body: planBlock(liquid, x.templates) }];
  if (t instanceof CommentTag) return [];
  if (t instanceof IncludeTag) {
    // An include of a named template with no arguments; anything else is liquidjs's.
    const file = x.file;
    if (typeof file !== "string" || x.withVar !== undefined) throw new NotHandled("include");
    if (Object.keys((x.hash as { hash: object }).hash).length > 0) throw new NotHandled("include with");
    return [{ t: "include", file }];
  }
  throw new NotHandled(t.constructor.name);
}

interface FilterLike {
  name: string;
  handler: unknown;
  args: unknown[];
}

/** A Value (an expression and its filters): each filter must be the one registered by its name. */
function planValue(v: unknown): ValuePlan {
  const { initial, filters } = v as {
    initial: { postfix: Token[] };
    filters: (FilterLike & { liquid: Liquid })[];
  };
  return {
    expr: initial.postfix.map((t) =>
      typeof t.operator === "string" && !("content" in t) ? { op: t.operator } : planOperand(t),
    ),
    filters: filters.map((f) => {
      // An output escape, or a filter not registered: not one a plan can name.
      if (f.handler !== filterHandler(f.liquid, f.name)) throw new NotHandled(`filter ${f.name}`);
      const args = f.args.map((a) => {
        if (Array.isArray(a)) throw new NotHandled("filter with a named argument");
        return planOperand(a as Token);
      });
      return { name: f.name, args };
    }),
  };
}

/** One operand: a literal, a drop literal by its word, or a name read key by key. */
function planOperand(t: Token): OperandPlan {
  if ("content" in t) {
    const c = t.content;
    if (typeof c === "string" || typeof c === "number" || typeof c === "boolean") return { c };
    if (typeof t.literal === "string") return { word: t.literal };
    throw new NotHandled("a literal");
  }
  // A range, or a name read from an expression: liquidjs's.
  if (!t.props || t.variable !== undefined) throw new NotHandled("a range or an expression's property");
  const props = t.props.map(planOperand);
  if (!("c" in (props[0] ?? {})) || typeof (props[0] as { c: unknown }).c !== "string")
    throw new NotHandled("a name that is not a word");
  return { props };
}

/** The handler liquidjs's Filter takes from what is registered by NAME (undefined: none). */
function filterHandler(liquid: Liquid, name: string): ((...args: unknown[]) => unknown) | undefined {
  const f = (liquid.filters as Record<string, unknown>)[name];
  if (typeof f === "function") return f as (...args: unknown[]) => unknown;
  const h = (f as { handler?: unknown } | undefined)?.handler;
  return typeof h === "function" ? (h as (...args: unknown[]) => unknown) : undefined;
}

// --- From a plan to a function ---

/** What compiling a tag needs: the engine, the included templates, and the includes open around it. */
interface Compiling {
  liquid: Liquid;
  partial: (name: string) => TemplatePlan | undefined;
  including: ReadonlySet<string>;
}

function block(c: Compiling, nodes: readonly NodePlan[]): Write {
  const parts = nodes.map((n) => node(c, n));
  if (parts.length === 1) return parts[0] as Write;
  return (ctx, out) => {
    for (const p of parts) p(ctx, out);
  };
}

function node(c: Compiling, n: NodePlan): Write {
  switch (n.t) {
    case "text": {
      const s = n.s;
      return (_, out) => out.push(s);
    }
    case "out": {
      const v = value(c.liquid, n.v, false);
      return (ctx, out) => out.push(stringify(toValue(v(ctx))));
    }
    case "if":
      return compileIf(c, n);
    case "case":
      return compileCase(c, n);
    case "for":
      return compileFor(c, n);
    case "assign": {
      const key = n.key;
      const v = value(c.liquid, n.v, c.liquid.options.lenientIf);
      return (ctx) => {
        ctx.bottom()[key] = v(ctx);
      };
    }
    case "capture": {
      const key = n.key;
      const body = block(c, n.body);
      return (ctx) => {
        const inner: string[] = [];
        body(ctx, inner);
        ctx.bottom()[key] = inner.join("");
      };
    }
    case "include":
      return compileInclude(c, n.file);
    default:
      throw new NotHandled("a plan of another kind");
  }
}

/** if and unless: the first branch whose test passes, else the else. */
function compileIf(c: Compiling, n: Extract<NodePlan, { t: "if" }>): Write {
  const lenientIf = c.liquid.options.lenientIf;
  const branches = n.branches.map((b) => ({
    value: value(c.liquid, b.v, lenientIf),
    test: (b.falsy ? isFalsy : isTruthy) as Test,
    write: block(c, b.body),
  }));
  const otherwise = block(c, n.else);
  return (ctx, out) => {
    for (const b of branches)
      if (b.test(toValue(b.value(ctx)), ctx)) {
        b.write(ctx, out);
        return;
      }
    otherwise(ctx, out);
  };
}

function compileCase(c: Compiling, n: Extract<NodePlan, { t: "case" }>): Write {
  const lenientIf = c.liquid.options.lenientIf;
  const target = value(c.liquid, n.v, lenientIf);
  const branches = n.branches.map((b) => ({
    values: b.values.map((v) => operand(c.liquid, v, lenientIf)),
    write: block(c, b.body),
  }));
  const otherwise = block(c, n.else);
  const equals = operator(c.liquid, "==");
  return (ctx, out) => {
    const v = toValue(target(ctx));
    for (const b of branches)
      for (const w of b.values)
        if (equals(v, w(ctx), ctx)) {
          b.write(ctx, out);
          return;
        }
    otherwise(ctx, out);
  };
}

function compileFor(c: Compiling, n: Extract<NodePlan, { t: "for" }>): Write {
  const collection = operand(c.liquid, n.items, false);
  const { name, text } = n;
  const body = block(c, n.body);
  const otherwise = block(c, n.else);
  return (ctx, out) => {
    const items = toEnumerable(collection(ctx));
    if (items.length === 0) {
      otherwise(ctx, out);
      return;
    }
    const forloop = new Forloop(items.length, text, name);
    const scope: Record<string, unknown> = Object.create(null);
    scope.forloop = forloop;
    ctx.push(scope);
    for (const item of items) {
      scope[name] = item;
      body(ctx, out);
      forloop.next();
    }
    ctx.pop();
  };
}

/** An included template, compiled in place; one that includes itself is left to liquidjs. */
function compileInclude(c: Compiling, file: string): Write {
  if (c.including.has(file)) throw new NotHandled("include loop");
  const plan = c.partial(file);
  if (!plan) throw new NotHandled(`include ${file}`);
  const body = block({ ...c, including: new Set([...c.including, file]) }, plan);
  return (ctx, out) => {
    ctx.push({});
    body(ctx, out);
    ctx.pop();
  };
}

type Test = (v: unknown, ctx: Context) => boolean;

/** A Value (an expression and its filters) as a function, as liquidjs's Value.value. */
function value(liquid: Liquid, v: ValuePlan, lenient: boolean): Eval {
  const lenientHere = lenient || (liquid.options.lenientIf && v.filters[0]?.name === "default");
  const first = expression(liquid, v.expr, lenientHere);
  if (v.filters.length === 0) return first;
  const fs = v.filters.map((f) => filter(liquid, f));
  return (ctx) => {
    let val = first(ctx);
    for (const f of fs) val = f(val, ctx);
    return val;
  };
}

function filter(liquid: Liquid, f: ValuePlan["filters"][number]): (v: unknown, ctx: Context) => unknown {
  const handler = filterHandler(liquid, f.name);
  if (!handler) throw new NotHandled(`filter ${f.name}`);
  const args = f.args.map((a) => operand(liquid, a, false));
  // No filter of liquidjs's or ours reads the token it is called with (only its errors would).
  return (v, ctx) =>
    toValueSync(
      handler.apply({ context: ctx, token: undefined, liquid }, [v, ...args.map((a) => a(ctx))]) as never,
    ) as unknown;
}

/** An expression in postfix order (liquidjs's Expression), its operators liquidjs's own. */
function expression(liquid: Liquid, postfix: readonly StepPlan[], lenient: boolean): Eval {
  const only = postfix[0];
  if (postfix.length === 1 && only && !("op" in only)) return operand(liquid, only, lenient);
  const steps: ((stack: unknown[], ctx: Context) => void)[] = postfix.map((t) => {
    if ("op" in t) {
      const op = operator(liquid, t.op);
      if (t.op === "not")
        return (stack, ctx) => {
          stack.push(op(stack.pop(), undefined, ctx));
        };
      return (stack, ctx) => {
        const r = stack.pop();
        const l = stack.pop();
        stack.push(op(l, r, ctx));
      };
    }
    const read = operand(liquid, t, lenient);
    return (stack, ctx) => {
      stack.push(read(ctx));
    };
  });
  return (ctx) => {
    const stack: unknown[] = [];
    for (const s of steps) s(stack, ctx);
    return stack[0];
  };
}

function operator(liquid: Liquid, name: string): (l: unknown, r: unknown, ctx: Context) => unknown {
  const ops = liquid.options.operators as unknown as Record<string, (...a: unknown[]) => unknown>;
  const op = ops[name];
  if (!op) throw new NotHandled(`operator ${name}`);
  if (name === "not") return (v, _r, ctx) => toValueSync(op(v, ctx) as never);
  return (l, r, ctx) => toValueSync(op(l, r, ctx) as never);
}

/** liquidjs's own value of the literal WORD (nil, null, empty, blank: its drops), as its tokenizer reads it. */
function literal(liquid: Liquid, word: string): unknown {
  const t = new Tokenizer(word, liquid.options.operators).readValue() as Token | undefined;
  if (!t || !("content" in t) || t.literal !== word) throw new NotHandled(`literal ${word}`);
  return t.content;
}

/**
 * One operand, as liquidjs's evalToken: a literal as it is; a name read through liquidjs's
 * Context (its scopes, then readProperty at each step), undefined an error unless LENIENT.
 */
function operand(liquid: Liquid, t: OperandPlan, lenient: boolean): Eval {
  if ("c" in t) {
    const c = t.c;
    return () => c;
  }
  if ("word" in t) {
    // As it is, a drop (nil, empty, blank): liquidjs's operators compare them as drops.
    const c = literal(liquid, t.word);
    return () => c;
  }
  // Each key as liquidjs reads it (evalTokenValue): a word as it is, a computed one evaluated.
  const keys: Eval[] = t.props.map((p) => {
    if (!("props" in p)) return operand(liquid, p, false);
    const read = operand(liquid, p, false);
    return (ctx) => toValue(read(ctx));
  });
  const first = (t.props[0] as { c: string }).c;
  // A name of words only (`facts.person.name`, nearly all of them): its keys known now, not
  // made again at each read.
  const words = t.props.every((p) => "c" in p) ? t.props.map((p) => (p as { c: unknown }).c) : undefined;
  return (ctx) => {
    const path = words ?? keys.map((k) => k(ctx));
    const c = ctx as unknown as Lookup;
    let scope: unknown = c.findScope(first);
    for (const key of path) {
      scope = c.readProperty(scope, key);
      if (scope === undefined && c.strictVariables) {
        if (lenient) return null;
        throw new NotHandled("undefined variable");
      }
    }
    return scope;
  };
}

/** What of liquidjs's Context a name is read with (findScope is not in its types). */
interface Lookup {
  findScope(key: string): unknown;
  readProperty(obj: unknown, key: unknown): unknown;
  strictVariables: boolean;
}

/** liquidjs's ForloopDrop (not exported): what `forloop` reads inside a for. */
class Forloop extends Drop {
  i = 0;
  readonly name: string;
  constructor(
    readonly length: number,
    collection: string,
    variable: string,
  ) {
    super();
    this.name = `${variable}-${collection}`;
  }
  next() {
    this.i++;
  }
  index0() {
    return this.i;
  }
  index() {
    return this.i + 1;
  }
  first() {
    return this.i === 0;
  }
  last() {
    return this.i === this.length - 1;
  }
  rindex() {
    return this.length - this.i;
  }
  rindex0() {
    return this.length - this.i - 1;
  }
  override valueOf() {
    return JSON.stringify(this);
  }
}

/** liquidjs's stringify. */
function stringify(v: unknown): string {
  const value = toValue(v);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(stringify).join("");
  return String(value);
}

/** liquidjs's toEnumerable. */
function toEnumerable(v: unknown): unknown[] {
  const val = toValue(v);
  if (Array.isArray(val)) return val;
  if (typeof val === "string") return val.length > 0 ? [val] : [];
  if (val !== null && typeof val === "object" && Symbol.iterator in val)
    return Array.from(val as Iterable<unknown>);
  if (val !== null && typeof val === "object")
    return Object.keys(val).map((k) => [k, (val as Record<string, unknown>)[k]]);
  return [];
}
