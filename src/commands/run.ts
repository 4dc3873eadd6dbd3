import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, UsageError } from "../cli/errors.js";
import { useColour, type World } from "../cli/world.js";
import type { Answers } from "../engine/answers.js";
import { readCase } from "../engine/answers.js";
import { isIsoDate } from "../engine/dates.js";
import { decide } from "../engine/decide.js";
import { formatProblem } from "../flow/problems.js";
import type { Flow } from "../flow/types.js";
import { loadFlow, shown } from "../io/flows.js";
import { caseFolderName, writePrivateFiles } from "../io/output.js";
import { bundledFlowsDir } from "../io/paths.js";
import type { Lexicon } from "../language/check.js";
import { loadLexicon } from "../language/load.js";
import { templateEngine } from "../render/documents.js";
import { renderOutputs } from "../render/outputs.js";
import { pathwayText } from "../render/text.js";

/** The language lexicon, loaded only when there is free text to check. */
export function lexiconFor(flow: Flow, answers: Answers): { lexicon?: Lexicon } {
  const hasText = [...answers].some(
    ([id, v]) => flow.facts.get(id)?.type === "text" && typeof v === "string",
  );
  return hasText ? { lexicon: loadLexicon(bundledFlowsDir) } : {};
}

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
  const { answers, problems } = readCase(shown(path, world.cwd), text, flow.facts);
  if (!answers) {
    throw new InputError(
      `the case file ${answersFile} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:`,
      problems.map(formatProblem),
    );
  }
  const pathway = decide(flow, answers, date ?? world.today(), lexiconFor(flow, answers));
  const out = opts.out as string | undefined;
  const folderShown = out === undefined ? null : join(out, caseFolderName(pathway.caseId));
  const { files, result } = renderOutputs(templateEngine(), flow, pathway, folderShown);
  if (out !== undefined && folderShown !== null) writePrivateFiles(resolve(world.cwd, folderShown), files);
  if (opts.json) world.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else world.stdout.write(pathwayText(pathway, { colour: useColour(world), folder: folderShown }));
  return 0;
}
