// Build step (issue 10): the program as one CommonJS file, dist/safeguard.cjs, and a V8 code
// cache for it, dist/safeguard.cjs.cache, so that starting it neither resolves ~300 ES
// modules nor compiles them again (bin/boot.js loads it; see docs/decisions.md).
//
//   1. esbuild bundles dist/cli/main.js and its dependencies into dist/safeguard.cjs. Each
//      module keeps its own import.meta.url (the URL of its file under dist/), so paths
//      worked out from it (the package root, a worker's file) are what they are unbundled.
//      The large packages only some commands use (docx and marked, diagrams, the slides' pptxgenjs,
//      re2js, and zod, needed only for a file the build has not checked) are bundled apart, dist/vendor/*.cjs, and read only when needed.
//      The bundle is made ASCII only (see below), and written as the one function expression
//      bin/boot.js compiles (its `wrapped`), so a start reads it as Latin-1 and compiles it as
//      read. The batch's worker thread, an ES module
//      at the path batch.ts names (dist/commands/batch-worker.js), is bundled the same way
//      in its place, so that nothing the package runs is read from node_modules: the
//      package ships no dependencies, only what is bundled here (docs/decisions.md, "A
//      lean package"), and dist/THIRD-PARTY-LICENSES.txt, the licence of each package bundled.
//   2. The code cache: the bundle is run on the worked examples (run --answers on each: as text,
//      as --json, and with --out), then V8 is asked for the code of every function compiled so far. The
//      bundle ends with its own sha256 and the cache starts with it: a cache made for another
//      bundle is never used (and the same sources build the same bundle).
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { rewriteLazyRequires } from "./lazy-requires.mjs";

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const boot = require("../bin/boot.js");

/** Packages bundled apart (dist/vendor/NAME.cjs): large, and needed by few commands. */
const VENDOR = ["@viz-js/viz", "@resvg/resvg-wasm", "docx", "marked", "re2js", "zod", "pptxgenjs"];
const vendorFile = (name) => `${name.replace(/^@/, "").replace(/\//g, "-")}.cjs`;

const common = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "error" };

/**
 * Every ES module (ours and the packages'): import.meta.url becomes the module's own file
 * URL, worked out at run time from `__dirname`, which is dist/ (the CommonJS bundle's folder;
 * the worker's banner says the same). In ours, createRequire(import.meta.url)
 * ("x"), a lazy require a bundler cannot follow, becomes require("x"), so x is bundled too
 * (scripts/lazy-requires.mjs: the one way to write one).
 */
const importMeta = {
  name: "import-meta",
  setup(b) {
    b.onLoad({ filter: /\.m?js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta")) return undefined;
      const rel = relative(dist, args.path).split(sep).join("/");
      const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(rel)})).href`;
      const own = !rel.startsWith("..");
      const out = (own ? rewriteLazyRequires(args.path, text) : text).replaceAll("import.meta.url", url);
      return { contents: out, loader: "js" };
    });
  },
};
/**
 * The VENDOR packages left to dist/vendor/, required from the bundle: the CommonJS one, in
 * dist/, requires ./vendor/NAME.cjs where it needs it. The worker, an ES module in
 * dist/commands/, cannot import a CommonJS file's names, so there each is a one-line
 * CommonJS module that requires ../vendor/NAME.cjs, bundled (esbuild gives it the names).
 */
const vendored = (format) => ({
  name: "vendored",
  setup(b) {
    const names = new Set(VENDOR);
    const file = (name) => `${format === "esm" ? ".." : "."}/vendor/${vendorFile(name)}`;
    b.onResolve({ filter: /^[@a-z]/ }, (args) => {
      if (!names.has(args.path)) return undefined;
      return format === "esm"
        ? { path: args.path, namespace: "vendored" }
        : { path: file(args.path), external: true };
    });
    b.onLoad({ filter: /.*/, namespace: "vendored" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(file(args.path))});`,
      loader: "js",
    }));
    b.onResolve({ filter: /^\.\.?\/vendor\//, namespace: "vendored" }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
});

/**
 * commander requires node:child_process at its start, for the subcommands it runs as programs
 * of their own (we have none): that starts Node's child processes, sockets and streams on
 * every run (~9 M instructions of a run's ~0.78 G, issue 25). Required where it is used
 * instead. The line is matched exactly: a commander that writes it otherwise fails the build.
 */
const CHILD_PROCESS = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(CHILD_PROCESS)) throw new Error(`${args.path}: no "${CHILD_PROCESS}" to make lazy`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(CHILD_PROCESS, lazy), loader: "js" };
    });
  },
};

/**
 * chalk works out, as it starts, the colour a terminal supports (its supports-color, which
 * loads node:tty and with it node:net: ~9 M instructions of every run, issue 25), for its
 * default instances. We use none of them: every Chalk of ours is made with the level
 * useColour (src/io/world.ts) chose from FORCE_COLOR, NO_COLOR, TERM and the terminal, so in
 * the bundle chalk is given no colour support to start from instead. Only chalk may ask for it.
 */
const noSupportsColor = {
  name: "no-supports-color",
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, (args) => {
      if (!/[\\/]chalk[\\/]source[\\/]index\.js$/.test(args.importer))
        throw new Error(`${args.importer}: asks for #supports-color; only chalk is given none`);
      return { path: "supports-color", namespace: "no-supports-color" };
    });
    b.onLoad({ filter: /.*/, namespace: "no-supports-color" }, () => ({
      contents: "export default { stdout: false, stderr: false };",
      loader: "js",
    }));
  },
};

// 1. The bundles.
const bundle = join(dist, "safeguard.cjs");
const bundled = [];
const { metafile } = await build({
  ...common,
  entryPoints: [join(dist, "cli", "main.js")],
  outfile: bundle,
  plugins: [importMeta, lazyChildProcess, noSupportsColor, vendored("cjs")],
  legalComments: "none",
  metafile: true,
});
bundled.push(metafile);
// ASCII only: V8 then keeps the source as a one-byte string, read and decoded in a fraction
// of the time (~15 ms of every start for a few dozen non-ASCII characters in regular
// expressions and comments). \uXXXX means the same in a string, regular expression,
// identifier or comment; no tagged template in it reads its raw text.
const ascii = boot.wrapped(
  readFileSync(bundle, "utf8").replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  ),
);
const buildId = createHash("sha256").update(ascii).digest("hex");
writeFileSync(bundle, ascii + boot.buildIdLine(buildId));
for (const name of VENDOR) {
  const { metafile } = await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root },
    outfile: join(dist, "vendor", vendorFile(name)),
    legalComments: "none",
    metafile: true,
  });
  bundled.push(metafile);
}
// The worker, an ES module: its banner gives the bundled CommonJS packages `require`, and
// import.meta.url's replacement `__dirname` (dist/, the worker being in dist/commands/).
// tsc's module is kept beside it (not shipped), so this stage can be run again on its own.
const worker = join(dist, "commands", "batch-worker.js");
const workerModule = join(dist, "commands", "batch-worker.module.js");
const BUNDLED_WORKER = "// batch's worker thread, bundled by scripts/bundle.mjs";
if (!readFileSync(worker, "utf8").startsWith(BUNDLED_WORKER)) renameSync(worker, workerModule);
const { metafile: workerMeta } = await build({
  ...common,
  format: "esm",
  entryPoints: [workerModule],
  outfile: worker,
  plugins: [importMeta, vendored("esm")],
  legalComments: "none",
  metafile: true,
  banner: {
    js: [
      BUNDLED_WORKER,
      'import { createRequire as __createRequire } from "node:module";',
      'import { fileURLToPath as __fileURLToPath } from "node:url";',
      "const require = __createRequire(import.meta.url);",
      'const __dirname = __fileURLToPath(new URL("..", import.meta.url));',
    ].join("\n"),
  },
});
bundled.push(workerMeta);
writeFileSync(join(dist, "THIRD-PARTY-LICENSES.txt"), thirdPartyLicences(bundled));

// 2. The code cache, from runs of the worked examples (their output thrown away).
const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });
const { exports, script } = boot.compile(dist, undefined);
const work = mkdtempSync(join(tmpdir(), "safeguard-bundle-"));
const world = {
  stdin: process.stdin,
  stdout: sink(),
  stderr: sink(),
  cwd: work,
  // A data folder of its own: a case run with --out is added to the data folder's list of cases.
  env: { ...process.env, NO_COLOR: "1", SAFEGUARD_DATA_DIR: join(work, "data") },
  today: () => "2026-11-23",
  now: () => "2026-11-23T09:00:00.000Z",
};
try {
  for (const example of readdirSync(join(root, "examples")).filter((f) => f.endsWith(".yaml"))) {
    const file = join(root, "examples", example);
    for (const extra of [[], ["--json"], ["--out", "out"]]) {
      const code = await exports.main(["node", "safeguard", "run", "--answers", file, ...extra], world);
      if (code !== 0) throw new Error(`bundle: run --answers ${example} ${extra.join(" ")}: exit ${code}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(
  boot.cacheFile(dist),
  Buffer.concat([Buffer.from(boot.buildIdLine(buildId)), script.createCachedData()]),
);
const mb = (f) => (statSync(f).size / 1e6).toFixed(1);
process.stderr.write(
  `bundle: dist/safeguard.cjs ${mb(bundle)} MB, code cache ${mb(boot.cacheFile(dist))} MB\n`,
);

/**
 * The licence of every package in the bundles (esbuild's metafiles name each input): the
 * package ships their code but not their folders, so their notices go with it in one file.
 * A package that ships no licence file gets its licence's standard (SPDX) text from
 * docs/licenses/ (committed: nothing is fetched at build time), with the copyright line the
 * package gives in its README or code (docs/licenses/copyright.json). A licence with no text
 * there, or such a package with no copyright line, stops the build: every notice is whole.
 */
function thirdPartyLicences(metafiles) {
  // Each package's folder, and the files of it bundled.
  const packages = new Map();
  for (const meta of metafiles)
    for (const input of Object.keys(meta.inputs)) {
      // The innermost package: node_modules/a/node_modules/b/x.js is b's.
      const path = input.split(sep).join("/");
      const m = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(path);
      if (!m) continue;
      const dir = join(root, m[1], m[2]);
      if (!packages.has(dir)) packages.set(dir, new Set());
      packages.get(dir).add(path.slice(m[0].length));
    }
  const parts = [...packages.keys()].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(dir, file), "utf8").trim() : standardLicence(pkg);
    return [
      `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`,
      ...compiledIn(pkg, dir),
      ...inlined(pkg, dir, packages.get(dir)),
    ];
  });
  return `Packages bundled into dist/ and their licences.\n\n${parts.flat().join(`\n${"-".repeat(72)}\n\n`)}`;
}

/**
 * The other software a package carries compiled into its own code, which its licence does not
 * cover: @viz-js/viz's WebAssembly is Graphviz, Expat and Emscripten's runtime and C library
 * (its lib/provenance.json names each source). Listed in docs/licenses/compiled-in.json with
 * their upstream licence texts; each entry names a string its package must still contain
 * (the version built in), so an upgrade that changes what is inside stops the build until the
 * list is checked again. (Emscripten's LLVM runtime libraries are Apache-2.0 WITH
 * LLVM-exception, which asks no notice for object code.)
 */
function compiledIn(pkg, dir) {
  const licences = join(root, "docs", "licenses");
  const list = JSON.parse(readFileSync(join(licences, "compiled-in.json"), "utf8"))[pkg.name] ?? [];
  return list.map((c) => {
    const { file, contains } = c.evidence;
    const where = join(dir, file);
    if (!existsSync(where) || !readFileSync(where, "utf8").includes(contains))
      throw new Error(
        `${pkg.name} ${pkg.version}: ${file} no longer names "${contains}": check what it compiles in (${c.name}) and update docs/licenses/compiled-in.json`,
      );
    const text = readFileSync(join(licences, c.text), "utf8").trim();
    const notice = c.notice ? `${c.notice}\n\n` : "";
    return `${c.name} ${c.version} (${c.license})\n\nCompiled into ${pkg.name} ${pkg.version}. ${c.home}\n\n${notice}${text}\n`;
  });
}

/**
 * The packages (or Rust crates) a package was built from and carries inside its own code,
 * whose licences its own does not cover: docx's dist/ is rolldown's bundle of jszip, sax,
 * xml-js, nanoid, Node's browser polyfills and more; @resvg/resvg-wasm's WebAssembly is resvg
 * and the crates it is built from. Listed in docs/licenses/inlined.json, each with its version,
 * licence, copyright lines and the text (in docs/licenses/) that applies, given once for all
 * under it. The build stops, naming what to check, when the package is not the version that
 * was checked, when its files (those bundled, and those the list names) show a package or
 * crate the list does not have (`names`: rolldown's "//#region node_modules/NAME/" lines, the
 * crates' source paths Rust keeps in the WebAssembly), or no longer show one it has.
 */
function inlined(pkg, dir, inputs) {
  const licences = join(root, "docs", "licenses");
  const list = JSON.parse(readFileSync(join(licences, "inlined.json"), "utf8"));
  const carrier = list.carriers[pkg.name];
  if (!carrier) return [];
  const stop = (why) => {
    throw new Error(
      `${pkg.name} ${pkg.version}: ${why}: check what it carries inside and update docs/licenses/inlined.json`,
    );
  };
  if (pkg.version !== carrier.version) stop(`not the ${carrier.version} whose contents were checked`);
  const files = [...new Set([...(carrier.files ?? []), ...inputs])];
  // latin1: a WebAssembly file's bytes, one character each, so its paths read as text.
  const code = files.map((f) => readFileSync(join(dir, f), "latin1")).join("\n");
  const seen = new Set(
    Array.from(code.matchAll(new RegExp(carrier.names, "g")), (m) => m.slice(1).find(Boolean)),
  );
  const listed = new Set(carrier.packages.map((p) => p.seen).filter(Boolean));
  for (const name of seen) if (!listed.has(name)) stop(`it has ${name}, which is not listed`);
  for (const p of carrier.packages) {
    if (p.seen && !seen.has(p.seen)) stop(`it no longer has ${p.seen} (${p.name})`);
    if (p.contains && !code.includes(p.contains)) stop(`it no longer contains "${p.contains}" (${p.name})`);
  }
  // One part for each licence text: the packages under it, each with its copyright, then the text.
  const groups = new Map();
  for (const p of carrier.packages) {
    const key = p.text.join(" ");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  return [...groups.values()].map((members) => {
    // Their licence, or where it differs (MIT, MIT OR Apache-2.0, ...) that of the texts given.
    const one = new Set(members.map((p) => p.license)).size === 1;
    const licence = one ? members[0].license : members[0].text.map((t) => list.texts[t]).join(" OR ");
    const what =
      members.length <= 3
        ? members.map((p) => `${p.name} ${p.version}`).join(", ")
        : `${members.length} ${carrier.kind}`;
    const who = members
      .map(
        (p) =>
          `${p.name} ${p.version} (${p.license}): ${p.copyright ? p.copyright.split("\n").join("; ") : "as its licence below gives"}`,
      )
      .join("\n");
    const text = members[0].text
      .map((t) =>
        readFileSync(join(licences, t), "utf8")
          .replace(/^Copyright \(c\) <year> <copyright holders>\n\n/m, "")
          .trim(),
      )
      .join(`\n\n${"=".repeat(72)}\n\n`);
    return `Inside ${pkg.name} ${pkg.version}: ${what} (${licence})\n\n${carrier.about}\n\n${who}\n\n${text}\n`;
  });
}

/** The standard text of a package's licence, with its copyright line, for a package that ships none. */
function standardLicence(pkg) {
  const licences = join(root, "docs", "licenses");
  const text = join(licences, `${pkg.license}.txt`);
  const holder = JSON.parse(readFileSync(join(licences, "copyright.json"), "utf8"))[pkg.name];
  if (!existsSync(text) || typeof holder !== "string")
    throw new Error(
      `${pkg.name} ${pkg.version} ships no licence file: add the ${pkg.license} text as docs/licenses/${pkg.license}.txt and its copyright line to docs/licenses/copyright.json`,
    );
  const standard = readFileSync(text, "utf8").trim();
  // MIT's template line takes the holder; a licence without one (MPL-2.0) has the notice above it.
  return standard.includes("Copyright (c) <year> <copyright holders>")
    ? standard.replace("Copyright (c) <year> <copyright holders>", holder)
    : `${holder}\n\n${standard}`;
}
