import type { Fact } from "../flow/types.js";
import { dateYears, MAX_CASE_ID } from "../flow/values.js";

/**
 * The JSON Schema (draft-07) of a case file, generated from the fact catalogue the tool
 * validates case files with (src/engine/answers.ts): every fact a case file may set, in the
 * nested form (`concern: {date: …}`) and the flat one (`concern.date: …`), with its type,
 * choices, bounds and dates (`format: date`, and the pattern). `null` is always allowed: an explicit "not known".
 * Derived facts are left out (a case file may not set them), and so is anything unknown.
 * A fact may be given once: two spellings of it (flat and nested) are refused, as safeguard
 * refuses them; a key given twice in one mapping is refused by safeguard as it reads the YAML,
 * before any validator sees the data, and so the description says it.
 */
export function caseSchema(
  facts: ReadonlyMap<string, Fact>,
  factsVersion: string,
  steps: readonly string[] = [],
): Record<string, unknown> {
  const settable = [...facts.values()].filter((f) => !f.derived);
  const top = level(settable, []);
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "safeguard case file",
    description:
      `The facts of one case (fact catalogue version ${factsVersion}). A fact left out is not known; null says so explicitly. ` +
      "Each fact is given once: not both flat and nested (concern.date beside concern: {date}), and no key twice in one mapping " +
      "(which a validator cannot see, as the YAML reader keeps one of the two; safeguard refuses both).",
    ...top,
    allOf: settable.flatMap(givenOnce),
    properties: {
      ...(top.properties as Record<string, unknown>),
      // Not a fact: the steps of the pathway the lead has done, each with its date.
      done: {
        description: "Steps done, each with the date it was done (YYYY-MM-DD): a done step is never overdue",
        type: ["object", "null"],
        ...(steps.length > 0 ? { propertyNames: { enum: [...steps] } } : {}),
        additionalProperties: { type: ["string", "null"], pattern: DATE },
      },
    },
  };
}

/**
 * A fact given in two of its spellings (`concern.date: …` beside `concern: {date: …}`):
 * safeguard refuses it (engine/answers.ts), never "the last wins"; so does this.
 */
function givenOnce(fact: Fact): Record<string, unknown>[] {
  const ways = spellings(fact.id.split("."));
  if (ways.length < 2) return [];
  const pairs = ways.flatMap((a, i) => ways.slice(i + 1).map((b) => ({ allOf: [present(a), present(b)] })));
  return [{ description: `${fact.id} is given once`, not: { anyOf: pairs } }];
}

/** Each path of keys a fact's id can be written as: a.b.c as a.b.c, a > b.c, a.b > c or a > b > c. */
function spellings(parts: string[]): string[][] {
  const out: string[][] = [];
  for (let n = 1; n <= parts.length; n++) {
    const head = parts.slice(0, n).join(".");
    if (n === parts.length) out.push([head]);
    else for (const rest of spellings(parts.slice(n))) out.push([head, ...rest]);
  }
  return out;
}

/** The path of keys is there (each mapping on the way a mapping). */
function present([key, ...rest]: string[]): Record<string, unknown> {
  return {
    type: "object",
    required: [key],
    // Named in properties too (`{}`: any value), as a strict validator wants a required key.
    properties: { [key as string]: rest.length > 0 ? present(rest) : {} },
  };
}

const MONTH_DAY = "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
const DATE = `^[0-9]{4}${MONTH_DAY}`;

/**
 * A date's pattern with its year in FIRST..LAST, as safeguard checks it (flow/values.ts):
 * 1990..2100 is `^(199[0-9]|20[0-9]{2}|2100)-…`.
 */
export function datePattern({ first, last }: { first: number; last: number }): string {
  const years: string[] = [];
  for (let y = first; y <= last; ) {
    const s = String(y);
    if (y % 100 === 0 && y + 99 <= last) {
      years.push(`${s.slice(0, -2)}[0-9]{2}`);
      y += 100;
    } else if (y % 10 === 0 && y + 9 <= last) {
      years.push(`${s.slice(0, -1)}[0-9]`);
      y += 10;
    } else {
      years.push(s);
      y += 1;
    }
  }
  return `^(${years.join("|")})${MONTH_DAY}`;
}

function level(facts: Fact[], prefix: string[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const under = facts
    .map((f) => ({ fact: f, rest: f.id.split(".").slice(prefix.length) }))
    .filter(({ fact }) => fact.id.split(".").slice(0, prefix.length).join(".") === prefix.join("."));
  for (const { fact, rest } of under) properties[rest.join(".")] = valueSchema(fact);
  // Every shorter path that is a group of facts can be written as a nested mapping.
  const groups = new Set<string>();
  for (const { rest } of under) for (let n = 1; n < rest.length; n++) groups.add(rest.slice(0, n).join("."));
  for (const g of [...groups].sort()) {
    properties[g] = { type: "object", ...level(facts, [...prefix, ...g.split(".")]) };
  }
  return { type: "object", properties, additionalProperties: false };
}

export function valueSchema(fact: Fact): Record<string, unknown> {
  const description = fact.meaning ? `${fact.label}: ${fact.meaning}` : fact.label;
  const values = [...(fact.values ?? [])];
  switch (fact.type) {
    case "bool":
      return { description, type: ["boolean", "null"] };
    case "int":
      return {
        description,
        type: ["integer", "null"],
        ...(fact.min !== undefined ? { minimum: fact.min } : {}),
        ...(fact.max !== undefined ? { maximum: fact.max } : {}),
      };
    case "date":
      return {
        description: `${description} (YYYY-MM-DD)`,
        type: ["string", "null"],
        // The format says a real date (no 2026-02-31) to a validator that checks formats;
        // the pattern says the shape to one that does not.
        format: "date",
        pattern: datePattern(dateYears(fact)),
      };
    case "enum":
      // A choice that reads as a number (screening.threshold_level) may be written as one.
      return {
        description,
        enum: [...values, ...values.filter((v) => /^-?\d+$/.test(v)).map(Number), null],
      };
    case "list": {
      // One value given alone is a list of one; a value that stands alone has no other beside it.
      const alone = fact.alone?.length
        ? { not: { allOf: [{ contains: { enum: [...fact.alone] } }, { minItems: 2 }] } }
        : {};
      return {
        description,
        anyOf: [{ type: "array", items: { enum: values }, ...alone }, { enum: [...values, null] }],
      };
    }
    case "string":
      return {
        description,
        type: ["string", "number", "null"],
        // Counted in characters (code points), as safeguard counts it and JSON Schema does.
        ...(fact.id === "case_id" ? { maxLength: MAX_CASE_ID } : {}),
      };
    default:
      return { description, type: ["string", "null"] };
  }
}
