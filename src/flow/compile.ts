import { basename } from "node:path";
import { say } from "../words/problems.js";
import { type ConditionFacts, type ConditionMemo, type Ctx, namedCondition } from "./conditions.js";
import { crypto } from "./crypto.js";
import { buildEnvironment } from "./expr.js";
import { buildFacts } from "./facts.js";
import { compileParts, type Names } from "./parts.js";
import { type Problem, problemAt, suggest } from "./problems.js";
import { type FlowFiles, type FlowSources, readFlowFiles } from "./read.js";
import { CASE_SUMMARY, checkTemplates } from "./templates.js";
import type { Action, DocumentDef, Fact, Flow, Question } from "./types.js";

export type { ParseCache } from "./read.js";

export interface CompileResult {
  flow?: Flow;
  problems: Problem[];
}

/**
 * The one gate for flows: every command loads through it, so they cannot disagree about
 * what is valid. In phases, collecting every problem (style.md §4) and resolving every
 * name once (style.md §3): read and schema-check every file (read.ts); gather the ids;
 * named conditions, then every part into typed objects (conditions.ts, parts.ts);
 * templates (templates.ts); then a linked flow, or the full list of problems. Pure.
 */
export function compileFlow(
  sources: FlowSources,
  options: { record?: Record<string, ConditionFacts> } = {},
): CompileResult {
  const problems: Problem[] = [];
  const files = readFlowFiles(sources, problems);
  if (!files) return { problems };
  const facts = files.factsFile
    ? buildFacts(files.factsFile.source, files.factsFile.value, problems, files.factsFile.unchecked)
    : new Map<string, Fact>();
  const { actionIds, documents } = collectIds(files, sources, problems);
  // Without a facts file, names of facts are not checked: each would be a false alarm.
  const ctx: Ctx = {
    env: buildEnvironment(facts),
    facts,
    factsKnown: files.factsFile !== undefined,
    uncheckedFacts: files.factsFile?.unchecked ?? new Set(),
    actionIds,
    named: new Map(),
    problems,
  };
  const memo = conditionMemo(sources, options.record);
  if (memo) ctx.memo = memo;
  // Named conditions first, in flow order: any rule, check or question may use them.
  for (const { source, value } of files.parts)
    value.conditions?.forEach((c, i) => {
      namedCondition(ctx, source, ["conditions", i], c);
    });
  const names: Names = { documents, unchecked: files.unchecked, locality: files.locality };
  const parts = compileParts(ctx, files.parts, names);
  const evaluationOrder = orderActions(parts.actions, problems);
  const templates = checkTemplates(
    {
      documents: documents.values(),
      actionIds,
      ...(ctx.factsKnown && ctx.uncheckedFacts.size === 0 ? { facts } : {}),
      ...(files.locality ? { contacts: files.locality.contacts } : {}),
    },
    sources.templates,
    sources.cache?.template?.bind(sources.cache),
    files.flowSource.file,
  );
  problems.push(...templates.problems);
  for (const [id, reads] of templates.reads) {
    const doc = documents.get(id);
    if (doc) doc.reads = reads;
  }
  // With a template that does not parse, what it reads is not known: said once, as that.
  if (templates.problems.length === 0) problems.push(...draftsProblems(parts.questions, documents));
  const { header, factsFile, locality } = files;
  if (problems.length > 0 || !locality || !header || !factsFile) return { problems };
  return {
    problems,
    flow: {
      id: header.flow.id,
      name: header.flow.name,
      version: header.flow.version,
      ...(header.flow.description ? { description: header.flow.description } : {}),
      sha256: digest(sources, [header.facts, ...header.parts]),
      facts,
      factsVersion: factsFile.value.version,
      ...parts,
      actionById: new Map(parts.actions.map((a) => [a.id, a])),
      evaluationOrder,
      documents,
      templates: new Map([...sources.templates].map(([k, v]) => [k, v.text])),
      conditions: ctx.named,
      locality,
    },
  };
}

/** What the build found for these sources' conditions, or where to keep it (the build). */
function conditionMemo(
  sources: FlowSources,
  record?: Record<string, ConditionFacts>,
): ConditionMemo | undefined {
  const known = record ? undefined : sources.cache?.conditions?.(conditionsKey(sources));
  if (!known && !record) return undefined;
  const nameOf = new Map<string, string>([[sources.flow.file, ""]]);
  for (const [name, raw] of sources.files) nameOf.set(raw.file, name);
  const shownAs = new Map([...nameOf].map(([shown, name]) => [name, shown]));
  return { ...(known ? { known } : {}), ...(record ? { record } : {}), nameOf, shownAs };
}

/** The sources a flow's conditions are compiled from (the flow file, its facts and parts), as one key. */
export function conditionsKey(sources: FlowSources): string {
  const hash = crypto().createHash("sha256").update(`${sources.flow.text}\0`);
  for (const name of [...sources.files.keys()].sort())
    hash.update(`${name}\0${sources.files.get(name)?.text}\0`);
  return hash.digest("hex");
}

/**
 * A question asked "for the drafts" must be read by some draft: else the round would never
 * ask it (the case summary, which lists every answer, is not a draft).
 */
function draftsProblems(
  questions: readonly Question[],
  documents: ReadonlyMap<string, DocumentDef>,
): Problem[] {
  const read = new Set(
    [...documents.values()].flatMap((d) => (d.id === CASE_SUMMARY.id ? [] : (d.reads ?? []))),
  );
  return questions.flatMap((q) =>
    q.drafts && !read.has(q.fact.id)
      ? [
          {
            ...q.origin,
            message: say.draftsNeverAsked(q.fact.id),
          },
        ]
      : [],
  );
}

/** Every action and document id, so references can be checked wherever they appear. */
function collectIds(files: FlowFiles, sources: FlowSources, problems: Problem[]) {
  const actionIds = new Set<string>();
  const documents = new Map<string, DocumentDef>();
  for (const { source, value } of files.parts) {
    value.actions?.forEach((a, i) => {
      if (actionIds.has(a.id))
        problems.push(problemAt(source, ["actions", i, "id"], say.definedTwice("action", a.id)));
      actionIds.add(a.id);
    });
    value.documents?.forEach((d, i) => {
      if (documents.has(d.id))
        problems.push(problemAt(source, ["documents", i, "id"], say.definedTwice("document", d.id)));
      if (!sources.templates.has(d.template))
        problems.push(
          problemAt(
            source,
            ["documents", i, "template"],
            say.noTemplate(d.template, suggest(d.template, sources.templates.keys())),
          ),
        );
      documents.set(d.id, {
        id: d.id,
        title: d.title,
        template: d.template,
        anonymous: d.anonymous ?? false,
        audience: d.audience,
      });
    });
  }
  for (const id of files.unchecked.actions) actionIds.add(id);
  return { actionIds, documents };
}

/** Topological order over `recommends[...]` references; a cycle is a load error. */
function orderActions(actions: readonly Action[], problems: Problem[]): string[] {
  const byId = new Map(actions.map((a) => [a.id, a]));
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (a: Action, trail: string[]) => {
    const s = state.get(a.id);
    if (s === "done") return;
    if (s === "visiting") {
      problems.push({
        ...a.origin,
        message: say.rulesCycle([...trail, a.id]),
      });
      return;
    }
    state.set(a.id, "visiting");
    for (const r of a.rules)
      for (const dep of r.when.actions) {
        const d = byId.get(dep);
        if (d) visit(d, [...trail, a.id]);
      }
    state.set(a.id, "done");
    order.push(a.id);
  };
  for (const a of actions) visit(a, []);
  return order;
}

function digest(sources: FlowSources, used: readonly string[]): string {
  const hash = crypto().createHash("sha256");
  const named: [string, string][] = [
    [`flow/${basename(sources.flow.file)}`, sources.flow.text],
    ...used.map((k): [string, string] => [`flows/${k}`, sources.files.get(k)?.text ?? ""]),
    ...[...sources.templates].map(([k, f]): [string, string] => [`templates/${k}`, f.text]),
    [`locality/${basename(sources.locality.file)}`, sources.locality.text],
  ];
  named.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const [name, text] of named) hash.update(`${name}\0${text.replace(/\r\n/g, "\n")}\0`);
  return hash.digest("hex");
}
