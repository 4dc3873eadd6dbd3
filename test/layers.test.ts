import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
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

/**
 * The layers, lowest first: each may import only from those before it (and src/errors.ts,
 * below them all). Our shared wording (words/) comes first: everything may say it. The
 * README's pipeline: flow -> engine -> render, io at the edge, case through them all, the
 * training pack built on it, then the wizard's prompts, the commands, and the runner (cli/).
 */
const LAYERS = [
  "words",
  "flow",
  "language",
  "engine",
  "render",
  "io",
  "case",
  "training",
  "prompts",
  "commands",
  "cli",
];

/** Every import between source files: from, to (paths under src/), and whether it is lazy (`import(…)`). */
function edges(): { from: string; to: string; lazy: boolean }[] {
  const out: { from: string; to: string; lazy: boolean }[] = [];
  for (const from of allFiles(".").filter((f) => f.endsWith(".ts"))) {
    const text = readFileSync(join(src, from), "utf8");
    const found = [
      ...[...text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)].map(
        (m) => [m[1], false] as const,
      ),
      ...[...text.matchAll(/\bimport\("(\.[^"]+)"\)/g)].map((m) => [m[1], true] as const),
    ];
    for (const [target, lazy] of found)
      out.push({
        from,
        to: normalize(join(dirname(from), (target as string).replace(/\.js$/, ".ts"))),
        lazy,
      });
  }
  return out;
}

/** A file's layer: its folder under src/, or -1 for a file beside them (src/errors.ts). */
const rank = (file: string) => (file.includes(sep) ? LAYERS.indexOf(file.split(sep)[0] as string) : -1);

/** Import loops among the files of `graph`, each as its files in order (Tarjan's strongly connected components). */
function loops(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component = stack.splice(stack.indexOf(v));
      if (component.length > 1 || graph.get(v)?.includes(v)) out.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("layers", () => {
  it("every source file is in a known layer", () => {
    const files = allFiles(".").filter((f) => f.endsWith(".ts"));
    expect(files.filter((f) => f.includes(sep) && rank(f) === -1)).toEqual([]);
    expect(files.filter((f) => !f.includes(sep))).toEqual(["errors.ts"]);
  });

  it("no import goes from a lower layer to a higher one (the command table's lazy imports go down)", () => {
    const all = edges();
    expect(all.length).toBeGreaterThan(200);
    const up = all.filter((e) => rank(e.to) > rank(e.from)).map((e) => `${e.from} -> ${e.to}`);
    expect(up).toEqual([]);
    // The runner reaches a command only through the command table, lazily: --version and
    // --help start none of them.
    const commands = all.filter(
      (e) => rank(e.from) === LAYERS.indexOf("cli") && rank(e.to) === LAYERS.indexOf("commands"),
    );
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter((e) => !e.lazy || e.from !== join("cli", "main.ts"))).toEqual([]);
  });

  it("the test would see an import that goes up a layer, and a loop", () => {
    expect(rank(join("engine", "decide.ts"))).toBeLessThan(rank(join("case", "decide.ts")));
    expect(rank(join("io", "world.ts"))).toBeLessThan(rank(join("commands", "run.ts")));
    const loop = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(loops(loop).map((l) => [...l].sort())).toEqual([["a", "b", "c"]]);
    expect(
      loops(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("no import loop, type-only and lazy imports included", () => {
    const graph = new Map<string, string[]>();
    for (const e of edges()) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    expect(loops(graph)).toEqual([]);
  });

  it("the pure core (words, flow, engine, render, language) touches no files, terminal, case or shell layer", () => {
    const core = ["words", "flow", "engine", "render", "language"].flatMap(imports);
    const shell = ["cli", "commands", "io", "case", "prompts"].map(into);
    const bad = core.filter(
      ([, t]) => shell.some((f) => f(t)) || /^node:(fs|fs\/promises|process|readline|tty)$/.test(t),
    );
    expect(bad).toEqual([]);
  });

  it("the case pipeline (src/case/) imports flow, engine, render, language and io, never the prompts or the shell", () => {
    const cased = imports("case");
    expect(cased.length).toBeGreaterThan(5);
    expect(cased.filter(([, t]) => ["cli", "commands", "prompts"].some((l) => into(l)(t)))).toEqual([]);
  });

  it("every declared dependency is used somewhere (an unused one is dropped, not kept)", () => {
    // All are development dependencies: what the program runs is bundled into dist/ by the
    // build (docs/decisions.md, "A lean package"), the rest are the build's and tests' tools.
    const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.dependencies).toBeUndefined();
    const tests = readdirSync(join(packageRoot, "test"), { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(ts|mjs|cjs|js)$/.test(f))
      .map((f) => join("..", "test", f));
    const code = [...readdirSync(join(packageRoot, "scripts")).map((f) => join("..", "scripts", f))]
      .concat(allFiles("."), tests, [join("..", "vitest.config.ts")])
      .map((f) => readFileSync(join(src, f), "utf8"))
      .join("\n");
    const tsconfig = JSON.parse(readFileSync(join(packageRoot, "tsconfig.json"), "utf8"));
    const tools: Record<string, boolean> = {
      "@biomejs/biome": /^biome /.test(pkg.scripts.lint ?? ""),
      "@types/node": tsconfig.compilerOptions.types.includes("node"),
    };
    const unused = Object.keys(pkg.devDependencies).filter(
      (d) => !tools[d] && !code.includes(`"${d}"`) && !code.includes(`"${d}/`),
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
