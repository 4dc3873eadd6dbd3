import { CASE_SUMMARY } from "../flow/templates.js";
import type { DueRule, Flow, Gate, Question, QuestionGroup } from "../flow/types.js";
import type { Answers, Value } from "./answers.js";
import { type Situation, situate } from "./context.js";
import type { IsoDate } from "./dates.js";
import type { Pathway } from "./decide.js";
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
 * What the wizard shows next: nextQuestion's question, or, when it is one of a group's, the
 * group with every one of its questions not answered yet that is worth asking now (isAskable,
 * as nextQuestion tests it): one screen, a row each. Rows that are not askable now are left
 * out; any that becomes askable once the screen is answered comes later as a question of its
 * own. A group with one askable row is that question on its own.
 */
export type Screen =
  | { kind: "question"; question: Question }
  | { kind: "group"; group: QuestionGroup; questions: readonly Question[] };

export function nextScreen(flow: Flow, answers: Answers, today: IsoDate): Screen | null {
  const situation = situate(flow, answers, today);
  const needed = needs(flow, answers, situation);
  const askable = (q: Question) => !answers.has(q.fact.id) && isAskable(flow, q, situation, needed);
  const first = flow.questions.find(askable);
  if (!first) return null;
  const group = first.group === undefined ? undefined : flow.groups.get(first.group);
  const rows: Question[] = [];
  if (group)
    for (const q of flow.questions) {
      if (q.group !== group.id) continue;
      // A row whose gate is a row above it on this screen is shown too: liveRows opens it
      // when that row is answered so (a row left alone, not known, keeps it closed).
      if (askable(q) || (q.gate && rows.some((r) => r.fact.id === q.gate?.fact) && opensOnScreen(q)))
        rows.push(q);
    }
  return group && rows.length > 1
    ? { kind: "group", group, questions: rows }
    : { kind: "question", question: first };

  function opensOnScreen(q: Question): boolean {
    if (answers.has(q.fact.id) || !q.gate) return false;
    const { fact, values } = q.gate;
    const first = values?.[0] ?? "";
    const opened = new Map(answers);
    opened.set(fact, values === undefined ? true : flow.facts.get(fact)?.type === "list" ? [first] : first);
    const s = situate(flow, opened, today);
    return isAskable(flow, q, s, needs(flow, opened, s));
  }
}

/**
 * Which rows of a group screen are still worth asking, given the rows above them as answered
 * so far (`values`: a row's fact to its value, null for not known): a row is live when it
 * would be askable with the answers and the live rows above it given, as asking them one by
 * one would find. A row not live is left out when the screen is answered.
 */
export function liveRows(
  flow: Flow,
  answers: Answers,
  today: IsoDate,
  rows: readonly Question[],
  values: ReadonlyMap<string, Value | null>,
): boolean[] {
  const given = new Map(answers);
  return rows.map((q, i) => {
    if (i > 0) {
      const situation = situate(flow, given, today);
      if (!isAskable(flow, q, situation, needs(flow, given, situation))) return false;
    }
    given.set(q.fact.id, values.get(q.fact.id) ?? null);
    return true;
  });
}

/** The answers a group screen gives: each live row's value (null: not known); rows not live, none. */
export function groupAnswers(
  flow: Flow,
  answers: Answers,
  today: IsoDate,
  rows: readonly Question[],
  values: ReadonlyMap<string, Value | null>,
): Map<string, Value | null> {
  const live = liveRows(flow, answers, today, rows, values);
  return new Map(rows.flatMap((q, i) => (live[i] ? [[q.fact.id, values.get(q.fact.id) ?? null]] : [])));
}

/**
 * The first round of an update (issue 26): the next question, in flow order, that the flow
 * marks `over_time` (a meeting held, a decision made: what may have happened since), answered
 * before with something known, not yet asked in this round (`asked`), that nextQuestion would
 * come to were it not answered yet (wouldAsk, its own answer put aside). Null when none is
 * left. A question never answered, or answered "not known", has no answer to change from: it
 * is the ordinary interview's to ask, where the flow asks it, if it is worth asking.
 */
export function nextSince(
  flow: Flow,
  answers: Answers,
  asked: ReadonlySet<string>,
  today: IsoDate,
): Question | null {
  for (const q of flow.questions) {
    if (!q.overTime || asked.has(q.fact.id) || (answers.get(q.fact.id) ?? null) === null) continue;
    // Its own answer put aside: would the pathway still ask for it?
    const without = new Map(answers);
    without.delete(q.fact.id);
    if (wouldAsk(flow, q, without, today)) return q;
  }
  return null;
}

/**
 * Whether nextQuestion would come to this question (answered or not), given these answers:
 * the wizard's review uses it to tell an answer that would be asked again from one it can
 * leave out.
 */
export function wouldAsk(flow: Flow, q: Question, answers: Answers, today: IsoDate): boolean {
  if (!q.always && !q.when && !q.gate) return neededFacts(flow, answers, today).has(q.fact.id);
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
  if (q.gate && !gateOpen(q.gate, situation.facts)) return false;
  return !q.when || testCondition(flow, q.when, situation.facts, new Map()).status === "true";
}

/**
 * Whether a question's gate is open: its fact known (a not-known answer is absent from the
 * facts) to be yes, or one of its values (a list: holding one of them). Issue 21: a gate
 * answered "not known" does not open the questions behind it.
 */
export function gateOpen(gate: Gate, facts: ReadonlyMap<string, Value>): boolean {
  const v = facts.get(gate.fact);
  if (gate.values === undefined) return v === true;
  if (Array.isArray(v)) return v.some((x) => gate.values?.includes(x));
  return typeof v === "string" && gate.values.includes(v);
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
    // Recommended only while a fact is not known: its answer decides what the step says.
    for (const f of v.waitsOn) needed.add(f);
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
    // Recommended while the fact is not known, by a rule that holds only while it is not
    // (`!has(fact)`): an answer can take the step away.
    const whileNotKnown =
      v.status === "recommended" && v.fired.some((f) => f.rule.when.absent.some((a) => a.fact === fact));
    if (waits || dated || whileNotKnown) titles.push(v.action.title);
  }
  return titles;
}

/**
 * The facts the drafts a pathway writes read (the case summary, which lists every answer, is
 * no draft): what the round for the drafts may ask.
 */
export function draftReads(flow: Flow, pathway: Pathway): Set<string> {
  return new Set(
    pathway.documents.flatMap((id) => (id === CASE_SUMMARY.id ? [] : (flow.documents.get(id)?.reads ?? []))),
  );
}

/**
 * The round "for the drafts" (issue 21), asked after the pathway is decided: the questions
 * marked `drafts` not answered yet ("not known" is an answer), whose fact a draft to be written
 * reads (a document of the pathway; the case summary, which lists every answer, is no draft),
 * and whose own `when` and drafts `when` hold (the latter may read the pathway's `recommends`:
 * the grounds for sharing without consent only where that is recommended). In flow order.
 * Their answers change no step: the pathway is decided without them.
 */
export function draftQuestions(flow: Flow, pathway: Pathway): Question[] {
  const read = draftReads(flow, pathway);
  if (read.size === 0) return [];
  // As the rules saw it: recommended, not recommended, or (absent) not decided yet.
  const recommended = new Set(pathway.actions.map((a) => a.id));
  const undecided = new Set(pathway.undecided.map((u) => u.id));
  const recommends = new Map(
    flow.actions.flatMap((a) => (undecided.has(a.id) ? [] : [[a.id, recommended.has(a.id)] as const])),
  );
  const holds = (c: Question["when"]) =>
    !c || testCondition(flow, c, pathway.facts, recommends).status === "true";
  return flow.questions.filter(
    (q) =>
      q.drafts !== undefined &&
      !pathway.answers.has(q.fact.id) &&
      read.has(q.fact.id) &&
      holds(q.when) &&
      holds(q.drafts.when),
  );
}
