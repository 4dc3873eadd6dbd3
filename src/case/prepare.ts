import { formatProblem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { fsProblem } from "../io/fs-errors.js";
import { applyCase, caseFolderName } from "../io/output.js";
import type { CaseFile } from "../render/case-files.js";
import { say } from "../words/problems.js";
import { assemble, caseFolder } from "./assemble.js";
import { decideCase } from "./decide.js";

/** A case file as batch read it: its text, or why it could not be read. */
export interface Input {
  file: string;
  text?: string;
  /** Why the input could not be read at all. */
  error?: string;
  /** The file's name: the case's folder when it has no case_id. */
  stem: string;
}

/** What batch does the same for every case, wherever it is worked out. */
export interface CaseOptions {
  out: string;
  today: string;
  docx: boolean;
  redact: boolean;
}

/**
 * A case decided and rendered, as the main thread needs to know of it: plain data, so a
 * worker thread can send it (structured clone). `failed` before it has a folder
 * (unreadable, bad input, a pathway that cannot be worked out); otherwise its folder, and
 * why its files could not be made if they could not (reported as "could not write the files").
 */
export type Note =
  | { kind: "failed"; problems: string[] }
  | {
      kind: "ready";
      caseId: string;
      /** The case's folder name under --out: two cases with one name cannot both be written. */
      name: string;
      folder: string;
      actions: number;
      documents: number;
      renderError?: string;
    };

/** A note with the case's files, kept where it was rendered until it may be written. */
export type Prepared = Note & { files?: CaseFile[] };

/** The note alone, without the files. */
export function note(prepared: Prepared): Note {
  const { files: _, ...rest } = prepared;
  return rest;
}

/**
 * One case of a batch, decided and assembled (no disk): the same steps on the main thread
 * (`--jobs 1`, a small batch) and in a worker thread (src/commands/batch-worker.ts), so they
 * cannot disagree. The main thread then has it written, in input order (src/commands/batch.ts).
 */
export async function prepareCase(flow: Flow, input: Input, opts: CaseOptions): Promise<Prepared> {
  if (input.error !== undefined || input.text === undefined)
    return { kind: "failed", problems: [input.error ?? say.caseUnreadable()] };
  let decided: ReturnType<typeof decideCase>;
  try {
    decided = decideCase(
      flow,
      { file: input.file, text: input.text },
      { today: opts.today, fallbackId: input.stem, redact: opts.redact },
    );
  } catch (error) {
    // One case that cannot be decided (a date past 9999-12-31, say) never stops the others.
    const why = error instanceof Error ? error.message : String(error);
    return { kind: "failed", problems: [say.caseNotWorkedOut(why)] };
  }
  if (!decided.ok) return { kind: "failed", problems: decided.problems.map(formatProblem) };
  const { pathway } = decided;
  const name = caseFolderName(pathway.caseId);
  const ready = {
    kind: "ready" as const,
    caseId: pathway.caseId,
    name,
    folder: caseFolder(opts.out, pathway.caseId),
    actions: pathway.actions.length,
    documents: pathway.documents.length + 1,
  };
  try {
    const { files } = await assemble(flow, pathway, { out: opts.out, docx: opts.docx });
    return { ...ready, files };
  } catch (error) {
    return { ...ready, renderError: fsProblem(error) };
  }
}

/**
 * A prepared case written to its folder (io/output.ts: owner-only files in a temporary
 * folder, renamed into place), once the main thread has said no other case has that
 * folder. Undefined when written, or why not, as batch reports it.
 */
export function writePrepared(
  prepared: Prepared & { kind: "ready" },
  opts: { cwd: string; force: boolean },
): string | undefined {
  if (prepared.files === undefined) return `could not write the files: ${prepared.renderError}`;
  try {
    const { caseId, folder, files } = prepared;
    applyCase({ caseId, folder, files }, opts);
    return undefined;
  } catch (error) {
    return `could not write the files: ${fsProblem(error)}`;
  }
}
