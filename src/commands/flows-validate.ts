import { join } from "node:path";
import { compileFlow } from "../flow/compile.js";
import { notKnownWarnings } from "../flow/not-known.js";
import { formatProblem } from "../flow/problems.js";
import { exists } from "../io/assets.js";
import { locateFlow, readFlowSources, shown } from "../io/flows.js";
import { LEXICON_FILE, readLexicon } from "../io/lexicon.js";
import { bundledFlowsDir } from "../io/paths.js";
import type { World } from "../io/world.js";
import { hasProblems, plural } from "../words/words.js";

/**
 * Static checks of a flow, its templates, its locality file (or --locality FILE) and the
 * language lexicon beside it: every problem at once, with file:line:column.
 */
export async function run(
  world: World,
  args: string[],
  opts: { locality: string | undefined },
): Promise<number> {
  const loc = locateFlow(args[0], world.cwd, opts.locality);
  const { flow, problems } = compileFlow(readFlowSources(loc, world.cwd));
  const lines = problems.map(formatProblem);
  // The bundled folder must hold the lexicon (the wizard and check-language read it);
  // another flow's folder is checked only when it has one.
  let lexicon = "";
  if (loc.flowsDir === bundledFlowsDir || exists(join(loc.flowsDir, LEXICON_FILE))) {
    const read = readLexicon(loc.flowsDir, shown(join(loc.flowsDir, LEXICON_FILE), world.cwd));
    lines.push(...read.problems.map(formatProblem));
    if (read.lexicon) lexicon = `, ${read.lexicon.entries.length} language entries`;
  }
  if (lines.length > 0) {
    for (const l of lines) world.stderr.write(`${l}\n`);
    world.stderr.write(`${hasProblems(shown(loc.flowFile, world.cwd), lines.length)}\n`);
    return 2;
  }
  const f = flow as NonNullable<typeof flow>;
  const warnings = notKnownWarnings(f).map(formatProblem);
  for (const w of warnings) world.stderr.write(`warning: ${w}\n`);
  world.stdout.write(
    `${shown(loc.flowFile, world.cwd)}: ok: ${plural(f.questions.length, "question")}, ${plural(f.actions.length, "action")}, ` +
      `${plural(
        f.actions.reduce((n, a) => n + a.rules.length, 0),
        "rule",
      )}, ${plural(f.documents.size, "document")}, ` +
      `${plural(f.locality.contacts.size, "contact")} (${f.locality.name})${lexicon}` +
      `${warnings.length > 0 ? `; ${plural(warnings.length, "warning")}` : ""}\n`,
  );
  return 0;
}
