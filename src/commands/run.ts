import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError, UsageError } from "../cli/errors.js";
import { useColour, type World } from "../cli/world.js";
import { isIsoDate } from "../engine/dates.js";
import { formatProblem } from "../flow/problems.js";
import { decideCase, wantsDocx, writeCase, writeDocxTwins } from "../io/cases.js";
import { loadFlow, shown } from "../io/flows.js";
import { pathwayText } from "../render/text.js";

export async function run(world: World, args: string[], opts: Record<string, unknown>): Promise<number> {
  const answersFile = opts.answers as string | undefined;
  const date = opts.date as string | undefined;
  if (date !== undefined && !isIsoDate(date))
    throw new UsageError(`--date "${date}" is not a date (use YYYY-MM-DD)`);
  if (!answersFile) return (await import("./wizard.js")).run(world, args, opts);
  const flow = loadFlow(args[0], world.cwd, opts.locality as string | undefined);
  const path = resolve(world.cwd, answersFile);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InputError(`cannot read the case file ${answersFile}`);
  }
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
  const outcome = { pathway: decided.pathway, ...writeCase(flow, decided.pathway, { out, cwd: world.cwd }) };
  if (docx && outcome.folder !== null)
    await writeDocxTwins(resolve(world.cwd, outcome.folder), outcome.contents);
  if (opts.json) world.stdout.write(`${JSON.stringify(outcome.result, null, 2)}\n`);
  else world.stdout.write(pathwayText(outcome.pathway, { colour: useColour(world), folder: outcome.folder }));
  return 0;
}
