import { splitFact } from "../flow/expr.js";
import type { Action, Condition, Flow, Need, Rule } from "../flow/types.js";
import type { Value } from "./answers.js";

/** Three-valued: a rule whose answer depends on facts not known is undecided. */
export type Verdict = { status: "true" } | { status: "false" } | { status: "undecided"; needs: Need[] };

export interface ActionVerdict {
  action: Action;
  status: "recommended" | "not-recommended" | "undecided";
  fired: { rule: Rule; facts: Record<string, Value | null> }[];
  /** For undecided actions: the facts (or actions) that would decide them. */
  needs: Need[];
  /**
   * For recommended actions: facts not known that every rule that fired holds only while they
   * are not known, and that a rule not decided yet needs. The answer decides which rule
   * recommends the step, and so what it says (who makes an NRM referral turns on the
   * organisation): next.ts asks for them.
   */
  waitsOn: string[];
}

/**
 * Evaluate every action's rules over the facts known so far. CEL's && and || absorb
 * errors the way three-valued logic needs (style.md §2), so a rule that throws is one
 * whose answer turns on a fact not yet known.
 */
export function evaluateActions(flow: Flow, facts: ReadonlyMap<string, Value>): Map<string, ActionVerdict> {
  const recommends = new Map<string, boolean>();
  const verdicts = new Map<string, ActionVerdict>();
  // One context for the whole decision: `recommends` is read through it as it fills up.
  const s = scope(flow, facts, recommends);
  for (const id of flow.evaluationOrder) {
    const v = evaluateAction(flow.actionById.get(id) as Action, s);
    if (v.status !== "undecided") recommends.set(id, v.status === "recommended");
    verdicts.set(id, v);
  }
  return verdicts;
}

/** What conditions are evaluated over: the facts, the steps decided so far, and their CEL context. */
export interface Scope {
  flow: Flow;
  facts: ReadonlyMap<string, Value>;
  recommends: ReadonlyMap<string, boolean>;
  /** Made on first use: most verdicts come from the cache and need none. */
  context: () => Record<string, unknown>;
}

export function scope(
  flow: Flow,
  facts: ReadonlyMap<string, Value>,
  recommends: ReadonlyMap<string, boolean>,
): Scope {
  let ctx: Record<string, unknown> | undefined;
  return {
    flow,
    facts,
    recommends,
    context: () => {
      ctx ??= celContext(flow, facts, recommends);
      return ctx;
    },
  };
}

/** One action's verdict: recommended when a rule fires, undecided when one turns on a fact not known. */
export function evaluateAction(action: Action, s: Scope): ActionVerdict {
  const fired: ActionVerdict["fired"] = [];
  const { needs, add } = distinctNeeds();
  for (const rule of action.rules) {
    const v = verdict(rule.when, s);
    if (v.status === "true") fired.push({ rule, facts: factsUsed(rule.when, s.facts) });
    else if (v.status === "undecided") for (const n of v.needs) add(n);
  }
  const status = fired.length > 0 ? "recommended" : needs.length > 0 ? "undecided" : "not-recommended";
  return {
    action,
    status,
    fired,
    needs: status === "undecided" ? needs : [],
    waitsOn: status === "recommended" && needs.length > 0 ? onlyWhileNotKnown(fired, needs, s) : [],
  };
}

/**
 * A list of needs with each fact or step once, where first added: by their ids, no key text
 * made for each (a case adds hundreds).
 */
export function distinctNeeds(): { needs: Need[]; add: (n: Need) => void } {
  const needs: Need[] = [];
  const facts = new Set<string>();
  const steps = new Set<string>();
  const add = (n: Need) => {
    const seen = "fact" in n ? facts : steps;
    const id = "fact" in n ? n.fact : n.action;
    if (seen.has(id)) return;
    seen.add(id);
    needs.push(n);
  };
  return { needs, add };
}

/** Of the facts rules not decided yet need, those every fired rule holds only without. */
function onlyWhileNotKnown(fired: ActionVerdict["fired"], needs: readonly Need[], s: Scope): string[] {
  const out: string[] = [];
  for (const n of needs) {
    if (!("fact" in n) || s.facts.has(n.fact)) continue;
    const only = fired.every(
      ({ rule }) =>
        rule.when.absent.some((a) => a.fact === n.fact) &&
        candidates(s.flow, n).every((v) => !holdsWith(rule.when, s.context(), n, v)),
    );
    if (only) out.push(n.fact);
  }
  return out;
}

/**
 * A condition's verdict turns only on the facts and steps it reads, so it is kept, per
 * condition, by their values (a tree of Maps, one level per fact or step read): a batch meets
 * the same few combinations again and again, and the wizard re-decides with one answer
 * changed. At most VERDICTS_KEPT per condition, so memory stays flat however many cases go
 * through.
 */
const verdicts = new WeakMap<Condition, { size: number; root: Map<unknown, unknown> }>();
const VERDICTS_KEPT = 512;

function verdict(cond: Condition, s: Scope): Verdict {
  const { facts, recommends } = s;
  let kept = verdicts.get(cond);
  if (!kept) {
    kept = { size: 0, root: new Map() };
    verdicts.set(cond, kept);
  }
  // Down the tree one level per fact, then per step, read (no array of keys made: a case
  // asks for hundreds of verdicts); the last level holds the verdict.
  const nFacts = cond.facts.length;
  const last = nFacts + cond.actions.length - 1;
  let node = kept.root;
  let key: unknown = node;
  for (let i = 0; i <= last; i++) {
    if (i < nFacts) {
      const v = facts.get(cond.facts[i] as string);
      // A list is kept by its JSON; a fact has one type, so it meets no other value's key.
      key = Array.isArray(v) ? JSON.stringify(v) : v;
    } else key = recommends.get(cond.actions[i - nFacts] as string);
    if (i === last) break;
    let next = node.get(key) as Map<unknown, unknown> | undefined;
    if (!next) {
      next = new Map();
      node.set(key, next);
    }
    node = next;
  }
  const hit = node.get(key) as Verdict | undefined;
  if (hit) return hit;
  const v = test(cond, s);
  if (kept.size >= VERDICTS_KEPT) {
    kept.root.clear();
    kept.size = 0;
    return v;
  }
  node.set(key, v);
  kept.size++;
  return v;
}

function test(cond: Condition, s: Scope): Verdict {
  const { flow, facts, recommends } = s;
  const ctx = s.context();
  try {
    return quietly(cond, ctx) === true ? { status: "true" } : { status: "false" };
  } catch (error) {
    const missing: Need[] = [
      ...cond.facts.filter((f) => !facts.has(f)).map((fact) => ({ fact })),
      ...cond.actions.filter((a) => !recommends.has(a)).map((action) => ({ action })),
    ];
    if (missing.length === 0) {
      // Not a missing fact: a flow bug the load-time type check did not catch.
      throw new Error(
        `condition "${cond.source}" (${cond.origin.file}:${cond.origin.line}) failed: ${String(error)}`,
      );
    }
    // The facts worth asking for: those whose answer alone would decide the rule.
    const decisive = missing.filter((m) => candidates(flow, m).some((v) => decides(cond, ctx, m, v)));
    return { status: "undecided", needs: decisive.length > 0 ? decisive : missing };
  }
}

/**
 * Evaluate with no stack traces: a fact not known makes CEL throw, and capturing a stack
 * for each throw was a fifth of the time of a batch (issue 10). Nothing reads those stacks.
 */
function quietly(cond: Condition, ctx: Record<string, unknown>): unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return cond.evaluate(ctx);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Values to try for a fact not known, enough to see whether knowing it could decide a rule. */
function candidates(flow: Flow, need: Need): unknown[] {
  if ("action" in need) return [true, false];
  const fact = flow.facts.get(need.fact);
  switch (fact?.type) {
    case "bool":
      return [true, false];
    case "int":
      return [0n, 1n, 3n, 6n, 12n, 16n, 17n, 18n, 25n, 200n];
    case "enum":
      // The not-known choice is never a value a condition sees.
      return (fact.values ?? []).filter((v) => v !== fact.notKnown);
    case "list":
      return [[], [...(fact.values ?? [])], ...(fact.values ?? []).map((v) => [v])];
    default:
      return ["", "2000-01-01", "2100-01-01"];
  }
}

function decides(cond: Condition, ctx: Record<string, unknown>, need: Need, value: unknown): boolean {
  try {
    quietly(cond, trial(ctx, need, value));
    return true;
  } catch {
    return false;
  }
}

/** Whether the condition holds with the fact (or step) given this value. */
function holdsWith(cond: Condition, ctx: Record<string, unknown>, need: Need, value: unknown): boolean {
  try {
    return quietly(cond, trial(ctx, need, value)) === true;
  } catch {
    return false;
  }
}

/** The context with one fact (or step) given a value. */
function trial(ctx: Record<string, unknown>, need: Need, value: unknown): Record<string, unknown> {
  const trial: Record<string, unknown> = { ...ctx };
  if ("action" in need) {
    trial.recommends = new Map([
      ...(ctx.recommends as Map<string, boolean>),
      [need.action, value as boolean],
    ]);
  } else {
    const id = need.fact;
    const dot = id.indexOf(".");
    if (dot < 0) trial[id] = value;
    else {
      const ns = id.slice(0, dot);
      trial[ns] = { ...(ctx[ns] as Record<string, unknown>), [id.slice(dot + 1)]: value };
    }
  }
  return trial;
}

export function testCondition(
  flow: Flow,
  cond: Condition,
  facts: ReadonlyMap<string, Value>,
  recommends: ReadonlyMap<string, boolean>,
): Verdict {
  return verdict(cond, scope(flow, facts, recommends));
}

function factsUsed(cond: Condition, facts: ReadonlyMap<string, Value>): Record<string, Value | null> {
  const out: Record<string, Value | null> = {};
  for (const f of cond.facts) out[f] = facts.get(f) ?? null;
  for (const a of cond.actions) out[`recommends[${a}]`] = true;
  return out;
}

/** The namespaces of a flow's facts (`person` of `person.dob`), worked out once per flow. */
const namespacesOf = new WeakMap<Flow, string[]>();

/** The evaluation context for CEL: namespaced maps, integers as BigInt, unknown facts absent. */
export function celContext(
  flow: Flow,
  facts: ReadonlyMap<string, Value>,
  recommends: ReadonlyMap<string, boolean>,
) {
  let namespaces = namespacesOf.get(flow);
  if (!namespaces) {
    const set = new Set<string>();
    for (const fact of flow.facts.values()) {
      const [ns, field] = splitFact(fact.id);
      if (field !== undefined) set.add(ns);
    }
    namespaces = [...set];
    namespacesOf.set(flow, namespaces);
  }
  const ctx: Record<string, unknown> = {};
  for (const ns of namespaces) ctx[ns] = {};
  for (const [id, value] of facts) {
    const fact = flow.facts.get(id);
    if (!fact) continue;
    const v = fact.type === "int" ? BigInt(value as number) : value;
    const dot = id.indexOf(".");
    if (dot < 0) ctx[id] = v;
    else (ctx[id.slice(0, dot)] as Record<string, unknown>)[id.slice(dot + 1)] = v;
  }
  ctx.recommends = recommends;
  return ctx;
}
