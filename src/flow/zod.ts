import { createRequire } from "node:module";
import type * as Zod from "zod";

let loaded: typeof Zod | undefined;

/**
 * zod, loaded when first needed: only to check a file the build has not checked already
 * (a flow or lexicon of one's own, or an edited one), so a run on the bundled files never
 * pays for loading it (issue 10). A lazy require: scripts/bundle.mjs bundles it all the same.
 */
export function zod(): typeof Zod.z {
  loaded ??= createRequire(import.meta.url)("zod") as typeof Zod;
  return loaded.z;
}
