import type { Pathway } from "../engine/decide.js";
import { InputError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { decideCase } from "../io/cases.js";
import { type AssembledCase, assembleCase, withWordTwins } from "../render/case-files.js";

/**
 * The one place the training pack reaches the case pipeline: a story's case decided as
 * `run --answers` and `demo` decide it, and its folder assembled as `run --out` assembles
 * one. When the pipeline moves (src/case/), only this file is re-pointed.
 */
export function decideStory(flow: Flow, file: string, caseText: string, toldOn: string): Pathway {
  const decided = decideCase(flow, { file, text: caseText }, { today: toldOn });
  if (decided.ok) return decided.pathway;
  const n = decided.problems.length;
  throw new InputError(
    `the case in ${file} has ${n} problem${n === 1 ? "" : "s"}:`,
    decided.problems.map(formatProblem),
  );
}

/** A story's folder as `run --out` writes it (the drafts, timeline and calendar), with Word twins when asked. */
export async function storyFolder(
  flow: Flow,
  pathway: Pathway,
  folder: string,
  docx: boolean,
): Promise<AssembledCase> {
  const assembled = assembleCase(flow, pathway, { folder });
  return docx ? withWordTwins(assembled) : assembled;
}
