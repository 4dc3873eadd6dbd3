import type { Pathway } from "../engine/decide.js";
import type { Flow } from "../flow/types.js";
import { templateEngine } from "./documents.js";
import { renderOutputs } from "./outputs.js";
import type { ResultObject } from "./result.js";

/** One file of a case's folder, as data: where it goes in the folder, its bytes, its mode. */
export interface CaseFile {
  path: string;
  bytes: Uint8Array;
  /** Owner-only: every file holds personal data. */
  mode: 0o600;
}

/**
 * A case's folder, assembled and not yet written: `folder` as the caller shows it (null when
 * nothing is to be written), the result object, and every file in the order written.
 */
export interface AssembledCase {
  caseId: string;
  folder: string | null;
  result: ResultObject;
  files: CaseFile[];
}

const utf8 = new TextEncoder();
const file = (path: string, content: string | Uint8Array): CaseFile => ({
  path,
  bytes: typeof content === "string" ? utf8.encode(content) : content,
  mode: 0o600,
});

/**
 * The pure half of the case pipeline: a pathway to its files (pathway.json, the case
 * summary, the drafts, deadlines.ics, and `extra`, such as the wizard's answers.yaml).
 * Every command assembles a case through src/case/assemble.ts, which calls this, then
 * applies it (io/output.ts), so they can never disagree.
 */
export function assembleCase(
  flow: Flow,
  pathway: Pathway,
  opts: { folder: string | null; extra?: ReadonlyMap<string, string> },
): AssembledCase {
  const { files, result } = renderOutputs(templateEngine(flow.templates), flow, pathway, opts.folder);
  for (const [name, text] of opts.extra ?? []) files.set(name, text);
  return {
    caseId: pathway.caseId,
    folder: opts.folder,
    result,
    files: [...files].map(([name, text]) => file(name, text)),
  };
}

/** The case with a Word twin after its files for each Markdown file (`--format md,docx`). */
export async function withWordTwins<C extends AssembledCase>(assembled: C): Promise<C> {
  const decoder = new TextDecoder("utf-8");
  const twins: CaseFile[] = [];
  for (const f of assembled.files) {
    if (!f.path.endsWith(".md")) continue;
    const docx = await wordTwin(decoder.decode(f.bytes), f.path, assembled.result.today);
    twins.push(file(f.path.replace(/\.md$/, ".docx"), docx));
  }
  return { ...assembled, files: [...assembled.files, ...twins] };
}

/**
 * A Markdown file's Word twin (a draft's, or chronology.md's). Dated with the day the case
 * was worked out on, not the clock: the same case and day give the same bytes, as the
 * Markdown does.
 */
export async function wordTwin(markdown: string, title: string, today: string): Promise<Uint8Array> {
  // Loaded only when asked for: the Word library is large, and most runs never need it.
  const { markdownToDocx } = await import("./docx.js");
  return markdownToDocx(markdown, { title, date: today });
}
