import { realpathSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { InputError } from "../errors.js";
import { compileFlow } from "../flow/compile.js";
import type { ConditionFacts } from "../flow/conditions.js";
import { crypto } from "../flow/crypto.js";
import { formatProblem, type Problem } from "../flow/problems.js";
import { type FlowSources, type ParseCache, staysInside } from "../flow/read.js";
import type { TemplateAnalysis } from "../flow/templates.js";
import type { Flow, RawFile } from "../flow/types.js";
import { say } from "../words/problems.js";
import { exists, isDirectory, listDir, readText } from "./assets.js";
import { flowFromImage, imageFile, imageFiles, readImage } from "./flow-image.js";
import { bundledFlowsDir, bundledTemplatesDir, type FlowLocation, packageRoot, shown } from "./paths.js";

export { shown } from "./paths.js";

export const DEFAULT_FLOW = "all-age";
export const DEFAULT_LOCALITY = "solihull";

function readRaw(path: string, cwd: string): RawFile {
  return { file: shown(path, cwd), text: readText(path) };
}

function yamlFilesUnder(dir: string, prefix = ""): [string, string][] {
  const out: [string, string][] = [];
  for (const name of listDir(dir).sort()) {
    const full = join(dir, name);
    if (isDirectory(full)) out.push(...yamlFilesUnder(full, `${prefix}${name}/`));
    else if (/\.ya?ml$/.test(name)) out.push([`${prefix}${name}`, full]);
  }
  return out;
}

/**
 * Where a flow's files are: a bundled flow by name, a path to a .flow.yaml file, or a
 * folder holding exactly one .flow.yaml file (that flow is used).
 */
export function locateFlow(nameOrPath: string | undefined, cwd: string, locality?: string): FlowLocation {
  const name = nameOrPath ?? DEFAULT_FLOW;
  const bundledFile = join(bundledFlowsDir, `${name}.flow.yaml`);
  const asPath = /[\\/]|\.ya?ml$/.test(name) || (!isFile(bundledFile) && exists(resolve(cwd, name)));
  let flowFile = asPath ? resolve(cwd, name) : bundledFile;
  if (asPath && isDirectory(flowFile)) flowFile = flowInFolder(flowFile, name);
  if (!isFile(flowFile)) {
    const bundled = flowNames(bundledFlowsDir);
    throw new InputError(say.noFlow(name, bundled));
  }
  const flowsDir = resolve(flowFile, "..");
  const templatesDir =
    flowsDir === bundledFlowsDir ? bundledTemplatesDir : resolve(flowsDir, "..", "templates");
  const localityFile = locality
    ? resolve(cwd, locality)
    : join(flowsDir, "localities", `${DEFAULT_LOCALITY}.yaml`);
  return { flowFile, flowsDir, templatesDir, localityFile };
}

function isFile(path: string): boolean {
  return exists(path) && !isDirectory(path);
}

function flowNames(dir: string): string[] {
  return listDir(dir)
    .filter((f) => f.endsWith(".flow.yaml"))
    .sort()
    .map((f) => f.replace(/\.flow\.yaml$/, ""));
}

/** The one flow in a folder; none, or several, is an input error that says what to give. */
function flowInFolder(dir: string, given: string): string {
  const names = flowNames(dir);
  if (names.length === 1) return join(dir, `${names[0]}.flow.yaml`);
  if (names.length === 0) throw new InputError(say.noFlowInFolder(given));
  throw new InputError(say.manyFlowsInFolder(given, names));
}

/**
 * Every file a flow is compiled from. NAMED: the files the flow file names, when already
 * known (the flow's image knows them for its own flow file's text); else read from it.
 */
export function readFlowSources(
  loc: FlowLocation,
  cwd: string,
  flow: RawFile = readRaw(loc.flowFile, cwd),
  named?: readonly string[],
): FlowSources {
  const files = new Map<string, RawFile>();
  // Read only the files the flow names; compileFlow reports any that are missing.
  const cache = buildCache();
  for (const name of named ?? namedFiles(flow.text, cache) ?? yamlFilesUnder(loc.flowsDir).map(([n]) => n)) {
    // A name that leaves the flow's folder is never read: compileFlow says so at its line.
    if (!staysInside(name)) continue;
    const path = join(loc.flowsDir, name);
    try {
      if (loc.flowsDir !== bundledFlowsDir && exists(path))
        insideFolder(path, loc.flowsDir, cwd, "flow's folder");
      files.set(name, readRaw(path, cwd));
    } catch (e) {
      if (e instanceof InputError) throw e;
      // Not there: compileFlow says so, with the line that names it.
    }
  }
  const templates = new Map<string, RawFile>();
  let names: string[] = [];
  try {
    names = listDir(loc.templatesDir).sort();
  } catch {
    // No templates folder: every document's template is then reported missing.
  }
  for (const name of names.filter((n) => n.endsWith(".md"))) {
    const path = join(loc.templatesDir, name);
    if (loc.templatesDir !== bundledTemplatesDir)
      insideFolder(path, loc.templatesDir, cwd, "flow's templates folder");
    templates.set(name, readRaw(path, cwd));
  }
  let locality: RawFile;
  try {
    locality = readRaw(loc.localityFile, cwd);
  } catch {
    throw new InputError(say.cannotReadLocality(shown(loc.localityFile, cwd)));
  }
  return { flow, files, templates, locality, cache };
}

/** A file that is a link to a file outside its folder is refused, never read. */
function insideFolder(path: string, folder: string, cwd: string, what: string): void {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw new InputError(say.linkToNothing(shown(path, cwd)));
  }
  const rel = relative(realpathSync(folder), real);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw new InputError(say.linkOutside(shown(path, cwd), what));
  }
}

/** A file's entry: its data as JSON text, parsed only when needed (most loads need only `checked`). */
type CacheEntry = Omit<NonNullable<ReturnType<ParseCache["get"]>>, "data"> & { dataText: string };
type CacheTable = {
  files: Record<string, CacheEntry>;
  templates: Record<string, TemplateAnalysis>;
  conditions?: Record<string, Record<string, ConditionFacts>>;
};
let cacheTable: CacheTable | null | undefined;

/**
 * `npm run build` parses the bundled flow files and templates once and keeps the result,
 * keyed by each file's sha256, in dist/flow-cache.json: a file whose text is unchanged
 * loads without a YAML or Liquid parse (the slowest part of starting up). An edited file
 * is parsed as usual. The table is read on first use: a flow loaded from its image needs none.
 */
function buildCache(): NonNullable<FlowSources["cache"]> {
  const table = (): CacheTable | null => {
    if (cacheTable === undefined) {
      try {
        cacheTable = JSON.parse(readText(join(packageRoot, "dist", "flow-cache.json")));
      } catch {
        cacheTable = null;
      }
      if (!cacheTable?.files || !cacheTable.templates) cacheTable = null;
    }
    return cacheTable;
  };
  const sha = (text: string) => crypto().createHash("sha256").update(text).digest("hex");
  return {
    get: (text) => {
      const entry = table()?.files[sha(text)];
      if (!entry) return undefined;
      let data: unknown;
      const { positions, checked } = entry;
      return {
        get data() {
          data ??= JSON.parse(entry.dataText);
          return data;
        },
        positions,
        ...(checked ? { checked } : {}),
      };
    },
    template: (text) => table()?.templates[sha(text)],
    conditions: (key) => table()?.conditions?.[key],
  };
}

/** The files a flow file names (facts, parts), from the build's parse when it has one. */
function namedFiles(text: string, cache: FlowSources["cache"]): string[] | undefined {
  try {
    const header = (cache?.get(text)?.data ?? parse(text)) as { facts?: unknown; parts?: unknown } | null;
    if (!header) return undefined;
    const names = [header.facts, ...(Array.isArray(header.parts) ? header.parts : [])];
    return names.every((n) => typeof n === "string") ? (names as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Read and compile a flow, or throw an InputError listing every problem. */
export function loadFlow(nameOrPath: string | undefined, cwd: string, locality?: string): Flow {
  const loc = locateFlow(nameOrPath, cwd, locality);
  // A bundled flow whose files are all as the build compiled them: its image (flow-image.ts).
  const image = loc.flowsDir === bundledFlowsDir ? readImage(imageFile(loc.flowFile)) : undefined;
  const file = readRaw(loc.flowFile, cwd);
  const named = image && imageFiles(image, file.text);
  const sources = readFlowSources(loc, cwd, file, named);
  const built = image && named && flowFromImage(image, sources);
  if (built) return built;
  const { flow, problems } = compileFlow(sources);
  if (!flow) throw flowProblems(basename(loc.flowFile), problems);
  return flow;
}

export function flowProblems(name: string, problems: Problem[]): InputError {
  return new InputError(say.problemList(`the flow ${name}`, problems.length), problems.map(formatProblem));
}
