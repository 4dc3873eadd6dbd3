import { decideCase, decidedPathway } from "../case/decide.js";
import type { Pathway } from "../engine/decide.js";
import type { Flow } from "../flow/types.js";
import { type AssembledCase, assembleCase, withWordTwins } from "../render/case-files.js";

/**
 * The one place the training pack reaches the case pipeline: a story's case decided as
 * `run --answers` and `demo` decide it, and its folder assembled as `run --out` assembles
 * one. When the pipeline moves (src/case/), only this file is re-pointed.
 */
export function decideStory(flow: Flow, file: string, caseText: string, toldOn: string): Pathway {
  return decidedPathway(decideCase(flow, { file, text: caseText }, { today: toldOn }), `the case in ${file}`);
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
