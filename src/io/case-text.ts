import { isUtf8 } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError, UsageError } from "../errors.js";
import { say } from "../words/problems.js";
import { fsProblem, isFsError } from "./fs-errors.js";

// A case file's text, read and checked without loading the engine: batch's main thread
// reads the cases here while worker threads decide them (src/commands/batch-worker.ts).

/** The largest case file read: a case is facts and a description, never megabytes. */
export const MAX_CASE_BYTES = 4 * 1024 * 1024;

/**
 * A case file's text, or an InputError saying why not (shown as `file`): not there, a
 * folder, over MAX_CASE_BYTES (read no further, so `/dev/zero` stops at once), or not
 * UTF-8 (with the line of the first bad byte; never replaced silently).
 */
/**
 * One read buffer for every case file, reused (reads are synchronous), each read copied out at
 * its own size: a batch reads thousands of files of a few KB, and a new 64 KB buffer for each
 * was memory outside the heap that a thread which only reads (batch's main thread, while
 * worker threads decide) held until a collection came, up to 25 MB (issue 25).
 */
let scratch: Buffer | undefined;

export function readCaseFile(path: string, file: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new InputError(say.cannotReadCase(file, fsReason(error)));
  }
  try {
    if (fstatSync(fd).isDirectory()) throw new InputError(say.caseIsFolder(file));
    const chunks: Buffer[] = [];
    let total = 0;
    scratch ??= Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, scratch, 0, scratch.length, null);
      } catch (error) {
        throw new InputError(say.cannotReadCase(file, fsReason(error)));
      }
      if (n === 0) break;
      total += n;
      if (total > MAX_CASE_BYTES)
        throw new InputError(say.caseTooLarge(`the case file ${file}`, MAX_CASE_BYTES / 1024 / 1024));
      chunks.push(Buffer.from(scratch.subarray(0, n)));
    }
    return decodeCase(Buffer.concat(chunks), file);
  } finally {
    closeSync(fd);
  }
}

/** How standard input is named in messages: `<stdin>:7:9  concern.date: …`. */
export const STDIN_NAME = "<stdin>";

/**
 * A case given on standard input (`run --answers -`), read and checked as a case file is:
 * held only up to MAX_CASE_BYTES (read no further), UTF-8 or an error naming the line.
 */
export async function readCaseStream(stream: NodeJS.ReadableStream, file = STDIN_NAME): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += bytes.length;
    if (total > MAX_CASE_BYTES) throw new InputError(say.stdinTooLarge(file, MAX_CASE_BYTES / 1024 / 1024));
    chunks.push(bytes);
  }
  return decodeCase(Buffer.concat(chunks), file);
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
    throw new InputError(say.notUtf8(`${file}:${line}`));
  }
  return new TextDecoder("utf-8").decode(bytes);
}

/** Why a file could not be read, in words. */
function fsReason(error: unknown): string {
  return isFsError(error) ? fsProblem(error).replace(/^cannot \w+ .*?: /, "") : fsProblem(error);
}

/**
 * `--format`: md (always written: the drafts' source), and as well docx (a Word twin of each
 * draft) and png (the timeline as a picture, beside pathway.svg), in any order.
 */
function formats(format: string | undefined): string[] {
  if (format === undefined) return [];
  const names = format.split(",").map((f) => f.trim());
  if (names.some((f) => f !== "md" && f !== "docx" && f !== "png")) throw new UsageError(say.formats(format));
  return names;
}

export const wantsDocx = (format: string | undefined): boolean => formats(format).includes("docx");
export const wantsPng = (format: string | undefined): boolean => formats(format).includes("png");
