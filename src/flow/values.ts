import { say } from "../words/problems.js";
import { HOLIDAY_YEARS, isIsoDate } from "./calendar.js";
import { suggest } from "./problems.js";
import type { Fact } from "./types.js";

/** A fact's value. `null` is an explicit "not known". */
export type Value = string | number | boolean | readonly string[];

/**
 * The longest case reference, in characters: a reference names the case's folder, and no
 * record system's reference comes near it (a longer one is a slip, or not a reference).
 */
export const MAX_CASE_ID = 200;
/** Dates a case can plausibly hold: anything else is a slip (year 0000, 20266). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;

/**
 * The years a fact's dates may fall in: a date of birth any plausible year; any other date
 * may start a deadline or make a step late, so the years the bank-holiday table covers.
 * The case schema says the same (render/case-schema.ts).
 */
export function dateYears(fact: Pick<Fact, "id">): { first: number; last: number } {
  return fact.id === "person.dob" ? { first: FIRST_YEAR, last: LAST_YEAR } : HOLIDAY_YEARS;
}

/**
 * Check one answer against its fact: the message for a person, or the value as the engine
 * stores it. The wizard checks each answer with this as it is typed; case files use it too.
 */
export function validateValue(fact: Fact, v: unknown): string | { value: Value | null } {
  if (v === null || v === undefined) return { value: null };
  if (fact.type === "list") {
    const items = typeof v === "string" ? [v] : v;
    if (!Array.isArray(items)) return say.notAList(fact.values ?? []);
    const out: string[] = [];
    for (const item of items as unknown[]) {
      if (typeof item !== "string" || !fact.values?.includes(item)) {
        return say.notAmongValues(
          JSON.stringify(item ?? null),
          fact.values ?? [],
          suggest(String(item), fact.values ?? []),
        );
      }
      if (!out.includes(item)) out.push(item);
    }
    const alone = out.find((x) => fact.alone?.includes(x));
    if (alone !== undefined && out.length > 1)
      return say.standsAlone(
        alone,
        out.filter((x) => x !== alone),
      );
    return { value: out };
  }
  switch (fact.type) {
    case "bool":
      return typeof v === "boolean" ? { value: v } : say.shouldBe(JSON.stringify(v), "true or false");
    case "int":
      if (typeof v !== "number" || !Number.isInteger(v))
        return say.shouldBe(JSON.stringify(v), "a whole number");
      if (fact.min !== undefined && v < fact.min) return say.outOfRange(v, "below", fact.min);
      if (fact.max !== undefined && v > fact.max) return say.outOfRange(v, "above", fact.max);
      return { value: v };
    case "date": {
      // A Date here (not from a case file) is a calendar date at local midnight.
      const s = typeof v === "string" ? v : v instanceof Date ? localDate(v) : String(v);
      if (!isIsoDate(s)) return say.notADate(s);
      const year = Number(s.slice(0, 4));
      if (year < FIRST_YEAR || year > LAST_YEAR) return say.implausibleDate(s, FIRST_YEAR, LAST_YEAR);
      // Any date but the date of birth may start a deadline or make a step late, counted in
      // working days over the bank holidays the program knows.
      const years = dateYears(fact);
      if (year < years.first || year > years.last) return say.outsideHolidayYears(s, years.first, years.last);
      return { value: s };
    }
    case "enum": {
      // Numeric enums (screening.threshold_level) may be written as integers.
      const s = typeof v === "number" || typeof v === "boolean" ? String(v) : v;
      if (typeof s !== "string" || !fact.values?.includes(s)) {
        return say.notAmongValues(
          JSON.stringify(v),
          fact.values ?? [],
          suggest(String(s), fact.values ?? []),
        );
      }
      return { value: s };
    }
    default:
      if (typeof v === "string") {
        const length = fact.id === "case_id" ? [...v].length : 0;
        if (length > MAX_CASE_ID) return say.caseIdTooLong(length, MAX_CASE_ID);
        return { value: v };
      }
      if (typeof v === "number" && fact.type === "string") return { value: String(v) };
      return say.shouldBe(JSON.stringify(v), "text");
  }
}

function localDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${String(d.getFullYear()).padStart(4, "0")}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
