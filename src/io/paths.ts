import { isAbsolute, join, relative, sep } from "node:path";
import { findPackageRoot, isEmbedded } from "./assets.js";

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

/**
 * The first line of a case file the tool writes into FOLDER (an absolute path): the
 * yaml-language-server's pointer at the shipped case schema, relative to the folder, so an
 * editor checks the file as `run --answers` would, offline (docs/decisions.md). Empty for
 * the single executable, whose schema is in no file an editor could open.
 */
export function schemaModeline(folder: string): string {
  if (isEmbedded(packageRoot)) return "";
  const schema = relative(folder, join(packageRoot, "schemas", "case.schema.json"))
    .split(sep)
    .join("/");
  return `# yaml-language-server: $schema=${schema}\n`;
}
