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
  /** pathway.png beside pathway.svg (the wizard; `--format md,png`): then assembled asynchronously. */
  png?: boolean;
  /** Files of the case's own beside the outputs (the wizard's answers.yaml), by name. */
  extra?: ReadonlyMap<string, string>;
}

/** The timeline as a picture, beside pathway.svg, where it is wanted. */
export const PNG = "pathway.png";

/** A case assembled to be written: its folder is always known. */
export type CaseOutputs = AssembledCase & { folder: string };

/** A case's own folder under OUT (--out), as it is shown. */
export function caseFolder(out: string, caseId: string): string {
  return join(out, caseFolderName(caseId));
}

/**
 * Every output of a case, as data (nothing written): pathway.json and the result object,
 * the case summary, the drafts, deadlines.ics, the picture (and as PNG with `png`), `extra`,
 * and Word twins with `docx`. `run --answers`, `batch` and the wizard all assemble a case here and write it with
 * applyCase (io/output.ts), so they cannot disagree.
 */
export function assemble(
  flow: Flow,
  pathway: Pathway,
  options: AssembleOptions & ({ docx: true } | { png: true }),
): Promise<CaseOutputs>;
export function assemble(
  flow: Flow,
  pathway: Pathway,
  options: AssembleOptions & { docx?: false; png?: false },
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
  if (!options.docx && !options.png) return assembled;
  return (async () => {
    const twins = options.docx ? await withWordTwins(assembled) : assembled;
    // Loaded only when asked for: the rasteriser takes a moment to start.
    return options.png ? (await import("../io/png.js")).withPathwayPng(twins) : twins;
  })();
}
