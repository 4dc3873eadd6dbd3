import type { Environment } from "@marcbachmann/cel-js";
import { say } from "../words/problems.js";
import { type CelTree, compileCel, plainTree } from "./closures.js";
import { comprehensionDepth, identifierSpans, polarities, references } from "./expr.js";
import { dotPath, type Located, type Problem, problemAt, suggest } from "./problems.js";
import { LINEAR_MATCHES, matchCalls } from "./regex.js";
import type { ConditionRaw } from "./schema.js";
import type { Condition, Fact, NamedCondition, Origin } from "./types.js";

/** What compiling a condition needs: the CEL environment and every name it may use. */
export interface Ctx {
  env: Environment;
  facts: ReadonlyMap<string, Fact>;
  factsKnown: boolean;
  /** Facts whose entry in the facts file failed its check: a name of one is not called unknown. */
  uncheckedFacts: ReadonlySet<string>;
  actionIds: ReadonlySet<string>;
  /** Named conditions compiled so far, by name (a name is usable after its definition). */
  named: Map<string, NamedCondition>;
  problems: Problem[];
  /** What compiling each condition found, from the build or to be kept by it (optional). */
  memo?: ConditionMemo;
}

/** Whether the fact ID cannot be checked: no facts file, or its entry failed its check. */
export function factUnchecked(ctx: Ctx, id: string): boolean {
  return !ctx.factsKnown || ctx.uncheckedFacts.has(id);
}

/**
 * What compiling a condition finds out (all but its evaluator), with each origin's file
 * given by its name in the flow's folder ("" for the flow file), so it holds wherever the
 * user stands. The build keeps it for each bundled flow that compiles without problems
 * (scripts/flow-cache.mjs), by the flow's sources; a flow loaded from exactly those sources
 * then needs no parse or check of a condition until it is evaluated (issue 10).
 */
export type ConditionFacts = Omit<Condition, "source" | "evaluate" | "origin" | "guard">;

export interface ConditionMemo {
  /** What the build found, by condition (memoKey); undefined when it is to be worked out. */
  known?: Readonly<Record<string, ConditionFacts>>;
  /** Where to keep what is worked out (the build). */
  record?: Record<string, ConditionFacts>;
  /** A file as shown <-> its name in the flow's folder. */
  nameOf: ReadonlyMap<string, string>;
  shownAs: ReadonlyMap<string, string>;
}

/**
 * A named condition (`conditions:` in a part): a plain-words meaning and a citation for an
 * expression several rules share, so that they cannot drift apart. Registered in the CEL
 * environment as a bool, so a rule naming it type-checks; evaluated by expansion.
 */
export function namedCondition(
  ctx: Ctx,
  source: Located,
  path: (string | number)[],
  raw: ConditionRaw,
): NamedCondition | undefined {
  if (ctx.named.has(raw.name) || ctx.facts.has(raw.name) || raw.name === "recommends") {
    ctx.problems.push(problemAt(source, [...path, "name"], say.nameTaken(raw.name)));
    return undefined;
  }
  const clash = [...ctx.facts.keys()].some((f) => f.startsWith(`${raw.name}.`));
  if (clash) {
    ctx.problems.push(problemAt(source, [...path, "name"], say.nameIsNamespace(raw.name)));
    return undefined;
  }
  const before = ctx.problems.length;
  const compiled = condition(ctx, source, [...path, "when"], raw.when);
  // A `when` with a problem (said at its own line) stands as `false` where it is named: the
  // rules naming it are still checked, and never parse its broken text.
  const when = ctx.problems.length > before ? { ...compiled, expanded: "false" } : compiled;
  try {
    // A keyword or literal (in, true, null, for…) would never be read as the name; a name
    // CEL already has (a type: int, string, map…) cannot be registered.
    if (!readsAsName(ctx.env, raw.name)) throw new Error("not a name");
    ctx.env.registerVariable(raw.name, "bool");
  } catch {
    ctx.problems.push(problemAt(source, [...path, "name"], say.nameReserved(raw.name)));
    return undefined;
  }
  const named = { name: raw.name, meaning: raw.meaning, cite: raw.cite, when };
  ctx.named.set(raw.name, named);
  return named;
}

/**
 * The deepest nesting of list comprehensions a condition may have. The bundled flow needs 1;
 * 8 made one case cost 49 s (issue 24).
 */
export const MAX_COMPREHENSION_DEPTH = 3;

/** Whether NAME, written in a condition, is read as that name (not a literal, a keyword or nothing). */
function readsAsName(env: Environment, name: string): boolean {
  try {
    const ast = env.parse(name).ast as { op?: string; args?: unknown };
    return ast.op === "id" && ast.args === name;
  } catch {
    return false;
  }
}

/** Compile and type-check one CEL condition; unknown names get a "did you mean". */
export function condition(
  ctx: Ctx,
  source: Located,
  path: (string | number)[],
  text: string,
  guard?: Condition,
): Condition {
  const pos = source.at(path);
  const origin = { file: source.file, ...pos };
  const memo = ctx.memo;
  const key = memo && [memo.nameOf.get(source.file), dotPath(path), text, guard?.expanded ?? ""].join("\0");
  const known = key === undefined ? undefined : memo?.known?.[key];
  if (memo && known) return fromMemo(ctx, memo, known, text, origin, guard);
  const compiled = compileCondition(ctx, source, path, text, origin, guard);
  if (memo?.record && key !== undefined) memo.record[key] = toMemo(memo, compiled);
  return compiled;
}

/** A condition as the build found it: parsed on its first evaluation. */
function fromMemo(
  ctx: Ctx,
  memo: ConditionMemo,
  known: ConditionFacts,
  text: string,
  origin: Origin,
  guard: Condition | undefined,
): Condition {
  const file = (o: Origin) => ({ ...o, file: memo.shownAs.get(o.file) ?? o.file });
  const env = ctx.env;
  const parts = guard && known.body !== undefined ? { guard, body: known.body } : {};
  // In the order compileCondition gives its fields: a flow from the memo is the same flow.
  const { expanded, body: _body, ...rest } = mirrored(known, file);
  return {
    source: text,
    expanded,
    evaluate: evaluatorOf(() => env, { source: text, expanded, ...parts }),
    ...rest,
    origin,
    ...parts,
  };
}

/**
 * How each field of a Condition is kept in the memo, and so comes back from it: as it is,
 * or with the files of its origins given by name. Every field but those made afresh
 * (source, evaluate, origin, guard) is listed: a field added to Condition and not here
 * fails the type check at MEMO_MIRRORS_CONDITION below, rather than being dropped from
 * every condition the build's memo gives.
 */
const MEMO_FIELDS = {
  expanded: "as is",
  facts: "as is",
  actions: "as is",
  absent: "origins",
  named: "as is",
  hasTests: "origins",
  body: "as is",
} as const satisfies Record<keyof ConditionFacts, "as is" | "origins">;

type Unmirrored = Exclude<keyof ConditionFacts, keyof typeof MEMO_FIELDS>;
export const MEMO_MIRRORS_CONDITION: [Unmirrored] extends [never]
  ? true
  : `Condition.${Unmirrored & string} is not kept in the condition memo: add it to MEMO_FIELDS (src/flow/conditions.ts)` =
  true;

/** C's memo fields, each origin's file mapped by FILE (to its name in the flow's folder, or back). */
function mirrored(c: ConditionFacts, file: (o: Origin) => Origin): ConditionFacts {
  const out: Record<string, unknown> = {};
  for (const [key, how] of Object.entries(MEMO_FIELDS)) {
    const v = c[key as keyof ConditionFacts];
    if (v === undefined) continue;
    out[key] =
      how === "origins"
        ? (v as unknown as { origin: Origin }[]).map((x) => ({ ...x, origin: file(x.origin) }))
        : v;
  }
  return out as ConditionFacts;
}

type Evaluator = (context: Record<string, unknown>) => unknown;

/**
 * The evaluator compileCondition would have made, made on the first evaluation: for a
 * condition whose compiling the build did already (its memo, or the flow's image:
 * src/io/flow-image.ts).
 */
export function evaluatorOf(
  env: () => Environment,
  c: Pick<Condition, "source" | "expanded" | "guard" | "body">,
  tree?: CelTree,
): Evaluator {
  const evaluated = evaluatedText(c);
  const lazy = lazyEvaluator(env, evaluated, c.source);
  // The closures from the build's parse (the flow's image); CEL, parsed then, for what they leave.
  const run = (tree && compileCel(tree, lazy)) ?? lazy;
  return c.guard && c.body !== undefined ? guardedBy(c.guard, run) : run;
}

/** The text evaluatorOf evaluates: the body of a guarded condition, else the whole. */
export function evaluatedText(c: Pick<Condition, "expanded" | "guard" | "body">): string {
  return c.guard && c.body !== undefined ? c.body : c.expanded;
}

/**
 * What evaluatorOf needs to build C's closures without parsing (the build keeps it in the
 * flow's image): the parse of the text it evaluates, when the closures handle all of it.
 */
export function celTree(
  env: Environment,
  c: Pick<Condition, "expanded" | "guard" | "body">,
): CelTree | undefined {
  const tree = plainTree(env.parse(evaluatedText(c)).ast);
  return tree && compileCel(tree, () => undefined) ? tree : undefined;
}

/**
 * EXPANDED parsed on the first evaluation: a condition evaluated as written was type-checked
 * (so CEL does not check it again as it evaluates); an expanded one was not.
 */
function lazyEvaluator(env: () => Environment, expanded: string, text: string): Evaluator {
  let run: Evaluator | undefined;
  return (context) => {
    if (!run) {
      const parsed = env().parse(expanded);
      if (expanded === text) parsed.check();
      run = fast(parsed);
    }
    return run(context);
  };
}

/**
 * A parsed condition as plain closures (src/flow/closures.ts), cel-js's own evaluator for
 * what they do not handle.
 */
export function fast(parsed: ReturnType<Environment["parse"]>): Evaluator {
  return compileCel(parsed.ast, parsed) ?? parsed;
}

/**
 * `(guard) && (body)` evaluated as CEL evaluates it (operators.js in cel-js 8): a guard that
 * is false decides it without the body; else a body that is false decides it; a guard that
 * is true gives the body's value; anything else throws, as the guard or body threw.
 */
export function guardedBy(guard: Pick<Condition, "evaluate">, body: Evaluator): Evaluator {
  return (context) => {
    let g: unknown;
    let thrown = false;
    let error: unknown;
    try {
      g = guard.evaluate(context);
    } catch (e) {
      thrown = true;
      error = e;
    }
    if (!thrown && g === false) return false;
    const b = body(context);
    if (!thrown && g === true) {
      if (typeof b === "boolean") return b;
      throw new TypeError(`a condition gave ${typeof b}, not true or false`);
    }
    if (b === false) return false;
    throw thrown ? error : new TypeError(`an applies_when gave ${typeof g}, not true or false`);
  };
}

function toMemo(memo: ConditionMemo, c: Condition): ConditionFacts {
  return mirrored(c, (o) => ({ ...o, file: memo.nameOf.get(o.file) ?? o.file }));
}

function compileCondition(
  ctx: Ctx,
  source: Located,
  path: (string | number)[],
  text: string,
  origin: Origin,
  guard: Condition | undefined,
): Condition {
  const at = (offset: number) => exprPosition(source, path, text, offset);
  const fail: Condition = {
    source: text,
    expanded: text,
    evaluate: () => false,
    facts: [],
    actions: [],
    absent: [],
    named: [],
    hasTests: [],
    origin,
  };
  let parsed: ReturnType<Environment["parse"]>;
  try {
    parsed = ctx.env.parse(text);
  } catch (error) {
    ctx.problems.push({ ...origin, field: dotPath(path), message: say.conditionParse(celMessage(error)) });
    return fail;
  }
  const { refs, literals } = references(parsed.ast);
  let wrongName = false;
  const wrong = (offset: number, message: string) => {
    wrongName = true;
    ctx.problems.push({ file: source.file, ...at(offset), field: dotPath(path), message });
  };
  if (!ctx.factsKnown || refs.some((r) => r.kind !== "action" && ctx.uncheckedFacts.has(r.name))) {
    // No facts to check names or types against; action names are still checked.
    for (const ref of refs)
      if (ref.kind === "action" && !ctx.actionIds.has(ref.name))
        wrong(ref.offset, `unknown action "${ref.name}"${suggest(ref.name, ctx.actionIds)}`);
    return fail;
  }
  const { facts, actions, used } = resolveNames(ctx, refs, wrong);
  for (const lit of literals) checkLiteral(ctx, lit, wrong);
  const calls = matchCalls(parsed.ast, text);
  for (const call of calls) if (call.problem) wrong(call.problem.offset, call.problem.message);
  if (!wrongName) typeCheck(ctx, parsed, origin, path);
  if (wrongName) return fail;

  const hasTests = hasTestsOf(ctx, parsed.ast, (offset) => ({ file: source.file, ...at(offset) }));
  const absent = hasTests.filter((t) => t.negated).map((t) => ({ fact: t.fact, origin: t.origin }));
  const renamed = calls.flatMap((c) => (c.name === undefined ? [] : [c.name]));
  const expanded = expand(text, parsed.ast, ctx.named, renamed);
  const own = { facts: [...facts], actions: [...actions], absent, named: [...used], hasTests };
  const full = guard ? `(${guard.expanded}) && (${expanded})` : expanded;
  const evaluated = expanded === text ? parsed : ctx.env.parse(expanded);
  const depth = comprehensionDepth(evaluated.ast);
  if (depth > MAX_COMPREHENSION_DEPTH) {
    ctx.problems.push({
      ...origin,
      field: dotPath(path),
      message: say.comprehensionsTooDeep(depth, expanded !== text, MAX_COMPREHENSION_DEPTH),
    });
    return fail;
  }
  const run = guard ? guardedBy(guard, fast(evaluated)) : fast(evaluated);
  return {
    source: text,
    expanded: full,
    evaluate: (context: Record<string, unknown>) => run(context),
    facts: guard ? [...new Set([...guard.facts, ...own.facts])] : own.facts,
    actions: guard ? [...new Set([...guard.actions, ...own.actions])] : own.actions,
    absent: guard ? [...guard.absent, ...own.absent] : own.absent,
    named: guard ? [...new Set([...guard.named, ...own.named])] : own.named,
    hasTests: guard ? [...guard.hasTests, ...own.hasTests] : own.hasTests,
    origin,
    ...(guard ? { guard, body: expanded } : {}),
  };
}

/** Each name a condition uses, resolved: facts, actions and named conditions (with theirs). */
function resolveNames(
  ctx: Ctx,
  refs: ReturnType<typeof references>["refs"],
  wrong: (offset: number, message: string) => void,
): { facts: Set<string>; actions: Set<string>; used: Set<string> } {
  const facts = new Set<string>();
  const actions = new Set<string>();
  const used = new Set<string>();
  for (const ref of refs) {
    if (ref.kind === "fact") {
      if (ctx.facts.has(ref.name)) facts.add(ref.name);
      else wrong(ref.offset, `unknown fact "${ref.name}"${suggest(ref.name, ctx.facts.keys())}`);
    } else if (ref.kind === "action") {
      if (ctx.actionIds.has(ref.name)) actions.add(ref.name);
      else wrong(ref.offset, `unknown action "${ref.name}"${suggest(ref.name, ctx.actionIds)}`);
    } else if (ctx.facts.has(ref.name)) facts.add(ref.name);
    else if (ctx.named.has(ref.name)) {
      // A named condition's facts count where it is named, so facts keep the text's order.
      used.add(ref.name);
      const n = ctx.named.get(ref.name) as NamedCondition;
      for (const f of n.when.facts) facts.add(f);
      for (const a of n.when.actions) actions.add(a);
    } else if (ref.name !== "recommends") {
      const names = [...ctx.facts.keys(), ...ctx.named.keys()];
      wrong(ref.offset, `unknown name "${ref.name}"${suggest(ref.name, names)}`);
    }
  }
  return { facts, actions, used };
}

/** Every has(fact) test, through named conditions too, with its polarity in this condition. */
function hasTestsOf(
  ctx: Ctx,
  ast: unknown,
  where: (offset: number) => Origin,
): Condition["hasTests"][number][] {
  const out: Condition["hasTests"][number][] = [];
  for (const p of polarities(ast, new Set(ctx.named.keys()))) {
    if ("fact" in p) {
      if (ctx.facts.has(p.fact)) out.push({ fact: p.fact, negated: p.negated, origin: where(p.offset) });
    } else {
      // A named condition under a negation turns its own tests round.
      const n = ctx.named.get(p.name) as NamedCondition;
      for (const t of n.when.hasTests) out.push({ ...t, negated: t.negated !== p.negated });
    }
  }
  return out;
}

/**
 * The text as evaluated: each named condition replaced by its own (expanded) expression,
 * and each `matches` (at the offsets given) by its linear-time twin.
 */
function expand(
  text: string,
  ast: unknown,
  named: ReadonlyMap<string, NamedCondition>,
  matches: readonly number[],
): string {
  const edits = [
    ...identifierSpans(ast, new Set(named.keys())).map((s) => ({
      ...s,
      by: `(${(named.get(s.name) as NamedCondition).when.expanded})`,
    })),
    ...matches.map((start) => ({ start, end: start + "matches".length, by: LINEAR_MATCHES })),
  ].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = `${out.slice(0, e.start)}${e.by}${out.slice(e.end)}`;
  return out;
}

function checkLiteral(
  ctx: Ctx,
  lit: { fact: string; value: string; offset: number },
  wrong: (offset: number, message: string) => void,
): void {
  const fact = ctx.facts.get(lit.fact);
  const values = fact?.values;
  if (fact?.notKnown === lit.value) {
    wrong(
      lit.offset,
      `"${lit.value}" means not known, and a condition sees ${lit.fact} left out instead: test !has(${lit.fact})`,
    );
  } else if (values && !values.includes(lit.value)) {
    wrong(
      lit.offset,
      `"${lit.value}" is not a value of ${lit.fact} (${values.join(", ")})${suggest(lit.value, values)}`,
    );
  }
}

function typeCheck(
  ctx: Ctx,
  parsed: ReturnType<Environment["parse"]>,
  origin: Condition["origin"],
  path: (string | number)[],
): void {
  const checked = parsed.check();
  if (!checked.valid) {
    ctx.problems.push({ ...origin, field: dotPath(path), message: celMessage(checked.error) });
  } else if (checked.type !== "bool") {
    ctx.problems.push({
      ...origin,
      field: dotPath(path),
      message: say.conditionNotBool(String(checked.type)),
    });
  }
}

function celMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n")[0] ?? message).trim();
}

/** Line and column of an offset inside a condition, exact for one-line scalars. */
function exprPosition(
  source: Located,
  path: (string | number)[],
  text: string,
  offset: number,
): { line: number; column: number } {
  const pos = source.at(path);
  const raw = source.text.split(/\r?\n/)[pos.line - 1] ?? "";
  const start = pos.column - 1;
  const quoted = raw[start] === '"' || raw[start] === "'";
  if (
    !text.includes("\n") &&
    raw.slice(start + (quoted ? 1 : 0)).startsWith(text.slice(0, Math.min(text.length, 8)))
  ) {
    return { line: pos.line, column: pos.column + offset + (quoted ? 1 : 0) };
  }
  return pos;
}
