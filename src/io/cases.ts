import type { Answers, Value } from "../engine/answers.js";
import { readCase } from "../engine/answers.js";
import { decide, type Pathway } from "../engine/decide.js";
import type { Problem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import type { Lexicon } from "../language/check.js";
import { bundledLexicon } from "./lexicon.js";

// Reading a case file needs no engine (batch's main thread reads, worker threads decide).
export { decodeCase, MAX_CASE_BYTES, readCaseFile, wantsDocx } from "./case-text.js";

export type Decided = { ok: true; pathway: Pathway } | { ok: false; problems: Problem[] };

/** The language lexicon, only when there is free text to check. */
export function lexiconFor(flow: Flow, answers: Answers): { lexicon?: Lexicon } {
  const hasText = [...answers].some(
    ([id, v]) => flow.facts.get(id)?.type === "text" && typeof v === "string",
  );
  return hasText ? { lexicon: bundledLexicon() } : {};
}

/** Read and check a case file's text, then decide its pathway. */
export function decideCase(
  flow: Flow,
  input: { file: string; text: string },
  opts: { today: string; fallbackId?: string },
): Decided {
  const { answers, problems } = readCase(input.file, input.text, flow.facts, { today: opts.today });
  if (!answers) return { ok: false, problems };
  if (!answers.has("case_id") && opts.fallbackId) answers.set("case_id", opts.fallbackId as Value);
  return { ok: true, pathway: decide(flow, answers, opts.today, lexiconFor(flow, answers)) };
}
