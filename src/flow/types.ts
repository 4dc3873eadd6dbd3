export type FactType = "string" | "text" | "date" | "int" | "bool" | "enum" | "list";

export interface Fact {
  id: string;
  type: FactType;
  values?: readonly string[];
  label: string;
  meaning?: string;
  personal: boolean;
  /**
   * Personal data of someone other than the person (the referrer's own name, phone, email):
   * withheld by `--redact`; it does not identify the person, so an anonymous draft may hold it.
   */
  redact?: boolean;
  min?: number;
  max?: number;
  /** Computed by the engine; a case file may not set it. */
  derived: boolean;
  /**
   * The choice that means "not known" (`unknown`): kept in the answers as given, but absent
   * for every condition, due rule and template, exactly as if the fact were left out.
   */
  notKnown?: string;
  /** What a rule that fires while this fact is not known takes that to mean. */
  whenNotKnown?: string;
  /** A list's values that stand alone: given with another value, the answer is refused. */
  alone?: readonly string[];
  /** A derived fact: the facts it is worked out from, asked for in its place while not known. */
  from?: readonly string[];
}

/**
 * What would decide a step not decided yet: a fact not known, or whether another step is
 * recommended (itself not decided). The JSON contract writes it as it is here.
 */
export type Need = { fact: string } | { action: string };

/**
 * A due rule with its references resolved: a date fact, or another step's due date. In
 * the YAML an action is written "@id"; the flow holds `{ action: id }`.
 */
export type DueRule =
  | "immediately"
  | { none: string }
  | { working_days: number; from: readonly Need[] }
  | { calendar_days: number; from: readonly Need[] }
  | { weeks: number; from: readonly Need[] }
  | { on: readonly Need[] }
  | { age: { years: number; months?: number | undefined }; or_now?: boolean | undefined }
  | { earliest: readonly DueRule[] };

/** Where something was defined, for messages and for trainers' "see the flow" links. */
export interface Origin {
  file: string;
  line: number;
  column: number;
}

export interface Condition {
  /** As written in the flow (named conditions by name): what trainers are shown. */
  source: string;
  /** As evaluated: named conditions expanded, the part's applies_when ANDed in. */
  expanded: string;
  /** Evaluate against a context built by the engine; throws when a needed fact is not known. */
  evaluate: (context: Record<string, unknown>) => unknown;
  facts: readonly string[];
  actions: readonly string[];
  /** Facts the condition tests for absence (`!has(f)`): it can hold while they are not known. */
  absent: readonly { fact: string; origin: Origin }[];
  /** Named conditions the condition reads (directly, or through its part's applies_when). */
  named: readonly string[];
  /** Every has(fact) test it makes, through named conditions too, with its polarity here. */
  hasTests: readonly { fact: string; negated: boolean; origin: Origin }[];
  origin: Origin;
  /**
   * Its part's applies_when (when the part has one), and its own expression without it
   * (named conditions expanded). It is evaluated as CEL's `&&` of the two would be, so the
   * guard every rule of a part shares is parsed once, not once in each rule (issue 10).
   */
  guard?: Condition;
  body?: string;
}

/** An expression several rules share, with its meaning in plain words and its citation. */
export interface NamedCondition {
  name: string;
  meaning: string;
  cite: string;
  when: Condition;
}

export interface Rule {
  id: string;
  when: Condition;
  because: string;
  /**
   * What the step says when this rule recommends it, in place of the action's title: the
   * same step (its id stays) by another route, e.g. who makes an NRM referral.
   */
  title?: string;
  cite: string;
  due?: DueRule;
  note?: string;
  /** Anticipated, not decided: "expected", a tentative event, never overdue (procedure map § Under 18). */
  expected: boolean;
  contacts: readonly string[];
  /** Who does the step when this rule fires (a locality team's id), where not the action's. */
  by?: string;
}

export interface Action {
  id: string;
  title: string;
  detail?: string;
  cite: string;
  section: string;
  due: DueRule;
  documents: readonly string[];
  contacts: readonly string[];
  /** Who does the step when it is not the lead (a locality team's id). */
  by?: string;
  /** For a child, flag a due date on or after the 18th birthday (Procedures §20.7). */
  until18: boolean;
  /** The date is when something ends, in the words before it ("support until at least"): never overdue. */
  until?: string;
  /**
   * The facts that show it done without marking (issue 26, `done_when:`): done when any of
   * `shownBy` is given as happened, on the date the fact `date` gives.
   */
  doneWhen?: { shownBy: readonly string[]; date?: string };
  /** Its part's applies_when as written (already ANDed into each rule): for the pictures. */
  appliesWhen?: string;
  rules: readonly Rule[];
  origin: Origin;
}

export interface Question {
  fact: Fact;
  ask: string;
  help?: string;
  cite?: string;
  when?: Condition;
  choices?: Readonly<Record<string, string>>;
  notKnown: boolean;
  /** The words for "not known" on this question ("Not held yet"). */
  notKnownLabel: string;
  always: boolean;
  /**
   * The answer that opens it: asked only once `fact` is known to be yes (a yes / no fact), or
   * one of `values` (a choice, or a list holding one of them). Not known keeps it closed.
   */
  gate?: Gate;
  /** The id of the group it is asked in (Flow.groups), if any. */
  group?: string;
  /**
   * Asked in the round "for the drafts" after the pathway (the engine's draftQuestions), with
   * the condition, reading the pathway's `recommends`, that must hold too, if any.
   */
  drafts?: { when?: Condition };
  /** Its answer can change with time (issue 26): `safeguard update` asks it first. */
  overTime: boolean;
  section: string;
  origin: Origin;
}

export interface Gate {
  fact: string;
  /** For a choice or a list; a yes / no fact opens on yes. */
  values?: readonly string[];
}

/**
 * Questions asked together on one screen, a row each (issue 14): yes / no / not known, or the
 * fact's own few choices. Each row is its own fact, with its own words and its own "not known".
 */
export interface QuestionGroup {
  id: string;
  heading: string;
  help?: string;
  cite?: string;
  /** The facts of its questions, in flow order. */
  facts: readonly string[];
  origin: Origin;
}

export interface DocumentDef {
  id: string;
  title: string;
  template: string;
  anonymous: boolean;
  /**
   * Who reads it: `sent` to another agency, so it carries nothing for the lead's eyes only
   * (no fact ids, file names, program names, checklists or currency notes), or a `record`.
   */
  audience: "sent" | "record";
  /** The facts its template reads (includes too), known once the templates are checked. */
  reads?: readonly string[];
}

export interface Check {
  id: string;
  when: Condition;
  kind: "conflict" | "missing" | "caution" | "age";
  text: string;
  cite?: string;
}

/** A fact that other facts settle (issue: "not known" unless a given fact settles it). */
export interface Implication {
  id: string;
  when: Condition;
  /** The settled facts: a value, or a lower bound for a whole number. */
  settles: readonly { fact: string; value: string | boolean | number; atLeast: boolean }[];
  because: string;
  cite: string;
  origin: Origin;
}

export interface CurrencyNote {
  id: string;
  topic: string;
  seeds: string;
  national: string;
  source: string;
  checked: string;
  actions: readonly string[];
  /** Shown only where this holds, or is not decided (issue 14: only notes that touch the case). */
  applies?: Condition;
}

export interface Contact {
  id: string;
  name: string;
  email?: string;
  phone?: string;
  web?: string;
  note?: string;
  cite: string;
}

/** A team that does a step the lead does not: "by the Exploitation Team". */
export interface Team {
  id: string;
  /** As "by …" takes it: "the Exploitation Team", "Children's Services". */
  name: string;
  cite: string;
}

export interface Locality {
  id: string;
  name: string;
  area?: string;
  contacts: ReadonlyMap<string, Contact>;
  teams: ReadonlyMap<string, Team>;
  file: string;
}

export interface Flow {
  id: string;
  name: string;
  version: string;
  description?: string;
  /** sha256 over every file the flow was built from, in a fixed order. */
  sha256: string;
  facts: ReadonlyMap<string, Fact>;
  factsVersion: string;
  questions: readonly Question[];
  /** Groups of questions asked on one screen, by id. */
  groups: ReadonlyMap<string, QuestionGroup>;
  /** In procedure order: the order the pathway is presented in. */
  actions: readonly Action[];
  actionById: ReadonlyMap<string, Action>;
  /** Action ids sorted so that every action comes after those its rules read. */
  evaluationOrder: readonly string[];
  documents: ReadonlyMap<string, DocumentDef>;
  templates: ReadonlyMap<string, string>;
  checks: readonly Check[];
  /** Named conditions, by name, in flow order. */
  conditions: ReadonlyMap<string, NamedCondition>;
  /** In flow order; applied before any rule is evaluated. */
  implications: readonly Implication[];
  currency: readonly CurrencyNote[];
  locality: Locality;
  sections: readonly string[];
}

export interface RawFile {
  /** Path shown in messages (relative to the user's working directory where possible). */
  file: string;
  text: string;
}

/**
 * Where T holds something that is not plain data (a function, or a class instance, which
 * has methods), as a path from P; never when it is all plain data. A Condition's `evaluate`
 * is the one function allowed: the flow's image drops it and makes it again.
 */
type NotPlainAt<T, P extends string, D extends 0[] = []> = D["length"] extends 10
  ? never
  : T extends string | number | boolean | bigint | null | undefined
    ? never
    : T extends (...args: never[]) => unknown
      ? P
      : T extends ReadonlyMap<infer K, infer V>
        ? NotPlainAt<K, `${P} key`, [...D, 0]> | NotPlainAt<V, `${P}[…]`, [...D, 0]>
        : T extends readonly (infer E)[]
          ? NotPlainAt<E, `${P}[…]`, [...D, 0]>
          : {
              [K in keyof T & string]-?: T extends Condition
                ? K extends "evaluate"
                  ? never
                  : NotPlainAt<T[K], `${P}.${K}`, [...D, 0]>
                : NotPlainAt<T[K], `${P}.${K}`, [...D, 0]>;
            }[keyof T & string];

/**
 * A Flow stays plain data: the build keeps it with v8.serialize (src/io/flow-image.ts), which
 * cannot keep a function or a class instance. Anything else in it fails the type check here,
 * saying where.
 */
export const FLOW_IS_PLAIN_DATA: [NotPlainAt<Flow, "Flow">] extends [never]
  ? true
  : `${NotPlainAt<Flow, "Flow">} is not plain data, and the build keeps a Flow with v8.serialize: keep the flow's data there and work the rest out where it is used` =
  true;
