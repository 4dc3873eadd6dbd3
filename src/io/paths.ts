import { isAbsolute, join, relative } from "node:path";
import { findPackageRoot } from "./assets.js";

/** The package root (see src/io/assets.ts: on disk, or inside the single executable). */
export const packageRoot = findPackageRoot();
export const bundledFlowsDir = join(packageRoot, "flows");
export const bundledTemplatesDir = join(packageRoot, "templates");

/** Where a flow's files are (src/io/flows.ts locateFlow). */
export interface FlowLocation {
  flowFile: string;
  flowsDir: string;
  templatesDir: string;
  localityFile: string;
}

/** A path as the user should see it: relative to where they are, when that is shorter. */
export function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
