import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { caseIndexFile, knownCases } from "../io/case-index.js";
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
 * The case CASE names (issue 26): a case folder, or, with the lead's environment (`env`), a
 * case reference the data folder knows. The one way done, close, reopen and update find
 * the case they change. An unknown or ambiguous reference is an InputError saying what to give.
 */
export function findCase(
  cwd: string,
  given: string,
  env?: Record<string, string | undefined>,
): { folder: string; caseId: string } {
  const folder = resolve(cwd, given);
  if (env === undefined || existsSync(folder)) return { folder, caseId: caseIdOf(folder, given) };
  const { cases } = knownCases(env);
  let named = cases.filter((c) => c.caseId === given);
  if (named.length === 0) named = cases.filter((c) => c.caseId.toLowerCase() === given.toLowerCase());
  const [one, ...more] = named;
  if (one && more.length === 0) return { folder: one.folder, caseId: caseIdOf(one.folder, given) };
  if (one)
    throw new InputError(
      say.ambiguousCase(
        given,
        named.map((c) => c.folder),
      ),
    );
  throw new InputError(say.unknownCase(given, [...new Set(cases.map((c) => c.caseId))].sort()));
}

/**
 * The case folders `due` and `cases` list: in each path given (a case folder, or a folder
 * holding them), or with none given, those the data folder knows. Folders it knew that are
 * gone are left out, said once on `warn`.
 */
export function listedFolders(
  args: readonly string[],
  world: { cwd: string; env: Record<string, string | undefined>; now: () => string },
  command: "due" | "cases",
  warn: (line: string) => void,
): string[] {
  if (args.length > 0) return args.flatMap((a) => caseFolders(resolve(world.cwd, a), a));
  const { cases, gone } = knownCases(world.env, world.now());
  if (gone.length > 0) warn(say.casesGone(gone.map((c) => c.folder)));
  if (cases.length === 0 && gone.length === 0)
    throw new UsageError(say.noKnownCases(command, caseIndexFile(world.env)));
  return cases.map((c) => c.folder).sort();
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
