import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";

// The layering the README promises, checked on the import lines of every source file.
const src = join(packageRoot, "src");

function imports(dir: string): [file: string, target: string][] {
  const out: [string, string][] = [];
  for (const entry of readdirSync(join(src, dir), { withFileTypes: true })) {
    const path = join(src, dir, entry.name);
    if (entry.isDirectory()) out.push(...imports(relative(src, path)));
    else if (entry.name.endsWith(".ts"))
      for (const m of readFileSync(path, "utf8").matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms))
        out.push([relative(src, path), m[1] as string]);
  }
  return out;
}

const into = (layer: string) => (target: string) =>
  target.includes(`/${layer}/`) || target.startsWith(`./${layer}/`);

describe("layers", () => {
  it("nothing below the shell imports from cli/ or commands/ (errors live in src/errors.ts)", () => {
    const below = ["flow", "engine", "render", "io", "language", "prompts"].flatMap(imports);
    expect(below.length).toBeGreaterThan(20);
    expect(below.filter(([, t]) => into("cli")(t) || into("commands")(t))).toEqual([]);
  });

  it("the pure core (flow, engine, render) touches no files, terminal or shell layer", () => {
    const core = ["flow", "engine", "render"].flatMap(imports);
    const shell = ["cli", "commands", "io", "prompts"].map(into);
    const bad = core.filter(
      ([, t]) => shell.some((f) => f(t)) || /^node:(fs|fs\/promises|process|readline|tty)$/.test(t),
    );
    expect(bad).toEqual([]);
  });

  it("every declared dependency is imported somewhere (an unused one is dropped, not kept)", () => {
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const code = [...readdirSync(join(packageRoot, "scripts")).map((f) => join("..", "scripts", f))]
      .concat(allFiles("."))
      .map((f) => readFileSync(join(src, f), "utf8"))
      .join("\n");
    const unused = Object.keys(pkg.dependencies).filter(
      (d) => !code.includes(`"${d}"`) && !code.includes(`"${d}/`),
    );
    expect(unused).toEqual([]);
  });
});

function allFiles(dir: string): string[] {
  return readdirSync(join(src, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe("one gate for flows", () => {
  it("only loadFlow and flows validate compile a flow, both from readFlowSources: no command can disagree", () => {
    const callers = allFiles(".").filter((f) =>
      /\bcompileFlow\(/.test(readFileSync(join(src, f), "utf8").replace(/\/\/.*|\/\*[\s\S]*?\*\//g, "")),
    );
    expect(callers.filter((f) => f !== join("flow", "compile.ts")).sort()).toEqual([
      join("commands", "flows-validate.ts"),
      join("io", "flows.ts"),
    ]);
    expect(readFileSync(join(src, "commands", "flows-validate.ts"), "utf8")).toMatch(
      /compileFlow\(readFlowSources\(/,
    );
    // loadFlow reads the sources once; it compiles them, or takes the build's image of them
    // only when they are exactly what the image was compiled from (test/flow-image.test.ts).
    const load = readFileSync(join(src, "io", "flows.ts"), "utf8");
    expect(load).toMatch(/const sources = readFlowSources\(/);
    expect(load).toMatch(/flowFromImage\(image, sources\)/);
    expect(load).toMatch(/compileFlow\(sources\)/);
    // Every other command that needs a flow loads it through loadFlow.
    const commands = allFiles("commands").map((f) => readFileSync(join(src, f), "utf8"));
    const made = commands.flatMap((text) =>
      [...text.matchAll(/const (?:\{ )?flow\b.*?= (.*)/g)].map((m) => m[1]),
    );
    expect(made.length).toBeGreaterThan(6);
    for (const how of made) expect(how).toMatch(/^(loadFlow|compileFlow\(readFlowSources)\(/);
  });
});

describe("lazy dependencies", () => {
  it("are written the one way both bundlers rewrite, so none is left out of a bundle", async () => {
    const { lazyRequireProblems } = (await import(
      pathToFileURL(join(packageRoot, "scripts", "lazy-requires.mjs")).href
    )) as { lazyRequireProblems: (file: string, text: string) => string[] };
    const files = allFiles(".").filter((f) => f.endsWith(".ts"));
    const problems = files.flatMap((f) =>
      lazyRequireProblems(join("src", f), readFileSync(join(src, f), "utf8")),
    );
    expect(problems).toEqual([]);
    // There are some to check, and the check tells the other ways apart, at their line.
    expect(
      files.filter((f) => readFileSync(join(src, f), "utf8").includes("createRequire(")).length,
    ).toBeGreaterThan(3);
    const wrong = [
      'import { createRequire } from "node:module";',
      "const load = createRequire(import.meta.url);",
      'const zod = load("zod");',
      "const x = createRequire(import.meta.url)(name);",
      'const y = createRequire(import.meta.url)("re2js");',
    ].join("\n");
    expect(lazyRequireProblems("src/x.ts", wrong)).toEqual([
      expect.stringMatching(
        /^src\/x\.ts:2: a lazy dependency is written createRequire\(import\.meta\.url\)\("name"\)/,
      ),
      expect.stringMatching(/^src\/x\.ts:4: /),
    ]);
  });
});

describe("typed references", () => {
  it("the flows' `@step` syntax is read in one place, at load (src/flow/parts.ts): nothing after it sees a marker", () => {
    const marker = allFiles(".").filter((f) =>
      /startsWith\("@"\)|"@"/.test(readFileSync(join(src, f), "utf8")),
    );
    expect(marker).toEqual([join("flow", "parts.ts")]);
  });
});
