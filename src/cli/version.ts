import { join } from "node:path";
import { findPackageRoot, isEmbedded, listDir, readText } from "../io/assets.js";

// What `safeguard --version` prints. Shipped files are read through assets.ts, so the single
// executable answers from the files inside it. (bin/boot.js answers --version without
// loading the program, from this text as the build captured it: scripts/start-texts.mjs.)
const packageRoot = findPackageRoot();

/** What `--version` prints (without the newline): shared with the full command table. */
export function versionText(): string {
  const lines = [`safeguard ${packageVersion()}`];
  for (const p of procedureVersions()) lines.push(`  ${p}`);
  // The single program carries its own Node (scripts/build-binary.mjs): say which.
  if (isEmbedded(packageRoot)) lines.push(`  Node ${process.versions.node} (inside this program)`);
  return lines.join("\n");
}

function packageVersion(): string {
  const pkg = JSON.parse(readText(join(packageRoot, "package.json"))) as { version: string };
  return pkg.version;
}

/** "all-age: <name> <version>" for each bundled flow, read cheaply from the flow headers. */
function procedureVersions(): string[] {
  const flows = join(packageRoot, "flows");
  const out: string[] = [];
  let files: string[] = [];
  try {
    files = listDir(flows).filter((f) => f.endsWith(".flow.yaml"));
  } catch {
    return out;
  }
  for (const f of files.sort()) {
    const text = readText(join(flows, f));
    const name = /^\s+name:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
    const version = /^\s+version:\s*"?([^"\n]+)"?\s*$/m.exec(text)?.[1];
    out.push(`${f.replace(/\.flow\.yaml$/, "")}: ${name ?? "?"} (version ${version ?? "?"})`);
  }
  return out;
}
