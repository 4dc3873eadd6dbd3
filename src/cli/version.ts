import { join } from "node:path";
import { listDir, readText } from "../io/assets.js";
import { bundledFlowsDir, packageRoot } from "../io/paths.js";

export function packageVersion(): string {
  const pkg = JSON.parse(readText(join(packageRoot, "package.json"))) as { version: string };
  return pkg.version;
}

/** "all-age: <name> <version>" for each bundled flow, read cheaply from the flow headers. */
export function procedureVersions(): string[] {
  const out: string[] = [];
  let files: string[] = [];
  try {
    files = listDir(bundledFlowsDir).filter((f) => f.endsWith(".flow.yaml"));
  } catch {
    return out;
  }
  for (const f of files.sort()) {
    const text = readText(join(bundledFlowsDir, f));
    const name = /^\s+name:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
    const version = /^\s+version:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
    out.push(`${f.replace(/\.flow\.yaml$/, "")}: ${name ?? "?"} (version ${version ?? "?"})`);
  }
  return out;
}
