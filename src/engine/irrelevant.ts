import type { Flow, Question } from "../flow/types.js";
import type { Answers, Value } from "./answers.js";
import type { Situation } from "./context.js";
import type { IsoDate } from "./dates.js";
import { decide, type Pathway, pathwayFrom, situateAt } from "./decide.js";
import { type ActionVerdict, evaluateAction, evaluateActions, scope } from "./evaluate.js";
import { isAskable, needsFrom, wouldAsk } from "./next.js";

/**
 * Answers that could be left out without changing the pathway, and that nextQuestion would
 * not ask for again (the same isAskable). One pass: the rules are evaluated once for the
 * answers as given; for each answer, only the actions whose rules read a fact its removal
 * changes are evaluated again, and the first whose verdict moves shows the answer matters.
 * When none moves, the pathway without it is built from the same verdicts and compared.
 */
export function irrelevantAnswers(flow: Flow, answers: Answers, today: IsoDate): string[] {
  const questions = questionsByFact(flow);
  const base = situateAt(flow, answers, today);
  const verdicts = evaluateActions(flow, base.facts);
  let baseOutcome: string | undefined;
  return [...answers.keys()].filter((f) => {
    const q = questions.get(f);
    if (!q || q.always) return false;
    const without = new Map(answers);
    without.delete(f);
    const s = situateAt(flow, without, today);
    if (verdictMoves(flow, verdicts, s, changedFacts(base.facts, s.facts))) return false;
    if (isAskable(flow, q, s, needsFrom(without, s, verdicts))) return false;
    baseOutcome ??= outcome(pathwayFrom(flow, answers, base, verdicts, today));
    return outcome(pathwayFrom(flow, without, s, verdicts, today)) === baseOutcome;
  });
}

/**
 * After the answer to `changed` was changed (`before` to `after`): the answers the change
 * made irrelevant, in the order to leave them out. Answers already irrelevant before it stay.
 * Usually they can all go at once; when together they would change something, they go one
 * at a time, the latest given first (it was given in the light of the earlier ones).
 */
export function madeIrrelevant(
  flow: Flow,
  before: Answers,
  after: Answers,
  order: readonly string[],
  changed: string,
  today: IsoDate,
): string[] {
  const was = new Set(irrelevantAnswers(flow, before, today));
  const questions = questionsByFact(flow);
  const current = new Map(after);
  const dropped: string[] = [];
  for (;;) {
    const candidates = irrelevantAnswers(flow, current, today).filter((f) => f !== changed && !was.has(f));
    if (candidates.length === 0) return dropped;
    const without = new Map(current);
    for (const f of candidates) without.delete(f);
    const together =
      outcome(decide(flow, without, today)) === outcome(decide(flow, current, today)) &&
      candidates.every((f) => {
        const q = questions.get(f);
        return q !== undefined && !wouldAsk(flow, q, without, today);
      });
    const going = together
      ? candidates
      : [order.filter((o) => candidates.includes(o)).at(-1) ?? candidates[0]];
    for (const f of going) {
      if (f === undefined) continue;
      current.delete(f);
      dropped.push(f);
    }
  }
}

const byFact = new WeakMap<Flow, ReadonlyMap<string, Question>>();

function questionsByFact(flow: Flow): ReadonlyMap<string, Question> {
  let map = byFact.get(flow);
  if (!map) {
    map = new Map(flow.questions.map((q) => [q.fact.id, q]));
    byFact.set(flow, map);
  }
  return map;
}

/** Facts with another value (or none) in `b` than in `a`. */
function changedFacts(a: ReadonlyMap<string, Value>, b: ReadonlyMap<string, Value>): Set<string> {
  const changed = new Set<string>();
  const same = (x: Value | undefined, y: Value | undefined) =>
    x === y || (Array.isArray(x) && Array.isArray(y) && JSON.stringify(x) === JSON.stringify(y));
  for (const [k, v] of a) if (!same(v, b.get(k))) changed.add(k);
  for (const k of b.keys()) if (!a.has(k)) changed.add(k);
  return changed;
}

/**
 * Whether some action's verdict would differ in situation `s`, whose facts differ from those
 * the verdicts were made on in `changed`. In evaluation order, so until the first that differs
 * every action's recommends[] is as before, and only actions reading a changed fact can differ.
 */
function verdictMoves(
  flow: Flow,
  verdicts: ReadonlyMap<string, ActionVerdict>,
  s: Situation,
  changed: ReadonlySet<string>,
): boolean {
  if (changed.size === 0) return false;
  const recommends = new Map<string, boolean>();
  for (const [id, v] of verdicts)
    if (v.status !== "undecided") recommends.set(id, v.status === "recommended");
  const within = scope(flow, s.facts, recommends);
  for (const id of flow.evaluationOrder) {
    const was = verdicts.get(id);
    const reads = was?.action.rules.some((r) => r.when.facts.some((f) => changed.has(f)));
    if (!was || !reads) continue;
    const now = evaluateAction(was.action, within);
    if (verdictKey(now) !== verdictKey(was)) return true;
  }
  return false;
}

/** What of a verdict the pathway shows: its status, the rules that fired and what they read, its needs. */
function verdictKey(v: ActionVerdict): string {
  return JSON.stringify([v.status, v.fired.map((f) => [f.rule.id, f.facts]), v.needs]);
}

/** Everything decide() says, but the answers themselves. */
export function outcome(p: Pathway): string {
  const { answers: _answers, facts: _facts, ...rest } = p;
  return JSON.stringify(rest);
}
