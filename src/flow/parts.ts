import { say } from "../words/problems.js";
import { type Ctx, condition, factUnchecked } from "./conditions.js";
import { inputFacts } from "./facts.js";
import { type Located, originAt, problemAt, suggest } from "./problems.js";
import type { ActionRaw, DueSpec, ImplicationRaw, PartRaw, QuestionRaw } from "./schema.js";
import type {
  Action,
  Check,
  Condition,
  CurrencyNote,
  DocumentDef,
  DueRule,
  Gate,
  Implication,
  Locality,
  Need,
  Question,
  QuestionGroup,
  Rule,
} from "./types.js";
import { validateValue } from "./values.js";

// Phase 2 of loading a flow: resolve every part into typed, linked objects: conditions
// against the facts and named conditions, actions, documents, contacts and due rules.

export interface Parts {
  actions: Action[];
  questions: Question[];
  checks: Check[];
  currency: CurrencyNote[];
  implications: Implication[];
  groups: Map<string, QuestionGroup>;
  sections: string[];
}

/** A group's rows are answered with ←/→: yes / no, or at most this many choices, "not known" included. */
export const GROUP_MAX_CHOICES = 4;

/** What every part may refer to, gathered before any part is resolved. */
export interface Names {
  documents: ReadonlyMap<string, DocumentDef>;
  unchecked: { actions: ReadonlySet<string>; documents: ReadonlySet<string> };
  locality: Locality | undefined;
}

/** A question's gate, checked once every question is known: the gate must be asked before it. */
interface GateUse {
  source: Located;
  at: (string | number)[];
  gate: string;
  own: string;
}

type GroupRaw = NonNullable<PartRaw["groups"]>[number];

/** A part's groups by id, each with its place in the part. */
type Declared = Map<string, { raw: GroupRaw; at: number }>;

export function compileParts(ctx: Ctx, parts: { source: Located; value: PartRaw }[], names: Names): Parts {
  const out: Parts = {
    actions: [],
    questions: [],
    checks: [],
    currency: [],
    implications: [],
    groups: new Map(),
    sections: [],
  };
  const gates: GateUse[] = [];
  for (const { source, value } of parts) compilePart(ctx, source, value, names, out, gates);
  checkAskedOnce(ctx, out.questions);
  checkGateOrder(ctx, out.questions, gates);
  return out;
}

/** One part into OUT, in the order its sections are written; its gates into GATES. */
function compilePart(
  ctx: Ctx,
  source: Located,
  value: PartRaw,
  names: Names,
  out: Parts,
  gates: GateUse[],
): void {
  out.sections.push(value.section);
  // A part's applies_when is checked once, where it is written, then ANDed into each rule.
  const guard = value.applies_when ? condition(ctx, source, ["applies_when"], value.applies_when) : undefined;
  value.actions?.forEach((a, i) => {
    out.actions.push(compileAction(ctx, source, ["actions", i], a, value.section, names, guard));
  });
  const groups = declareGroups(ctx, source, value, out.groups);
  const members = compileQuestions(ctx, source, value, groups, out.questions, gates);
  for (const [id, { raw, at }] of groups)
    out.groups.set(id, compileGroup(ctx, source, raw, at, members.get(id) ?? []));
  value.checks?.forEach((c, i) => {
    out.checks.push({
      id: c.id,
      when: condition(ctx, source, ["checks", i, "when"], c.when),
      kind: c.kind,
      text: c.text,
      ...(c.cite ? { cite: c.cite } : {}),
    });
  });
  value.currency?.forEach((c, i) => {
    out.currency.push(currencyNote(ctx, source, i, c));
  });
  value.implications?.forEach((m, i) => {
    out.implications.push(implication(ctx, source, ["implications", i], m));
  });
}

/** A part's groups by id; one defined twice (here or in an earlier part) is a problem. */
function declareGroups(
  ctx: Ctx,
  source: Located,
  value: PartRaw,
  earlier: ReadonlyMap<string, QuestionGroup>,
): Declared {
  const groups: Declared = new Map();
  value.groups?.forEach((g, i) => {
    if (groups.has(g.id) || earlier.has(g.id))
      ctx.problems.push(problemAt(source, ["groups", i, "id"], say.definedTwice("group", g.id)));
    else groups.set(g.id, { raw: g, at: i });
  });
  return groups;
}

/** A part's questions into QUESTIONS (each in its group where it can be a row); each group's facts by its id. */
function compileQuestions(
  ctx: Ctx,
  source: Located,
  value: PartRaw,
  groups: Declared,
  questions: Question[],
  gates: GateUse[],
): Map<string, string[]> {
  const members = new Map<string, string[]>();
  value.questions?.forEach((q, i) => {
    const question = compileQuestion(ctx, source, ["questions", i], q, value.section);
    if (question?.gate)
      gates.push({ source, at: ["questions", i, "gate"], gate: question.gate.fact, own: question.fact.id });
    if (!question || q.group === undefined) {
      if (question) questions.push(question);
      return;
    }
    const wrong = !groups.has(q.group)
      ? say.noGroup(q.group, suggest(q.group, groups.keys()))
      : rowProblem(question);
    if (wrong) ctx.problems.push(problemAt(source, ["questions", i, "group"], wrong));
    else members.set(q.group, [...(members.get(q.group) ?? []), question.fact.id]);
    questions.push(wrong ? question : { ...question, group: q.group });
  });
  return members;
}

/** A group with its FACTS; fewer than two is a problem once every fact is known. */
function compileGroup(ctx: Ctx, source: Located, raw: GroupRaw, at: number, facts: string[]): QuestionGroup {
  if (facts.length < 2 && ctx.factsKnown && ctx.uncheckedFacts.size === 0)
    ctx.problems.push(problemAt(source, ["groups", at, "id"], say.groupTooSmall(raw.id, facts.length)));
  return {
    id: raw.id,
    heading: raw.heading,
    ...(raw.help ? { help: raw.help.trim() } : {}),
    ...(raw.cite ? { cite: raw.cite } : {}),
    facts,
    origin: originAt(source, ["groups", at]),
  };
}

/** A currency note, its actions checked and its condition resolved. */
function currencyNote(
  ctx: Ctx,
  source: Located,
  i: number,
  c: NonNullable<PartRaw["currency"]>[number],
): CurrencyNote {
  c.actions?.forEach((a, k) => {
    if (!ctx.actionIds.has(a))
      ctx.problems.push(
        problemAt(source, ["currency", i, "actions", k], say.unknown("action", a, suggest(a, ctx.actionIds))),
      );
  });
  const { applies, ...note } = c;
  return {
    ...note,
    actions: c.actions ?? [],
    ...(applies ? { applies: condition(ctx, source, ["currency", i, "applies"], applies) } : {}),
  };
}

/** A fact asked by two questions is a problem at the second. */
function checkAskedOnce(ctx: Ctx, questions: readonly Question[]): void {
  const seen = new Set<string>();
  for (const q of questions) {
    if (seen.has(q.fact.id)) ctx.problems.push({ ...q.origin, message: say.askedTwice(q.fact.id) });
    seen.add(q.fact.id);
  }
}

/** A gate is answered before the questions it opens: asked later, it would hold them back. */
function checkGateOrder(ctx: Ctx, questions: readonly Question[], gates: readonly GateUse[]): void {
  const order = questions.map((q) => q.fact.id);
  for (const { source, at, gate, own } of gates) {
    const where = order.indexOf(gate);
    if (where >= 0 && where < order.indexOf(own)) continue;
    ctx.problems.push(
      problemAt(source, [...at, "fact"], where < 0 ? say.gateNotAsked(gate) : say.gateAskedAfter(gate)),
    );
  }
}

function compileAction(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  a: ActionRaw,
  section: string,
  names: Names,
  guard: Condition | undefined,
): Action {
  const rules = a.rules.map((r, j) => compileRule(ctx, source, [...at, "rules", j], a, r, j, guard));
  checkDue(ctx, source, [...at, "due"], a.due);
  // An anticipated step says, wherever it appears, who has yet to agree: its note.
  a.rules.forEach((r, j) => {
    if (r.expected && !/^expected if /.test(r.note ?? ""))
      ctx.problems.push(problemAt(source, [...at, "rules", j, "expected"], say.expectedNeedsNote()));
  });
  a.rules.forEach((r, j) => {
    if (r.due) checkDue(ctx, source, [...at, "rules", j, "due"], r.due);
  });
  if (a.done_when) checkDoneWhen(ctx, source, [...at, "done_when"], a.done_when);
  checkDocuments(ctx, source, at, a, names);
  checkContacts(ctx, source, at, a, names.locality);
  checkTeams(ctx, source, at, a, names.locality);
  return {
    id: a.id,
    title: a.title,
    ...(a.detail ? { detail: a.detail.trim() } : {}),
    cite: a.cite,
    section,
    due: resolveDue(a.due),
    documents: a.documents ?? [],
    contacts: a.contacts ?? [],
    ...(a.by ? { by: a.by } : {}),
    until18: a.until_18 ?? false,
    ...(a.until ? { until: a.until } : {}),
    ...(a.done_when
      ? {
          doneWhen: {
            shownBy: a.done_when.shown_by,
            ...(a.done_when.date ? { date: a.done_when.date } : {}),
          },
        }
      : {}),
    ...(guard ? { appliesWhen: guard.source } : {}),
    rules,
    origin: originAt(source, at),
  };
}

/** Action A's rule R (its J-th, at AT), its condition ANDed with the part's GUARD; its citation the action's unless its own. */
function compileRule(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  a: ActionRaw,
  r: ActionRaw["rules"][number],
  j: number,
  guard: Condition | undefined,
): Rule {
  return {
    id: r.id ?? `${a.id}#${j + 1}`,
    when: condition(ctx, source, [...at, "when"], r.when, guard),
    because: r.because,
    ...(r.title ? { title: r.title } : {}),
    cite: r.cite ?? a.cite,
    ...(r.due ? { due: resolveDue(r.due) } : {}),
    ...(r.note ? { note: r.note } : {}),
    expected: r.expected ?? false,
    contacts: r.contacts ?? [],
    ...(r.by ? { by: r.by } : {}),
  };
}

/** Every document an action writes is defined (or in a part not checked here). */
function checkDocuments(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  a: ActionRaw,
  names: Names,
): void {
  a.documents?.forEach((d, k) => {
    if (!names.documents.has(d) && !names.unchecked.documents.has(d))
      ctx.problems.push(
        problemAt(
          source,
          [...at, "documents", k],
          say.unknown("document", d, suggest(d, names.documents.keys())),
        ),
      );
  });
}

/** Every contact of an action and of its rules is in the locality file, where there is one. */
function checkContacts(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  a: ActionRaw,
  locality: Locality | undefined,
): void {
  if (!locality) return;
  const contactLists: [(string | number)[], string[]][] = [
    [[...at, "contacts"], a.contacts ?? []],
    ...a.rules.map((r, j): [(string | number)[], string[]] => [
      [...at, "rules", j, "contacts"],
      r.contacts ?? [],
    ]),
  ];
  for (const [path, list] of contactLists)
    list.forEach((c, k) => {
      if (!locality.contacts.has(c))
        ctx.problems.push(
          problemAt(
            source,
            [...path, k],
            say.unknown("contact", c, suggest(c, locality.contacts.keys()), `not in ${locality.file}`),
          ),
        );
    });
}

/** Every team that does an action (or one of its rules) is under teams: in the locality file, where there is one. */
function checkTeams(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  a: ActionRaw,
  locality: Locality | undefined,
): void {
  if (!locality) return;
  const teamRefs: [(string | number)[], string | undefined][] = [
    [[...at, "by"], a.by],
    ...a.rules.map((r, j): [(string | number)[], string | undefined] => [[...at, "rules", j, "by"], r.by]),
  ];
  for (const [path, team] of teamRefs)
    if (team !== undefined && !locality.teams.has(team))
      ctx.problems.push(
        problemAt(
          source,
          path,
          say.unknown(
            "team",
            team,
            suggest(team, locality.teams.keys()),
            `not under teams: in ${locality.file}`,
          ),
        ),
      );
}

function compileQuestion(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  q: QuestionRaw,
  section: string,
): Question | undefined {
  const fact = ctx.facts.get(q.fact);
  if (factUnchecked(ctx, q.fact)) return undefined;
  if (!fact || fact.derived) {
    ctx.problems.push(
      problemAt(source, [...at, "fact"], say.unknown("fact", q.fact, suggest(q.fact, inputFacts(ctx.facts)))),
    );
    return undefined;
  }
  for (const key of Object.keys(q.choices ?? {})) {
    if (!fact.values?.includes(key))
      ctx.problems.push(
        problemAt(
          source,
          [...at, "choices", key],
          say.notAValueOf(key, fact.id, suggest(key, fact.values ?? [])),
        ),
      );
  }
  const gate = q.gate && compileGate(ctx, source, [...at, "gate"], q.gate, fact.id);
  return {
    fact,
    ask: q.ask,
    ...(gate ? { gate } : {}),
    ...(q.help ? { help: q.help.trim() } : {}),
    ...(q.cite ? { cite: q.cite } : {}),
    ...(q.when ? { when: condition(ctx, source, [...at, "when"], q.when) } : {}),
    ...(q.choices ? { choices: q.choices } : {}),
    // A fact with its own not-known choice offers that choice, not a second "Not known".
    notKnown: fact.notKnown !== undefined ? false : (q.not_known ?? true),
    notKnownLabel: q.not_known_label ?? "Not known",
    always: q.always ?? false,
    overTime: q.over_time ?? false,
    ...(q.drafts
      ? {
          drafts:
            q.drafts === true
              ? {}
              : { when: condition(ctx, source, [...at, "drafts", "when"], q.drafts.when) },
        }
      : {}),
    section,
    origin: originAt(source, at),
  };
}

/**
 * A question's gate (issue 21): a yes / no fact opens it on yes; a choice or a list, on one of
 * its values. Never on "not known": a gate not known keeps the question closed.
 */
function compileGate(
  ctx: Ctx,
  source: Located,
  at: (string | number)[],
  raw: NonNullable<QuestionRaw["gate"]>,
  own: string,
): Gate | undefined {
  const fact = ctx.facts.get(raw.fact);
  const wrong = (path: (string | number)[], message: string) => {
    ctx.problems.push(problemAt(source, path, message));
    return undefined;
  };
  if (factUnchecked(ctx, raw.fact)) return undefined;
  if (!fact || fact.derived)
    return wrong([...at, "fact"], say.unknown("fact", raw.fact, suggest(raw.fact, inputFacts(ctx.facts))));
  if (fact.id === own) return wrong([...at, "fact"], say.ownGate());
  if (fact.type === "bool") {
    if (raw.values) return wrong([...at, "values"], say.gateYesNoValues(fact.id));
    return { fact: fact.id };
  }
  if (fact.type !== "enum" && fact.type !== "list")
    return wrong([...at, "fact"], say.gateTyped(fact.id, fact.type));
  if (!raw.values)
    return wrong([...at, "fact"], say.gateSayValues(fact.id, fact.type === "list" ? "list" : "choice"));
  let ok = true;
  raw.values.forEach((v, k) => {
    if (v === fact.notKnown) {
      ok = false;
      wrong([...at, "values", k], say.gateOnNotKnown(v));
    } else if (!fact.values?.includes(v)) {
      ok = false;
      wrong([...at, "values", k], say.notAValueOf(v, fact.id, suggest(v, fact.values ?? [])));
    }
  });
  return ok ? { fact: fact.id, values: raw.values } : undefined;
}

/** Why a question cannot be a row of a group (answered with ←/→ among a few choices), if it cannot. */
function rowProblem(q: Question): string | undefined {
  const shown = (q.fact.type === "bool" ? 2 : (q.fact.values?.length ?? 0)) + (q.notKnown ? 1 : 0);
  if (q.fact.type !== "bool" && q.fact.type !== "enum") return say.rowTyped(q.fact.id, q.fact.type);
  if (shown > GROUP_MAX_CHOICES) return say.rowTooManyChoices(q.fact.id, shown, GROUP_MAX_CHOICES);
  return undefined;
}

/**
 * A fact that other facts settle. Its condition reads facts only (it is applied before
 * any rule), and each settled value must be one its fact can take.
 */
function implication(ctx: Ctx, source: Located, path: (string | number)[], m: ImplicationRaw): Implication {
  const when = condition(ctx, source, [...path, "when"], m.when);
  if (when.actions.length > 0)
    ctx.problems.push(problemAt(source, [...path, "when"], say.implicationReadsFacts()));
  const settles: Implication["settles"][number][] = [];
  for (const [id, raw] of Object.entries(m.settles)) {
    const at = [...path, "settles", id];
    const fact = ctx.facts.get(id);
    // Facts from a facts.yaml (or an entry) that failed are not known here: no cascade of "unknown fact".
    if (factUnchecked(ctx, id)) continue;
    if (!fact || fact.derived) {
      const inputs = [...ctx.facts.values()].filter((f) => !f.derived).map((f) => f.id);
      ctx.problems.push(problemAt(source, at, say.unknown("fact", id, suggest(id, inputs))));
      continue;
    }
    const atLeast = typeof raw === "object";
    const value = typeof raw === "object" ? raw.at_least : raw;
    const checked = validateValue(fact, value);
    const wrong =
      atLeast && fact.type !== "int"
        ? say.atLeastWholeNumbers()
        : value === fact.notKnown
          ? say.settlesNotKnown(String(value))
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

/** A step's done_when: every fact a fact of the flow, and its date a date fact. */
function checkDoneWhen(
  ctx: Ctx,
  source: Located,
  path: (string | number)[],
  done: { shown_by: string[]; date?: string | undefined },
): void {
  const facts: [(string | number)[], string][] = done.shown_by.map((f, i) => [[...path, "shown_by", i], f]);
  if (done.date !== undefined) facts.push([[...path, "date"], done.date]);
  for (const [at, f] of facts) {
    if (factUnchecked(ctx, f)) continue;
    const fact = ctx.facts.get(f);
    if (!fact) ctx.problems.push(problemAt(source, at, say.unknown("fact", f, suggest(f, ctx.facts.keys()))));
    else if (at.at(-1) === "date" && fact.type !== "date")
      ctx.problems.push(problemAt(source, at, say.notADateFact(f)));
  }
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
          problemAt(source, [...path, key, i], say.unknown("action", id, suggest(id, ctx.actionIds))),
        );
      return;
    }
    const fact = ctx.facts.get(f);
    if (factUnchecked(ctx, f)) return;
    if (!fact) {
      const dates = [...ctx.facts.values()].filter((x) => x.type === "date").map((x) => x.id);
      ctx.problems.push(problemAt(source, [...path, key, i], say.unknown("fact", f, suggest(f, dates))));
    } else if (fact.type !== "date") {
      ctx.problems.push(problemAt(source, [...path, key, i], say.notADateFact(f)));
    }
  });
}
