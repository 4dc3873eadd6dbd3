import {
  AssignTag,
  CaptureTag,
  CaseTag,
  CommentTag,
  Context,
  Drop,
  evalToken,
  ForTag,
  IfTag,
  IncludeTag,
  isTruthy,
  type Liquid,
  Output,
  type Template,
  toValue,
  toValueSync,
  UnlessTag,
} from "liquidjs";

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

/** Why a template is left to liquidjs (thrown while compiling only). */
class NotHandled extends Error {}

interface Token {
  content?: unknown;
  props?: Token[];
  variable?: Token;
  postfix?: Token[];
  operator?: string;
  initial?: { postfix: Token[] };
  filters?: Token[];
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
  let write: Write;
  try {
    write = block({ liquid, partial, including: new Set() }, templates);
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

/** What compiling a tag needs: the engine, the included templates, and the includes open around it. */
interface Compiling {
  liquid: Liquid;
  partial: (name: string) => Template[] | undefined;
  including: ReadonlySet<string>;
}

function block(c: Compiling, templates: readonly Template[]): Write {
  const parts = templates.map((t) => tag(c, t));
  if (parts.length === 1) return parts[0] as Write;
  return (ctx, out) => {
    for (const p of parts) p(ctx, out);
  };
}

/** A tag's parse as liquidjs leaves it: its fields are not in liquidjs's types. */
type Fields = Record<string, unknown>;

/** One kind of tag compiled to a writer. */
type TagCompiler = (c: Compiling, x: Fields) => Write;

/** The templates under a tag (none when absent) as one writer. */
const sub = (c: Compiling, ts: unknown): Write => block(c, (ts as Template[] | undefined) ?? []);

/** Text between tags, written as it is. */
const compileHtml: TagCompiler = (_c, x) => {
  const s = x.str as string;
  return (_, out) => out.push(s);
};

const compileOutput: TagCompiler = (c, x) => {
  const v = value(c.liquid, x.value, false);
  return (ctx, out) => out.push(stringify(toValue(v(ctx))));
};

/** if and unless: the first branch whose test passes, else the else. */
const compileIf: TagCompiler = (c, x) => {
  const lenientIf = c.liquid.options.lenientIf;
  const branches = (x.branches as { value: unknown; test?: Test; templates: Template[] }[]).map((b) => ({
    value: value(c.liquid, b.value, lenientIf),
    test: b.test ?? isTruthy,
    write: sub(c, b.templates),
  }));
  const otherwise = sub(c, x.elseTemplates);
  return (ctx, out) => {
    for (const b of branches)
      if (b.test(toValue(b.value(ctx)), ctx)) {
        b.write(ctx, out);
        return;
      }
    otherwise(ctx, out);
  };
};

const compileCase: TagCompiler = (c, x) => {
  const lenientIf = c.liquid.options.lenientIf;
  const target = value(c.liquid, x.value, lenientIf);
  const branches = (x.branches as { values: Token[]; templates: Template[] }[]).map((b) => ({
    values: b.values.map((v) => operand(v, lenientIf)),
    write: sub(c, b.templates),
  }));
  const otherwise = sub(c, x.elseTemplates);
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
};

const compileFor: TagCompiler = (c, x) => {
  if (Object.keys((x.hash as { hash: object }).hash).length > 0) throw new NotHandled("for with options");
  const collection = operand(x.collection as Token, false);
  const name = x.variable as string;
  const text = (x.collection as { getText(): string }).getText();
  const body = sub(c, x.templates);
  const otherwise = sub(c, x.elseTemplates);
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
};

const compileAssign: TagCompiler = (c, x) => {
  const key = x.key as string;
  const v = value(c.liquid, x.value, c.liquid.options.lenientIf);
  return (ctx) => {
    ctx.bottom()[key] = v(ctx);
  };
};

const compileCapture: TagCompiler = (c, x) => {
  const key = x.variable as string;
  const body = sub(c, x.templates);
  return (ctx) => {
    const inner: string[] = [];
    body(ctx, inner);
    ctx.bottom()[key] = inner.join("");
  };
};

const compileComment: TagCompiler = () => () => {};

/** An include of a named template with no arguments, compiled in place; a loop is left to liquidjs. */
const compileInclude: TagCompiler = (c, x) => {
  const file = x.file;
  if (typeof file !== "string" || x.withVar !== undefined) throw new NotHandled("include");
  if (Object.keys((x.hash as { hash: object }).hash).length > 0) throw new NotHandled("include with");
  if (c.including.has(file)) throw new NotHandled("include loop");
  const ts = c.partial(file);
  if (!ts) throw new NotHandled(`include ${file}`);
  const body = block({ ...c, including: new Set([...c.including, file]) }, ts);
  return (ctx, out) => {
    ctx.push({});
    body(ctx, out);
    ctx.pop();
  };
};

/** The tags handled here, each by its liquidjs class; any other leaves the template to liquidjs. */
const TAGS: readonly [abstract new (...args: never[]) => object, TagCompiler][] = [
  [Output, compileOutput],
  [IfTag, compileIf],
  [UnlessTag, compileIf],
  [CaseTag, compileCase],
  [ForTag, compileFor],
  [AssignTag, compileAssign],
  [CaptureTag, compileCapture],
  [CommentTag, compileComment],
  [IncludeTag, compileInclude],
];

/** One tag (or text, or output) as a writer. */
function tag(c: Compiling, t: Template): Write {
  const x = t as unknown as Fields;
  // liquidjs does not export its HTML class: text is known by its name and its string.
  if (t.constructor.name === "HTML" && typeof x.str === "string") return compileHtml(c, x);
  const found = TAGS.find(([kind]) => t instanceof kind);
  if (!found) throw new NotHandled(t.constructor.name);
  return found[1](c, x);
}

type Test = (v: unknown, ctx: Context) => boolean;

/** A Value (an expression and its filters) as a function, as liquidjs's Value.value. */
function value(liquid: Liquid, v: unknown, lenient: boolean): Eval {
  const { initial, filters } = v as { initial: { postfix: Token[] }; filters: FilterLike[] };
  const lenientHere = lenient || (liquid.options.lenientIf && filters[0]?.name === "default");
  const first = expression(liquid, initial.postfix, lenientHere);
  if (filters.length === 0) return first;
  const fs = filters.map((f) => filter(liquid, f));
  return (ctx) => {
    let val = first(ctx);
    for (const f of fs) val = f(val, ctx);
    return val;
  };
}

interface FilterLike {
  name: string;
  token: unknown;
  handler: (...args: unknown[]) => unknown;
  args: unknown[];
}

function filter(liquid: Liquid, f: FilterLike): (v: unknown, ctx: Context) => unknown {
  const args = f.args.map((a) => {
    if (Array.isArray(a)) throw new NotHandled("filter with a named argument");
    return operand(a as Token, false);
  });
  const { handler, token } = f;
  return (v, ctx) =>
    toValueSync(
      handler.apply({ context: ctx, token, liquid }, [v, ...args.map((a) => a(ctx))]) as never,
    ) as unknown;
}

/** An expression in postfix order (liquidjs's Expression), its operators liquidjs's own. */
function expression(liquid: Liquid, postfix: readonly Token[], lenient: boolean): Eval {
  const only = postfix[0];
  if (postfix.length === 1 && only) return operand(only, lenient);
  const steps: ((stack: unknown[], ctx: Context) => void)[] = postfix.map((t) => {
    if (typeof t.operator === "string" && !("content" in t)) {
      const op = operator(liquid, t.operator);
      if (t.operator === "not")
        return (stack, ctx) => {
          stack.push(op(stack.pop(), undefined, ctx));
        };
      return (stack, ctx) => {
        const r = stack.pop();
        const l = stack.pop();
        stack.push(op(l, r, ctx));
      };
    }
    const read = operand(t, lenient);
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

/**
 * One operand, as liquidjs's evalToken: a literal as it is; a name read through liquidjs's
 * Context (its scopes, then readProperty at each step), undefined an error unless LENIENT.
 */
function operand(t: Token, lenient: boolean): Eval {
  if ("content" in t) {
    // As it is, drops too (nil, empty, blank): liquidjs's operators compare them as drops.
    const c = t.content;
    return () => c;
  }
  const props = t.props;
  if (!props || t.variable !== undefined) {
    // A range, or a name read from an expression: liquidjs evaluates it.
    return (ctx) => toValueSync(evalToken(t as never, ctx, lenient) as never);
  }
  // Each key as liquidjs reads it (evalTokenValue): a word as it is, a computed one evaluated.
  const keys: Eval[] = props.map((p) => {
    if ("content" in p) {
      const c = p.content;
      return () => c;
    }
    const read = operand(p, false);
    return (ctx) => toValue(read(ctx));
  });
  const first = props[0]?.content;
  if (typeof first !== "string") throw new NotHandled("a name that is not a word");
  return (ctx) => {
    const path = keys.map((k) => k(ctx));
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
