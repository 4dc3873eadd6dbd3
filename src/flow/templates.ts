import { createRequire } from "node:module";
import type { Liquid } from "liquidjs";
import { type Problem, suggest } from "./problems.js";
import type { Contact, DocumentDef, Fact, RawFile } from "./types.js";

/**
 * The template phase of loading a flow: every document's template parses, and every name
 * it reads exists (facts in the catalogue, contacts in the locality file, actions in the
 * flow); an anonymous document (duty to notify) may not read a personal fact at all.
 * Pure: the templates' text is given.
 */

/** The Liquid options and filters every template is parsed and rendered with. */
export const LIQUID_OPTIONS = {
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  lenientIf: true,
  greedy: false,
} as const;
export const TEMPLATE_FILTERS = ["fill", "yesno", "long_date", "quote"] as const;
export type TemplateFilter = (typeof TEMPLATE_FILTERS)[number];

/** The names a template may read: what render/documents.ts puts in a document's context. */
export const TEMPLATE_GLOBALS = [
  "document",
  "case_id",
  "reference_date",
  "today",
  "flow",
  "person",
  "facts",
  "actions",
  "all_actions",
  "recommended",
  "contacts",
  "locality",
  "warnings",
  "currency",
  "summary",
];

/** What an anonymous document's context leaves out (see documentContext). */
const NOT_FOR_ANONYMOUS = ["case_id", "today", "all_actions", "warnings", "summary"];

/** Written for every case, whether or not a flow defines it. */
export const CASE_SUMMARY: DocumentDef = {
  id: "case-summary",
  title: "Case summary",
  template: "case-summary.md",
  anonymous: false,
};

/** What a template reads, or why it does not parse: a function of its text alone. */
export type TemplateAnalysis =
  | { uses: [name: string, path: string[], line: number, column: number][] }
  | { error: { message: string; line: number; column: number } };

let parser: Liquid | undefined;

/**
 * Liquid is loaded only when a template has to be parsed: the bundled templates' analyses
 * come from the build's cache, so `flows graph` and `demo` start without it (~70 ms).
 */
export function analyzeTemplate(text: string): TemplateAnalysis {
  if (!parser) {
    const liquidjs = createRequire(import.meta.url)("liquidjs") as typeof import("liquidjs");
    parser = new liquidjs.Liquid(LIQUID_OPTIONS);
    for (const name of TEMPLATE_FILTERS) parser.registerFilter(name, (v: unknown) => v);
  }
  try {
    const { globals } = parser.analyzeSync(parser.parse(text));
    const uses: [string, string[], number, number][] = [];
    for (const [name, vars] of Object.entries(globals))
      for (const v of vars) uses.push([name, v.segments.map(String), v.location.row, v.location.col]);
    return { uses };
  } catch (error) {
    return { error: liquidError(error) };
  }
}

/** A Liquid parse error in plain words, at its own line and column (not parsed out of the message). */
function liquidError(error: unknown): { message: string; line: number; column: number } {
  const e = error as { message?: string; originalError?: Error; token?: { getPosition(): [number, number] } };
  const [line, column] = e.token?.getPosition() ?? [1, 1];
  const suffix = `, line:${line}, col:${column}`;
  let raw = e.originalError?.message ?? e.message ?? String(error);
  if (raw.endsWith(suffix)) raw = raw.slice(0, -suffix.length);
  const filter = /^undefined filter: (\S+)$/.exec(raw);
  const message = filter
    ? `unknown filter "${filter[1]}"${suggest(filter[1] as string, TEMPLATE_FILTERS)}`
    : raw.replace(/^tag "([^"]+)" not found$/, 'unknown tag "$1"');
  return { message: `template does not parse: ${message}`, line, column };
}

/** The names a template's reads are checked against; a map is absent when its file failed. */
export interface TemplateScope {
  documents: Iterable<DocumentDef>;
  facts?: ReadonlyMap<string, Fact>;
  contacts?: ReadonlyMap<string, Contact>;
  actionIds: ReadonlySet<string>;
}

export function templateProblems(
  scope: TemplateScope,
  templates: ReadonlyMap<string, RawFile>,
  cached?: (text: string) => TemplateAnalysis | undefined,
  flowFile = "flow",
): Problem[] {
  const problems: Problem[] = [];
  const docs = [...scope.documents];
  if (!docs.some((d) => d.id === CASE_SUMMARY.id)) {
    docs.push(CASE_SUMMARY);
    if (!templates.has(CASE_SUMMARY.template))
      problems.push({
        file: flowFile,
        message: `no template ${CASE_SUMMARY.template} (every case has a summary)`,
      });
  }
  for (const doc of docs) {
    const raw = templates.get(doc.template);
    if (!raw) continue; // a document's missing template is reported where the document is defined
    const analysis = cached?.(raw.text) ?? analyzeTemplate(raw.text);
    if ("error" in analysis) {
      problems.push({ file: raw.file, ...analysis.error });
      continue;
    }
    for (const [name, path, line, column] of analysis.uses) {
      const message = readProblem(scope, doc, name, path);
      if (message) problems.push({ file: raw.file, line, column, message });
    }
  }
  return problems;
}

function readProblem(
  scope: TemplateScope,
  doc: DocumentDef,
  name: string,
  path: string[],
): string | undefined {
  const identifying = `${doc.id} must carry no identifying detail of the person`;
  if (!TEMPLATE_GLOBALS.includes(name)) return `unknown name "${name}"${suggest(name, TEMPLATE_GLOBALS)}`;
  if (doc.anonymous && (NOT_FOR_ANONYMOUS.includes(name) || (name === "person" && path[1] !== "group")))
    return `${path.join(".")}: ${identifying}`;
  if (name === "facts" && path.length >= 2 && scope.facts) {
    const id = path.length >= 3 ? `${path[1]}.${path[2]}` : (path[1] as string);
    const fact = scope.facts.get(id);
    if (!fact) return `unknown fact "${id}"${suggest(id, scope.facts.keys())}`;
    if (doc.anonymous && (fact.personal || fact.type === "text" || fact.id === "case_id"))
      return `${id}: ${identifying}`;
  }
  const [, key] = path;
  if (name === "contacts" && key && scope.contacts && !scope.contacts.has(key))
    return `unknown contact "${key}"${suggest(key, scope.contacts.keys())}`;
  if (name === "recommended" && key && !scope.actionIds.has(key))
    return `unknown action "${key}"${suggest(key, scope.actionIds)}`;
  return undefined;
}
