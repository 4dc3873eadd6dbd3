import { InputError } from "../errors.js";
import { loadFlow } from "../io/flows.js";
import type { World } from "../io/world.js";
import { caseSchema } from "../render/case-schema.js";
import { resultSchema } from "../render/result-schema.js";
import { say } from "../words/problems.js";

/** `safeguard schema case|result`: the JSON Schema on stdout. */
export async function run(world: World, args: string[], opts: { flow: string | undefined }): Promise<number> {
  const which = args[0];
  let schema: unknown;
  if (which === "case") {
    const flow = loadFlow(opts.flow, world.cwd);
    schema = caseSchema(
      flow.facts,
      flow.factsVersion,
      flow.actions.map((a) => a.id),
    );
  } else if (which === "result") {
    schema = resultSchema;
  } else {
    throw new InputError(say.noSchema(String(which)));
  }
  world.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
