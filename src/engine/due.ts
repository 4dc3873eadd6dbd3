import type { DueRule, Flow, Need } from "../flow/types.js";
import { isAre, ordinal, plural } from "../words/words.js";
import type { Value } from "./answers.js";
import {
  addCalendarDays,
  addWeeks,
  addWorkingDays,
  addYearsMonths,
  compareIso,
  formatLong,
  type IsoDate,
  lastWorkingDayOnOrBefore,
  nonWorkingReason,
} from "./dates.js";

export interface Due {
  date: IsoDate | null;
  /** How the date was worked out, in words, e.g. "3 working days from referral.date (…)". */
  rule: string;
  /**
   * The same in the words a receiving team uses, with no fact or step id: "today (Mon 7 Dec
   * 2026)", "within 3 working days of the referral (by Thu 10 Dec 2026)". For drafts.
   */
  words: string;
  /** Worked out from the date of birth: an anonymous document must not show it. */
  fromDob?: boolean;
  /**
   * What a step past this date is late by: working days for a working-day deadline (or one
   * on another step's working-day deadline), calendar days otherwise. Absent: calendar days.
   */
  counts?: DayCount;
  /**
   * A calendar-day or week deadline that falls on a weekend or bank holiday keeps its date;
   * this says why that day is not a working day ("weekend" or the holiday's name) and the
   * last working day before it, which the rule's words name too.
   */
  nonWorking?: NonWorking;
}

export type DayCount = "working_days" | "calendar_days";

export interface NonWorking {
  reason: string;
  lastWorkingDay: IsoDate;
}

export interface DueContext {
  flow: Flow;
  facts: ReadonlyMap<string, Value>;
  referenceDate: IsoDate;
  /** The day the pathway is worked out on: a step due on it is due "today". */
  today: IsoDate;
  /** The due date of another recommended action, or undefined when it has none. */
  dueOf: (actionId: string) => Due | undefined;
}

export function computeDue(spec: DueRule, ctx: DueContext): Due {
  if (spec === "immediately") {
    const on = formatLong(ctx.referenceDate);
    return {
      date: ctx.referenceDate,
      rule: `immediately (concern.date, ${on})`,
      words:
        ctx.referenceDate === ctx.today
          ? `today (${on})`
          : `straight away: the concern was identified on ${on}`,
    };
  }
  if ("none" in spec) return { date: null, rule: spec.none, words: spec.none };
  if ("earliest" in spec) {
    const parts = spec.earliest.map((s) => computeDue(s, ctx));
    const dated = parts.filter((p): p is Due & { date: IsoDate } => p.date !== null);
    const rule = `the earlier of: ${parts.map((p) => p.rule).join("; and ")}`;
    const words = `whichever comes first: ${parts.map((p) => p.words).join("; or ")}`;
    const fromDob = parts.some((p) => p.fromDob);
    if (dated.length === 0) return { date: null, rule, words, ...(fromDob ? { fromDob } : {}) };
    const first = dated.reduce((a, b) => (compareIso(b.date, a.date) < 0 ? b : a));
    return {
      date: first.date,
      rule,
      words,
      ...(fromDob ? { fromDob } : {}),
      ...(first.nonWorking ? { nonWorking: first.nonWorking } : {}),
      ...(first.counts ? { counts: first.counts } : {}),
    };
  }
  if ("age" in spec) return birthday(spec.age.years, spec.age.months ?? 0, spec.or_now ?? false, ctx);
  if ("on" in spec) {
    const base = findBase(spec.on, ctx);
    if (!base)
      return {
        date: null,
        rule: `on ${spec.on.map(describeFrom).join(" or ")}, which is not known yet`,
        words: `on ${spec.on.map((f) => eventWords(f, ctx)).join(" or ")}, when that is known`,
      };
    return {
      date: base.date,
      rule: `on ${base.words} (${formatLong(base.date)})${base.fallback}`,
      words: `on ${base.event} (${formatLong(base.date)})${base.fallbackWords}`,
      ...(base.fromDob ? { fromDob: true } : {}),
      ...(base.counts ? { counts: base.counts } : {}),
    };
  }
  const base = findBase(spec.from, ctx);
  const n =
    "working_days" in spec ? spec.working_days : "calendar_days" in spec ? spec.calendar_days : spec.weeks;
  const amount = amountWords(spec);
  if (!base) {
    const names = spec.from.map(describeFrom).join(" or ");
    return {
      date: null,
      rule: `${amount} from ${names}, which is not known yet`,
      words: `within ${amount} of ${spec.from.map((f) => eventWords(f, ctx)).join(" or ")}, when that is known`,
    };
  }
  const from = `${amount} from ${base.words} (${formatLong(base.date)})${base.fallback}`;
  const within = `within ${amount} of ${base.event}`;
  const dob = base.fromDob ? { fromDob: true } : {};
  if ("working_days" in spec) {
    const r = addWorkingDays(base.date, n);
    const holidays = r.skipped
      .filter((s) => s.reason !== "weekend")
      .map((h) => `${h.reason} (${formatLong(h.date)})`)
      .join(", ");
    // The same holidays, for the lead ("skipping") and for a receiving team ("not counting").
    const skipping = holidays ? `, skipping ${holidays}` : "";
    const notCounting = holidays ? `, not counting ${holidays}` : "";
    return {
      date: r.date,
      rule: `${from}${skipping}`,
      words: `${within} (by ${formatLong(r.date)}${notCounting})${base.fallbackWords}`,
      ...dob,
      counts: "working_days",
    };
  }
  const date = "calendar_days" in spec ? addCalendarDays(base.date, n) : addWeeks(base.date, n);
  const reason = nonWorkingReason(date);
  const by = `${within} (by ${formatLong(date)})${base.fallbackWords}`;
  if (reason === undefined) return { date, rule: from, words: by, ...dob };
  const nonWorking = { reason, lastWorkingDay: lastWorkingDayOnOrBefore(date) };
  return {
    date,
    rule: `${from}${nonWorkingNote(date, nonWorking)}`,
    words: `${by}${nonWorkingNote(date, nonWorking)}`,
    ...dob,
    nonWorking,
  };
}

/**
 * A calendar-day or week deadline keeps its date even on a weekend or bank holiday (the
 * procedures say "within N days"), and says so, with the last working day before it.
 */
function nonWorkingNote(date: IsoDate, { reason, lastWorkingDay }: NonWorking): string {
  const what = reason === "weekend" ? "a weekend day" : `a bank holiday (${reason})`;
  return `; ${formatLong(date)} is ${what}; the last working day before it is ${formatLong(lastWorkingDay)}`;
}

type Counted = Extract<DueRule, { from: readonly Need[] }>;

/**
 * A due rule as the flow writes it, in words, before a case gives it dates: what the flow
 * graph, its outline and `explain` say (a case's pathway says `Due.rule`, with its dates).
 * `need` names what a date counts from: a fact id for a trainer's diagram, a label for a reader.
 */
export function dueRuleWords(spec: DueRule, need: (from: Need) => string): string {
  if (spec === "immediately") return "immediately (the day the concern is identified)";
  if ("none" in spec) return spec.none;
  if ("earliest" in spec)
    return `the earlier of: ${spec.earliest.map((s) => dueRuleWords(s, need)).join("; and ")}`;
  if ("age" in spec) {
    const months = spec.age.months ?? 0;
    const at = `${months === 0 ? "on the" : "at"} ${milestone(spec.age.years, months)}`;
    return `${at}${spec.or_now ? " (now, if that has passed)" : ""}`;
  }
  // A later date counts only while the one before it is not known (findBase), never "if earlier".
  const [first, ...then] = ("on" in spec ? spec.on : spec.from).map(need);
  const from = `${first}${then.map((t) => ` (until that is known, ${"on" in spec ? "on" : "from"} ${t})`).join("")}`;
  return "on" in spec ? `on ${from}` : `${amountWords(spec)} from ${from}`;
}

/** An age a step waits for: "18th birthday", "age 17 years 6 months". */
function milestone(years: number, months: number): string {
  return months === 0 ? `${ordinal(years)} birthday` : `age ${years} years ${months} months`;
}

/** "3 working days", "15 calendar days", "12 weeks": the amount of a counted due rule. */
export function amountWords(spec: Counted): string {
  const [n, unit] =
    "working_days" in spec
      ? [spec.working_days, "working day"]
      : "calendar_days" in spec
        ? [spec.calendar_days, "calendar day"]
        : [spec.weeks, "week"];
  return plural(n, unit);
}

export function describeFrom(from: Need): string {
  return "action" in from ? `the due date of ${from.action}` : from.fact;
}

/**
 * What a date counts from, as a receiving team says it: a date fact's label without its
 * "Date of" ("the referral", "the last MAACE meeting", "the strategy discussion"), or the
 * step whose date it is. `bare`: the thing itself, for "no date is known for …".
 */
export function eventWords(from: Need, ctx: { flow: DueContext["flow"] }, bare = false): string {
  if ("action" in from) {
    const title = `"${ctx.flow.actionById.get(from.action)?.title ?? "another step"}"`;
    return bare ? title : `the date set for ${title}`;
  }
  const label = ctx.flow.facts.get(from.fact)?.label ?? "the date it counts from";
  const of = /^Date of (.+)$/i.exec(label)?.[1] ?? /^Date (the .+?) (?:was|were) \w+$/i.exec(label)?.[1];
  return of ?? label.charAt(0).toLowerCase() + label.slice(1);
}

function findBase(
  from: readonly Need[],
  ctx: DueContext,
):
  | {
      date: IsoDate;
      words: string;
      event: string;
      fallback: string;
      fallbackWords: string;
      fromDob: boolean;
      counts?: DayCount;
    }
  | undefined {
  const missing: string[] = [];
  const missingWords: string[] = [];
  for (const f of from) {
    let date: IsoDate | undefined;
    let fromDob = "fact" in f && f.fact === "person.dob";
    let counts: DayCount | undefined;
    if ("action" in f) {
      const other = ctx.dueOf(f.action);
      date = other?.date ?? undefined;
      fromDob = other?.fromDob ?? false;
      counts = other?.counts;
    } else date = ctx.facts.get(f.fact) as IsoDate | undefined;
    if (date) {
      const fallback =
        missing.length > 0 ? ` because ${missing.join(" and ")} ${isAre(missing.length)} not known` : "";
      const fallbackWords = missing.length > 0 ? `; no date is known for ${missingWords.join(" or ")}` : "";
      return {
        date,
        words: describeFrom(f),
        event: eventWords(f, ctx),
        fallback,
        fallbackWords,
        fromDob,
        ...(counts ? { counts } : {}),
      };
    }
    missing.push("action" in f ? `a due date for ${f.action}` : f.fact);
    missingWords.push(eventWords(f, ctx, true));
  }
  return undefined;
}

function birthday(years: number, months: number, orNow: boolean, ctx: DueContext): Due {
  const label = milestone(years, months);
  const their = months === 0 ? `their ${label}` : `${label}`;
  const dob = ctx.facts.get("person.dob") as IsoDate | undefined;
  const age = ctx.facts.get("person.age");
  // §20.6(1) "at the age of 17 or as soon as they come into the service thereafter": with only
  // the age, a milestone it shows has passed (aged N is at least N years 0 months) is due now.
  if (!dob && orNow && typeof age === "number" && age * 12 >= years * 12 + months)
    return {
      date: ctx.referenceDate,
      rule: `${label} has passed (aged ${age}; person.dob not known), so now`,
      words: `now: ${their} has passed (they are ${age})`,
    };
  if (!dob)
    return {
      date: null,
      rule: `${label} (person.dob not known)`,
      words: `by ${their}: the date of birth is not known`,
    };
  const date = addYearsMonths(dob, years, months);
  if (orNow && compareIso(date, ctx.referenceDate) < 0) {
    return {
      date: ctx.referenceDate,
      rule: `${label} (${formatLong(date)}) has passed, so now`,
      words: `now: ${their} (${formatLong(date)}) has passed`,
      fromDob: true,
    };
  }
  return {
    date,
    rule: `${label} (${formatLong(date)})`,
    words: `by ${their} (${formatLong(date)})`,
    fromDob: true,
  };
}
