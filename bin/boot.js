// How `safeguard` starts (issue 10). CommonJS (bin/package.json), so Node runs it without
// starting its ES module loader, and Node's own modules only, so --version and --help cost
// little more than Node itself:
//   - `--version`, and `--help` with output piped, print the text the build captured from
//     the full program (scripts/start-texts.mjs), while the files it was made from read the
//     same (the build's one freshness rule: by content, scripts/build.mjs);
//   - everything else runs the bundled program, dist/safeguard.cjs (scripts/bundle.mjs),
//     compiled from V8's code cache when the cache was made for this very bundle (both end
//     their first part with the bundle's sha256) and this Node accepts it, else compiled as
//     usual; without a bundle, dist/cli/main.js.
"use strict";
const { readFileSync, readdirSync, statSync } = require("node:fs");
const { createRequire } = require("node:module");
const { join } = require("node:path");
const vm = require("node:vm");

const dist = join(__dirname, "..", "dist");

/** The line that ends the bundle and starts its code cache: ID is the bundle's sha256 (64 hex digits). */
function buildIdLine(id) {
  return `\n// safeguard build ${id}\n`;
}
const ID_LENGTH = 64;

function cacheFile(dir) {
  return join(dir, "safeguard.cjs.cache");
}

/**
 * The bundle as the build writes it: its CommonJS text as one function expression, so the
 * file read is the very text compiled (no second copy of 1.7 MB joined to a wrapper at start).
 */
function wrapped(commonJs) {
  return `(function (exports, require, module, __filename, __dirname) {${commonJs}\n})`;
}

/** Compile and run the bundle in DIR, with V8's code cache CACHE (a Buffer) if given. */
function compile(dir, cache) {
  const file = join(dir, "safeguard.cjs");
  // ASCII only (scripts/bundle.mjs), so read as Latin-1: no UTF-8 to decode.
  const source = readFileSync(file, "latin1");
  const idLength = buildIdLine("").length + ID_LENGTH;
  const sameBuild = cache !== undefined && source.endsWith(cache.toString("latin1", 0, idLength));
  const script = new vm.Script(source, {
    filename: file,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    ...(sameBuild ? { cachedData: cache.subarray(idLength) } : {}),
  });
  const module = { exports: {}, filename: file, id: file };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dir);
  return { exports: module.exports, script };
}

/** The program: the bundle when there is one, else the modules tsc wrote. */
async function program() {
  let cache;
  try {
    cache = readFileSync(cacheFile(dist));
  } catch {
    // no cache: compiled as usual
  }
  try {
    statSync(join(dist, "safeguard.cjs"));
  } catch {
    return import("../dist/cli/main.js");
  }
  return compile(dist, cache).exports;
}

/** What the build captured for this argument list, while still true; else undefined. */
function capturedText(argv) {
  const words = argv.slice(2);
  if (words.length !== 1) return undefined;
  const [word] = words;
  const which =
    word === "--version" || word === "-V"
      ? "version"
      : (word === "--help" || word === "-h") && !process.stdout.isTTY
        ? "help"
        : undefined;
  if (which === undefined) return undefined;
  let texts;
  try {
    texts = JSON.parse(readFileSync(join(dist, "start-texts.json"), "utf8"));
  } catch {
    return undefined;
  }
  return JSON.stringify(inputsNow()) === JSON.stringify(texts.inputs) ? texts[which] : undefined;
}

/** What --version is made of: package.json and the bundled flow files, by their text. */
function inputsNow() {
  const root = join(__dirname, "..");
  const flows = readdirSync(join(root, "flows"))
    .filter((f) => f.endsWith(".flow.yaml"))
    .sort()
    .map((f) => join("flows", f));
  return ["package.json", ...flows].map((f) => [f, readFileSync(join(root, f), "utf8")]);
}

async function start(argv) {
  const text = capturedText(argv);
  if (text !== undefined) {
    // A full disk or a closed pipe: said as the program says it (one line, exit 2), which
    // only then is loaded.
    process.stdout.once("error", async (error) => (await program()).outputFailed(process.stdout, error));
    process.stdout.write(text);
    return;
  }
  process.exitCode = await (await program()).main(argv);
}

module.exports = { buildIdLine, cacheFile, compile, inputsNow, start, wrapped };
