import { UsageError } from "../cli/errors.js";
import type { World } from "../cli/world.js";

/** The interactive wizard (issue 5). Until it lands, point people at --answers. */
export async function run(_world: World, _args: string[], _opts: Record<string, unknown>): Promise<number> {
  throw new UsageError(
    "the interactive wizard is not available yet: give a case file with --answers CASE.yaml " +
      "(see README 'Case files'; examples/ has some to start from)",
  );
}
