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
  /** "none" for a concern about a context only (a peer group, place or online space). */
  group: "child" | "adult" | "none";
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
  for (const [k, v] of answers) if (!meansNotKnown(flow, k, v)) facts.set(k, v as Value);
  const warnings: Warning[] = [];
  if (!facts.has("concern.date")) {
    facts.set("concern.date", today);
    warnings.push({
      kind: "default",
      field: "concern.date",
      text: `concern.date not given: taken as today, ${today}. Deadlines count from it.`,
    });
  }
  const concernDate = facts.get("concern.date") as IsoDate;
  if (!facts.has("referral.date")) facts.set("referral.date", concernDate);

  const dob = facts.get("person.dob") as IsoDate | undefined;
  const givenAge = facts.get("person.age") as number | undefined;
  let age: number | null = null;
  let ageSource: Situation["ageSource"] = "not-known";
  if (dob !== undefined) {
    ageSource = "dob";
    if (compareIso(dob, concernDate) > 0) {
      warnings.push({
        kind: "conflict",
        field: "person.dob",
        text: `person.dob (${dob}) is after concern.date (${concernDate}): check both dates. The age is treated as not known.`,
      });
      ageSource = "not-known";
    } else {
      age = ageOn(dob, concernDate);
      if (givenAge !== undefined && givenAge !== age) {
        warnings.push({
          kind: "conflict",
          field: "person.age",
          text: `person.age says ${givenAge} but person.dob gives ${age} at ${concernDate}: the date of birth is used. Check which is right.`,
        });
      }
    }
  } else if (givenAge !== undefined) {
    age = givenAge;
    ageSource = "age";
  }
  if (age === null) {
    facts.delete("person.age");
    // A concern about a place or group only has no one whose age matters.
    if (facts.get("concern.about") !== "context")
      warnings.push({
        kind: "age",
        field: "person.dob",
        text:
          "Age not known: the child pathway applies until an age assessment says otherwise, " +
          "and the person is treated as a child for NRM purposes. Add person.dob or person.age.",
        cite: "Procedures §12, §15.4.a.1",
      });
  } else facts.set("person.age", age);
  const context = facts.get("concern.about") === "context";
  const group = context ? "none" : age === null || age < 18 ? "child" : "adult";
  facts.set("person.group", group);
  facts.set("person.age_known", age !== null);
  const implied = settle(flow, facts, warnings);
  return { facts, referenceDate: concernDate, age, group, ageSource, implied, warnings };
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
            text: `${t.fact} is given as ${String(given)}, but ${m.because}, so it would be ${t.atLeast ? "at least " : ""}${String(t.value)}: check which is right. The value given is used.`,
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
