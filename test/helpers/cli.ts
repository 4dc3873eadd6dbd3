import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/io/paths.js";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a user would (npm test builds first). */
export function cli(
  args: string[],
  opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {},
): Ran {
  const r = spawnSync(process.execPath, [join(packageRoot, "bin", "safeguard.js"), ...args], {
    cwd: opts.cwd ?? packageRoot,
    input: opts.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0", ...opts.env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const example = (name: string) => join(packageRoot, "examples", name);

/** `flows graph` options as the command table passes them: every one present, unset ones undefined. */
export function graphOpts(o: { format?: string | undefined; section?: string; width?: string }) {
  return { format: undefined, section: undefined, width: undefined, ...o };
}
