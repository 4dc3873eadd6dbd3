import type { Flow, Implication } from "../flow/types.js";
import type { Answers, Value } from "./answers.js";
import { ageOn, compareIso, type IsoDate } from "./dates.js";
import { testCondition } from "./evaluate.js";

export interface Warning {
  kind: "age" | "conflict" | "missing" | "not-decided" | "caution" | "currency" | "language" | "default";
  text: string;
  field?: string;
  cite?: string;
  suggestion?: string;
}

/** The facts as the engine sees them: defaults applied, age and group worked out. */
export interface Situation {
  facts: Map<string, Value>;
  /** The date "immediately" means and birthdays already past are due on. */
  referenceDate: IsoDate;
  age: number | null;
  /**
   * "none" for a concern about a context only (a peer group, place or online space);
   * "not-known" where the age is not known and not disputed: the steps that differ by age
   * wait for it (`person.group` is then left out of the facts).
   */
  group: "child" | "adult" | "none" | "not-known";
  ageSource: "dob" | "age" | "not-known";
  /** Facts not given that other facts settle, each with the implication that settled it. */
  implied: Implied[];
  warnings: Warning[];
}

export interface Implied {
  fact: string;
  value: Value;
  /** "at least" this value: a whole number known only from below. */
  atLeast: boolean;
  implication: string;
  because: string;
  cite: string;
}

/**
 * The facts the rules see. An answer that means "not known" (null, or a fact's declared
 * not-known choice) is left out, so no condition, due rule or template can read it as a
 * value (procedure-map §1): `x != "yes"` never turns "unknown" into "no".
 */
export function situate(flow: Flow, answers: Answers, today: IsoDate): Situation {
  const facts = new Map<string, Value>();
  for (const [k, v] of answers) {
    if (meansNotKnown(flow, k, v)) continue;
    // A list given one value (a session or an answer saved before it was a list) is a list of one.
    facts.set(k, typeof v === "string" && flow.facts.get(k)?.type === "list" ? [v] : (v as Value));
  }
  const warnings: Warning[] = [];
  if (!facts.has("concern.date")) {
    facts.set("concern.date", today);
    warnings.push({
      kind: "default",
      field: "concern.date",
      text: `The date the concern was identified is not given: taken as today, ${today}. Deadlines count from it.`,
    });
  }
  const concernDate = facts.get("concern.date") as IsoDate;
  if (!facts.has("referral.date")) facts.set("referral.date", concernDate);

  const givenAge = facts.get("person.age") as number | undefined;
  const { age, ageSource } = ageOf(facts, concernDate, warnings);
  const context = facts.get("concern.about") === "context";
  const disputed = facts.get("person.age_disputed") === true;
  if (age === null) facts.delete("person.age");
  else facts.set("person.age", age);
  // A concern about a place or group only has no one whose age matters.
  const doubt =
    context || age === null ? null : ageInDoubt(facts, age, ageSource === "dob" ? givenAge : undefined);
  const inDoubt = !context && (age === null ? disputed : doubt !== null);
  if (doubt) warnings.push(doubt);
  else if (!context && age === null) warnings.push(disputed ? ageDisputedNotKnown() : ageNotKnown());
  // An age in doubt brings the presumption (ageInDoubt); an age simply not given does not,
  // and leaves the group not known, so the steps that differ by age wait for it.
  const group = context
    ? "none"
    : inDoubt
      ? "child"
      : age === null
        ? "not-known"
        : age < 18
          ? "child"
          : "adult";
  if (group !== "not-known") {
    facts.set("person.group", group);
    facts.set("person.may_be_child", group === "child");
  }
  facts.set("person.age_known", age !== null);
  facts.set("person.age_in_doubt", inDoubt);
  const implied = settle(flow, facts, warnings);
  return { facts, referenceDate: concernDate, age, group, ageSource, implied, warnings };
}

/** The age on the concern date, from the date of birth if given (a conflict with a stated age is said). */
function ageOf(
  facts: ReadonlyMap<string, Value>,
  concernDate: IsoDate,
  warnings: Warning[],
): { age: number | null; ageSource: Situation["ageSource"] } {
  const dob = facts.get("person.dob") as IsoDate | undefined;
  const givenAge = facts.get("person.age") as number | undefined;
  if (dob === undefined)
    return givenAge === undefined
      ? { age: null, ageSource: "not-known" }
      : { age: givenAge, ageSource: "age" };
  if (compareIso(dob, concernDate) > 0) {
    warnings.push({
      kind: "conflict",
      field: "person.dob",
      text: `The date of birth (${dob}) is after the date the concern was identified (${concernDate}): check both dates. The age is treated as not known.`,
    });
    return { age: null, ageSource: "not-known" };
  }
  const age = ageOn(dob, concernDate);
  if (givenAge !== undefined && givenAge !== age) {
    warnings.push({
      kind: "conflict",
      field: "person.age",
      text: `The age is given as ${givenAge}, but the date of birth gives ${age} at ${concernDate}: the date of birth is used. Check which is right.`,
    });
  }
  return { age, ageSource: "dob" };
}

/**
 * A fact not given is not known, unless given facts settle it: apply the flow's
 * implications until nothing changes. A given fact that disagrees is kept and the
 * disagreement said, never resolved silently.
 */
function settle(flow: Flow, facts: Map<string, Value>, warnings: Warning[]): Implied[] {
  const implied: Implied[] = [];
  const applied = new Set<Implication>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of flow.implications) {
      if (applied.has(m) || testCondition(flow, m.when, facts, new Map()).status !== "true") continue;
      applied.add(m);
      for (const t of m.settles) {
        const given = facts.get(t.fact);
        if (given === undefined) {
          facts.set(t.fact, t.value);
          implied.push({ ...t, implication: m.id, because: m.because, cite: m.cite });
          changed = true;
        } else if (t.atLeast ? (given as number) < (t.value as number) : given !== t.value) {
          warnings.push({
            kind: "conflict",
            field: t.fact,
            text: `"${flow.facts.get(t.fact)?.label ?? t.fact}" is given as ${String(given)}, but ${m.because}, so it would be ${t.atLeast ? "at least " : ""}${String(t.value)}: check which is right. The value given is used.`,
            cite: m.cite,
          });
        }
      }
    }
  }
  return implied;
}

/** An answer that means "not known": null, or the fact's declared not-known choice. */
export function meansNotKnown(flow: Flow, id: string, value: Value | null | undefined): boolean {
  return value === null || value === undefined || value === flow.facts.get(id)?.notKnown;
}
/**
 * The presumption about age (Modern Slavery Act 2015 s51; procedure-map §5): the person may
 * be under 18 when their age is disputed, or when the date of birth and the stated age fall on
 * different sides of 18. Until an age assessment settles it, they are treated as a child: the
 * child pathway, and a child for NRM purposes (no consent needed, and never an anonymous
 * duty-to-notify). The child pathway rather than the adult one for the rest too, because it is
 * the pathway that protects a child; the warning says how to return to the adult one.
 * Returns that warning, or null when the age is not in doubt. `givenAge` is a stated age beside
 * a date of birth; a disputed age matters only when the age used is 18 or over.
 */
function ageInDoubt(
  facts: ReadonlyMap<string, Value>,
  age: number,
  givenAge: number | undefined,
): Warning | null {
  let why: string;
  if (givenAge !== undefined && age < 18 !== givenAge < 18)
    why = `the date of birth gives ${age} but the stated age is ${givenAge}`;
  else if (facts.get("person.age_disputed") === true && age >= 18) why = "the age is disputed";
  else return null;
  return {
    kind: "age",
    field: "person.age_disputed",
    text:
      `Age in doubt (${why}): they may be under 18, so they are treated as a child for NRM purposes ` +
      "and the child pathway applies until an age assessment says otherwise: no consent is needed for an " +
      "NRM referral, and no anonymous duty-to-notify. Ask the local authority for an age assessment; " +
      "if it finds them 18 or over, run this again with the assessed age.",
    cite: "Modern Slavery Act 2015 s51; Procedures §12, §15.4.a.1",
  };
}

/** A disputed age with no age given: the presumption holds (s51), as for any age in doubt. */
function ageDisputedNotKnown(): Warning {
  return {
    kind: "age",
    field: "person.age_disputed",
    text:
      "Age not known and disputed: they may be under 18, so they are treated as a child for NRM purposes " +
      "and the child pathway applies until an age assessment says otherwise: no consent is needed for an " +
      "NRM referral, and no anonymous duty-to-notify. Ask the local authority for an age assessment; " +
      "run this again with the assessed age.",
    cite: "Modern Slavery Act 2015 s51; Procedures §12, §15.4.a.1",
  };
}

/**
 * An age simply not given is not reasonable grounds to believe the person may be under 18
 * (Modern Slavery Act 2015 s51): the steps that differ by age are not decided until it is
 * given, and the steps for every age stand. A reason to doubt is recorded as a disputed age.
 */
function ageNotKnown(): Warning {
  return {
    kind: "age",
    field: "person.dob",
    text:
      "Age not known: the steps that differ for a child and an adult are not decided until it is given " +
      "(ask the age); the steps for every age stand. Add the date of birth or the age. If there is reason to " +
      "believe they may be under 18, record the age as disputed: they are then " +
      "treated as a child for NRM purposes until an age assessment says otherwise.",
    cite: "Modern Slavery Act 2015 s51; Procedures §12, §13",
  };
}
