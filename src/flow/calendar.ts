/** A calendar date's parts. */
export interface Ymd {
  year: number;
  month: number;
  day: number;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** "YYYY-MM-DD" as its parts, or undefined when it is not a day of the calendar ("2026-02-31"). */
export function parseYmd(s: string): Ymd | undefined {
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const ymd = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (ymd.month < 1 || ymd.month > 12) return undefined;
  if (ymd.day < 1 || ymd.day > daysInMonth(ymd.year, ymd.month)) return undefined;
  return ymd;
}

export function isIsoDate(s: string): boolean {
  return parseYmd(s) !== undefined;
}

/**
 * The years whose England and Wales bank holidays the program knows: the build's table
 * (scripts/bank-holidays.mjs, from date-holidays, a development dependency) covers them and
 * nothing else, so working days are counted only inside them, and a date a deadline may
 * count from is refused outside them.
 */
export const HOLIDAY_YEARS = { first: 1990, last: 2100 } as const;
