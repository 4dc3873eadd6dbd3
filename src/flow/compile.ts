import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { z } from "zod";
import { validateValue } from "../engine/answers.js";
import { type Ctx, condition, namedCondition } from "./conditions.js";
import { buildEnvironment } from "./expr.js";
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
  suggest,
} from "./problems.js";
import {
  type DueSpec,
  factsFileSchema,
  flowFileSchema,
  type ImplicationRaw,
  localitySchema,
  type PartRaw,
  partSchema,
} from "./schema.js";
import { type TemplateAnalysis, templateProblems } from "./templates.js";
import type {
  Action,
  Check,
  Contact,
  CurrencyNote,
  DocumentDef,
  DueRule,
  Fact,
  Flow,
  FlowSources,
  Implication,
  Locality,
  Need,
  Question,
  RawFile,
  Rule,
} from "./types.js";

/** Files the build parsed already, by their text: a flow loads without parsing YAML. */
export interface ParseCache {
  get(text: string): { data: unknown; positions: PositionTable } | undefined;
  template?(text: string): TemplateAnalysis | undefined;
}

export interface CompileResult {
  flow?: Flow;
  problems: Problem[];
}

/**
 * Build a flow from its files, resolving every name once (style.md §3) and collecting
 * every problem (style.md §4). Pure: the shell has read the files.
 */
export function compileFlow(sources: FlowSources): CompileResult {
  const problems: Problem[] = [];
  // Every file is checked even when another failed (style.md §4); a flow file with a bad
  // header still names its facts and parts, and those are checked too.
  const flowFile = parseValidated(sources.flow, flowFileSchema, problems, sources.cache);
  const header = flowFile?.value;
  const flowSource = flowFile?.source ?? locateQuietly(sources.flow, sources.cache);
  if (!flowSource) return { problems };
  const names = header ?? namedIn(flowSource.data);

  const factsRaw = names.facts === undefined ? undefined : sources.files.get(names.facts);
  if (names.facts !== undefined && !factsRaw)
    problems.push(problemAt(flowSource, ["facts"], `no such file "${names.facts}"`));
  const factsFile = factsRaw && parseValidated(factsRaw, factsFileSchema, problems, sources.cache);
  const facts = factsFile ? buildFacts(factsFile.source, factsFile.value, problems) : new Map<string, Fact>();
  const env = buildEnvironment(facts);

  const parts: { source: Located; value: PartRaw; index: number }[] = [];
  // Ids defined in a part that failed its check: references to them are not reported.
  const unchecked = { actions: new Set<string>(), documents: new Set<string>() };
  names.parts.forEach((name, index) => {
    const raw = sources.files.get(name);
    if (!raw) {
      problems.push(problemAt(flowSource, ["parts", index], `no such file "${name}"`));
      return;
    }
    const parsed = parseValidated(raw, partSchema, problems, sources.cache);
    if (parsed) parts.push({ ...parsed, index });
    else idsIn(locateQuietly(raw, sources.cache)?.data, unchecked);
  });

  const locality = buildLocality(sources.locality, problems, sources.cache);

  // First pass: every id, so references can be checked wherever they appear.
  const actionIds = new Set<string>();
  const documents = new Map<string, DocumentDef>();
  for (const { source, value } of parts) {
    value.actions?.forEach((a, i) => {
      if (actionIds.has(a.id))
        problems.push(problemAt(source, ["actions", i, "id"], `action "${a.id}" is defined twice`));
      actionIds.add(a.id);
    });
    value.documents?.forEach((d, i) => {
      if (documents.has(d.id))
        problems.push(problemAt(source, ["documents", i, "id"], `document "${d.id}" is defined twice`));
      if (!sources.templates.has(d.template)) {
        problems.push(
          problemAt(
            source,
            ["documents", i, "template"],
            `no template "${d.template}"${suggest(d.template, sources.templates.keys())}`,
          ),
        );
      }
      documents.set(d.id, {
        id: d.id,
        title: d.title,
        template: d.template,
        anonymous: d.anonymous ?? false,
      });
    });
  }

  for (const id of unchecked.actions) actionIds.add(id);
  // Without a facts file, names of facts are not checked: each would be a false alarm.
  const ctx: Ctx = { env, facts, factsKnown: factsFile !== undefined, actionIds, named: new Map(), problems };
  // Named conditions first, in flow order: any rule, check or question may use them.
  for (const { source, value } of parts)
    value.conditions?.forEach((c, i) => {
      namedCondition(ctx, source, ["conditions", i], c);
    });
  const actions: Action[] = [];
  const questions: Question[] = [];
  const checks: Check[] = [];
  const currency: CurrencyNote[] = [];
  const implications: Implication[] = [];
  const sections: string[] = [];
  for (const { source, value } of parts) {
    sections.push(value.section);
    // A part's applies_when is checked once, where it is written, then ANDed into each rule.
    const guard = value.applies_when
      ? condition(ctx, source, ["applies_when"], value.applies_when)
      : undefined;
    value.actions?.forEach((a, i) => {
      const at = ["actions", i] as const;
      const rules: Rule[] = a.rules.map((r, j) => ({
        id: r.id ?? `${a.id}#${j + 1}`,
        when: condition(ctx, source, [...at, "rules", j, "when"], r.when, guard),
        because: r.because,
        cite: r.cite ?? a.cite,
        ...(r.due ? { due: resolveDue(r.due) } : {}),
        ...(r.note ? { note: r.note } : {}),
        contacts: r.contacts ?? [],
      }));
      checkDue(ctx, source, [...at, "due"], a.due);
      a.rules.forEach((r, j) => {
        if (r.due) checkDue(ctx, source, [...at, "rules", j, "due"], r.due);
      });
      a.documents?.forEach((d, k) => {
        if (!documents.has(d) && !unchecked.documents.has(d))
          problems.push(
            problemAt(
              source,
              [...at, "documents", k],
              `unknown document "${d}"${suggest(d, documents.keys())}`,
            ),
          );
      });
      const contactLists: [(string | number)[], string[]][] = [
        [[...at, "contacts"], a.contacts ?? []],
        ...a.rules.map((r, j): [(string | number)[], string[]] => [
          [...at, "rules", j, "contacts"],
          r.contacts ?? [],
        ]),
      ];
      for (const [path, list] of contactLists) {
        list.forEach((c, k) => {
          if (locality && !locality.contacts.has(c))
            problems.push(
              problemAt(
                source,
                [...path, k],
                `unknown contact "${c}" (not in ${locality.file})${suggest(c, locality.contacts.keys())}`,
              ),
            );
        });
      }
      actions.push({
        id: a.id,
        title: a.title,
        ...(a.detail ? { detail: a.detail.trim() } : {}),
        cite: a.cite,
        section: value.section,
        due: resolveDue(a.due),
        documents: a.documents ?? [],
        contacts: a.contacts ?? [],
        until18: a.until_18 ?? false,
        rules,
        origin: { file: source.file, ...source.at([...at]) },
      });
    });
    value.questions?.forEach((q, i) => {
      const at = ["questions", i] as const;
      const fact = facts.get(q.fact);
      if (!ctx.factsKnown) return;
      if (!fact || fact.derived) {
        problems.push(
          problemAt(source, [...at, "fact"], `unknown fact "${q.fact}"${suggest(q.fact, inputFacts(facts))}`),
        );
        return;
      }
      for (const key of Object.keys(q.choices ?? {})) {
        if (!fact.values?.includes(key))
          problems.push(
            problemAt(
              source,
              [...at, "choices", key],
              `"${key}" is not a value of ${fact.id}${suggest(key, fact.values ?? [])}`,
            ),
          );
      }
      questions.push({
        fact,
        ask: q.ask,
        ...(q.help ? { help: q.help.trim() } : {}),
        ...(q.cite ? { cite: q.cite } : {}),
        ...(q.when ? { when: condition(ctx, source, [...at, "when"], q.when) } : {}),
        ...(q.choices ? { choices: q.choices } : {}),
        // A fact with its own not-known choice offers that choice, not a second "Not known".
        notKnown: fact.notKnown !== undefined ? false : (q.not_known ?? true),
        notKnownLabel: q.not_known_label ?? "Not known",
        always: q.always ?? false,
        section: value.section,
        origin: { file: source.file, ...source.at([...at]) },
      });
    });
    value.checks?.forEach((c, i) => {
      checks.push({
        id: c.id,
        when: condition(ctx, source, ["checks", i, "when"], c.when),
        kind: c.kind,
        text: c.text,
        ...(c.cite ? { cite: c.cite } : {}),
      });
    });
    value.currency?.forEach((c, i) => {
      c.actions?.forEach((a, k) => {
        if (!actionIds.has(a))
          problems.push(
            problemAt(source, ["currency", i, "actions", k], `unknown action "${a}"${suggest(a, actionIds)}`),
          );
      });
      currency.push({ ...c, actions: c.actions ?? [] });
    });
    value.implications?.forEach((m, i) => {
      implications.push(implication(ctx, source, ["implications", i], m));
    });
  }
  const seenQuestion = new Set<string>();
  for (const q of questions) {
    if (seenQuestion.has(q.fact.id))
      problems.push({ ...q.origin, message: `fact "${q.fact.id}" is asked twice` });
    seenQuestion.add(q.fact.id);
  }

  const actionById = new Map(actions.map((a) => [a.id, a]));
  const evaluationOrder = orderActions(actions, problems);
  problems.push(
    ...templateProblems(
      {
        documents: documents.values(),
        actionIds,
        ...(ctx.factsKnown ? { facts } : {}),
        ...(locality ? { contacts: locality.contacts } : {}),
      },
      sources.templates,
      sources.cache?.template?.bind(sources.cache),
      flowSource.file,
    ),
  );

  if (problems.length > 0 || !locality || !header || !factsFile) return { problems };
  const templates = new Map([...sources.templates].map(([k, v]) => [k, v.text]));
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
      questions,
      actions,
      actionById,
      evaluationOrder,
      documents,
      templates,
      checks,
      conditions: ctx.named,
      implications,
      currency,
      locality,
      sections,
    },
  };
}

function parseValidated<T>(
  raw: RawFile,
  schema: z.ZodType<T>,
  problems: Problem[],
  cache?: ParseCache,
): { source: Located; value: T } | undefined {
  const cached = cache?.get(raw.text);
  if (cached) {
    const located = locatedFromCache(raw.file, raw.text, cached.data, cached.positions);
    const quick = schema.safeParse(located.data);
    if (quick.success) return { source: located, value: quick.data };
  }
  const { source: parsed, problems: syntax } = parseSource(raw.file, raw.text);
  if (syntax.length > 0) {
    problems.push(...syntax);
    return undefined;
  }
  const source = locate(parsed);
  const result = schema.safeParse(source.data);
  if (result.success) return { source, value: result.data };
  for (const issue of plainIssues(schema, source.data, result.error.issues)) {
    const pos = issue.key ? source.keyAt(issue.path) : source.at(issue.path);
    problems.push({ file: raw.file, ...pos, field: dotPath(issue.path), message: issue.message });
  }
  return undefined;
}

/** A file's data and positions without reporting anything (parseValidated has done that). */
function locateQuietly(raw: RawFile, cache?: ParseCache): Located | undefined {
  const cached = cache?.get(raw.text);
  if (cached) return locatedFromCache(raw.file, raw.text, cached.data, cached.positions);
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

function buildFacts(
  source: Located,
  raw: z.infer<typeof factsFileSchema>,
  problems: Problem[],
): Map<string, Fact> {
  const facts = new Map<string, Fact>();
  const add = (
    group: "facts" | "derived",
    entries: Record<string, z.infer<typeof factsFileSchema>["facts"][string]>,
  ) => {
    for (const [id, def] of Object.entries(entries)) {
      if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/.test(id)) {
        problems.push(
          problemAt(source, [group, id], "a fact id is one or two lower-case names joined by a dot"),
        );
        continue;
      }
      if ((def.type === "enum" || def.type === "list") && !def.values?.length) {
        problems.push(problemAt(source, [group, id], `${def.type} facts need values`));
      }
      if (def.not_known !== undefined && (def.type !== "enum" || !def.values?.includes(def.not_known))) {
        problems.push(
          problemAt(
            source,
            [group, id, "not_known"],
            `not_known names the choice that means "not known": one of ${id}'s values${suggest(def.not_known, def.values ?? [])}`,
          ),
        );
      }
      facts.set(id, {
        id,
        type: def.type,
        ...(def.values ? { values: def.values } : {}),
        label: def.label,
        ...(def.meaning ? { meaning: def.meaning } : {}),
        personal: def.personal ?? false,
        ...(def.min !== undefined ? { min: def.min } : {}),
        ...(def.max !== undefined ? { max: def.max } : {}),
        derived: group === "derived",
        ...(def.not_known !== undefined ? { notKnown: def.not_known } : {}),
        ...(def.when_not_known ? { whenNotKnown: def.when_not_known } : {}),
      });
    }
  };
  add("facts", raw.facts);
  add("derived", raw.derived ?? {});
  return facts;
}

function inputFacts(facts: ReadonlyMap<string, Fact>): string[] {
  return [...facts.values()].filter((f) => !f.derived).map((f) => f.id);
}

function buildLocality(raw: RawFile, problems: Problem[], cache?: ParseCache): Locality | undefined {
  const parsed = parseValidated(raw, localitySchema, problems, cache);
  if (!parsed) return undefined;
  const contacts = new Map<string, Contact>();
  for (const [id, c] of Object.entries(parsed.value.contacts)) contacts.set(id, { id, ...c } as Contact);
  return {
    id: parsed.value.locality.id,
    name: parsed.value.locality.name,
    ...(parsed.value.locality.area ? { area: parsed.value.locality.area } : {}),
    contacts,
    file: raw.file,
  };
}

/**
 * A fact that other facts settle. Its condition reads facts only (it is applied before
 * any rule), and each settled value must be one its fact can take.
 */
function implication(ctx: Ctx, source: Located, path: (string | number)[], m: ImplicationRaw): Implication {
  const when = condition(ctx, source, [...path, "when"], m.when);
  if (when.actions.length > 0)
    ctx.problems.push(
      problemAt(source, [...path, "when"], "an implication reads facts, not recommends[...]"),
    );
  const settles: Implication["settles"][number][] = [];
  for (const [id, raw] of Object.entries(m.settles)) {
    const at = [...path, "settles", id];
    const fact = ctx.facts.get(id);
    // Facts from a facts.yaml that failed are not known here: no cascade of "unknown fact".
    if (!ctx.factsKnown) continue;
    if (!fact || fact.derived) {
      const inputs = [...ctx.facts.values()].filter((f) => !f.derived).map((f) => f.id);
      ctx.problems.push(problemAt(source, at, `unknown fact "${id}"${suggest(id, inputs)}`));
      continue;
    }
    const atLeast = typeof raw === "object";
    const value = typeof raw === "object" ? raw.at_least : raw;
    const checked = validateValue(fact, value);
    const wrong =
      atLeast && fact.type !== "int"
        ? "at_least is for whole numbers"
        : value === fact.notKnown
          ? `"${value}" means not known: an implication settles a fact`
          : typeof checked === "string"
            ? checked
            : undefined;
    if (wrong) ctx.problems.push(problemAt(source, at, wrong));
    else settles.push({ fact: id, value, atLeast });
  }
  return { id: m.id, when, settles, because: m.because, cite: m.cite, origin: when.origin };
}

/** "@id" in a due rule's from/on list is another step's due date; anything else a date fact. */
function resolveDue(raw: DueSpec): DueRule {
  if (raw === "immediately" || "none" in raw || "age" in raw) return raw;
  if ("earliest" in raw) return { earliest: raw.earliest.map(resolveDue) };
  const ref = (f: string): Need => (f.startsWith("@") ? { action: f.slice(1) } : { fact: f });
  if ("on" in raw) return { on: raw.on.map(ref) };
  return { ...raw, from: raw.from.map(ref) };
}

function checkDue(ctx: Ctx, source: Located, path: (string | number)[], due: DueSpec): void {
  if (due === "immediately" || "none" in due) return;
  if ("earliest" in due) {
    due.earliest.forEach((d, i) => {
      checkDue(ctx, source, [...path, "earliest", i], d);
    });
    return;
  }
  if ("age" in due) return;
  const from = "on" in due ? due.on : due.from;
  const key = "on" in due ? "on" : "from";
  from.forEach((f, i) => {
    if (f.startsWith("@")) {
      const id = f.slice(1);
      if (!ctx.actionIds.has(id))
        ctx.problems.push(
          problemAt(source, [...path, key, i], `unknown action "${id}"${suggest(id, ctx.actionIds)}`),
        );
      return;
    }
    const fact = ctx.facts.get(f);
    if (!ctx.factsKnown) return;
    if (!fact) {
      const dates = [...ctx.facts.values()].filter((x) => x.type === "date").map((x) => x.id);
      ctx.problems.push(problemAt(source, [...path, key, i], `unknown fact "${f}"${suggest(f, dates)}`));
    } else if (fact.type !== "date") {
      ctx.problems.push(problemAt(source, [...path, key, i], `${f} is not a date`));
    }
  });
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
        message: `rules read each other in a cycle: ${[...trail, a.id].join(" -> ")}`,
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
  const hash = createHash("sha256");
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
