import { resolve } from "node:path";
import { dueIcs, dueLine, openSteps } from "../case/due.js";
import { folderState, listedFolders, pathwayOf } from "../case/folders.js";
import { UsageError } from "../errors.js";
import { writePrivate } from "../io/sessions.js";
import type { World } from "../io/world.js";
import { terminalText } from "../render/inert.js";
import { say } from "../words/problems.js";

/** `safeguard due`: the options the table declares for it (src/cli/main.ts). */
export interface DueOptions {
  within: string | undefined;
  date: string | undefined;
  json: boolean;
  ics: string | undefined;
}

/**
 * `safeguard due [FOLDER...]` (issue 26): every open step of every open case in the folders
 * given (a case folder, or the --out folder holding them; none: the cases the data folder knows), in the order to act: overdue
 * first, then by date, then no date. The case reference and the step only, never a name.
 */
export async function run(world: World, args: string[], opts: DueOptions): Promise<number> {
  const within = opts.within === undefined ? undefined : Number(opts.within);
  if (within !== undefined && (!Number.isInteger(within) || within < 0))
    throw new UsageError(say.wholeDays(String(opts.within)));
  const date = opts.date ?? world.today();
  const cases = listedFolders(args, world, "due", (line) => world.stderr.write(`${line}\n`))
    .filter(isOpen)
    .map(pathwayOf);
  const rows = openSteps(cases, date, within);
  if (opts.ics !== undefined) writePrivate(resolve(world.cwd, opts.ics), dueIcs(rows, date));
  if (opts.json) world.stdout.write(`${JSON.stringify({ date, steps: rows }, null, 2)}\n`);
  else {
    const lines = rows.map(dueLine);
    const overdue = rows.filter((r) => r.overdue).length;
    lines.push(
      "",
      `${rows.length} open step${rows.length === 1 ? "" : "s"} in ${cases.length} case${cases.length === 1 ? "" : "s"} on ${date}${overdue > 0 ? `, ${overdue} overdue` : ""}.`,
    );
    world.stdout.write(terminalText(`${lines.join("\n")}\n`));
  }
  return 0;
}

/** Not closed (its history's last close not followed by a reopen). */
function isOpen(folder: string): boolean {
  return folderState(folder).closed === undefined;
}
