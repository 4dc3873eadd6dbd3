import { join, resolve } from "node:path";
import { useColour, type World } from "../cli/world.js";
import { InputError, UsageError } from "../errors.js";
import { formatProblem } from "../flow/problems.js";
import { decideCase, readCaseFile, wantsDocx } from "../io/cases.js";
import { loadFlow, shown } from "../io/flows.js";
import { applyCase, caseFolderName } from "../io/output.js";
import { assembleCase, withWordTwins } from "../render/case-files.js";
import { redactPathway, redactProblem } from "../render/redact.js";
import { resultObject } from "../render/result.js";
import { pathwayText } from "../render/text.js";
import type { WizardOptions } from "./wizard.js";

/** `safeguard run`: the options the table declares for it (src/cli/main.ts). */
export interface RunOptions extends WizardOptions {
  answers: string | undefined;
  force: boolean;
  format: string | undefined;
  redact: boolean;
}

/** `safeguard run [FLOW] --answers CASE`: a case file to its pathway (the wizard without --answers). */
export async function run(world: World, args: string[], opts: RunOptions): Promise<number> {
  const { answers: answersFile, date, out } = opts;
  if (!answersFile) return (await import("./wizard.js")).run(world, args, opts);
  const flow = loadFlow(args[0], world.cwd, opts.locality);
  const path = resolve(world.cwd, answersFile);
  const text = readCaseFile(path, answersFile);
  const docx = wantsDocx(opts.format);
  if (docx && out === undefined) throw new UsageError("--format docx writes files: give --out DIR as well");
  const decided = decideCase(flow, { file: shown(path, world.cwd), text }, { today: date ?? world.today() });
  if (!decided.ok) {
    const n = decided.problems.length;
    throw new InputError(
      `the case file ${answersFile} has ${n} problem${n === 1 ? "" : "s"}:`,
      decided.problems.map((p) => formatProblem(opts.redact ? redactProblem(flow, p) : p)),
    );
  }
  // --redact: decided from the real facts; only the outputs are redacted.
  const pathway = opts.redact ? redactPathway(flow, decided.pathway) : decided.pathway;
  const folder = out === undefined ? null : join(out, caseFolderName(pathway.caseId));
  // Without --out nothing is written, so the drafts are not rendered: the result is the same.
  const assembled = folder === null ? null : assembleCase(flow, pathway, { folder });
  if (assembled)
    applyCase(docx ? await withWordTwins(assembled) : assembled, { cwd: world.cwd, force: opts.force });
  const result = assembled?.result ?? resultObject(pathway, () => null);
  if (opts.json) world.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else world.stdout.write(pathwayText(pathway, { colour: useColour(world), folder, docx }));
  return 0;
}
