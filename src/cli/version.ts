import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bundledFlowsDir, packageRoot } from "../io/paths.js";

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** "all-age: <name> <version>" for each bundled flow, read cheaply from the flow headers. */
export function procedureVersions(): string[] {
  const out: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(bundledFlowsDir).filter((f) => f.endsWith(".flow.yaml"));
  } catch {
    return out;
  }
  for (const f of files.sort()) {
    const text = readFileSync(join(bundledFlowsDir, f), "utf8");
    const name = /^\s+name:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
    const version = /^\s+version:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
    out.push(`${f.replace(/\.flow\.yaml$/, "")}: ${name ?? "?"} (version ${version ?? "?"})`);
  }
  return out;
}
