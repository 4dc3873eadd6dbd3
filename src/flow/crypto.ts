import { createRequire } from "node:module";

let loaded: typeof import("node:crypto") | undefined;

/**
 * node:crypto, loaded when first hashed with (issue 25): a run from the flow's image, without
 * --out, never hashes. Kept once loaded: a batch hashes ten files a case, and a require for
 * each went through Node's module loader every time.
 */
export const crypto = () => {
  loaded ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return loaded;
};
