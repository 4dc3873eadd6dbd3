import { basename, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Environment } from "@marcbachmann/cel-js";
import type { CelTree } from "../flow/closures.js";
import { celTree, evaluatedText, evaluatorOf } from "../flow/conditions.js";
import { buildEnvironment } from "../flow/expr.js";
import type { FlowSources } from "../flow/read.js";
import { keepPlans, type TemplatePlan } from "../flow/template-plan.js";
import type { Condition, Flow, RawFile } from "../flow/types.js";
import { readBytes } from "./assets.js";
import { packageRoot } from "./paths.js";

/**
 * The build's image of each bundled flow (issue 10): the flow compileFlow made from the
 * bundled files, kept with V8's serializer in dist/flow-image/NAME.v8, so that `run` and
 * each batch worker start from it rather than compiling the flow again (~30 ms of every
 * start). It is used only for sources whose every text is exactly what the build compiled
 * (the image keeps them, and each is compared with the file as read now: the build's one
 * freshness rule, by content; no hash, so no crypto to start either): an edited flow, part,
 * template or locality file is compiled as usual, and so is every flow given by path. Conditions keep no
 * evaluator in the image but the build's parse of each (issue 25: plain {op, args} trees,
 * src/flow/closures.ts), from which a run builds its closures without parsing or checking
 * any CEL; what those closures leave is parsed by cel-js when first met. Templates likewise
 * keep the build's plan of each (src/flow/template-plan.ts), so a run parses no Liquid; the
 * plans are serialized apart and read when a draft is first rendered, so a run that renders
 * none (`run` without --out) reads only the flow and its conditions' trees. The
 * single executable carries its image inside it (src/io/assets.ts): an image, or any file,
 * at its built-in folder's path on disk is never read.
 */

const FORMAT = 5;

/** Where the image of the bundled flow NAME.flow.yaml is. */
export function imageFile(flowFile: string, root = packageRoot): string {
  return join(root, "dist", "flow-image", `${basename(flowFile, ".flow.yaml")}.v8`);
}

interface Header {
  format: number;
  v8: string;
  /** Every text it was compiled from. The flow file's names the others (`files`, in order). */
  texts: Texts;
  body: Uint8Array;
  /** The templates' plans, serialized apart: read only when a draft is first rendered. */
  plans: Uint8Array;
}

interface Body {
  flow: Flow;
  /** Every condition in the flow (evaluators to be attached). */
  conditions: Condition[];
  /** The parse of each condition's evaluated text, by its place in `conditions` (null: parsed when met). */
  trees: (CelTree | null)[];
  /** Every object whose `file` is a placeholder for a file's name as shown to the user. */
  named: { file: string }[];
}

/** Every text a flow is compiled from, by name: equal texts, equal flows (names as shown apart). */
interface Texts {
  flow: string;
  files: [string, string][];
  templates: [string, string][];
  locality: string;
}

function textsOf(sources: FlowSources): Texts {
  return {
    flow: sources.flow.text,
    files: [...sources.files].map(([name, raw]) => [name, raw.text]),
    templates: [...sources.templates].map(([name, raw]) => [name, raw.text]),
    locality: sources.locality.text,
  };
}

function sameTexts(a: Texts, b: Texts): boolean {
  const same = (x: [string, string][], y: [string, string][]) =>
    x.length === y.length && x.every(([name, text], i) => y[i]?.[0] === name && y[i]?.[1] === text);
  return (
    a.flow === b.flow && a.locality === b.locality && same(a.files, b.files) && same(a.templates, b.templates)
  );
}

/**
 * The name a file is compiled under for the image: a placeholder that load() turns into
 * the name shown to this user, keeping the file's base name (the flow's sha256 reads it).
 */
function placeholder(kind: string, key: string, file: string): string {
  return `\0${kind}\0${key}\0/${basename(file)}`;
}

/** SOURCES with each file's shown name replaced by its placeholder (the build compiles these). */
export function placeheld(sources: FlowSources): FlowSources {
  const held = (kind: string, key: string, raw: RawFile): RawFile => ({
    file: placeholder(kind, key, raw.file),
    text: raw.text,
  });
  const { cache: _cache, ...rest } = sources;
  return {
    ...rest,
    flow: held("flow", "", sources.flow),
    files: new Map([...sources.files].map(([k, raw]) => [k, held("file", k, raw)])),
    templates: new Map([...sources.templates].map(([k, raw]) => [k, held("template", k, raw)])),
    locality: held("locality", "", sources.locality),
  };
}

/**
 * The image of FLOW, compiled from placeheld(SOURCES) (the build, scripts/flow-image.mjs),
 * with the PLANS of its templates (render/documents.ts templatePlans: the build loads
 * liquidjs, a run from the image need not). Throws when the flow holds what the image
 * cannot keep, or a placeholder anywhere but a `file` of its own: the build then fails,
 * rather than a start-up going wrong.
 */
export function makeImage(
  flow: Flow,
  sources: FlowSources,
  plans: ReadonlyMap<string, TemplatePlan> = new Map(),
): Buffer {
  const conditions: Condition[] = [];
  const named: { file: string }[] = [];
  const copies = new Map<object, unknown>();
  const copy = (v: unknown, at: string): unknown => {
    if (typeof v === "string" && v.includes("\0")) throw new Error(`flow image: a file name inside ${at}`);
    if (v === null || typeof v !== "object") {
      if (typeof v === "function") throw new Error(`flow image: a function at ${at}`);
      return v;
    }
    const known = copies.get(v);
    if (known !== undefined) return known;
    if (v instanceof Map) {
      const m = new Map();
      copies.set(v, m);
      for (const [k, x] of v) m.set(copy(k, at), copy(x, `${at}[${String(k)}]`));
      return m;
    }
    if (Array.isArray(v)) {
      const a: unknown[] = [];
      copies.set(v, a);
      for (const [i, x] of v.entries()) a.push(copy(x, `${at}[${i}]`));
      return a;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`flow image: not plain data at ${at}`);
    const o: Record<string, unknown> = {};
    copies.set(v, o);
    for (const [k, x] of Object.entries(v)) {
      if (k === "evaluate" && typeof x === "function") continue;
      if (k === "file" && typeof x === "string" && x.startsWith("\0")) o[k] = x;
      else o[k] = copy(x, `${at}.${k}`);
    }
    if (typeof (v as { evaluate?: unknown }).evaluate === "function")
      conditions.push(o as unknown as Condition);
    if (typeof o.file === "string" && o.file.startsWith("\0")) named.push(o as { file: string });
    return o;
  };
  const copied = copy(flow, "flow") as Flow;
  // The plans are read apart from the flow (Header.plans), so they may hold nothing of the
  // flow's own (it would be read twice, as two objects) and no name load() sets.
  const flowsOwn = new Set(copies.values());
  const namedBefore = named.length;
  const planned = copy([...plans], "plans") as [string, TemplatePlan][];
  if (named.length !== namedBefore || holdsAny(planned, flowsOwn))
    throw new Error("flow image: the templates' plans hold part of the flow");
  const env = environmentOf(flow);
  // Each text parsed once (conditions sharing a text share its tree).
  const byText = new Map<string, CelTree | null>();
  const trees = conditions.map((c) => {
    const text = evaluatedText(c);
    if (!byText.has(text)) byText.set(text, celTree(env, c) ?? null);
    return byText.get(text) ?? null;
  });
  const share = sharing();
  const body: Body = {
    flow: copied,
    conditions,
    named,
    trees: share(trees) as Body["trees"],
  };
  const header: Header = {
    format: FORMAT,
    v8: process.versions.v8,
    texts: textsOf(sources),
    body: serialize(body),
    plans: serialize(share(planned)),
  };
  return serialize(header);
}

/** Whether X, or anything inside it, is one of OBJECTS. */
function holdsAny(x: unknown, objects: ReadonlySet<unknown>): boolean {
  const seen = new Set<unknown>();
  const walk = (v: unknown): boolean => {
    if (v === null || typeof v !== "object" || seen.has(v)) return false;
    if (objects.has(v)) return true;
    seen.add(v);
    const inside = v instanceof Map ? [...v].flat() : Object.values(v);
    return inside.some(walk);
  };
  return walk(x);
}

/**
 * Plain data (trees and plans) with each repeated part made one object, which V8's
 * serializer then writes once: a tenth of the trees' bytes, and less to read at every start.
 * The parts are only read, never changed, so sharing them is safe.
 */
function sharing(): (x: unknown) => unknown {
  const canonical = new Map<string, object>();
  const ids = new Map<object, number>();
  const key = (x: unknown) =>
    x !== null && typeof x === "object"
      ? `#${ids.get(x)}`
      : `${typeof x}:${typeof x === "bigint" ? String(x) : JSON.stringify(x)}`;
  const share = (x: unknown): unknown => {
    if (x === null || typeof x !== "object") return x;
    let out: object;
    let k: string;
    if (Array.isArray(x)) {
      const items = x.map(share);
      out = items;
      k = `[${items.map(key).join(",")}]`;
    } else {
      const entries = Object.entries(x).map(([name, v]) => [name, share(v)] as const);
      out = Object.fromEntries(entries);
      k = `{${entries.map(([name, v]) => `${JSON.stringify(name)}:${key(v)}`).join(",")}}`;
    }
    const known = canonical.get(k);
    if (known) return known;
    canonical.set(k, out);
    ids.set(out, ids.size);
    return out;
  };
  return share;
}

/** What an image says of itself, before its flow is read: undefined when this Node cannot use it. */
export function readImage(file: string): Header | undefined {
  let header: Header;
  try {
    header = deserialize(readBytes(file)) as Header;
  } catch {
    return undefined; // no image (a checkout not built): compiled as usual
  }
  return header?.format === FORMAT && header.v8 === process.versions.v8 ? header : undefined;
}

/** The files the image's flow file names, when TEXT is that flow file's text. */
export function imageFiles(header: Header, text: string): readonly string[] | undefined {
  return text === header.texts.flow ? header.texts.files.map(([name]) => name) : undefined;
}

/** The image's flow, when SOURCES are exactly what it was compiled from; else undefined. */
export function flowFromImage(header: Header, sources: FlowSources): Flow | undefined {
  if (!sameTexts(textsOf(sources), header.texts)) return undefined;
  const { flow, conditions, named, trees } = deserialize(header.body) as Body;
  const shown = (kind: string, key: string): string | undefined =>
    kind === "flow"
      ? sources.flow.file
      : kind === "locality"
        ? sources.locality.file
        : (kind === "file" ? sources.files : sources.templates).get(key)?.file;
  for (const o of named) {
    const [, kind = "", key = ""] = o.file.split("\0");
    const file = shown(kind, key);
    if (file === undefined) return undefined;
    o.file = file;
  }
  let env: Environment | undefined;
  const environment = () => {
    env ??= environmentOf(flow);
    return env;
  };
  for (const [i, c] of conditions.entries()) c.evaluate = evaluatorOf(environment, c, trees[i] ?? undefined);
  keepPlans(flow.templates, () => new Map(deserialize(header.plans) as [string, TemplatePlan][]));
  return flow;
}

/** The CEL environment FLOW's conditions are parsed in (named conditions are bools in it). */
function environmentOf(flow: Flow): Environment {
  const env = buildEnvironment(flow.facts);
  for (const name of flow.conditions.keys()) env.registerVariable(name, "bool");
  return env;
}
