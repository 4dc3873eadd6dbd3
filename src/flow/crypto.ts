import { createRequire } from "node:module";

/** node:crypto, loaded when first hashed with (issue 25): a run from the flow's image, without --out, never hashes. */
export const crypto = () => createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
