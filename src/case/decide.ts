import { type Answers, readCase, type Value } from "../engine/answers.js";
import { decide, type Pathway } from "../engine/decide.js";
import { InputError } from "../errors.js";
import { formatProblem, type Problem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { bundledLexicon } from "../io/lexicon.js";
import type { Lexicon } from "../language/check.js";
import { redactPathway, redactProblem } from "../render/redact.js";
import { say } from "../words/problems.js";
import { doneByFacts, type Mark, whyNotMarkable, withDone } from "./done.js";

/**
 * A case decided: its pathway (with its steps done) and every mark of a step done, the
 * case file's over those marked before (`marks`); or every problem of the case file.
 */
export type Decided =
  | { ok: true; pathway: Pathway; marks: Map<string, Mark> }
  | { ok: false; problems: Problem[] };

/** The language lexicon, only when there is free text to check. */
export function lexiconFor(flow: Flow, answers: Answers): { lexicon?: Lexicon } {
  const hasText = [...answers].some(
    ([id, v]) => flow.facts.get(id)?.type === "text" && typeof v === "string",
  );
  return hasText ? { lexicon: bundledLexicon() } : {};
}

/**
 * The case pipeline's read and decide: a case file's text checked against the flow's facts,
 * then its pathway. `redact`: decided from the real facts, and only what is shown redacted
 * (the pathway, and the problems of a case that could not be read).
 */
export function decideCase(
  flow: Flow,
  input: { file: string; text: string },
  opts: { today: string; fallbackId?: string; redact?: boolean; marks?: ReadonlyMap<string, Mark> },
): Decided {
  const { answers, done, doneAt, problems } = readCase(input.file, input.text, flow.facts, {
    today: opts.today,
    steps: flow.actions.map((a) => a.id),
  });
  if (!answers)
    return { ok: false, problems: opts.redact ? problems.map((p) => redactProblem(flow, p)) : problems };
  if (!answers.has("case_id") && opts.fallbackId) answers.set("case_id", opts.fallbackId as Value);
  const decided = decide(flow, answers, opts.today, lexiconFor(flow, answers));
  // A step the case file marks done must be one the pathway recommends (or the facts show
  // done already): otherwise the mark is refused with the reason, where it is written.
  const byFacts = doneByFacts(flow, decided.answers, decided.facts);
  const refused: Problem[] = [];
  for (const id of done?.keys() ?? []) {
    const why = byFacts.has(id) ? undefined : whyNotMarkable(flow, decided, id);
    if (why)
      refused.push({
        file: input.file,
        ...(doneAt?.get(id) ?? { line: 1, column: 1 }),
        field: `done.${id}`,
        message: say.doneNotRecommended(why),
      });
  }
  if (refused.length > 0)
    return { ok: false, problems: opts.redact ? refused.map((p) => redactProblem(flow, p)) : refused };
  const marks = new Map(opts.marks);
  for (const [id, date] of done ?? []) marks.set(id, { date });
  const pathway = withDone(flow, decided, marks);
  return { ok: true, pathway: opts.redact ? redactPathway(flow, pathway) : pathway, marks };
}

/** The pathway decided, or an InputError (exit 2) listing every problem of `what` ("the case file x.yaml"). */
export function decidedPathway(decided: Decided, what: string): Pathway {
  if (decided.ok) return decided.pathway;
  throw new InputError(say.problemList(what, decided.problems.length), decided.problems.map(formatProblem));
}
