import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: dist/io/paths.js -> ../.. (also src/io/paths.ts under vitest). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bundledFlowsDir = join(packageRoot, "flows");
export const bundledTemplatesDir = join(packageRoot, "templates");
