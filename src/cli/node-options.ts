/**
 * The single program is complete in itself: Node options from the environment (NODE_OPTIONS,
 * whose `--require` runs any script first) have no place in it. The build asks Node to
 * ignore them (`execArgvExtension: "none"`, scripts/build-binary.mjs), which Node 22.20,
 * 24.7 and later do; an older Node has applied them before the program's first line runs,
 * so the program then refuses to go on rather than run with whatever they loaded.
 */

/** Whether this Node version ignores NODE_OPTIONS in a single executable built as ours is. */
export function nodeIgnoresOptions(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major >= 25 || (major === 24 && minor >= 7) || (major === 22 && minor >= 20);
}

/** Why the single program will not start with this environment, or undefined when it will. */
export function refusedNodeOptions(env: NodeJS.ProcessEnv, version: string): string | undefined {
  if (!env.NODE_OPTIONS?.trim() || nodeIgnoresOptions(version)) return undefined;
  return "NODE_OPTIONS is set, and this program takes no Node options (they can load code that is not part of it): run it without NODE_OPTIONS";
}
