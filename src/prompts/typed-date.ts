import { type IsoDate, isIsoDate } from "../engine/dates.js";

/**
 * A date as people in the UK type it at the wizard's date prompts: day/month/year
 * (`5/12/2026`, `05/12/2026`, `5-12-2026`, `5.12.2026` are all 5 December 2026), or
 * YYYY-MM-DD, or "today". The date as the engine stores it (YYYY-MM-DD), or why it is not one.
 * A two-digit year is refused: 5/12/26 could be 2026 or 1926 (a date of birth).
 */
export function readTypedDate(raw: string, today: IsoDate): string | { value: IsoDate } {
  const s = raw.trim();
  if (s.toLowerCase() === "today") return { value: today };
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return checked(s, Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const uk = /^(\d{1,2})([/.-])(\d{1,2})\2(\d+)$/.exec(s);
  if (!uk) return `"${s}" is not a date: type it as day/month/year (5/12/2026), or "today"`;
  const [, day = "", sep = "/", month = "", year = ""] = uk;
  if (year.length === 2) {
    const dm = `${day}${sep}${month}${sep}`;
    return `"${s}": give the year in full (${dm}20${year} or ${dm}19${year})`;
  }
  if (year.length !== 4) return `"${s}": the year should have four digits (day/month/year, e.g. 5/12/2026)`;
  return checked(s, Number(year), Number(month), Number(day));
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

function checked(s: string, year: number, month: number, day: number): string | { value: IsoDate } {
  const name = MONTHS[month - 1];
  if (!name) return `"${s}" is not a date: there is no month ${month} (dates are day/month/year)`;
  const iso = (d: number) =>
    `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  if (isIsoDate(iso(day))) return { value: iso(day) };
  if (day === 0) return `"${s}" is not a date: there is no day 0`;
  const days = [31, 30, 29].find((d) => isIsoDate(iso(d))) ?? 28;
  return `"${s}" is not a date: ${name} ${year} has ${days} days`;
}
