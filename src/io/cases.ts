import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Answers, Value } from "../engine/answers.js";
import { readCase } from "../engine/answers.js";
import { decide, type Pathway } from "../engine/decide.js";
import { InputError, UsageError } from "../errors.js";
import type { Problem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import type { Lexicon } from "../language/check.js";
import { loadLexicon } from "../language/load.js";
import { fsProblem, isFsError } from "./fs-errors.js";
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

/** The largest case file read: a case is facts and a description, never megabytes. */
export const MAX_CASE_BYTES = 4 * 1024 * 1024;

/**
 * A case file's text, or an InputError saying why not (shown as `file`): not there, a
 * folder, over MAX_CASE_BYTES (read no further, so `/dev/zero` stops at once), or not
 * UTF-8 (with the line of the first bad byte; never replaced silently).
 */
export function readCaseFile(path: string, file: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new InputError(`cannot read the case file ${file}: ${fsReason(error)}`);
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new InputError(`${file} is a folder, not a case file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        throw new InputError(`cannot read the case file ${file}: ${fsReason(error)}`);
      }
      if (n === 0) break;
      total += n;
      if (total > MAX_CASE_BYTES)
        throw new InputError(
          `the case file ${file} is larger than ${MAX_CASE_BYTES / 1024 / 1024} MB: is it the right file?`,
        );
      chunks.push(chunk.subarray(0, n));
    }
    return decodeCase(Buffer.concat(chunks), file);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text, or an InputError naming the line of the first byte that is not UTF-8. */
export function decodeCase(bytes: Buffer, file: string, firstLine = 1): string {
  if (!isUtf8(bytes)) {
    let line = firstLine;
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      if (!isUtf8(slice) || end === -1) break;
      line++;
      start = end + 1;
    }
    throw new InputError(`${file}:${line}: is not UTF-8 text (save it as UTF-8 and try again)`);
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/** Why a file could not be read, in words. */
function fsReason(error: unknown): string {
  return isFsError(error) ? fsProblem(error).replace(/^cannot \w+ .*?: /, "") : fsProblem(error);
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

/** `--format`: md (always written: the drafts' source), optionally docx as well. */
export function wantsDocx(format: string | undefined): boolean {
  if (format === undefined) return false;
  const names = format.split(",").map((f) => f.trim());
  const unknown = names.filter((f) => f !== "md" && f !== "docx");
  if (unknown.length > 0) throw new UsageError(`--format ${format}: use md, docx, or md,docx`);
  return names.includes("docx");
}
