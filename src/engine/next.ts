import type { DueRule, Flow, Question } from "../flow/types.js";
import type { Answers } from "./answers.js";
import { type Situation, situate } from "./context.js";
import type { IsoDate } from "./dates.js";
import { type ActionVerdict, evaluateActions, testCondition } from "./evaluate.js";

/**
 * What to ask next: the first question, in flow order, not yet answered ("not known"
 * counts as an answer) whose fact could still change the pathway: a rule that is not
 * decided yet needs it, or a recommended action's date counts from it, or the flow marks
 * it `always`. Null when nothing asked could change the pathway.
 */
export function nextQuestion(flow: Flow, answers: Answers, today: IsoDate): Question | null {
  const situation = situate(flow, answers, today);
  const needed = needs(flow, answers, situation);
  for (const q of flow.questions) {
    if (answers.has(q.fact.id)) continue;
    if (isAskable(flow, q, situation, needed)) return q;
  }
  return null;
}

/**
 * Whether nextQuestion would come to this question (answered or not), given these answers:
 * the wizard's review uses it to tell an answer that would be asked again from one it can
 * leave out.
 */
export function wouldAsk(flow: Flow, q: Question, answers: Answers, today: IsoDate): boolean {
  if (!q.always && !q.when) return neededFacts(flow, answers, today).has(q.fact.id);
  const situation = situate(flow, answers, today);
  return isAskable(flow, q, situation, q.always ? new Set() : needs(flow, answers, situation));
}

/**
 * The one test of whether a question is worth asking, shared by nextQuestion, wouldAsk and
 * the answers a change made irrelevant (irrelevant.ts).
 */
export function isAskable(
  flow: Flow,
  q: Question,
  situation: Situation,
  needed: ReadonlySet<string>,
): boolean {
  if (!q.always && !needed.has(q.fact.id)) return false;
  return !q.when || testCondition(flow, q.when, situation.facts, new Map()).status === "true";
}

/** Facts whose answers could still change the pathway. */
export function neededFacts(flow: Flow, answers: Answers, today: IsoDate): Set<string> {
  return needs(flow, answers, situate(flow, answers, today));
}

function needs(flow: Flow, answers: Answers, situation: Situation): Set<string> {
  return needsFrom(answers, situation, evaluateActions(flow, situation.facts));
}

/** Facts whose answers could still change the pathway, from every action's verdict. */
export function needsFrom(
  answers: Answers,
  situation: Situation,
  verdicts: ReadonlyMap<string, ActionVerdict>,
): Set<string> {
  const needed = new Set<string>();
  for (const v of verdicts.values()) {
    for (const n of v.needs) if ("fact" in n) needed.add(n.fact);
    if (v.status !== "recommended") continue;
    for (const f of v.fired) {
      const spec = f.rule.due ?? v.action.due;
      for (const d of dueFacts(spec)) if (!answers.has(d)) needed.add(d);
    }
  }
  // The age decides the pathway: without a date of birth, ask the age.
  if (situation.age === null) needed.add("person.age");
  return needed;
}

function dueFacts(spec: DueRule): string[] {
  if (spec === "immediately" || "none" in spec) return [];
  if ("earliest" in spec) return spec.earliest.flatMap(dueFacts);
  if ("age" in spec) return ["person.dob"];
  const list = "on" in spec ? spec.on : spec.from;
  return list.flatMap((r) => ("fact" in r ? [r.fact] : []));
}

/**
 * Why a question is asked now, for its help: the titles of the steps its answer could decide
 * (a step not decided yet that waits on the fact, or a recommended step whose date counts
 * from it), in the flow's order. Empty for a question asked every time (a case reference,
 * the drafts' details) that decides no step.
 */
export function decidesSteps(flow: Flow, fact: string, answers: Answers, today: IsoDate): string[] {
  const without = new Map(answers);
  without.delete(fact);
  const situation = situate(flow, without, today);
  const titles: string[] = [];
  for (const v of evaluateActions(flow, situation.facts).values()) {
    const waits = v.needs.some((n) => "fact" in n && n.fact === fact);
    const dated =
      v.status === "recommended" && v.fired.some((f) => dueFacts(f.rule.due ?? v.action.due).includes(fact));
    if (waits || dated) titles.push(v.action.title);
  }
  return titles;
}
