import { resolve } from "node:path";
import { decideCase, decidedPathway } from "../case/decide.js";
import type { Mark } from "../case/done.js";
import { UsageError } from "../errors.js";
import { readCaseFile, readCaseStream, STDIN_NAME, wantsDocx, wantsPng } from "../io/case-text.js";
import { loadFlow, shown } from "../io/flows.js";
import { notOwnerOnly } from "../io/output.js";
import { useColour, type World } from "../io/world.js";
import { terminalSafe } from "../render/inert.js";
import { resultObject } from "../render/result.js";
import { pathwayText } from "../render/text.js";
import { say } from "../words/problems.js";
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
  const fromStdin = answersFile === "-";
  if (fromStdin && world.stdin.isTTY)
    world.stderr.write("Reading the case (YAML or JSON) from the terminal; end it with Ctrl-D.\n");
  const file = fromStdin ? STDIN_NAME : shown(resolve(world.cwd, answersFile), world.cwd);
  const text = fromStdin
    ? await readCaseStream(world.stdin)
    : readCaseFile(resolve(world.cwd, answersFile), answersFile);
  const docx = wantsDocx(opts.format);
  const png = wantsPng(opts.format);
  if ((docx || png) && out === undefined) throw new UsageError(say.formatNeedsOut());
  // --redact: decided from the real facts; only the outputs are redacted.
  const today = date ?? world.today();
  const decideWith = (marks: ReadonlyMap<string, Mark>) =>
    decideCase(flow, { file, text }, { today, redact: opts.redact, marks });
  const first = decideWith(new Map());
  const pathway = decidedPathway(
    first,
    fromStdin ? "the case on standard input" : `the case file ${answersFile}`,
  );
  // Without --out nothing is written, so the drafts are not rendered (nor their modules
  // loaded, issue 10): the result is the same.
  if (out === undefined) {
    const result = resultObject(pathway, () => null);
    if (opts.json) world.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else world.stdout.write(pathwayText(pathway, { colour: useColour(world), folder: null, docx, png }));
    return 0;
  }
  const { recordInto, updateJson, updateText } = await import("../case/update.js");
  const recorded = await recordInto(flow, decideWith, first, {
    out,
    cwd: world.cwd,
    docx,
    png,
    force: opts.force,
    today,
    now: world.now(),
    source: fromStdin ? "case file on standard input" : `case file ${answersFile}`,
  });
  if (recorded.note) world.stderr.write(`${recorded.note}\n`);
  const folder = recorded.assembled.folder;
  if (folder && notOwnerOnly(resolve(world.cwd, folder)))
    world.stderr.write(`${terminalSafe(say.notOwnerOnly(folder))}\n`);
  // The lead's list of cases (issue 26): a redacted copy is a copy to share, not a case to follow.
  if (!opts.redact) {
    const { rememberCases } = await import("../io/case-index.js");
    const full = resolve(world.cwd, recorded.assembled.folder);
    const unlisted = rememberCases(
      world.env,
      [{ folder: full, caseId: recorded.pathway.caseId }],
      world.now(),
    );
    if (unlisted) world.stderr.write(`${unlisted}\n`);
  }
  const p = recorded.pathway;
  if (opts.json)
    world.stdout.write(
      `${JSON.stringify({ ...recorded.assembled.result, update: updateJson(recorded) }, null, 2)}\n`,
    );
  else {
    const colour = useColour(world);
    // What was written: a folder keeps its Word twins and its picture without --format (record.ts).
    const wrote = (name: string) => recorded.assembled.files.some((f) => f.path === name);
    world.stdout.write(
      pathwayText(p, {
        colour,
        folder: recorded.assembled.folder,
        docx: wrote("case-summary.docx"),
        png: wrote("pathway.png"),
      }),
    );
    world.stdout.write(updateText(recorded, colour));
  }
  return 0;
}
