import { join } from "node:path";
import { findPackageRoot, listDir, readText } from "../io/assets.js";

// Node's own modules only (assets.ts imports nothing else): this is all `--version` and
// `--help` load. Shipped files are read through assets.ts, so the single executable answers
// from the files inside it.
const packageRoot = findPackageRoot();

/**
 * `safeguard --version` and `safeguard --help` without loading the command table
 * (commander and every option): start-up close to bare Node (issue 10). Anything else, or
 * help at a terminal (commander wraps it to the terminal's width), returns false and goes
 * the usual way. The help text is the one `npm run build` captured from the full command
 * table with output piped (scripts/help-cache.mjs), so it is the same, byte for byte.
 */
export function fastPath(argv: readonly string[]): boolean {
  const words = argv.slice(2);
  if (words.length !== 1) return false;
  const [word] = words;
  if (word === "--version" || word === "-V") {
    process.stdout.write(`${versionText()}\n`);
    return true;
  }
  if ((word === "--help" || word === "-h") && !process.stdout.isTTY) {
    let help: string;
    try {
      help = readText(join(packageRoot, "dist", "help.txt"));
    } catch {
      return false;
    }
    process.stdout.write(help);
    return true;
  }
  return false;
}

/** What `--version` prints (without the newline): shared with the full command table. */
export function versionText(): string {
  const lines = [`safeguard ${packageVersion()}`];
  for (const p of procedureVersions()) lines.push(`  ${p}`);
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
