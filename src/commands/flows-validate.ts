import type { World } from "../cli/world.js";
import { compileFlow } from "../flow/compile.js";
import { formatProblem } from "../flow/problems.js";
import { locateFlow, readFlowSources, shown } from "../io/flows.js";
import { templateProblems } from "../render/validate.js";

export async function run(world: World, args: string[], _opts: Record<string, unknown>): Promise<number> {
  const loc = locateFlow(args[0], world.cwd);
  const sources = readFlowSources(loc, world.cwd);
  const { flow, problems } = compileFlow(sources);
  if (flow) problems.push(...templateProblems(flow, sources));
  if (problems.length > 0) {
    for (const p of problems) world.stderr.write(`${formatProblem(p)}\n`);
    world.stderr.write(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${shown(loc.flowFile, world.cwd)}\n`,
    );
    return 2;
  }
  const f = flow as NonNullable<typeof flow>;
  world.stdout.write(
    `${shown(loc.flowFile, world.cwd)}: ok: ${f.questions.length} questions, ${f.actions.length} actions, ` +
      `${f.actions.reduce((n, a) => n + a.rules.length, 0)} rules, ${f.documents.size} documents, ` +
      `${f.locality.contacts.size} contacts (${f.locality.name})\n`,
  );
  return 0;
}
