import { join, resolve } from "node:path";
import type { Answers, Value } from "../engine/answers.js";
import { readCase } from "../engine/answers.js";
import { decide, type Pathway } from "../engine/decide.js";
import type { Problem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import type { Lexicon } from "../language/check.js";
import { loadLexicon } from "../language/load.js";
import { templateEngine } from "../render/documents.js";
import { renderOutputs } from "../render/outputs.js";
import type { ResultObject } from "../render/result.js";
import { caseFolderName, writePrivateFiles } from "./output.js";
import { bundledFlowsDir } from "./paths.js";

export type Decided = { ok: true; pathway: Pathway } | { ok: false; problems: Problem[] };

let lexicon: Lexicon | undefined;

/** The bundled language lexicon, loaded on first use and then kept. */
export function bundledLexicon(): Lexicon {
  lexicon ??= loadLexicon(bundledFlowsDir);
  return lexicon;
}

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
  const { answers, problems } = readCase(input.file, input.text, flow.facts);
  if (!answers) return { ok: false, problems };
  if (!answers.has("case_id") && opts.fallbackId) answers.set("case_id", opts.fallbackId as Value);
  return { ok: true, pathway: decide(flow, answers, opts.today, lexiconFor(flow, answers)) };
}

/**
 * Render a case's files and, when `out` is given, write them to `out/<folder>/`
 * (owner-only). `run --answers`, `batch` and the wizard's case files all come this way,
 * so they can never disagree.
 */
export function writeCase(
  flow: Flow,
  pathway: Pathway,
  opts: { out?: string | undefined; cwd: string; folderName?: string; extra?: ReadonlyMap<string, string> },
): { result: ResultObject; folder: string | null; files: string[] } {
  const { result, folder, files } = renderCase(flow, pathway, opts);
  if (folder !== null) writePrivateFiles(resolve(opts.cwd, folder), files);
  return { result, folder, files: [...files.keys()] };
}

/** writeCase without the writing: what it would write, and where (batch's worker threads). */
export function renderCase(
  flow: Flow,
  pathway: Pathway,
  opts: { out?: string | undefined; folderName?: string; extra?: ReadonlyMap<string, string> },
): { result: ResultObject; folder: string | null; files: Map<string, string> } {
  const folder =
    opts.out === undefined ? null : join(opts.out, opts.folderName ?? caseFolderName(pathway.caseId));
  const { files, result } = renderOutputs(templateEngine(), flow, pathway, folder);
  for (const [name, text] of opts.extra ?? []) files.set(name, text);
  return { result, folder, files };
}
