import { resolve } from "node:path";
import { decideCase, decidedPathway } from "../case/decide.js";
import type { Pathway } from "../engine/decide.js";
import { UsageError } from "../errors.js";
import type { Flow } from "../flow/types.js";
import { readCaseFile, readCaseStream, STDIN_NAME, wantsDocx } from "../io/case-text.js";
import { loadFlow, shown } from "../io/flows.js";
import { useColour, type World } from "../io/world.js";
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
  if (docx && out === undefined) throw new UsageError(say.formatNeedsOut());
  // --redact: decided from the real facts; only the outputs are redacted.
  const pathway = decidedPathway(
    decideCase(flow, { file, text }, { today: date ?? world.today(), redact: opts.redact }),
    fromStdin ? "the case on standard input" : `the case file ${answersFile}`,
  );
  // Without --out nothing is written, so the drafts are not rendered (nor their modules
  // loaded, issue 10): the result is the same.
  const written = out === undefined ? null : await writeCase(flow, pathway, out, docx, world.cwd, opts.force);
  const folder = written?.folder ?? null;
  const assembled = written?.assembled ?? null;
  const result = assembled?.result ?? resultObject(pathway, () => null);
  if (opts.json) world.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else world.stdout.write(pathwayText(pathway, { colour: useColour(world), folder, docx }));
  return 0;
}

/** The case folder under OUT: every output assembled (src/case/assemble.ts), then written whole (src/io/output.ts). */
async function writeCase(
  flow: Flow,
  pathway: Pathway,
  out: string,
  docx: boolean,
  cwd: string,
  force: boolean,
) {
  const [{ applyCase }, { assemble }] = await Promise.all([
    import("../io/output.js"),
    import("../case/assemble.js"),
  ]);
  const assembled = await assemble(flow, pathway, { out, docx });
  applyCase(assembled, { cwd, force });
  return { folder: assembled.folder, assembled };
}
