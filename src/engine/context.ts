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
  const group = context ? "none" : age === null || age < 18 ? "child" : "adult";
  facts.set("person.group", group);
  facts.set("person.age_known", age !== null);
  return { facts, referenceDate: concernDate, age, group, ageSource, warnings };
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
