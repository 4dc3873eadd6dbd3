import { InputError } from "../errors.js";
import { loadFlow } from "../io/flows.js";
import type { World } from "../io/world.js";
import { caseSchema } from "../render/case-schema.js";
import { resultSchema } from "../render/result-schema.js";
import { say } from "../words/problems.js";

/** The schemas `safeguard schema` prints, by name (and ships in schemas/NAME.schema.json). */
export const SCHEMAS = ["case", "result", "scenario", "story"] as const;

/** `safeguard schema case|result|scenario|story`: the JSON Schema on stdout. */
export async function run(world: World, args: string[], opts: { flow: string | undefined }): Promise<number> {
  const which = args[0];
  let schema: unknown;
  if (which === "result") schema = resultSchema;
  else if (which === "case" || which === "scenario" || which === "story") {
    const flow = loadFlow(opts.flow, world.cwd);
    const theCase = caseSchema(
      flow.facts,
      flow.factsVersion,
      flow.actions.map((a) => a.id),
    );
    if (which === "case") schema = theCase;
    else {
      // zod is loaded only here: the case and result schemas do not need it.
      const { scenarioNames, scenarioSchema } = await import("../render/scenario-schema.js");
      schema = scenarioSchema(which, scenarioNames(flow), theCase);
    }
  } else {
    throw new InputError(say.noSchema(String(which), SCHEMAS));
  }
  world.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
