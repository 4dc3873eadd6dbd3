import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Pathway } from "../engine/decide.js";
import { InputError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { appendHistory, HISTORY, historyLine, historyMark, lockCase, readHistory } from "../io/history.js";
import {
  applyCase,
  CHRONOLOGY,
  CHRONOLOGY_DOCX,
  caseFolderAt,
  replaceFile,
  type Written,
} from "../io/output.js";
import type { SessionLock } from "../io/session-lock.js";
import { wordTwin } from "../render/case-files.js";
import { say } from "../words/problems.js";
import { assemble, type CaseOutputs, PNG } from "./assemble.js";
import type { Mark } from "./done.js";
import {
  type CaseState,
  type Changes,
  chronologyMarkdown,
  type Entry,
  entriesOf,
  entryFor,
  stateOf,
  whatChanged,
  whatChangedMarkdown,
} from "./history.js";

// A case written over time (issue 26): the case pipeline's write with its history. The
// folder is locked while its history is read and its files and entry written, so two
// windows never interleave; the entry is appended (fsync) after the files are written. A
// new folder is written with its history and chronology inside it (io/output.ts `along`):
// it appears by one rename with all of them, as whole as its drafts, so there is nothing
// to lock or append after.

/** A case folder opened to be changed: its history read, held by this window. */
export interface OpenCase {
  folder: string;
  caseId: string;
  entries: Entry[];
  state: CaseState;
  /** Lines of the history that were not whole (a killed run's last line). */
  torn: number;
  lock: SessionLock | undefined;
}

/**
 * A case folder (absolute), locked when it is one safeguard wrote (caseFolderAt: not an
 * empty folder made in advance, nor one of the lead's, which output.ts writes new or refuses),
 * and its history read (none, when it is not).
 */
export function openCase(folder: string, caseId: string, now: string): OpenCase {
  const ours = caseFolderAt(folder);
  const lock = ours ? lockCase(folder, caseId, now) : undefined;
  try {
    // Anything else there has no history of this case (and a file or a link is not read through).
    const read = ours ? readHistory(folder) : { entries: [], torn: [] };
    const entries = entriesOf(read.entries);
    return { folder, caseId, entries, state: stateOf(entries), torn: read.torn.length, lock };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** What writing a case over time did: its outputs, the files written and kept, what changed, its entry. */
export interface Recorded {
  assembled: CaseOutputs;
  written: Written | undefined;
  changes: Changes | null;
  entry: Entry;
  torn: number;
  /** A stale lock taken over: said to the user. */
  note?: string;
}

export interface RecordOptions {
  out: string;
  cwd: string;
  docx: boolean;
  /** pathway.png beside pathway.svg. */
  png?: boolean;
  force: boolean;
  today: string;
  now: string;
  source: string;
  kind?: Entry["kind"];
  extra?: ReadonlyMap<string, string>;
  /** For an entry of `done`: the step and its note. */
  step?: string;
  note?: string;
}

/** An entry planned before the case's files are assembled: what changed, its files, its entry and chronology. */
export interface Plan {
  changes: Changes | null;
  /** what-changed.md (on an update), beside `extra`. */
  extra: Map<string, string>;
  /** The entry, but for the drafts written (known once written). */
  entry: Entry;
  /** chronology.md with this entry. */
  chronology: string;
  /** Its Word twin, chronology.docx, when the drafts have theirs (chronologyTwin). */
  chronologyDocx?: Uint8Array;
}

/** What changed since the case's last entry, and the entry and chronology to write with its files. Pure. */
export function planRecord(
  flow: Flow,
  pathway: Pathway,
  marks: ReadonlyMap<string, Mark>,
  open: Pick<OpenCase, "entries" | "state" | "torn">,
  opts: Pick<RecordOptions, "today" | "now" | "source" | "kind" | "extra" | "step" | "note">,
): Plan {
  const { last } = open.state;
  const changes = last ? whatChanged(flow, last, pathway) : null;
  const extra = new Map(opts.extra);
  if (changes) extra.set("what-changed.md", whatChangedMarkdown(pathway.caseId, opts.today, changes));
  const entry: Entry = {
    ...entryFor(
      pathway,
      {
        at: opts.now,
        date: opts.today,
        kind: opts.kind ?? (last ? "update" : "run"),
        source: opts.source,
        ...(opts.step ? { step: opts.step } : {}),
        ...(opts.note ? { note: opts.note } : {}),
      },
      marks,
    ),
    ...(changes ? { changed: changes } : {}),
  };
  const chronology = chronologyMarkdown(flow, pathway.caseId, [...open.entries, entry], open.torn);
  return { changes, extra, entry, chronology };
}

/**
 * The plan with chronology.md's Word twin when the drafts get theirs (`docx`): chronology.docx
 * is written and rewritten with chronology.md, from the same Markdown as the drafts' twins.
 */
export async function chronologyTwin<P extends Pick<Plan, "chronology">>(
  plan: P,
  docx: boolean,
  today: string,
): Promise<P & Pick<Plan, "chronologyDocx">> {
  return docx ? { ...plan, chronologyDocx: await wordTwin(plan.chronology, CHRONOLOGY, today) } : plan;
}

/**
 * A folder whose drafts have Word twins: it keeps them (chronology.docx rewritten with
 * chronology.md, never left behind it), whether or not the command names Word: `done`,
 * `close` and `reopen` take no --format, the wizard writes none of its own, and a `run` or
 * `batch` without `--format md,docx` updates them as it updates a folder's picture.
 */
export function hasWordTwins(folder: string): boolean {
  return existsSync(join(folder, "case-summary.docx"));
}

/**
 * chronology.md replaced whole in a case folder (under its lock), and its Word twin with it:
 * written when given, and a twin an earlier run left removed when not (Word off), so none
 * ever shows less history than chronology.md.
 */
export function replaceChronology(folder: string, plan: Pick<Plan, "chronology" | "chronologyDocx">): void {
  replaceFile(folder, CHRONOLOGY, plan.chronology);
  if (plan.chronologyDocx) replaceFile(folder, CHRONOLOGY_DOCX, plan.chronologyDocx);
  else rmSync(join(folder, CHRONOLOGY_DOCX), { force: true });
}

/**
 * The case's files written to its folder (an update when it exists: drafts edited since
 * kept, the new version beside them), then its entry appended to the history, with the
 * drafts written, and chronology.md rendered. Under the case's lock (taken here when the
 * folder was new, or given), released at the end.
 */
export function commitRecord(
  assembled: Pick<CaseOutputs, "caseId" | "folder" | "files">,
  plan: Pick<Plan, "entry" | "chronology" | "chronologyDocx">,
  opts: {
    cwd: string;
    force: boolean;
    today: string;
    now: string;
    lock?: SessionLock | undefined;
    /** The history as it was read when the case was decided (historyMark): a write since is refused. */
    read?: number;
  },
): { written: Written | undefined; entry: Entry; note?: string } {
  let lock = opts.lock;
  try {
    const folder = resolve(opts.cwd, assembled.folder as string);
    if (!lock && caseFolderAt(folder)) lock = lockCase(folder, assembled.caseId, opts.now);
    if (opts.read !== undefined && historyMark(folder) !== opts.read)
      throw new InputError(say.caseChangedMeanwhile(assembled.caseId));
    const withDrafts = (w: Written | undefined): Entry => ({
      ...plan.entry,
      drafts: { written: w?.written.filter(isDraft) ?? [], kept: w?.kept ?? [] },
    });
    // A folder not there (or empty) when the lock would have been taken: written new, its history in it.
    let along: Entry | undefined;
    const written = applyCase(assembled, {
      cwd: opts.cwd,
      force: opts.force,
      today: opts.today,
      ...(lock
        ? {}
        : {
            along: (w: Written) => {
              along = withDrafts(w);
              return [
                { path: HISTORY, bytes: utf8.encode(historyLine(along)), mode: 0o600 },
                { path: CHRONOLOGY, bytes: utf8.encode(plan.chronology), mode: 0o600 },
                ...(plan.chronologyDocx
                  ? [{ path: CHRONOLOGY_DOCX, bytes: plan.chronologyDocx, mode: 0o600 as const }]
                  : []),
              ];
            },
          }),
    });
    if (along) return { written, entry: along };
    lock ??= lockCase(folder, assembled.caseId, opts.now);
    const entry = withDrafts(written);
    appendHistory(folder, entry);
    replaceChronology(folder, plan);
    return { written, entry, ...(lock.note ? { note: lock.note } : {}) };
  } finally {
    lock?.release();
  }
}

/**
 * The case's outputs written to its open folder with what changed since the last entry
 * (what-changed.md), then its entry appended to the history and chronology.md rendered.
 * Releases the folder.
 */
export async function recordCase(
  flow: Flow,
  pathway: Pathway,
  marks: ReadonlyMap<string, Mark>,
  open: OpenCase,
  opts: RecordOptions,
): Promise<Recorded> {
  let assembled: CaseOutputs;
  let plan: Plan;
  // A folder keeps its Word twins as it keeps its picture (below): one written with them is
  // updated with them, never left with Word drafts that lag behind the Markdown.
  const docx = opts.docx || hasWordTwins(open.folder);
  try {
    plan = await chronologyTwin(planRecord(flow, pathway, marks, open, opts), docx, opts.today);
    assembled = await assemble(flow, pathway, {
      out: opts.out,
      docx,
      // A folder keeps its picture: one written with pathway.png (by the wizard, or with
      // --format md,png) is updated with it, so the PNG never lags behind the SVG.
      png: opts.png === true || existsSync(join(open.folder, PNG)),
      extra: plan.extra,
    });
  } catch (error) {
    open.lock?.release();
    throw error;
  }
  const done = commitRecord(assembled, plan, { ...opts, lock: open.lock });
  const note = open.lock?.note ?? done.note;
  return {
    assembled,
    written: done.written,
    changes: plan.changes,
    entry: done.entry,
    torn: open.torn,
    ...(note ? { note } : {}),
  };
}

const utf8 = new TextEncoder();

/** A draft or summary (Markdown or Word), not the data files beside them. */
function isDraft(name: string): boolean {
  return /\.(md|docx)$/.test(name) && name !== "what-changed.md";
}
