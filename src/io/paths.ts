import { join } from "node:path";
import { findPackageRoot } from "./assets.js";

/** The package root (see src/io/assets.ts: on disk, or inside the single executable). */
export const packageRoot = findPackageRoot();
export const bundledFlowsDir = join(packageRoot, "flows");
export const bundledTemplatesDir = join(packageRoot, "templates");
