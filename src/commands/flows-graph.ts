import type { World } from "../cli/world.js";
import { UsageError } from "../errors.js";
import { loadFlow } from "../io/flows.js";
import { flowMermaid, flowOutline } from "../render/graph.js";

const FORMATS = ["mermaid", "text"] as const;

/** `safeguard flows graph [FLOW] [--format mermaid|text]`: the flow as a diagram, for trainers. */
export async function run(
  world: World,
  args: string[],
  opts: { format: string | undefined },
): Promise<number> {
  const format = opts.format ?? "mermaid";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format "${format}" is not one of: ${FORMATS.join(", ")}`);
  }
  const flow = loadFlow(args[0], world.cwd);
  world.stdout.write(format === "text" ? flowOutline(flow) : flowMermaid(flow));
  return 0;
}
