import { cpSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { serialize } from "node:v8";
import { Environment } from "@marcbachmann/cel-js";
import { Liquid } from "liquidjs";
import { describe, expect, it, vi } from "vitest";
import { readCase } from "../src/engine/answers.js";
import type { Pathway } from "../src/engine/decide.js";
import { decide } from "../src/engine/decide.js";
import { compileFlow } from "../src/flow/compile.js";
import { celTree, evaluatorOf } from "../src/flow/conditions.js";
import { buildEnvironment } from "../src/flow/expr.js";
import type { FlowSources } from "../src/flow/read.js";
import { BEFORE_YOU_SEND, CASE_SUMMARY } from "../src/flow/templates.js";
import type { DocumentDef, Flow } from "../src/flow/types.js";
import {
  flowFromImage,
  imageFile,
  imageFiles,
  makeImage,
  placeheld,
  readImage,
} from "../src/io/flow-image.js";
import { loadFlow, locateFlow, readFlowSources } from "../src/io/flows.js";
import { packageRoot } from "../src/io/paths.js";
import { renderBothWays, renderDocument, templateEngine } from "../src/render/documents.js";
import { scenarios } from "./helpers/flow.js";

// The build's image of the bundled flow (src/io/flow-image.ts, scripts/flow-image.mjs) only
// saves time: the flow it gives must be the flow compileFlow gives, wherever the user stands,
// and it must never be used for files that are not exactly what it was made from.

/** Everything a flow holds but its evaluators (the goldens and the scenarios below run those). */
function data(x: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof x === "function") return "evaluator";
  if (x === null || typeof x !== "object") return x;
  const known = seen.get(x);
  if (known !== undefined) return known;
  if (x instanceof Map) {
    const m = new Map();
    seen.set(x, m);
    for (const [k, v] of x) m.set(k, data(v, seen));
    return m;
  }
  const o: Record<string, unknown> | unknown[] = Array.isArray(x) ? [] : {};
  seen.set(x, o);
  for (const [k, v] of Object.entries(x)) (o as Record<string, unknown>)[k] = data(v, seen);
  return o;
}

const file = imageFile(join(packageRoot, "flows", "all-age.flow.yaml"));
const header = readImage(file);
const compiled = (cwd: string): Flow | undefined => {
  const { cache: _cache, ...sources } = readFlowSources(locateFlow(undefined, cwd), cwd);
  return compileFlow(sources).flow;
};
const sourcesAt = (cwd: string): FlowSources => readFlowSources(locateFlow(undefined, cwd), cwd);
const write = (dir: string, bytes: Buffer) => {
  writeFileSync(join(dir, "image.v8"), bytes);
  return join(dir, "image.v8");
};

describe.skipIf(!header)("the flow image", () => {
  it("is there after a build, and loadFlow uses it for the bundled flow as shipped", () => {
    expect(header).toBeDefined();
    const sources = sourcesAt(packageRoot);
    expect(imageFiles(header as NonNullable<typeof header>, sources.flow.text)).toEqual([
      ...sources.files.keys(),
    ]);
    expect(flowFromImage(header as NonNullable<typeof header>, sources)).toBeDefined();
  });

  it("gives exactly the flow compileFlow gives, file names as shown from wherever the user stands", () => {
    for (const cwd of [packageRoot, tmpdir(), join(packageRoot, "flows", "parts")]) {
      const fromImage = flowFromImage(header as NonNullable<typeof header>, sourcesAt(cwd));
      const fresh = compiled(cwd);
      expect(fromImage, cwd).toBeDefined();
      expect(fresh, cwd).toBeDefined();
      expect(isDeepStrictEqual(data(fromImage), data(fresh)), cwd).toBe(true);
      const origin = fromImage?.actions[0]?.origin.file ?? "";
      expect(origin.includes("\0"), origin).toBe(false);
      expect(origin.endsWith(".yaml"), origin).toBe(true);
    }
    expect(loadFlow(undefined, tmpdir()).actions[0]?.origin.file).toBe(
      compiled(tmpdir())?.actions[0]?.origin.file,
    );
  });

  it("decides every scenario exactly as the compiled flow does", () => {
    const image = flowFromImage(header as NonNullable<typeof header>, sourcesAt(packageRoot)) as Flow;
    const fresh = compiled(packageRoot) as Flow;
    const list = scenarios();
    expect(list.length).toBeGreaterThan(20);
    for (const s of list) {
      const today = s.today ?? "2026-11-23";
      const text = JSON.stringify(s.case);
      const a = readCase(s.file, text, image.facts).answers;
      const b = readCase(s.file, text, fresh.facts).answers;
      if (!a || !b) throw new Error(`${s.file} does not read`);
      expect(decide(image, a, today), s.file).toEqual(decide(fresh, b, today));
    }
  });

  it("builds its conditions from the build's parse: no scenario parses CEL, and each gives what cel-js gives", () => {
    const image = flowFromImage(header as NonNullable<typeof header>, sourcesAt(packageRoot)) as Flow;
    const parse = vi.spyOn(Environment.prototype, "parse");
    try {
      for (const s of scenarios()) {
        const answers = readCase(s.file, JSON.stringify(s.case), image.facts).answers;
        if (!answers) throw new Error(`${s.file} does not read`);
        decide(image, answers, s.today ?? "2026-11-23");
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    // A tree the closures do not wholly handle (a double): left to cel-js, parsed when met.
    const env = buildEnvironment(image.facts);
    const c = { source: "1.5 > 1.0", expanded: "1.5 > 1.0" };
    expect(celTree(env, c)).toBeUndefined();
    expect(evaluatorOf(() => env, c)({})).toBe(true);
    // And a tree whose closure meets what it does not handle (a null) gives way to cel-js.
    const sized = { source: "size(x) > 0", expanded: "size(x) > 0" };
    env.registerVariable("x", "dyn");
    const tree = celTree(env, sized);
    expect(tree).toBeDefined();
    const fromTree = evaluatorOf(() => env, sized, tree);
    expect(fromTree({ x: ["a"] })).toBe(true);
    expect(() => fromTree({ x: null })).toThrow();
    expect(fromTree({ x: "ab" })).toBe(true);
  });

  it("renders every draft from the build's plans, parsing no Liquid, byte for byte as liquidjs does", () => {
    const image = flowFromImage(header as NonNullable<typeof header>, sourcesAt(packageRoot)) as Flow;
    const liquid = templateEngine(image.templates);
    const docs = [...image.documents.values(), BEFORE_YOU_SEND];
    if (!image.documents.has(CASE_SUMMARY.id)) docs.push(CASE_SUMMARY);
    const cases = scenarios().filter((_, i) => i % 4 === 0);
    const drafts: [Pathway, DocumentDef, string][] = [];
    const parse = vi.spyOn(Liquid.prototype, "parse");
    try {
      for (const s of cases) {
        const pathway = decide(
          image,
          readCase(s.file, JSON.stringify(s.case), image.facts).answers as never,
          s.today ?? "2026-11-23",
        );
        for (const doc of docs) drafts.push([pathway, doc, renderDocument(liquid, image, pathway, doc)]);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    expect(drafts.length).toBeGreaterThan(200);
    for (const [pathway, doc, text] of drafts)
      expect(text, doc.template).toBe(
        `${renderBothWays(liquid, image, pathway, doc)
          .liquid.replace(/\n{3,}/g, "\n\n")
          .trimEnd()}\n`,
      );
  });

  it("decides without reading its templates' plans: they are read when a draft is first rendered", () => {
    // Plans that cannot be read: the flow still comes, and decides; only a draft reads them.
    const cut = { ...(header as NonNullable<typeof header>), plans: new Uint8Array() };
    const image = flowFromImage(cut, sourcesAt(packageRoot)) as Flow;
    expect(image).toBeDefined();
    const fresh = compiled(packageRoot) as Flow;
    const s = scenarios()[0];
    if (!s) throw new Error("no scenario");
    const today = s.today ?? "2026-11-23";
    const answers = readCase(s.file, JSON.stringify(s.case), image.facts).answers as never;
    const pathway = decide(image, answers, today);
    expect(pathway).toEqual(decide(fresh, answers, today));
    expect(() => renderDocument(templateEngine(image.templates), image, pathway, CASE_SUMMARY)).toThrow(
      /deserialize/i,
    );
  });

  it("is not used when any file differs from what it was made from, by a single character", () => {
    const h = header as NonNullable<typeof header>;
    const s = sourcesAt(packageRoot);
    const edit = (raw: { file: string; text: string }) => ({ file: raw.file, text: `${raw.text} ` });
    const one = <K, V>(m: ReadonlyMap<K, V>, f: (v: V) => V) => {
      const [k, v] = [...m][0] as [K, V];
      return new Map(m).set(k, f(v));
    };
    expect(imageFiles(h, `${s.flow.text}\n`)).toBeUndefined();
    expect(flowFromImage(h, { ...s, flow: edit(s.flow) })).toBeUndefined();
    expect(flowFromImage(h, { ...s, files: one(s.files, edit) })).toBeUndefined();
    expect(flowFromImage(h, { ...s, templates: one(s.templates, edit) })).toBeUndefined();
    expect(flowFromImage(h, { ...s, locality: edit(s.locality) })).toBeUndefined();
    const fewer = new Map(s.templates);
    fewer.delete([...fewer.keys()][0] as string);
    expect(flowFromImage(h, { ...s, templates: fewer })).toBeUndefined();
    expect(flowFromImage(h, s)).toBeDefined();
  });

  it("is not read when it is from another V8, another format, or not an image at all", () => {
    const dir = mkdtempSync(join(tmpdir(), "safeguard-image-"));
    const h = header as NonNullable<typeof header>;
    const write = (name: string, bytes: Uint8Array | string) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    expect(readImage(write("same.v8", serialize(h)))).toBeDefined();
    expect(readImage(write("v8.v8", serialize({ ...h, v8: "0.0.0" })))).toBeUndefined();
    expect(readImage(write("format.v8", serialize({ ...h, format: 0 })))).toBeUndefined();
    expect(readImage(write("junk.v8", "not an image"))).toBeUndefined();
    expect(readImage(join(dir, "missing.v8"))).toBeUndefined();
  });

  it("holds by content alone: a touched file still reads the same; an edit or a new template, and it is not used", () => {
    // A package of one's own (a copy of the bundled files), imaged as the build images it.
    const root = mkdtempSync(join(tmpdir(), "safeguard-content-"));
    cpSync(join(packageRoot, "flows"), join(root, "flows"), { recursive: true });
    cpSync(join(packageRoot, "templates"), join(root, "templates"), { recursive: true });
    const loc = locateFlow(join(root, "flows", "all-age.flow.yaml"), root);
    const sources = placeheld(readFlowSources(loc, root));
    const h = readImage(write(root, makeImage(compileFlow(sources).flow as Flow, sources))) as NonNullable<
      typeof header
    >;
    const now = () => readFlowSources(loc, tmpdir());
    const { cache: _cache, ...uncached } = now();
    expect(isDeepStrictEqual(data(flowFromImage(h, now())), data(compileFlow(uncached).flow))).toBe(true);
    // touched (new times, same text): still the image's.
    const part = join(root, "flows", "parts", "under-18.yaml");
    const later = new Date(Date.now() + 60_000);
    utimesSync(part, later, later);
    expect(flowFromImage(h, now())).toBeDefined();
    const template = join(root, "templates", "mash-referral.md");
    const text = readFileSync(template, "utf8");
    writeFileSync(template, `${text} `);
    expect(flowFromImage(h, now())).toBeUndefined();
    writeFileSync(template, text);
    expect(flowFromImage(h, now())).toBeDefined();
    writeFileSync(join(root, "templates", "new-draft.md"), "# New\n");
    expect(flowFromImage(h, now())).toBeUndefined();
  });
});
