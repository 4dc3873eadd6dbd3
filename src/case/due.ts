import { addCalendarDays, daysBetween, formatLong } from "../engine/dates.js";
import { caseKey, fold, nextDay } from "../render/ics.js";
import { icsText } from "../render/inert.js";
import type { ResultObject } from "../render/result.js";

// Every open step across the lead's cases (issue 26, `safeguard due`), pure: the cases as
// their pathway.json holds them, the day to count from passed in.

/** One open step of one case: never a name or date of birth, only the case reference and the step. */
export interface DueRow {
  case_id: string;
  step: string;
  title: string;
  due: string | null;
  last_working_day: string | null;
  overdue: boolean;
  /** Whole days past the due date on the day counted from; 0 when not overdue. */
  days_overdue: number;
  expected: boolean;
}

/**
 * Every open step (not done; not a date something ends) of every case, in the order to act:
 * overdue first (the longest overdue first), then by date, then those with no date. With
 * `within`: only steps overdue or due within that many days (no date: left out).
 */
export function openSteps(
  cases: readonly Pick<ResultObject, "case_id" | "actions">[],
  date: string,
  within?: number,
): DueRow[] {
  const rows: DueRow[] = [];
  for (const c of cases)
    for (const a of c.actions) {
      if (a.done || a.until) continue;
      const overdue = a.due !== null && !a.expected && a.due < date;
      rows.push({
        case_id: c.case_id,
        step: a.id,
        title: a.title,
        due: a.due,
        last_working_day: a.last_working_day,
        overdue,
        days_overdue: overdue ? daysBetween(a.due as string, date) : 0,
        expected: a.expected === true,
      });
    }
  const limit = within === undefined ? undefined : addCalendarDays(date, within);
  const kept =
    limit === undefined ? rows : rows.filter((r) => r.due !== null && (r.overdue || r.due <= limit));
  const key = (r: DueRow) => (r.overdue ? `0${r.due}` : r.due ? `1${r.due}` : "2");
  return kept
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : i - j))
    .map(([r]) => r);
}

/** A row in words, for the terminal: "EX-1  overdue: 3 days (due Wed 26 Aug 2026)  Refer to …". */
export function dueLine(r: DueRow): string {
  const when = !r.due
    ? "no date set"
    : r.overdue
      ? `overdue: ${r.days_overdue} day${r.days_overdue === 1 ? "" : "s"} (due ${formatLong(r.due)})`
      : `due ${formatLong(r.due)}${r.expected ? ", expected" : ""}`;
  const lwd = r.last_working_day && !r.overdue ? `; last working day ${formatLong(r.last_working_day)}` : "";
  return `${r.case_id}  ${when}${lwd}  ${r.title}`;
}

/** One calendar of every dated open step: the case reference and the step only. */
export function dueIcs(rows: readonly DueRow[], stamp: string): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//safeguard//due//EN", "CALSCALE:GREGORIAN"];
  for (const r of rows) {
    if (!r.due) continue;
    lines.push(
      "BEGIN:VEVENT",
      `UID:${caseKey(r.case_id)}-${r.step.replace(/[^A-Za-z0-9._-]/g, "_")}@safeguard`,
      `DTSTAMP:${stamp.replace(/-/g, "")}T000000Z`,
      `DTSTART;VALUE=DATE:${r.due.replace(/-/g, "")}`,
      `DTEND;VALUE=DATE:${nextDay(r.due).replace(/-/g, "")}`,
      ...(r.expected ? ["STATUS:TENTATIVE"] : []),
      fold(`SUMMARY:${icsText(`${r.case_id}: ${r.title}`)}`),
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.join("\r\n")}\r\n`;
}

/** One case on one line of `safeguard cases`: never a name, date of birth or free text. */
export interface CaseRow {
  case_id: string;
  age_group: ResultObject["person"]["group"];
  /** The first form of exploitation answered (a value from the flow's list), or null. */
  concern_type: string | null;
  /** The day of the case's last history entry (its pathway's day when it has none). */
  last_updated: string;
  /** The earliest due date of an open step on or after the day counted from; null when none. */
  next_due: string | null;
  /** Open steps overdue on the day counted from. */
  overdue: number;
  /** The day it was closed; null while open. */
  closed: string | null;
}

/** A case as `cases` lists it, on the day counted from. */
export function caseRow(
  pathway: Pick<ResultObject, "case_id" | "actions" | "person" | "today">,
  history: { given?: Record<string, unknown>; lastDate?: string; closed?: { date: string } },
  date: string,
): CaseRow {
  const steps = openSteps([pathway], date);
  return {
    case_id: pathway.case_id,
    age_group: pathway.person.group,
    concern_type: firstConcernType(history.given?.["concern.types"]),
    last_updated: history.lastDate ?? pathway.today,
    next_due: steps.find((s) => s.due !== null && s.due >= date)?.due ?? null,
    overdue: steps.filter((s) => s.overdue).length,
    closed: history.closed?.date ?? null,
  };
}

/** The first form of exploitation answered: a value from the flow's list, never free text. */
export function firstConcernType(types: unknown): string | null {
  const first = Array.isArray(types) ? types[0] : undefined;
  return typeof first === "string" && /^[a-z][a-z-]{0,29}$/.test(first) ? first : null;
}

/** A case in words, for the terminal: "EX-1  child  criminal  updated Mon 2 Nov 2026  next due …  2 overdue". */
export function caseLine(r: CaseRow): string {
  const next = r.next_due ? `next due ${formatLong(r.next_due)}` : "nothing due";
  const overdue = r.overdue > 0 ? `  ${r.overdue} overdue` : "";
  const closed = r.closed ? `  closed ${formatLong(r.closed)}` : "";
  return `${r.case_id}  ${r.age_group}  ${r.concern_type ?? "type not known"}  updated ${formatLong(r.last_updated)}  ${next}${overdue}${closed}`;
}
