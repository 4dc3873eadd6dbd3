import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError } from "../errors.js";
import { readHistory } from "../io/history.js";
import { caseFolderName, MANIFEST } from "../io/output.js";
import type { ResultObject } from "../render/result.js";
import { say } from "../words/problems.js";
import { type CaseState, entriesOf, stateOf } from "./history.js";

// The lead's case folders as `due`, `cases`, `done`, `close` and `reopen` find them (issue 26).

/** A case folder, or each case folder in a folder (its --out), or an InputError. */
export function caseFolders(path: string, given: string): string[] {
  if (existsSync(join(path, MANIFEST))) return [path];
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    throw new InputError(say.cannotReadFolder(given));
  }
  const found = names.map((n) => join(path, n)).filter((p) => existsSync(join(p, MANIFEST)));
  if (found.length === 0) throw new InputError(say.noCaseFolders(given));
  return found.sort();
}

/**
 * The case a command is given (CASE: its folder, as `done` and `update` take it), found from
 * the working folder: the folder (absolute) and its case, or an InputError saying it is none.
 */
export function findCase(cwd: string, given: string): { folder: string; caseId: string } {
  const folder = resolve(cwd, given);
  return { folder, caseId: caseIdOf(folder, given) };
}

/** The case a folder safeguard wrote holds (its manifest), or an InputError saying it is none. */
export function caseIdOf(folder: string, given: string): string {
  let caseId: unknown;
  try {
    caseId = (JSON.parse(readFileSync(join(folder, MANIFEST), "utf8")) as { case_id?: unknown }).case_id;
  } catch {
    throw new InputError(say.notACaseFolder(given));
  }
  if (typeof caseId !== "string" || caseFolderName(caseId) !== basename(folder))
    throw new InputError(say.notACaseFolder(given));
  return caseId;
}

/** Where a case folder's history leaves it: its last facts, marks, and whether it is closed. */
export function folderState(folder: string): CaseState {
  return stateOf(entriesOf(readHistory(folder).entries));
}

/** The result object a case folder holds (pathway.json), or an InputError. */
export function pathwayOf(folder: string): ResultObject {
  try {
    return JSON.parse(readFileSync(join(folder, "pathway.json"), "utf8")) as ResultObject;
  } catch {
    throw new InputError(say.unreadablePathway(folder));
  }
}
