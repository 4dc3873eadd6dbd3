import { resolve } from "node:path";
import { useColour, type World } from "../cli/world.js";
import { isIsoDate } from "../engine/dates.js";
import { InputError, UsageError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import { decideCase, readCaseFile, wantsDocx, writeCaseWithDocx } from "../io/cases.js";
import { loadFlow, shown } from "../io/flows.js";
import { pathwayText } from "../render/text.js";

export async function run(world: World, args: string[], opts: Record<string, unknown>): Promise<number> {
  const answersFile = opts.answers as string | undefined;
  const date = opts.date as string | undefined;
  if (date !== undefined && !isIsoDate(date))
    throw new UsageError(`--date "${date}" is not a date (use YYYY-MM-DD)`);
  if (date !== undefined && (date < "1900-01-01" || date > "2199-12-31"))
    throw new UsageError(`--date "${date}" is not a plausible date (years 1900 to 2199): check the year`);
  if (!answersFile) return (await import("./wizard.js")).run(world, args, opts);
  const flow = loadFlow(args[0], world.cwd, opts.locality as string | undefined);
  const path = resolve(world.cwd, answersFile);
  const text = readCaseFile(path, answersFile);
  const out = opts.out as string | undefined;
  const docx = wantsDocx(opts.format);
  if (docx && out === undefined) throw new UsageError("--format docx writes files: give --out DIR as well");
  const decided = decideCase(flow, { file: shown(path, world.cwd), text }, { today: date ?? world.today() });
  if (!decided.ok) {
    const n = decided.problems.length;
    throw new InputError(
      `the case file ${answersFile} has ${n} problem${n === 1 ? "" : "s"}:`,
      decided.problems.map(formatProblem),
    );
  }
  const outcome = {
    pathway: decided.pathway,
    ...(await writeCaseWithDocx(
      flow,
      decided.pathway,
      { out, cwd: world.cwd, force: opts.force === true },
      docx,
    )),
  };
  if (opts.json) world.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
  else
    world.stdout.write(
      pathwayText(outcome.pathway, { colour: useColour(world), folder: outcome.folder, docx }),
    );
  return 0;
}
