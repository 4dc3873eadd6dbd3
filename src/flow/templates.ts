import { createRequire } from "node:module";
import type { Liquid } from "liquidjs";
import { say } from "../words/problems.js";
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
  // Given, so that Liquid does not ask Intl for the system's (~45 ms at start-up, issue 10);
  // it is only for Liquid's own `date` filter, which the bundled templates do not use.
  locale: "en-GB",
} as const;

/**
 * The Liquid options for a flow's templates: `include`, `render` and `layout` look up only
 * the flow's own templates (given by name, from its templates folder), never the disk, so a
 * custom flow cannot pull `~/.ssh/id_rsa` into a draft. No prototype keys either.
 */
export function liquidOptions(templates: ReadonlyMap<string, string>) {
  const mapping: Record<string, string> = Object.create(null);
  for (const [name, text] of templates) mapping[name] = text;
  return { ...LIQUID_OPTIONS, templates: mapping };
}
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
  "drafts",
];

/** What an anonymous document's context leaves out (see documentContext). */
const NOT_FOR_ANONYMOUS = ["case_id", "today", "all_actions", "warnings", "summary", "drafts"];

/** Written for every case, whether or not a flow defines it. */
export const CASE_SUMMARY: DocumentDef = {
  id: "case-summary",
  title: "Case summary",
  template: "case-summary.md",
  anonymous: false,
  audience: "record",
};

/**
 * Written for every case: the lead's checklist for each draft (what to check before it is
 * sent or filed), the notes a draft meant to be sent leaves out.
 */
export const BEFORE_YOU_SEND: DocumentDef = {
  id: "before-you-send",
  title: "Before you send",
  template: "before-you-send.md",
  anonymous: false,
  audience: "record",
};

/**
 * What a template reads, or why it does not parse: a function of its text (and the texts of
 * the templates it includes) alone. `file`: the included template it is in, by its name
 * there, when it is not in the template itself.
 */
export type TemplateAnalysis =
  | { uses: [name: string, path: string[], line: number, column: number, file?: string][] }
  | { error: { message: string; line: number; column: number; file?: string } };

const parsers = new WeakMap<ReadonlyMap<string, string>, Liquid>();
const NO_TEMPLATES: ReadonlyMap<string, string> = new Map();

/**
 * Liquid is loaded only when a template has to be parsed: the bundled templates' analyses
 * come from the build's cache, so `flows graph` and `demo` start without it (~70 ms).
 * What an included template reads counts as read by the one including it.
 */
export function analyzeTemplate(
  text: string,
  templates: ReadonlyMap<string, string> = NO_TEMPLATES,
): TemplateAnalysis {
  let parser = parsers.get(templates);
  if (!parser) {
    const liquidjs = createRequire(import.meta.url)("liquidjs") as typeof import("liquidjs");
    parser = new liquidjs.Liquid(liquidOptions(templates));
    for (const name of TEMPLATE_FILTERS) parser.registerFilter(name, (v: unknown) => v);
    parsers.set(templates, parser);
  }
  try {
    const { globals } = parser.analyzeSync(parser.parse(text));
    const uses: [string, string[], number, number, string?][] = [];
    for (const [name, vars] of Object.entries(globals))
      for (const v of vars) {
        const { row, col, file } = v.location;
        const path = v.segments.map(String);
        uses.push(file ? [name, path, row, col, file] : [name, path, row, col]);
      }
    return { uses };
  } catch (error) {
    return { error: liquidError(error) };
  }
}

/**
 * A Liquid parse error in plain words, at its own line and column (not parsed out of the
 * message), in the included template it is in when it is in one.
 */
function liquidError(error: unknown): { message: string; line: number; column: number; file?: string } {
  const e = error as {
    message?: string;
    originalError?: Error;
    token?: { getPosition(): [number, number]; file?: string };
  };
  const [line, column] = e.token?.getPosition() ?? [1, 1];
  const file = e.token?.file;
  const suffix = `, line:${line}, col:${column}`;
  let raw = e.originalError?.message ?? e.message ?? String(error);
  if (raw.endsWith(suffix)) raw = raw.slice(0, -suffix.length);
  const filter = /^undefined filter: (\S+)$/.exec(raw);
  const message = filter
    ? say.unknown("filter", filter[1] as string, suggest(filter[1] as string, TEMPLATE_FILTERS))
    : raw.replace(/^tag "([^"]+)" not found$/, 'unknown tag "$1"');
  return { message: say.templateParse(message), line, column, ...(file ? { file } : {}) };
}

/** The names a template's reads are checked against; a map is absent when its file failed. */
export interface TemplateScope {
  documents: Iterable<DocumentDef>;
  facts?: ReadonlyMap<string, Fact>;
  contacts?: ReadonlyMap<string, Contact>;
  actionIds: ReadonlySet<string>;
}

/**
 * Every problem of the templates, and the facts each document's template reads (by document
 * id; the drafts round asks only what a draft to be written reads).
 */
export function checkTemplates(
  scope: TemplateScope,
  templates: ReadonlyMap<string, RawFile>,
  cached?: (text: string) => TemplateAnalysis | undefined,
  flowFile = "flow",
): { problems: Problem[]; reads: Map<string, string[]> } {
  const problems: Problem[] = [];
  const reads = new Map<string, string[]>();
  const docs = [...scope.documents];
  if (!docs.some((d) => d.id === CASE_SUMMARY.id)) {
    docs.push(CASE_SUMMARY);
    if (!templates.has(CASE_SUMMARY.template))
      problems.push({
        file: flowFile,
        message: say.noTemplate(CASE_SUMMARY.template, "", "every case has a summary"),
      });
  }
  docs.push(BEFORE_YOU_SEND);
  if (!templates.has(BEFORE_YOU_SEND.template))
    problems.push({
      file: flowFile,
      message: say.noTemplate(
        BEFORE_YOU_SEND.template,
        "",
        "every case has the lead's checklist for its drafts",
      ),
    });
  const includes = [...templates].flatMap(([name, raw]) => includeProblems(name, raw, templates));
  problems.push(...includes);
  const texts = new Map([...templates].map(([name, raw]) => [name, raw.text]));
  // An included template's problem is said where it is, in that file.
  const shownAs = (name: string | undefined) => (name === undefined ? undefined : templates.get(name)?.file);
  for (const doc of docs) {
    const raw = templates.get(doc.template);
    if (!raw) continue; // a document's missing template is reported where the document is defined
    const analysis = cached?.(analysisKey(raw.text, texts)) ?? analyzeTemplate(raw.text, texts);
    if ("error" in analysis) {
      // A bad include is said once, where it stands, not again by each template reaching it.
      if (includes.length > 0 && /ENOENT/.test(analysis.error.message)) continue;
      const { file, ...error } = analysis.error;
      problems.push({ file: shownAs(file) ?? raw.file, ...error });
      continue;
    }
    const facts = new Set<string>();
    for (const [name, path, line, column, file] of analysis.uses) {
      const message = readProblem(scope, doc, name, path);
      if (message) problems.push({ file: shownAs(file) ?? raw.file, line, column, message });
      if (name === "facts" && path.length >= 2) facts.add(factRead(path));
    }
    if (doc.audience === "sent") problems.push(...sentProblems(doc, raw, analysis.uses));
    reads.set(doc.id, [...facts]);
  }
  return { problems, reads };
}

/** The fact a read of `facts.…` names: `facts.person.dob.size` reads person.dob, `facts.case_id` case_id. */
function factRead(path: readonly string[]): string {
  return path.length >= 3 ? `${path[1]}.${path[2]}` : (path[1] as string);
}

/**
 * What a draft meant to be sent may not carry: notes for the lead's eyes only. Its own
 * words (outside Liquid tags) name no file and not this program, and hold no checklist or
 * currency note; it reads no currency note, warning or summary, and no due rule with ids
 * (`due_words` says it in a receiving team's words).
 */
const LEAD_ONLY: [RegExp, string][] = [
  [/\b[\w-]+\.(?:md|json|ics|yaml|docx)\b/, "names a file"],
  [
    /prepared with safeguard|\bsafeguard (?:run|check-language|batch|resume|explain|demo|flows|schema|sessions)\b/i,
    "mentions this program",
  ],
  [/^\s*- \[[ xX]\]|^#+\s*Before you (?:send|file|share)/i, "holds a checklist for the lead"],
  [/guidance has moved on/i, "holds a note on where national guidance has moved on"],
  [/\.due_rule\b/, "prints a due rule with fact ids (use due_words)"],
];
const LEAD_ONLY_READS = new Set(["currency", "warnings", "summary", "drafts"]);

function sentProblems(
  doc: DocumentDef,
  raw: RawFile,
  uses: Extract<TemplateAnalysis, { uses: unknown }>["uses"],
): Problem[] {
  const problems: Problem[] = [];
  raw.text.split("\n").forEach((line, n) => {
    const words = line.replace(/\{%.*?%\}/g, (t) => (/\.due_rule\b/.test(t) ? t : " "));
    for (const [re, what] of LEAD_ONLY) {
      const m = re.exec(words);
      if (m)
        problems.push({
          file: raw.file,
          line: n + 1,
          column: m.index + 1,
          message: say.sentHoldsLeadOnly(what, doc.id),
        });
    }
  });
  for (const [name, path, line, column, file] of uses)
    if (LEAD_ONLY_READS.has(name) && file === undefined)
      problems.push({
        file: raw.file,
        line,
        column,
        message: say.sentReadsLeadOnly(path.join("."), doc.id),
      });
  return problems;
}

/**
 * What a template's analysis depends on, as one text: its own text and, after it, each
 * template it includes (by name, once, however deep). A template that includes none is its
 * own key, so the build's cache of what each template reads stays right when an included
 * template changes.
 */
export function analysisKey(text: string, templates: ReadonlyMap<string, string>): string {
  const parts = [text];
  const seen = new Set<string>();
  const visit = (t: string) => {
    for (const m of t.matchAll(INCLUDE)) {
      const name = /^(["'])(.*)\1$/.exec(m[2] ?? "")?.[2];
      if (name === undefined || seen.has(name)) continue;
      seen.add(name);
      const included = templates.get(name);
      parts.push(`${name}\0${included ?? ""}`);
      if (included !== undefined) visit(included);
    }
  };
  visit(text);
  return parts.join("\0");
}

/** Liquid's tags that read another template. */
const INCLUDE = /\{%-?\s*(include|render|layout)\b\s*("[^"]*"|'[^']*'|[^\s%,]*)/g;

/** The templates a template's text names in its `include`, `render` and `layout` tags. */
function includedNames(text: string): string[] {
  return [...text.matchAll(INCLUDE)].flatMap((m) => /^(["'])(.*)\1$/.exec(m[2] ?? "")?.[2] ?? []);
}

/** The way from template FROM to template TO through their includes (FROM first), if any. */
function includePath(
  from: string,
  to: string,
  templates: ReadonlyMap<string, RawFile>,
): string[] | undefined {
  const seen = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    if (name === to) return [name];
    if (seen.has(name)) return undefined;
    seen.add(name);
    const raw = templates.get(name);
    for (const next of raw ? includedNames(raw.text) : []) {
      const rest = visit(next);
      if (rest) return [name, ...rest];
    }
    return undefined;
  };
  return visit(from);
}

/**
 * How many templates a document may be made of, counting each include as often as it is
 * reached: 30 templates that each include the next twice make 2^30, and would render for
 * ever. The bundled drafts use a few each.
 */
export const MAX_INCLUDED = 1000;

const counted = new WeakMap<ReadonlyMap<string, RawFile>, Map<string, number>>();

/**
 * How many templates NAME is made of, itself included: once for each time an include reaches
 * one. Worked out once per template (no loop: includeProblems refuses one first), so linear.
 */
function includedCount(name: string, templates: ReadonlyMap<string, RawFile>): number {
  let memo = counted.get(templates);
  if (!memo) {
    memo = new Map();
    counted.set(templates, memo);
  }
  const known = memo.get(name);
  if (known !== undefined) return known;
  memo.set(name, Number.POSITIVE_INFINITY); // a loop, were one to slip through, counts as too many
  const raw = templates.get(name);
  let n = 1;
  for (const next of raw ? includedNames(raw.text) : []) n += includedCount(next, templates);
  memo.set(name, n);
  return n;
}

/**
 * Every `include`, `render` and `layout` names, in quotes, another template of the flow's
 * own templates folder: no path out of it, no absolute path, no name from an answer, and
 * never the template itself, however deep (it would render without end).
 */
function includeProblems(self: string, raw: RawFile, templates: ReadonlyMap<string, RawFile>): Problem[] {
  const problems: Problem[] = [];
  for (const m of raw.text.matchAll(INCLUDE)) {
    const [, tag, arg = ""] = m;
    const at = m.index + m[0].length - arg.length;
    const before = raw.text.slice(0, at).split("\n");
    const where = { file: raw.file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    const quoted = /^(["'])(.*)\1$/.exec(arg);
    const name = quoted?.[2];
    let message: string | undefined;
    if (name === undefined) message = say.includeNeedsQuotes(String(tag));
    else if (/[\\/]|^\.\.?$|^[a-zA-Z]:/.test(name)) message = say.includeOutside(String(tag), name);
    else if (!templates.has(name))
      message = say.includeNoFile(String(tag), name, suggest(name, templates.keys()));
    else {
      const loop = includePath(name, self, templates);
      if (loop) message = say.includeLoop(String(tag), name, [self, ...loop]);
    }
    if (message) problems.push({ ...where, message });
  }
  if (problems.length > 0) return problems;
  // Over the bound: said once, at the include that takes this template past it, where each
  // template it includes is within it (the templates including this one are over because of it).
  let total = 1;
  for (const m of raw.text.matchAll(INCLUDE)) {
    const name = /^(["'])(.*)\1$/.exec(m[2] ?? "")?.[2] ?? "";
    const own = includedCount(name, templates);
    if (own > MAX_INCLUDED) return [];
    total += own;
    if (total > MAX_INCLUDED) {
      const before = raw.text.slice(0, m.index + m[0].length - (m[2] ?? "").length).split("\n");
      const where = { file: raw.file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
      return [{ ...where, message: say.includeTooMany(String(m[1]), name, self, MAX_INCLUDED) }];
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
  if (!TEMPLATE_GLOBALS.includes(name)) return say.templateUnknownName(name, suggest(name, TEMPLATE_GLOBALS));
  if (doc.anonymous && (NOT_FOR_ANONYMOUS.includes(name) || (name === "person" && path[1] !== "group")))
    return say.anonymousReads(path.join("."), doc.id);
  if (name === "facts" && path.length >= 2 && scope.facts) {
    const id = factRead(path);
    const fact = scope.facts.get(id);
    if (!fact) return say.unknown("fact", id, suggest(id, scope.facts.keys()));
    if (doc.anonymous && (fact.personal || fact.type === "text" || fact.id === "case_id"))
      return say.anonymousReads(id, doc.id);
  }
  const [, key] = path;
  if (name === "contacts" && key && scope.contacts && !scope.contacts.has(key))
    return say.unknown("contact", key, suggest(key, scope.contacts.keys()));
  if (name === "recommended" && key && !scope.actionIds.has(key))
    return say.unknown("action", key, suggest(key, scope.actionIds));
  return undefined;
}
