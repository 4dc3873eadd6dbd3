import type { z } from "zod";
import { say } from "../words/problems.js";
import type { ConditionFacts } from "./conditions.js";
import { plainIssues } from "./issues.js";
import {
  dotPath,
  type Located,
  locate,
  locatedFromCache,
  type PositionTable,
  type Problem,
  parseSource,
  problemAt,
} from "./problems.js";
import {
  type FactsFileRaw,
  type FlowFileRaw,
  flowSchemas,
  type LocalityRaw,
  type PartRaw,
} from "./schema.js";
import type { TemplateAnalysis } from "./templates.js";
import type { Contact, Locality, RawFile, Team } from "./types.js";

// Phase 1 of loading a flow: read and schema-check every file, collecting every problem.

/** Which schema a file is checked against. */
export type FileKind = "flow" | "facts" | "part" | "locality";

/**
 * Files the build parsed already, by their text: a flow loads without parsing YAML, and a
 * file the build found valid as a KIND (`checked`, the checked value) is not checked again.
 */
export interface ParseCache {
  get(
    text: string,
  ): { data: unknown; positions: PositionTable; checked?: Partial<Record<FileKind, unknown>> } | undefined;
  template?(text: string): TemplateAnalysis | undefined;
  /** What compiling each condition found, for a flow's sources (compile.ts conditionsKey). */
  conditions?(key: string): Readonly<Record<string, ConditionFacts>> | undefined;
}

/** Everything a flow is built from, already read from disk by the shell. */
export interface FlowSources {
  flow: RawFile;
  /** Files the flow names (facts, parts), by the name used in the flow file. */
  files: ReadonlyMap<string, RawFile>;
  /** Templates by file name. */
  templates: ReadonlyMap<string, RawFile>;
  locality: RawFile;
  /** What the build parsed already (see scripts/flow-cache.mjs); optional. */
  cache?: ParseCache;
}

/** Every file of a flow, parsed and checked; what failed is left out, its problems said. */
export interface FlowFiles {
  flowSource: Located;
  header?: FlowFileRaw;
  /** `unchecked`: the ids of entries that failed their check (left out of `value`, their problems said). */
  factsFile?: { source: Located; value: FactsFileRaw; unchecked: ReadonlySet<string> };
  parts: { source: Located; value: PartRaw; index: number }[];
  /** Ids defined in a part that failed its check: references to them are not reported. */
  unchecked: { actions: Set<string>; documents: Set<string> };
  locality?: Locality;
}

/**
 * Read every file even when another failed (style.md §4): a flow file with a bad header
 * still names its facts and parts, and those are checked too.
 */
export function readFlowFiles(sources: FlowSources, problems: Problem[]): FlowFiles | undefined {
  const flowFile = parseValidated<FlowFileRaw>(sources.flow, "flow", problems, sources.cache);
  const header = flowFile?.value;
  const flowSource = flowFile?.source ?? locateQuietly(sources.flow, sources.cache);
  if (!flowSource) return undefined;
  const names = header ?? namedIn(flowSource.data);

  const factsRaw = names.facts === undefined ? undefined : sources.files.get(names.facts);
  if (names.facts !== undefined && !factsRaw)
    problems.push(problemAt(flowSource, ["facts"], missingFile(names.facts)));
  const factsFile = factsRaw && parseFacts(factsRaw, problems, sources.cache);

  const parts: FlowFiles["parts"] = [];
  const unchecked = { actions: new Set<string>(), documents: new Set<string>() };
  names.parts.forEach((name, index) => {
    const raw = sources.files.get(name);
    if (!raw) {
      problems.push(problemAt(flowSource, ["parts", index], missingFile(name)));
      return;
    }
    const parsed = parseValidated<PartRaw>(raw, "part", problems, sources.cache);
    if (parsed) parts.push({ ...parsed, index });
    else idsIn(locateQuietly(raw, sources.cache)?.data, unchecked);
  });
  const locality = buildLocality(sources.locality, problems, sources.cache);
  return {
    flowSource,
    ...(header ? { header } : {}),
    ...(factsFile ? { factsFile } : {}),
    parts,
    unchecked,
    ...(locality ? { locality } : {}),
  };
}

/**
 * A file a flow names: a path inside the flow's folder (parts/adults.yaml), never an absolute
 * path or one that climbs out of it (../../.ssh/id_rsa), which is not read at all.
 */
export function staysInside(name: string): boolean {
  return !/^([\\/]|[A-Za-z]:)/.test(name) && !name.split(/[\\/]/).includes("..");
}

function missingFile(name: string): string {
  return staysInside(name) ? say.noSuchFile(name) : say.notInFolder(name);
}

/** The schema of each kind of file. */
export function schemaOf(kind: FileKind): z.ZodType {
  const s = flowSchemas();
  return { flow: s.flowFileSchema, facts: s.factsFileSchema, part: s.partSchema, locality: s.localitySchema }[
    kind
  ];
}

/**
 * The facts file, entry by entry: an entry that fails its check is reported and left out,
 * and the others are kept, so one bad entry does not hide every fact name's problem in the
 * parts. A problem outside the entries (the file's shape, its version) fails the file.
 */
function parseFacts(
  raw: RawFile,
  problems: Problem[],
  cache?: ParseCache,
): NonNullable<FlowFiles["factsFile"]> | undefined {
  const unchecked = new Set<string>();
  const salvage = (data: unknown, issues: readonly { path: readonly PropertyKey[] }[]) => {
    const groups = ["facts", "derived"] as const;
    const bad = issues.map(({ path: [group, id] }) =>
      groups.some((g) => g === group) && typeof id === "string" ? [group as string, id] : undefined,
    );
    if (bad.some((b) => b === undefined)) return undefined;
    const copy = { ...(data as Record<string, Record<string, unknown>>) };
    for (const [group = "", id = ""] of bad as string[][]) {
      copy[group] = { ...copy[group] };
      delete copy[group][id];
      unchecked.add(id);
    }
    return copy;
  };
  const parsed = parseValidated<FactsFileRaw>(raw, "facts", problems, cache, salvage);
  return parsed && { ...parsed, unchecked };
}

/** Entries to leave out of DATA so that the rest passes (parseFacts), or undefined: the file fails. */
type Salvage = (data: unknown, issues: readonly { path: readonly PropertyKey[] }[]) => unknown;

function parseValidated<T>(
  raw: RawFile,
  kind: FileKind,
  problems: Problem[],
  cache?: ParseCache,
  salvage?: Salvage,
): { source: Located; value: T } | undefined {
  const cached = cache?.get(raw.text);
  if (cached) {
    const located = locatedFromCache(raw.file, raw.text, cached);
    const checked = cached.checked?.[kind];
    if (checked !== undefined) return { source: located, value: checked as T };
    const quick = schemaOf(kind).safeParse(located.data);
    if (quick.success) return { source: located, value: quick.data as T };
  }
  const schema = schemaOf(kind);
  const { source: parsed, problems: syntax } = parseSource(raw.file, raw.text);
  if (syntax.length > 0) {
    problems.push(...syntax);
    return undefined;
  }
  const source = locate(parsed);
  // Said, and the file still read: what uses its words is checked too.
  problems.push(...controlProblems(raw.file, source));
  const result = schema.safeParse(source.data);
  if (result.success) return { source, value: result.data as T };
  for (const issue of plainIssues(schema, source.data, result.error.issues)) {
    const pos = issue.key ? source.keyAt(issue.path) : source.at(issue.path);
    problems.push({ file: raw.file, ...pos, field: dotPath(issue.path), message: issue.message });
  }
  const rest = salvage?.(source.data, result.error.issues);
  const kept = rest === undefined ? undefined : schema.safeParse(rest);
  return kept?.success ? { source, value: kept.data as T } : undefined;
}

/**
 * Control characters (C0 but tab and newline, DEL, C1) and the invisible characters that
 * reorder text (bidirectional marks, overrides and isolates): as render/inert.ts makes
 * visible in answers. A flow's words are shown on terminals and written into drafts, so
 * they hold none: an ESC in a title would otherwise reach a terminal raw.
 */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Every key and text of a file holding a control character, each at its place. */
function controlProblems(file: string, source: Located): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value === "string") {
      const found = CONTROL.exec(value);
      if (found)
        problems.push({ file, ...source.at(path), field: dotPath(path), message: say.flowControl(found[0]) });
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, [...path, i]);
    } else if (value !== null && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        const found = CONTROL.exec(k);
        if (found)
          problems.push({
            file,
            ...source.keyAt([...path, k]),
            field: dotPath([...path, k]),
            message: say.flowControl(found[0]),
          });
        walk(v, [...path, k]);
      }
  };
  walk(source.data, []);
  return problems;
}

/** A file's data and positions without reporting anything (parseValidated has done that). */
function locateQuietly(raw: RawFile, cache?: ParseCache): Located | undefined {
  const cached = cache?.get(raw.text);
  if (cached) return locatedFromCache(raw.file, raw.text, cached);
  const { source, problems } = parseSource(raw.file, raw.text);
  return problems.length > 0 ? undefined : locate(source);
}

/** The action and document ids in a part that failed its check, read leniently. */
function idsIn(data: unknown, into: { actions: Set<string>; documents: Set<string> }): void {
  const d = (data ?? {}) as { actions?: unknown; documents?: unknown };
  for (const [list, set] of [
    [d.actions, into.actions],
    [d.documents, into.documents],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === "string") set.add(id);
    }
  }
}

/** The facts and parts a flow file names, read leniently from a header that failed its check. */
function namedIn(data: unknown): { facts?: string; parts: string[] } {
  const d = (data ?? {}) as { facts?: unknown; parts?: unknown };
  const parts = Array.isArray(d.parts) ? d.parts.filter((p): p is string => typeof p === "string") : [];
  return { ...(typeof d.facts === "string" ? { facts: d.facts } : {}), parts };
}

function buildLocality(raw: RawFile, problems: Problem[], cache?: ParseCache): Locality | undefined {
  const parsed = parseValidated<LocalityRaw>(raw, "locality", problems, cache);
  if (!parsed) return undefined;
  const contacts = new Map<string, Contact>();
  for (const [id, c] of Object.entries(parsed.value.contacts)) contacts.set(id, { id, ...c } as Contact);
  const teams = new Map<string, Team>();
  for (const [id, t] of Object.entries(parsed.value.teams ?? {})) teams.set(id, { id, ...t });
  return {
    id: parsed.value.locality.id,
    name: parsed.value.locality.name,
    ...(parsed.value.locality.area ? { area: parsed.value.locality.area } : {}),
    contacts,
    teams,
    file: raw.file,
  };
}
