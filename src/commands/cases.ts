import { caseLine, caseRow } from "../case/due.js";
import { listedFolders, pathwayOf } from "../case/folders.js";
import { entriesOf, stateOf } from "../case/history.js";
import { readHistory } from "../io/history.js";
import type { World } from "../io/world.js";
import { terminalText } from "../render/inert.js";
import { plural } from "../words/words.js";

/** `safeguard cases`: the options the table declares for it (src/cli/main.ts). */
export interface CasesOptions {
  closed: boolean;
  date: string | undefined;
  json: boolean;
}

/**
 * `safeguard cases [FOLDER...]` (issue 26): one line per case folder found as `due` finds
 * them (none given: the cases the data folder knows): reference, age group, first concern type, last updated, next due, overdue count.
 * The open cases, or with --closed the closed ones. Never a name or date of birth.
 */
export async function run(world: World, args: string[], opts: CasesOptions): Promise<number> {
  const date = opts.date ?? world.today();
  const rows = listedFolders(args, world, "cases", (line) => world.stderr.write(`${line}\n`))
    .map((folder) => {
      const entries = entriesOf(readHistory(folder).entries);
      const state = stateOf(entries);
      return caseRow(
        pathwayOf(folder),
        {
          ...(state.given ? { given: state.given } : {}),
          ...(entries.length > 0 ? { lastDate: (entries.at(-1) as { date: string }).date } : {}),
          ...(state.closed ? { closed: state.closed } : {}),
        },
        date,
      );
    })
    .filter((r) => (r.closed !== null) === opts.closed);
  if (opts.json) world.stdout.write(`${JSON.stringify({ date, cases: rows }, null, 2)}\n`);
  else {
    const lines = rows.map(caseLine);
    const overdue = rows.reduce((n, r) => n + r.overdue, 0);
    lines.push(
      "",
      `${plural(rows.length, opts.closed ? "closed case" : "open case")} on ${date}${overdue > 0 ? `, ${plural(overdue, "step")} overdue` : ""}.`,
    );
    world.stdout.write(terminalText(`${lines.join("\n")}\n`));
  }
  return 0;
}
