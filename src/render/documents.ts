import { Drop, Liquid, type Template } from "liquidjs";
import type { Value } from "../engine/answers.js";
import { formatLong } from "../engine/dates.js";
import type { Pathway, Recommendation } from "../engine/decide.js";
import { splitFact } from "../flow/expr.js";
import { planOf, type TemplatePlan } from "../flow/template-plan.js";
import { liquidOptions, TEMPLATE_FILTERS, type TemplateFilter } from "../flow/templates.js";
import type { Contact, DocumentDef, Flow } from "../flow/types.js";
import { contactHow } from "../words/words.js";
import { markdownCell, markdownInline, markdownNoHtml, markdownQuote } from "./inert.js";
import { type CompiledTemplate, compilePlan, planLiquid } from "./liquid-closures.js";
import { monthWords } from "./redact.js";
import { actingOrder, doneWords, overdueWords, qualifiedDate } from "./text.js";

/**
 * Templates are Liquid with strict variables: a misspelt name fails loading the flow
 * (src/flow/templates.ts), not a user. Answers are data passed in, never parsed as template code.
 */
export function templateEngine(templates: ReadonlyMap<string, string> = NO_TEMPLATES): Liquid {
  let engine = engines.get(templates);
  if (!engine) {
    engine = newEngine(templates);
    engines.set(templates, engine);
  }
  return engine;
}

/**
 * One Liquid engine per flow's templates: it holds nothing of a case, only the filters and
 * the templates an `include` may name (src/flow/templates.ts: never a file from the disk).
 */
const engines = new WeakMap<ReadonlyMap<string, string>, Liquid>();
const NO_TEMPLATES: ReadonlyMap<string, string> = new Map();

function newEngine(templates: ReadonlyMap<string, string>): Liquid {
  const filters: Record<TemplateFilter, (v: unknown, hint?: string) => string> = {
    fill: (v, hint) =>
      v instanceof NotKnown
        ? NOT_KNOWN_TEXT
        : !known(v)
          ? blank(hint as string)
          : v instanceof AnswerText
            ? v.valueOf()
            : markdownInline(show(v)),
    yesno: (v, hint) =>
      v === true
        ? "yes"
        : v === false
          ? "no"
          : v instanceof NotKnown
            ? NOT_KNOWN_TEXT
            : blank(hint ?? "not known"),
    long_date: (v, hint) =>
      typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatLong(v) : blank(hint ?? "date"),
    quote: (v, hint) => {
      const text = v instanceof AnswerText ? v.raw : v;
      return typeof text === "string" && text.trim() !== ""
        ? markdownQuote(text)
        : `> ${blank(hint ?? "to complete")}`;
    },
  };
  const liquid = new Liquid(liquidOptions(templates));
  for (const name of TEMPLATE_FILTERS) liquid.registerFilter(name, filters[name]);
  return liquid;
}

const NOT_KNOWN_TEXT = "not known";

/**
 * A fact answered "not known" (left empty, or its not-known choice). To Liquid it is nil,
 * so no `if`, `case` or comparison can read it as a value; the `fill` and `yesno` filters
 * alone tell it from a fact never asked, and say "not known" rather than leave a blank.
 */
class NotKnown extends Drop {
  override valueOf(): null {
    return null;
  }
}
const NOT_KNOWN = new NotKnown();

/**
 * A typed answer (a `string` or `text` fact). Printed as it stands (`{{ facts.person.name }}`)
 * it is one line of inert Markdown, whatever it holds; `fill` does the same, and `quote`
 * reads the text as given to quote it line by line. No template can print it raw.
 */
export class AnswerText extends Drop {
  /** The inert line, made when first printed: the drafts of a case print an answer again and again. */
  #line: string | undefined;
  constructor(readonly raw: string) {
    super();
  }
  override valueOf(): string {
    this.#line ??= markdownInline(this.raw);
    return this.#line;
  }
  override toString(): string {
    return this.valueOf();
  }
}

function known(v: unknown): boolean {
  if (v instanceof AnswerText) return v.raw.trim() !== "";
  return v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);
}

function show(v: unknown): string {
  if (v instanceof AnswerText) return v.raw;
  return Array.isArray(v) ? v.join(", ") : String(v);
}

/** A blank the tool cannot fill, marked so that nobody sends it by mistake. */
export function blank(hint: string): string {
  return `[to complete: ${hint}]`;
}

/**
 * Every fact in the catalogue, nested (`facts.person.name`): null where not given, and
 * "not known" (nil to Liquid) where the answer was that it is not known.
 */
export function factTree(
  flow: Flow,
  facts: ReadonlyMap<string, Value>,
  anonymous: boolean,
  answers?: ReadonlyMap<string, Value | null>,
): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const { id, ns, field, typed, identifying } of placesOf(flow)) {
    // An anonymous document (duty to notify) is never given identifying facts at all.
    if (anonymous && identifying) continue;
    const given = facts.get(id);
    const value =
      typeof given === "string" && typed
        ? new AnswerText(given)
        : (given ?? (answers?.has(id) ? NOT_KNOWN : null));
    if (field === undefined) tree[ns] = value;
    else {
      const node = (tree[ns] ?? {}) as Record<string, unknown>;
      node[field] = value;
      tree[ns] = node;
    }
  }
  return tree;
}

/** Each fact's place in the tree and what it is, worked out once a flow rather than once a case. */
interface Place {
  id: string;
  ns: string;
  field: string | undefined;
  /** A typed answer (`string`, `text`): an AnswerText. */
  typed: boolean;
  /** Never given to an anonymous document. */
  identifying: boolean;
}
const places = new WeakMap<Flow, Place[]>();

function placesOf(flow: Flow): Place[] {
  let known = places.get(flow);
  if (!known) {
    known = [...flow.facts.values()].map((fact) => {
      const [ns, field] = splitFact(fact.id);
      return {
        id: fact.id,
        ns,
        field,
        typed: fact.type === "string" || fact.type === "text",
        identifying: fact.personal || fact.type === "text" || fact.id === "case_id",
      };
    });
    places.set(flow, known);
  }
  return known;
}

const WITHHELD = "[withheld: worked out from the date of birth]";

function actionView(a: Recommendation, anonymous = false) {
  return flowWords(actionFields(a, anonymous));
}

/** Every text of a view made from the flow's words, HTML escaped (markdownNoHtml); ids and numbers as they are. */
function flowWords<T>(view: T): T {
  if (typeof view === "string") return markdownNoHtml(view) as T;
  if (Array.isArray(view)) return view.map(flowWords) as T;
  if (view === null || typeof view !== "object") return view;
  // A loop, not fromEntries(entries().map()): a case makes hundreds of these (issue 25). The
  // keys are the views' own names, never an answer's.
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(view)) {
    const v = (view as Record<string, unknown>)[k];
    out[k] = k === "id" || k === "file" ? v : flowWords(v);
  }
  return out as T;
}

function actionFields(a: Recommendation, anonymous: boolean) {
  const hide = anonymous && a.dueFromDob;
  return {
    id: a.id,
    title: a.title,
    due: hide ? null : a.due,
    /** A redacted copy's birthday step: the month only. */
    due_month: hide ? null : (a.dueMonth ?? null),
    /** The date, and where it is no firm deadline, what it is ("support until at least …", "…, expected if …"). */
    due_long: hide
      ? WITHHELD
      : a.done
        ? doneWords(a.done)
        : qualifiedDate(
            a,
            a.due
              ? formatLong(a.due)
              : a.dueMonth
                ? `in ${monthWords(a.dueMonth)}`
                : "no date set by the procedures",
          ),
    due_rule: hide ? WITHHELD : a.dueRule,
    /** The due rule in a receiving team's words, with its date: for drafts; an anticipated step says so. */
    due_words: hide ? WITHHELD : a.expected ? `${a.expected}, ${a.dueWords}` : a.dueWords,
    /** Anticipated, not decided: who has yet to agree ("expected if the strategy discussion agrees"), or "". */
    expected: a.expected ?? "",
    /** A date something ends, in the words before it ("support until at least"), or "". */
    until: a.until ?? "",
    overdue: hide || a.daysOverdue === 0 ? "" : overdueWords(a),
    /** "done Mon 7 Dec 2026" for a step done (its due_long says the same), or "". */
    done: a.done ? doneWords(a.done) : "",
    citation: a.citation,
    because: a.because.map((b) => `${b.because} (${b.cite})${b.note ? `: ${b.note}` : ""}`),
    detail: a.detail ?? "",
    /** The team that does the step, where it is not the lead's ("" for the lead's own). */
    by: a.by?.name ?? "",
    contacts: a.contacts.map(contactView),
  };
}

/** Every field present (null where the locality file has none), so templates need no guards. */
function contactView(c: Contact) {
  return {
    id: c.id,
    name: c.name,
    email: c.email ?? null,
    phone: c.phone ?? null,
    web: c.web ?? null,
    note: c.note ?? null,
    cite: c.cite,
    how: contactHow(c),
  };
}

/**
 * What every document of one case reads alike (the fact tree, every step's view, the
 * contacts, the summary), built once a case rather than once a document: a batch spent about
 * 1.1 ms a case building it again for each draft (issue 25). Templates only read it.
 */
interface CaseViews {
  contacts: Record<string, unknown>;
  facts: Record<string, unknown>;
  anonymousFacts: Record<string, unknown>;
  allActions: ReturnType<typeof actionView>[];
  anonymousActions: ReadonlyMap<string, ReturnType<typeof actionView>>;
  recommended: Record<string, true>;
  summary: ReturnType<typeof summaryView>;
  /** The warnings a draft shows (all but language's), each made inert once a case, not once a draft. */
  warnings: string[];
  drafts: unknown[];
}

const views = new WeakMap<Pathway, { flow: Flow; views: CaseViews }>();

function caseViews(flow: Flow, pathway: Pathway): CaseViews {
  const known = views.get(pathway);
  if (known?.flow === flow) return known.views;
  const allActions = pathway.actions.map((a) => actionView(a));
  const summary = summaryView(flow, pathway, allActions);
  const made: CaseViews = {
    contacts: contactsOf(flow),
    facts: factTree(flow, pathway.facts, false, pathway.answers),
    anonymousFacts: factTree(flow, pathway.facts, true, pathway.answers),
    allActions,
    anonymousActions: new Map(pathway.actions.map((a) => [a.id, actionView(a, true)])),
    recommended: Object.fromEntries(pathway.actions.map((a) => [a.id, true as const])),
    summary,
    warnings: summary.warnings.filter((w) => w.kind !== "language").map((w) => w.text),
    /** The case's drafts, for the lead's checklist: each with the currency notes on its steps. */
    drafts: pathway.documents.flatMap((id) => {
      const d = flow.documents.get(id);
      if (!d) return [];
      const steps = new Set(pathway.actions.filter((a) => a.documents.includes(id)).map((a) => a.id));
      const notes = pathway.currency.filter((c) => c.actions.some((a) => steps.has(a)));
      return [flowWords({ id, title: d.title, file: `${id}.md`, audience: d.audience, currency: notes })];
    }),
  };
  views.set(pathway, { flow, views: made });
  return made;
}

/** The locality's contacts as templates read them: the same for every case of a flow, made once. */
const contactViews = new WeakMap<Flow, Record<string, unknown>>();

function contactsOf(flow: Flow): Record<string, unknown> {
  let contacts = contactViews.get(flow);
  if (!contacts) {
    contacts = {};
    for (const [id, c] of flow.locality.contacts) contacts[id] = flowWords(contactView(c));
    contactViews.set(flow, contacts);
  }
  return contacts;
}

/**
 * What a template can read. An anonymous document (duty to notify) gets no identifying
 * fact, no warnings (they can quote a date of birth), no other actions, and no date worked
 * out from the date of birth: it cannot leak what it is never given.
 */
export function documentContext(flow: Flow, pathway: Pathway, doc: DocumentDef): Record<string, unknown> {
  const v = caseViews(flow, pathway);
  const producing = pathway.actions.filter((a) => a.documents.includes(doc.id));
  const ids = new Set(producing.map((a) => a.id));
  const currency = flowWords(
    pathway.currency.filter((c) => c.actions.length === 0 || c.actions.some((a) => ids.has(a))),
  );
  if (doc.anonymous) {
    return {
      document: { id: doc.id, title: markdownNoHtml(doc.title) },
      reference_date: pathway.referenceDate,
      flow: { name: flow.name, version: flow.version },
      person: { group: pathway.person.group },
      facts: v.anonymousFacts,
      actions: producing.map((a) => v.anonymousActions.get(a.id)),
      recommended: v.recommended,
      contacts: v.contacts,
      locality: { id: flow.locality.id, name: flow.locality.name },
      currency,
    };
  }
  const index = new Map(pathway.actions.map((a, i) => [a.id, i]));
  return {
    document: { id: doc.id, title: markdownNoHtml(doc.title) },
    case_id: markdownInline(pathway.caseId),
    reference_date: pathway.referenceDate,
    today: pathway.today,
    flow: { name: flow.name, version: flow.version },
    person: {
      age: pathway.person.ageBand ?? pathway.person.age,
      group: pathway.person.group,
      age_source: pathway.person.ageSource,
      /** 25 or over (leaving-care support ends at 25), or null where the age is not known. */
      aged_25_or_over: pathway.person.age === null ? null : pathway.person.age >= 25,
    },
    facts: v.facts,
    actions: producing.map((a) => v.allActions[index.get(a.id) as number]),
    all_actions: v.allActions,
    recommended: v.recommended,
    contacts: v.contacts,
    locality: { id: flow.locality.id, name: flow.locality.name },
    warnings: v.warnings,
    currency,
    summary: v.summary,
    drafts: v.drafts,
  };
}

/** What only the case summary needs: deadlines by date, what is not decided, the answers. */
function summaryView(flow: Flow, p: Pathway, views: readonly ReturnType<typeof actionView>[]) {
  // Each step's view as every draft has it (VIEWS, in p.actions' order), not made again.
  const view = (a: Recommendation) => views[p.actions.indexOf(a)] ?? actionView(a);
  // In the order to act, as the terminal lists them (a redacted birthday month after its month's dates).
  const deadlines = actingOrder(p.actions)
    .filter((a) => a.due !== null || a.dueMonth !== undefined)
    .map(view);
  const answers: { fact: string; label: string; value: string }[] = [];
  for (const fact of flow.facts.values()) {
    if (!p.answers.has(fact.id)) continue;
    const v = p.answers.get(fact.id);
    answers.push({
      fact: fact.id,
      label: markdownNoHtml(fact.label),
      value:
        v === null || v === undefined
          ? "not known"
          : markdownCell(Array.isArray(v) ? v.join(", ") : String(v)),
    });
  }
  return {
    implied: flowWords(
      p.implied.map((i) => ({
        fact: i.fact,
        label: flow.facts.get(i.fact)?.label ?? i.fact,
        value: `${i.atLeast ? "at least " : ""}${String(i.value)}`,
        because: i.because,
        cite: i.cite,
      })),
    ),
    read_as: flowWords(p.readAs.map((r) => ({ ...r, reads_as: r.readsAs, actions: r.actions.join(", ") }))),
    deadlines,
    undated: p.actions.filter((a) => a.due === null && a.dueMonth === undefined).map(view),
    not_decided: flowWords(
      p.undecided.map((u) => ({
        id: u.id,
        title: u.title,
        needs: u.needsNamed.join(", "),
      })),
    ),
    answers,
    currency: flowWords(p.currency),
    warnings: p.warnings.map((w) => ({
      kind: w.kind,
      text: FLOW_WORDED.has(w.kind) ? flowWordedInline(w.text) : markdownInline(w.text),
      suggestion: w.suggestion === undefined ? null : markdownInline(w.suggestion),
    })),
    sha256: p.flow.sha256,
    facts_version: p.flow.factsVersion,
  };
}

/**
 * Warnings made of the flow's words alone (a step not decided and the facts it needs, a
 * currency note): the same few texts case after case, each made inert once a process (at
 * most INLINE_KEPT kept). No other warning is kept: those can quote a case's answers.
 */
const FLOW_WORDED = new Set(["not-decided", "currency"]);
const inlined = new Map<string, string>();
const INLINE_KEPT = 1024;

function flowWordedInline(text: string): string {
  let inert = inlined.get(text);
  if (inert === undefined) {
    inert = markdownInline(text);
    if (inlined.size >= INLINE_KEPT) inlined.clear();
    inlined.set(text, inert);
  }
  return inert;
}

export function renderDocument(liquid: Liquid, flow: Flow, pathway: Pathway, doc: DocumentDef): string {
  const text = flow.templates.get(doc.template) ?? "";
  const t = compiled(liquid, flow.templates, text);
  const context = documentContext(flow, pathway, doc);
  // The compiled template (src/render/liquid-closures.ts); liquidjs for what it leaves.
  const out = t.render?.(context) ?? liquid.renderSync(t.parsed(), context);
  return `${out.replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

interface Prepared {
  /** liquidjs's parse, made when first wanted (a template the build planned may never need it). */
  parsed: () => Template[];
  /** Undefined when the template holds something the compiler does not handle. */
  render: CompiledTemplate | undefined;
}

/** Templates parsed and compiled once per engine and text, not once per document of every case. */
const prepared = new WeakMap<Liquid, Map<string, Prepared>>();

/**
 * TEXT's function: from the build's plan when the flow came from its image (no Liquid is
 * parsed, src/flow/template-plan.ts), else from liquidjs's parse of it.
 */
function compiled(liquid: Liquid, templates: ReadonlyMap<string, string>, text: string): Prepared {
  let byText = prepared.get(liquid);
  if (!byText) {
    byText = new Map();
    prepared.set(liquid, byText);
  }
  let t = byText.get(text);
  if (!t) {
    let parse: Template[] | undefined;
    const parsed = () => {
      parse ??= liquid.parse(text);
      return parse;
    };
    const plan = planOf(templates, text) ?? planLiquid(liquid, parsed());
    const partial = (name: string) => {
      const included = templates.get(name);
      return included === undefined
        ? undefined
        : (planOf(templates, included) ?? planLiquid(liquid, compiled(liquid, templates, included).parsed()));
    };
    t = { parsed, render: plan && compilePlan(liquid, plan, partial) };
    byText.set(text, t);
  }
  return t;
}

/** The plan of each of FLOW's templates, by its text, that the build keeps in the flow's image. */
export function templatePlans(flow: Flow): Map<string, TemplatePlan> {
  const liquid = templateEngine(flow.templates);
  const plans = new Map<string, TemplatePlan>();
  for (const text of flow.templates.values()) {
    const plan = planLiquid(liquid, liquid.parse(text));
    if (plan) plans.set(text, plan);
  }
  return plans;
}

/** For tests: TEXT rendered by liquidjs alone, and by its compiled function (undefined: not compiled). */
export function renderBothWays(
  liquid: Liquid,
  flow: Flow,
  pathway: Pathway,
  doc: DocumentDef,
): { liquid: string; compiled: string | undefined } {
  const t = compiled(liquid, flow.templates, flow.templates.get(doc.template) ?? "");
  const context = () => documentContext(flow, pathway, doc);
  return { liquid: liquid.renderSync(t.parsed(), context()), compiled: t.render?.(context()) };
}
