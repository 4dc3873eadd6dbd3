import type { Value } from "../engine/answers.js";
import { addYearsMonths, formatLong, type IsoDate, isIsoDate } from "../engine/dates.js";
import type { Pathway, Reason } from "../engine/decide.js";
import type { Problem } from "../flow/problems.js";
import type { Fact, Flow } from "../flow/types.js";

/**
 * `--redact`: a copy of a decided pathway for supervision and training. The pathway was
 * decided from the real facts; this changes only what is shown. Initials in place of the
 * name; no date of birth, address, phone or free text (every `personal` or `text` fact);
 * the age as a band; and a date worked out from the date of birth (a birthday step) only
 * to the month, since the day would give the birthday away. Pure.
 */
export const REDACTED = "[redacted]";

/** Said at the top of every redacted output. */
export const REDACTED_NOTE =
  "Redacted copy: initials in place of the name; no date of birth, address, phone or free text; the age as a band; dates from the date of birth to the month; no name, phone or email of the referrer.";

/**
 * Age bands that keep the pathway's meaning: the procedures change at 14 (disability
 * transitions), 16 (capacity, domestic abuse, mental-health transitions), 18 (adult) and 25
 * (screening to the Exploitation Team, leaving-care support); 17 stays inside 16-17, and
 * the transition steps themselves say what happens at 17.
 */
const BANDS: readonly [number, string][] = [
  [13, "under 14"],
  [15, "14-15"],
  [17, "16-17"],
  [24, "18-24"],
];

export function ageBand(age: number): string {
  return BANDS.find(([upTo]) => age <= upTo)?.[1] ?? "25 and over";
}

/**
 * A name's initials: "Zoë Anne-Marie Quinn" is "Z. A. M. Q.". A name written in a script
 * without capital letters (where one character can be a whole name) is withheld instead.
 */
export function initials(name: string): string {
  const words = name.split(/[\s\-‐‑'’.]+/u).filter((w) => /\p{L}/u.test(w));
  const firsts = words.map((w) => [...w.replace(/^\P{L}+/u, "")][0] ?? "");
  if (firsts.length === 0 || firsts.some((f) => f.toUpperCase() === f.toLowerCase())) return REDACTED;
  return firsts.map((f) => `${f.toUpperCase()}.`).join(" ");
}

/** A fact a redacted copy withholds: the person's details, free text, and the referrer's own. */
function withheld(fact: Fact | undefined): boolean {
  return fact !== undefined && (fact.personal || fact.redact === true || fact.type === "text");
}

/** A fact's value in a redacted copy. */
export function redactValue(flow: Flow, id: string, v: Value | null): Value | null {
  if (v === null) return v;
  if (id === "person.name" && typeof v === "string") return initials(v);
  if (id === "person.age" && typeof v === "number") return ageBand(v);
  return withheld(flow.facts.get(id)) ? REDACTED : v;
}

/**
 * A problem with a case file under `--redact`: a personal or free-text field's message
 * quotes the bad value ("17/03/2009" is not a date); the quote is withheld. A key the flow
 * does not know may itself be a name (`Taro Yamada: …`): it is not shown, only its line.
 */
export function redactProblem(flow: Flow, p: Problem): Problem {
  if (p.field !== undefined && !flow.facts.has(p.field)) {
    const { field: _, ...rest } = p;
    return { ...rest, message: p.message.replace(/^unknown field/, "unknown field (its name withheld)") };
  }
  const fact = p.field === undefined ? undefined : flow.facts.get(p.field);
  if (!withheld(fact)) return p;
  return { ...p, message: p.message.replace(/"(?:[^"\\]|\\.)*"/g, REDACTED) };
}

const MONTH = /^(\d{4})-(\d{2})/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2027-03" or "2027-03-17": "Mar 2027". */
export function monthWords(d: string): string {
  const [, y, m] = MONTH.exec(d) ?? [];
  return `${MONTHS[Number(m) - 1]} ${y}`;
}

/**
 * Every date the engine can work out from a date of birth (each birthday, and each half
 * year, as in "17 years 6 months"), in both the forms the outputs write dates in.
 */
function birthdayDates(dob: IsoDate): Map<string, string> {
  const out = new Map<string, string>();
  for (let years = 0; years <= 130; years++)
    for (const months of [0, 6]) {
      const d = addYearsMonths(dob, years, months);
      out.set(d, monthWords(d));
      out.set(formatLong(d), monthWords(d));
    }
  return out;
}

const LONG_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}\b/g;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;

export function redactPathway(flow: Flow, p: Pathway): Pathway {
  const dob = p.facts.get("person.dob");
  const birthdays =
    typeof dob === "string" && isIsoDate(dob) ? birthdayDates(dob) : new Map<string, string>();
  const band = p.person.age === null ? undefined : ageBand(p.person.age);
  const scrub = (text: string): string => {
    let out = text
      .replace(LONG_DATE, (d) => birthdays.get(d) ?? d)
      .replace(ISO_DATE, (d) => birthdays.get(d) ?? d);
    if (band !== undefined) out = out.replace(/\b([Aa])ged \d+\b/g, (_m, a: string) => `${a}ged ${band}`);
    return out;
  };
  const redactMap = <T extends Value | null>(m: ReadonlyMap<string, T>) =>
    new Map([...m].map(([id, v]) => [id, redactValue(flow, id, v) as T]));
  const reason = (r: Reason): Reason => ({
    ...r,
    facts: Object.fromEntries(Object.entries(r.facts).map(([id, v]) => [id, redactValue(flow, id, v)])),
  });
  return {
    ...p,
    person: { ...p.person, ...(band !== undefined ? { ageBand: band } : {}) },
    redacted: true,
    answers: redactMap(p.answers),
    facts: redactMap(p.facts),
    actions: p.actions.map((a) => {
      const hide = a.dueFromDob && a.due !== null && birthdays.has(a.due);
      const { dueNonWorking, ...rest } = a;
      return {
        ...rest,
        ...(dueNonWorking && !hide ? { dueNonWorking } : {}),
        due: hide ? null : a.due,
        ...(hide ? { dueMonth: (a.due as string).slice(0, 7) } : {}),
        dueRule: hide ? `${scrub(a.dueRule)}; the day is left out of a redacted copy` : scrub(a.dueRule),
        dueWords: hide ? `${scrub(a.dueWords)}; the day is left out of a redacted copy` : scrub(a.dueWords),
        daysOverdue: hide ? 0 : a.daysOverdue,
        workingDaysOverdue: hide ? 0 : a.workingDaysOverdue,
        because: a.because.map(reason),
      };
    }),
    warnings: p.warnings.map((w) => ({ ...w, text: scrub(w.text) })),
  };
}
