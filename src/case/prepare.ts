import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { fsProblem } from "../io/fs-errors.js";
import { historyMark, readHistory } from "../io/history.js";
import { caseFolderAt, caseFolderName } from "../io/output.js";
import type { CaseFile } from "../render/case-files.js";
import { say } from "../words/problems.js";
import { assemble, caseFolder, PNG } from "./assemble.js";
import { decideCase } from "./decide.js";
import { type Entry, entriesOf, stateOf } from "./history.js";
import { chronologyTwin, commitRecord, hasWordTwins, planRecord } from "./record.js";

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
  /** Where --out is from, and the time the run started (each case's history entry). */
  cwd: string;
  now: string;
  today: string;
  docx: boolean;
  /** pathway.png beside pathway.svg (`--format md,png`). */
  png: boolean;
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

/** A note with the case's files and its history entry, kept where it was rendered until it may be written. */
export type Prepared = Note & {
  files?: CaseFile[];
  /** Its entry and chronology, and how far its history had got when it was read (historyMark). */
  record?: { entry: Entry; chronology: string; chronologyDocx?: Uint8Array; read: number };
};

/** The note alone, without the files. */
export function note(prepared: Prepared): Note {
  const { files: _, record: __, ...rest } = prepared;
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
  let history: ReturnType<typeof readHistory>;
  let read = -1;
  const decideWith = (marks?: ReturnType<typeof stateOf>["marks"]) =>
    decideCase(
      flow,
      { file: input.file, text: input.text as string },
      { today: opts.today, fallbackId: input.stem, redact: opts.redact, ...(marks ? { marks } : {}) },
    );
  try {
    decided = decideWith();
    // An update of a case written before (issue 26): its history read, and the steps marked
    // done there kept. The write (writePrepared) takes the case's lock and is refused if the
    // history has grown since this read: read, decide and write are one section per case,
    // as if locked throughout, and a second window's write in between is never lost.
    if (decided.ok) {
      const folder = resolve(opts.cwd, caseFolder(opts.out, decided.pathway.caseId));
      read = historyMark(folder);
      // Only a case folder safeguard wrote has a history (not a file or a link there: the write says why).
      history = caseFolderAt(folder) ? readHistory(folder) : { entries: [], torn: [] };
    } else history = { entries: [], torn: [] };
  } catch (error) {
    // One case that cannot be decided (a date past 9999-12-31, say) never stops the others.
    const why = error instanceof Error ? error.message : String(error);
    return { kind: "failed", problems: [say.caseNotWorkedOut(why)] };
  }
  if (!decided.ok) return { kind: "failed", problems: decided.problems.map(formatProblem) };
  const entries = entriesOf(history.entries);
  const state = stateOf(entries);
  if (state.marks.size > 0) decided = decideWith(state.marks);
  if (!decided.ok) return { kind: "failed", problems: decided.problems.map(formatProblem) };
  const { pathway, marks } = decided;
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
    const planned = planRecord(
      flow,
      pathway,
      marks,
      { entries, state, torn: history.torn.length },
      { today: opts.today, now: opts.now, source: `case file ${input.file} (batch)` },
    );
    const here = resolve(opts.cwd, ready.folder);
    // A folder keeps its Word twins, as record.ts says (a new one has none to keep: no look).
    const docx = opts.docx || (entries.length > 0 && hasWordTwins(here));
    const plan = await chronologyTwin(planned, docx, opts.today);
    const { files } = await assemble(flow, pathway, {
      out: opts.out,
      docx,
      // A folder keeps its picture, as record.ts says.
      png: opts.png || existsSync(join(here, PNG)),
      extra: plan.extra,
    });
    const { entry, chronology, chronologyDocx } = plan;
    return {
      ...ready,
      files,
      record: { entry, chronology, ...(chronologyDocx ? { chronologyDocx } : {}), read },
    };
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
  opts: { cwd: string; force: boolean; today: string; now: string },
): string | undefined {
  if (prepared.files === undefined || prepared.record === undefined)
    return `could not write the files: ${prepared.renderError}`;
  try {
    const { caseId, folder, files, record } = prepared;
    commitRecord({ caseId, folder, files }, record, { ...opts, read: record.read });
    return undefined;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    return `could not write the files: ${fsProblem(error)}`;
  }
}
