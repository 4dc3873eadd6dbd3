import { splitFact } from "../flow/expr.js";
import type { Flow } from "../flow/types.js";
import type { Answers, Value } from "./answers.js";
import { ageOn, compareIso, type IsoDate } from "./dates.js";

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
  warnings: Warning[];
}

export function situate(answers: Answers, today: IsoDate): Situation {
  const facts = new Map<string, Value>();
  for (const [k, v] of answers) if (v !== null) facts.set(k, v);
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
  const doubt =
    context || age === null ? null : ageInDoubt(facts, age, ageSource === "dob" ? givenAge : undefined);
  if (doubt) warnings.push(doubt);
  const inDoubt = doubt !== null;
  // An age in doubt across 18 is treated as an age not known: the child pathway (ageInDoubt).
  const group = context ? "none" : age === null || age < 18 || inDoubt ? "child" : "adult";
  facts.set("person.group", group);
  facts.set("person.age_known", age !== null);
  facts.set("person.age_in_doubt", inDoubt);
  facts.set("person.may_be_child", group === "child");
  return { facts, referenceDate: concernDate, age, group, ageSource, warnings };
}

/**
 * The presumption about age (Modern Slavery Act 2015 s51; procedure-map §5): the person may
 * be under 18 when their age is disputed, or when the date of birth and the stated age fall on
 * different sides of 18. Until an age assessment settles it, they are treated as someone whose
 * age is not known is: the child pathway, and a child for NRM purposes (no consent needed, and
 * never an anonymous duty-to-notify). The child pathway rather than the adult one for the rest
 * too, because the procedures already treat an unknown age so (Procedures §12) and because it
 * is the pathway that protects a child; the warning says how to return to the adult one.
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

/** The evaluation context for CEL: namespaced maps, integers as BigInt, unknown facts absent. */
export function celContext(
  flow: Flow,
  facts: ReadonlyMap<string, Value>,
  recommends: ReadonlyMap<string, boolean>,
) {
  const ctx: Record<string, unknown> = {};
  for (const fact of flow.facts.values()) {
    const [ns, field] = splitFact(fact.id);
    if (field !== undefined && !(ns in ctx)) ctx[ns] = {};
  }
  for (const [id, value] of facts) {
    const fact = flow.facts.get(id);
    if (!fact) continue;
    const v = fact.type === "int" ? BigInt(value as number) : value;
    const [ns, field] = splitFact(id);
    if (field === undefined) ctx[ns] = v;
    else (ctx[ns] as Record<string, unknown>)[field] = v;
  }
  ctx.recommends = recommends;
  return ctx;
}
