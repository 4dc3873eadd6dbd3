import { createRequire } from "node:module";
import { InputError } from "../errors.js";
import { daysInMonth, HOLIDAY_YEARS, parseYmd, type Ymd } from "../flow/calendar.js";
import { say } from "../words/problems.js";

// What a calendar date is (and whether a text is one) is the flow's, which checks answers as it loads.
export { HOLIDAY_YEARS, isIsoDate } from "../flow/calendar.js";

/** A calendar date as "YYYY-MM-DD". All arithmetic here is on whole days, never on instants. */
export type IsoDate = string;

export interface BankHoliday {
  date: IsoDate;
  name: string;
}

export interface SkippedDay {
  date: IsoDate;
  reason: string;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

// ---------- calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian) ----------

// Integer-only conversions (H. Hinnant's days_from_civil / civil_from_days): no Date object,
// so neither the host time zone nor DST can move a date.
function daysFromCivil({ year, month, day }: Ymd): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): Ymd {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function parse(d: IsoDate): Ymd {
  const ymd = parseYmd(d);
  if (!ymd) throw new RangeError(`Not a valid ISO date (YYYY-MM-DD): ${JSON.stringify(d)}`);
  return ymd;
}

function format({ year, month, day }: Ymd): IsoDate {
  if (year < 0 || year > 9999) throw new RangeError(`Date out of range: year ${year}`);
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function toDays(d: IsoDate): number {
  return daysFromCivil(parse(d));
}

function fromDays(days: number): IsoDate {
  return format(civilFromDays(days));
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
function isoWeekday(days: number): number {
  // Day 0 (1970-01-01) was a Thursday.
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

// ---------- bank holidays (England and Wales) ----------

// The build's table (scripts/bank-holidays.mjs: date-holidays' answers for HOLIDAY_YEARS) is
// the only source: the library is a development dependency, never loaded by a run. The path
// names dist/ so that it is the same table from dist/engine/ (the program) and from
// src/engine/ (the tests); the bundlers follow the require and bundle the table.
type Table = Record<string, BankHoliday[]>;
let table: Table | undefined;

function holidaysFor(year: number): readonly BankHoliday[] {
  if (year < HOLIDAY_YEARS.first || year > HOLIDAY_YEARS.last)
    throw new InputError(say.workingDaysOutsideHolidayYears(year, HOLIDAY_YEARS.first, HOLIDAY_YEARS.last));
  table ??= createRequire(import.meta.url)("../../dist/engine/bank-holidays.json") as Table;
  const list = table[String(year)];
  if (!list) throw new Error(`the bank-holiday table has no ${year}: run npm run build`);
  return list;
}

/** Bank holidays in England and Wales for `year`, sorted by date, including substitute days. */
export function bankHolidays(year: number): BankHoliday[] {
  requireInteger(year, "year");
  return holidaysFor(year).map((h) => ({ ...h }));
}

/** The bank holiday name(s) for `d`, or undefined if it is not a bank holiday. */
export function bankHolidayName(d: IsoDate): string | undefined {
  const { year } = parse(d);
  const names = holidaysFor(year)
    .filter((h) => h.date === d)
    .map((h) => h.name);
  return names.length > 0 ? names.join(" / ") : undefined;
}

// ---------- public API ----------

export function isWeekend(d: IsoDate): boolean {
  return isoWeekday(toDays(d)) >= 6;
}

const reasons = new Map<IsoDate, string | undefined>();
const DAYS_KEPT = 4096;

/** Why `d` is not a working day ("weekend" or the bank holiday's name), or undefined if it is one. */
export function nonWorkingReason(d: IsoDate): string | undefined {
  if (reasons.has(d)) return reasons.get(d);
  const why = isWeekend(d) ? "weekend" : bankHolidayName(d);
  // Every case of a batch counts its working days over the same few weeks: each day is
  // worked out once (at most DAYS_KEPT kept, so memory stays flat).
  if (reasons.size >= DAYS_KEPT) reasons.clear();
  reasons.set(d, why);
  return why;
}

export function isWorkingDay(d: IsoDate): boolean {
  return nonWorkingReason(d) === undefined;
}

/**
 * The date `n` working days after `d`. Counting starts the day after `d`, so `d` itself never
 * counts, even if it is a working day. `skipped` lists the non-working days passed over.
 */
export function addWorkingDays(d: IsoDate, n: number): { date: IsoDate; skipped: SkippedDay[] } {
  requireInteger(n, "n");
  if (n < 0) throw new RangeError(`n must be >= 0, got ${n}`);
  let days = toDays(d);
  let remaining = n;
  const skipped: SkippedDay[] = [];
  while (remaining > 0) {
    days += 1;
    const date = fromDays(days);
    const reason = nonWorkingReason(date);
    if (reason === undefined) remaining -= 1;
    else skipped.push({ date, reason });
  }
  return { date: fromDays(days), skipped };
}

/**
 * Working days after `a` up to and including `b` (0 when `b` is not after `a`): a step due on
 * a Friday is 1 working day overdue on the Monday, and still 0 on the weekend between.
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate): number {
  const end = toDays(b);
  let n = 0;
  for (let days = toDays(a) + 1; days <= end; days++) if (isWorkingDayNumber(days)) n++;
  return n;
}

const working = new Map<number, boolean>();

/**
 * isWorkingDay by day number: a weekend told by arithmetic, a weekday's answer kept (as
 * nonWorkingReason keeps its own), so counting a year overdue makes no date text a day.
 */
function isWorkingDayNumber(days: number): boolean {
  let w = working.get(days);
  if (w === undefined) {
    w = isoWeekday(days) < 6 && nonWorkingReason(fromDays(days)) === undefined;
    if (working.size >= DAYS_KEPT) working.clear();
    working.set(days, w);
  }
  return w;
}

/** The last working day on or before `d` (`d` itself when it is one). */
export function lastWorkingDayOnOrBefore(d: IsoDate): IsoDate {
  let days = toDays(d);
  while (nonWorkingReason(fromDays(days)) !== undefined) days -= 1;
  return fromDays(days);
}

export function addCalendarDays(d: IsoDate, n: number): IsoDate {
  requireInteger(n, "n");
  return fromDays(toDays(d) + n);
}

export function addWeeks(d: IsoDate, n: number): IsoDate {
  requireInteger(n, "n");
  return addCalendarDays(d, 7 * n);
}

/**
 * Calendar months/years later (or earlier, if negative). If the day of the month does not exist in
 * the target month (31 Aug + 6 months, or 29 Feb in a non-leap year) the result is the 1st of the
 * following month, one consistent rule for both birthdays and month-based periods.
 */
export function addYearsMonths(d: IsoDate, years: number, months: number): IsoDate {
  requireInteger(years, "years");
  requireInteger(months, "months");
  const { year, month, day } = parse(d);
  const monthIndex = year * 12 + (month - 1) + years * 12 + months;
  const target = { year: Math.floor(monthIndex / 12), month: (monthIndex % 12) + 1 };
  if (day <= daysInMonth(target.year, target.month)) return format({ ...target, day });
  // English law: age is attained at the start of the anniversary; for 29 Feb that is 1 Mar in non-leap years.
  return addCalendarDays(format({ ...target, day: daysInMonth(target.year, target.month) }), 1);
}

/** Whole years of age on `on` for someone born on `dob`, by the same anniversary rule as addYearsMonths. */
export function ageOn(dob: IsoDate, on: IsoDate): number {
  if (compareIso(on, dob) < 0) throw new RangeError(`Date ${on} is before date of birth ${dob}`);
  const years = parse(on).year - parse(dob).year;
  return compareIso(addYearsMonths(dob, years, 0), on) <= 0 ? years : years - 1;
}

/** Whole calendar days from `a` to `b` (negative if `b` is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDays(b) - toDays(a);
}

export function compareIso(a: IsoDate, b: IsoDate): number {
  return Math.sign(toDays(a) - toDays(b));
}

export function minIso(...dates: IsoDate[]): IsoDate {
  return pick(dates, (c) => c < 0, "minIso");
}

export function maxIso(...dates: IsoDate[]): IsoDate {
  return pick(dates, (c) => c > 0, "maxIso");
}

function pick(dates: IsoDate[], better: (cmp: number) => boolean, fn: string): IsoDate {
  const [first, ...rest] = dates;
  if (first === undefined) throw new RangeError(`${fn} needs at least one date`);
  parse(first);
  return rest.reduce((best, d) => (better(compareIso(d, best)) ? d : best), first);
}

/** e.g. "Mon 31 Aug 2026": fixed English names so output never depends on the host locale. */
export function formatLong(d: IsoDate): string {
  const ymd = parse(d);
  const weekday = WEEKDAYS[isoWeekday(daysFromCivil(ymd)) - 1];
  const month = MONTHS[ymd.month - 1];
  return `${weekday} ${ymd.day} ${month} ${ymd.year}`;
}
