import { join } from "node:path";
import type { Pathway } from "../engine/decide.js";
import type { Flow } from "../flow/types.js";
import { caseFolderName } from "../io/output.js";
import { type AssembledCase, assembleCase, withWordTwins } from "../render/case-files.js";

// Loaded only by a command that writes a case's folder: the drafts' modules (Liquid, the
// templates) are not started by one that does not (`run --answers` without --out, issue 10).

export interface AssembleOptions {
  /** The folder the case's own folder goes in (--out): OUT/<case_id as a folder name>. */
  out: string;
  /** A Word twin of every Markdown file (`--format md,docx`): then assembled asynchronously. */
  docx?: boolean;
  /** Files of the case's own beside the outputs (the wizard's answers.yaml), by name. */
  extra?: ReadonlyMap<string, string>;
}

/** A case assembled to be written: its folder is always known. */
export type CaseOutputs = AssembledCase & { folder: string };

/** A case's own folder under OUT (--out), as it is shown. */
export function caseFolder(out: string, caseId: string): string {
  return join(out, caseFolderName(caseId));
}

/**
 * Every output of a case, as data (nothing written): pathway.json and the result object,
 * the case summary, the drafts, deadlines.ics, the picture, `extra`, and Word twins with
 * `docx`. `run --answers`, `batch` and the wizard all assemble a case here and write it with
 * applyCase (io/output.ts), so they cannot disagree.
 */
export function assemble(
  flow: Flow,
  pathway: Pathway,
  options: AssembleOptions & { docx: true },
): Promise<CaseOutputs>;
export function assemble(
  flow: Flow,
  pathway: Pathway,
  options: AssembleOptions & { docx?: false },
): CaseOutputs;
export function assemble(
  flow: Flow,
  pathway: Pathway,
  options: AssembleOptions,
): CaseOutputs | Promise<CaseOutputs>;
export function assemble(
  flow: Flow,
  pathway: Pathway,
  options: AssembleOptions,
): CaseOutputs | Promise<CaseOutputs> {
  const folder = caseFolder(options.out, pathway.caseId);
  const assembled = {
    ...assembleCase(flow, pathway, { folder, ...(options.extra ? { extra: options.extra } : {}) }),
    folder,
  };
  return options.docx ? withWordTwins(assembled) : assembled;
}
