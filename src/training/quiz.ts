import { createHash } from "node:crypto";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";
import type { Action, Flow } from "../flow/types.js";

/**
 * The quiz that teaches: for a story's decision points, the right next step and two or
 * three plausible wrong ones drawn from the flow itself (the other age group's steps, a
 * neighbouring section's, then the same section's), each with feedback that says why and
 * cites the section. A wrong choice is only ever a step the procedures do not recommend
 * for this case: a step still undecided (it waits for a fact not known) is never offered
 * as wrong. Pure: the same flow and pathway give the same questions in the same order.
 */
export interface QuizChoice {
  text: string;
  right: boolean;
  /** Why it is right or wrong, in plain words, with the section. */
  feedback: string;
}

export interface QuizQuestion {
  /** The step of the pathway it asks about (1-based). */
  step: number;
  /** The part of the procedures the step is in: the hint. */
  section: string;
  question: string;
  choices: QuizChoice[];
}

/** The other age group's section, for the wrong answers a room most often gives. */
const OTHER_GROUP: Record<string, string> = {
  "Under 18": "18 and over",
  "18 and over": "Under 18",
};

/** A stable order that does not follow the flow's (so the right answer is not always first). */
const stir = (seed: string) => createHash("sha256").update(seed).digest("hex");

/** Where a step belongs, in words: "the 18 and over part (Procedures §13.2)". */
const whereFrom = (a: Pick<Action, "section" | "cite">) =>
  `the "${a.section}" part of the procedures (${a.cite})`;

function dueSentence(r: Recommendation): string {
  if (r.due === null) return r.dueWords ? `No date is set: ${r.dueWords}.` : "No date is set.";
  const expected = r.expected ? `, ${r.expected}` : "";
  // The due words often say the date already ("today (Wed 28 Apr 2027)"): not twice.
  if (r.dueWords.includes(formatLong(r.due))) return `Due ${r.dueWords}${expected}.`;
  return `By ${formatLong(r.due)}${expected}${r.dueWords ? ` (${r.dueWords})` : ""}.`;
}

/** Wrong answers for a step: steps of the flow this pathway does not recommend and does not wait on. */
function wrongFor(flow: Flow, p: Pathway, step: Recommendation, how: number): Action[] {
  const recommended = new Set(p.actions.map((a) => a.id));
  const waiting = new Set(p.undecided.map((u) => u.id));
  const titles = new Set(p.actions.map((a) => a.title));
  const offered = flow.actions.filter(
    (a) => !recommended.has(a.id) && !waiting.has(a.id) && !titles.has(a.title) && a.section !== "Checks",
  );
  const sections = flow.sections.filter((s) => offered.some((a) => a.section === s));
  const at = sections.indexOf(step.section);
  const neighbours = [sections[at - 1], sections[at + 1]].filter((s): s is string => s !== undefined);
  const tiers = [
    offered.filter((a) => a.section === OTHER_GROUP[step.section]),
    offered.filter((a) => neighbours.includes(a.section)),
    offered.filter((a) => a.section === step.section),
    offered,
  ];
  const out: Action[] = [];
  for (const tier of tiers) {
    const sorted = [...tier].sort((a, b) => (stir(step.id + a.id) < stir(step.id + b.id) ? -1 : 1));
    for (const a of sorted) {
      if (out.length >= how) return out;
      if (!out.some((o) => o.id === a.id || o.title === a.title)) out.push(a);
    }
  }
  return out;
}

/** The part every concern starts with: asked about last, since the decisions a story turns on come after it. */
const EVERY_CONCERN = "All ages: at the point of concern";

/**
 * The decision points asked about: one step from each part of the procedures the pathway
 * passes through (the parts a story turns on before the steps every concern starts with),
 * then the next steps, up to `most`; asked in pathway order.
 */
function asked(p: Pathway, most: number): number[] {
  const first: number[] = [];
  const seen = new Set<string>();
  p.actions.forEach((a, i) => {
    if (!seen.has(a.section)) {
      seen.add(a.section);
      first.push(i);
    }
  });
  first.sort(
    (a, b) =>
      Number(p.actions[a]?.section === EVERY_CONCERN) - Number(p.actions[b]?.section === EVERY_CONCERN),
  );
  const rest = p.actions.map((_, i) => i).filter((i) => !first.includes(i));
  return [...first, ...rest].slice(0, most).sort((a, b) => a - b);
}

export function quizQuestions(
  flow: Flow,
  p: Pathway,
  opts: { most: number; wrong?: number },
): QuizQuestion[] {
  return asked(p, opts.most).map((i) => {
    const step = p.actions[i] as Recommendation;
    const before = i > 0 ? p.actions[i - 1] : undefined;
    const question = before
      ? `After "${before.title}", what do the procedures say must also happen?`
      : "What is the first thing to do?";
    const why = step.because[0];
    const right: QuizChoice = {
      text: step.title,
      right: true,
      feedback: `Right: ${why ? `${why.because} (${why.cite}). ` : ""}${dueSentence(step)} See ${step.citation}.`,
    };
    const wrong = wrongFor(flow, p, step, opts.wrong ?? 3).map(
      (a): QuizChoice => ({
        text: a.title,
        right: false,
        feedback:
          OTHER_GROUP[step.section] === a.section
            ? `Not here: that step is in ${whereFrom(a)}, for the other age group.`
            : `Not here: that step is in ${whereFrom(a)}, and the procedures do not call for it in this case.`,
      }),
    );
    const choices = [right, ...wrong].sort((a, b) =>
      stir(`${step.id}|${a.text}`) < stir(`${step.id}|${b.text}`) ? -1 : 1,
    );
    return { step: i + 1, section: step.section, question, choices };
  });
}

export const LETTERS = ["A", "B", "C", "D", "E"];

/** The letter of a question's right choice. */
export function rightLetter(q: QuizQuestion): string {
  return LETTERS[q.choices.findIndex((c) => c.right)] ?? "?";
}
