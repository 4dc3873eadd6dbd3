import { InputError } from "../errors.js";
import { didYouMean } from "../flow/problems.js";
import { loadFlow } from "../io/flows.js";
import type { World } from "../io/world.js";
import { explain } from "../render/explain.js";
import { terminalSafe } from "../render/inert.js";
import { fitted } from "../render/wrap.js";
import { say } from "../words/problems.js";

/**
 * `safeguard explain ID [--flow FLOW]`: an action, fact, document, named condition or
 * section in plain words, from the flow itself. An unknown id is exit 2, with "did you mean".
 */
export interface ExplainOptions {
  flow: string | undefined;
  json: boolean;
}

export async function run(world: World, args: string[], opts: ExplainOptions): Promise<number> {
  const id = args[0] ?? "";
  const flow = loadFlow(opts.flow, world.cwd);
  const found = explain(flow, id, didYouMean);
  if (found.kind === "unknown") {
    throw new InputError(say.nothingCalled(terminalSafe(id), found.suggestion, world.program));
  }
  if (opts.json)
    world.stdout.write(`${JSON.stringify({ kind: found.kind, id: found.id, text: found.text }, null, 2)}\n`);
  // At a terminal, lines break between words at its width; piped, as they are.
  else world.stdout.write(world.stdout.isTTY ? fitted(found.text, world.stdout) : found.text);
  return 0;
}
