import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as sea from "node:sea";
import { fileURLToPath } from "node:url";

/**
 * Where the files the tool ships (flows, templates, examples, the build's caches) are read
 * from: the one place that knows. Run by Node, they are the package's own files on disk.
 * In the single executable (scripts/build-binary.mjs), they are embedded in it as one SEA
 * asset (and the build's binary files, each as an asset of its own), and appear under a
 * folder that is never read from the disk, EMBEDDED_ROOT: every read of a path under it is
 * answered from inside the executable, or not at all, even where that folder exists on disk
 * (on Windows, `\safeguard-built-in` at the root of the drive, which anyone may create:
 * a file planted there is never read). Every other path (the user's case files,
 * --locality, custom flows) is read from the disk as usual. Nothing is ever written under
 * the package root.
 */

/** The name of the SEA asset holding every shipped file (see scripts/build-binary.mjs). */
export const ASSET_KEY = "safeguard-files.json";

/** Where the embedded files appear to be: a folder named so a reader sees what it is. */
export const EMBEDDED_ROOT = resolve(sep, "safeguard-built-in");

/** path (relative to the package root, with "/") -> text. */
let embedded: Map<string, string> | null | undefined;

function embeddedFiles(): Map<string, string> | null {
  if (embedded === undefined) {
    embedded = sea.isSea()
      ? new Map(Object.entries(JSON.parse(sea.getAsset(ASSET_KEY, "utf8")) as Record<string, string>))
      : null;
  }
  return embedded;
}

/** The package root: the checkout or installed package, or EMBEDDED_ROOT in the executable. */
export function findPackageRoot(): string {
  if (sea.isSea()) return EMBEDDED_ROOT;
  // dist/io/assets.js -> ../.. (also src/io/assets.ts under vitest).
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/** The embedded key for PATH, or undefined when PATH is an ordinary file on disk. */
function keyOf(path: string): string | undefined {
  const files = embeddedFiles();
  if (!files) return undefined;
  const rel = relative(EMBEDDED_ROOT, resolve(path));
  if (rel.startsWith("..") || resolve(EMBEDDED_ROOT, rel) !== resolve(path)) return undefined;
  return rel.split(sep).join("/");
}

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
}

/** Whether PATH is a built-in file's (inside the executable): never to be looked for on disk. */
export function isEmbedded(path: string): boolean {
  return keyOf(path) !== undefined;
}

/**
 * A file's bytes. A built-in binary file (the flow image) is an asset of its own, under its
 * path in the package (scripts/build-binary.mjs). Throws (code ENOENT) when there is none.
 */
export function readBytes(path: string): Buffer {
  const key = keyOf(path);
  if (key === undefined) return readFileSync(path);
  let bytes: ArrayBuffer;
  try {
    bytes = sea.getAsset(key);
  } catch {
    throw notFound(path);
  }
  return Buffer.from(bytes);
}

/** A file's text (UTF-8). Throws (code ENOENT) when there is none. */
export function readText(path: string): string {
  const key = keyOf(path);
  if (key === undefined) return readFileSync(path, "utf8");
  const text = embeddedFiles()?.get(key);
  if (text === undefined) throw notFound(path);
  return text;
}

/** The names in a folder, unsorted. Throws (code ENOENT) when there is no such folder. */
export function listDir(path: string): string[] {
  const key = keyOf(path);
  if (key === undefined) return readdirSync(path);
  const prefix = key === "" ? "" : `${key}/`;
  const names = new Set<string>();
  for (const k of embeddedFiles()?.keys() ?? []) {
    if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split("/")[0] as string);
  }
  if (names.size === 0) throw notFound(path);
  return [...names];
}

/** Whether PATH is a folder (false for a file or nothing). */
export function isDirectory(path: string): boolean {
  const key = keyOf(path);
  if (key === undefined) {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }
  const prefix = key === "" ? "" : `${key}/`;
  for (const k of embeddedFiles()?.keys() ?? []) if (k.startsWith(prefix)) return true;
  return false;
}

/** Whether there is a file or folder at PATH. */
export function exists(path: string): boolean {
  const key = keyOf(path);
  if (key === undefined) return existsSync(path);
  return embeddedFiles()?.has(key) === true || isDirectory(path);
}
